/**
 * The URL hash keeps the open panel, the selected lane and (for bundled demos) the pack:
 * `#panel=lanes&demo=demo-wide.v2c.bin&lane=policy%40t0`.
 */
import { isPanel, type Panel } from '../store';

export interface HashState { panel?: Panel; lane?: string; /** A bundled demo pack to reopen on load. */ demo?: string }

export function parseHash(hash: string): HashState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const out: HashState = {};
  const p = params.get('panel');
  if (isPanel(p)) out.panel = p;
  const lane = params.get('lane');
  if (lane) out.lane = lane;
  const demo = params.get('demo');
  if (demo && !demo.includes('/') && !demo.includes('..')) out.demo = demo;
  return out;
}

export function formatHash(s: HashState): string {
  const params = new URLSearchParams();
  if (s.panel) params.set('panel', s.panel);
  if (s.demo) params.set('demo', s.demo);
  if (s.lane) params.set('lane', s.lane);
  const t = params.toString();
  return t ? `#${t}` : '';
}
