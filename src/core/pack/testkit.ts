/** Deterministic test inputs shared by the pack tests (not shipped in the app). */
import type { LaneInput } from './write.ts';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const SAMPLE_IDS = ['policy', 'policy@t0', 'policy@t1', 'policy@t*', 'attention', 'attention@late', 'policy@early__x__attention@late', 'policy@t0__x__attention@t1', 'policy@all__x__attention@all', 'Value7', 'value'];

export function sampleLanes(n: number, dims: number, seed = 1, amp = 0.9): LaneInput[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: i < SAMPLE_IDS.length ? SAMPLE_IDS[i] : `lane${i}`,
    W: Array.from({ length: dims }, () => (rnd() * 2 - 1) * amp),
  }));
}
