/**
 * The bundled demo data: deterministic lane-stream documents and the packs built from them,
 * signed with a published demo key (the seed is sha256 of a fixed phrase: it proves
 * integrity in the demo, not identity). `npm run demo` writes them to public/demo; a test
 * rebuilds them and checks the committed bytes are identical.
 */
import { sha256 } from '../hash/sha256.ts';
import { utf8 } from '../bytes/utf8.ts';
import { buildPack } from './build-pack.ts';
import { encodePack } from './write.ts';

export const DEMO_SEED = sha256(utf8('asx workbench demo key v1 — not a secret'));

function wave(n: number, f: (i: number) => number): number[] {
  // Rounded to 6 decimals so the JSON documents are short and exact.
  return Array.from({ length: n }, (_, i) => Number(f(i).toFixed(6)));
}

export function demoStreams(variant: 'a' | 'b'): { streams: Record<string, number[]>; config?: Record<string, unknown> } {
  const phase = variant === 'a' ? 0 : 0.9;
  return {
    streams: {
      policy: wave(256, (i) => 0.5 + 0.45 * Math.sin(i / 9 + phase) * Math.exp(-i / 400)),
      attention: wave(256, (i) => 0.5 + 0.4 * Math.cos(i / 13) * (variant === 'a' ? 1 : 0.6)),
      value: wave(192, (i) => ((i * 37) % 101) / 101),
      reward: wave(128, (i) => (i % 32 < 16 ? 0.2 : 0.8) + (variant === 'b' ? 0.05 : 0)),
    },
  };
}

export interface DemoFile { file: string; title: string; bytes: Uint8Array }

export function demoFiles(): DemoFile[] {
  const a = buildPack(demoStreams('a'), { signKey: DEMO_SEED });
  const b = buildPack(demoStreams('b'), { signKey: DEMO_SEED });
  // A wide pack beyond the 5 KB budget: 320 lanes × 64 dims, unsigned, with lane audits.
  const wideLanes = Array.from({ length: 320 }, (_, i) => {
    const id = i < 8 ? ['policy', 'attention', 'policy@t0', 'policy@t1', 'attention@t0', 'attention@t1', 'value', 'reward'][i] : `feature${String(i).padStart(3, '0')}`;
    return { id, W: Array.from({ length: 64 }, (_, k) => 0.6 * Math.sin((i + 1) * (k + 1) / 37)) };
  });
  const wide = encodePack(wideLanes, 64, { laneAudits: 8 });
  return [
    { file: 'demo-5kb.v2c.bin', title: 'Demo A — policy/attention/value/reward, 5 KB budget, signed', bytes: a.bytes },
    { file: 'demo-5kb-b.v2c.bin', title: 'Demo B — phase-shifted variant of A (diff/merge partner), signed', bytes: b.bytes },
    { file: 'demo-wide.v2c.bin', title: 'Wide — 320 lanes × 64 dims, unsigned, per-lane audit', bytes: wide.bytes },
  ];
}
