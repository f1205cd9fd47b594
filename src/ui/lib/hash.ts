/** The URL hash keeps the open panel and the selected lane: `#panel=lanes&lane=policy%40t0`. */
import { isPanel, type Panel } from '../store';

export interface HashState { panel?: Panel; lane?: string }

export function parseHash(hash: string): HashState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const out: HashState = {};
  const p = params.get('panel');
  if (isPanel(p)) out.panel = p;
  const lane = params.get('lane');
  if (lane) out.lane = lane;
  return out;
}

export function formatHash(s: HashState): string {
  const params = new URLSearchParams();
  if (s.panel) params.set('panel', s.panel);
  if (s.lane) params.set('lane', s.lane);
  const t = params.toString();
  return t ? `#${t}` : '';
}
