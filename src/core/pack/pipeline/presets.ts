/**
 * Semantic presets `<base>@early`, `@mid`, `@late` (law L-PRESETS). The packs spec wires
 * `emitSemanticPresets(streams)` third and uses these lanes for the preset interactions,
 * but never defines them. Our rule, over the base's windows W_0..W_{m-1}:
 *
 *   early = W_0 (a copy); late = W_{m-1}; mid = index-wise mean of the interior windows
 *   W_1..W_{m-2} when m >= 3, else the mean of all m windows (m = 2: mean(W_0, W_1);
 *   m = 1: W_0). The mean aligns by index over the minimum length, sums in window order
 *   and divides by the count (streams.ts meanAligned). Emitted in the order early, mid,
 *   late; nothing is emitted for a base without windows.
 *
 * Why: with the default K = 4 this is early = t0, mid = mean(t1, t2), late = t3 — the
 * symmetric reading of "first quarter / middle half / last quarter"; presets are always
 * all three, so the preset interactions never silently lose a lane for short streams.
 */
import { isBaseId, meanAligned, windowsOf, type LaneStreams } from './streams.ts';

export const PRESETS = ['early', 'mid', 'late'] as const;
export type Preset = (typeof PRESETS)[number];

export function presetId(base: string, p: Preset): string {
  return `${base}@${p}`;
}

export function presetsFromWindows(w: readonly Float64Array[]): Record<Preset, Float64Array> | null {
  const m = w.length;
  if (m === 0) return null;
  const mid = meanAligned(m >= 3 ? w.slice(1, m - 1) : w);
  if (!mid) return null;
  return { early: w[0].slice(), mid, late: w[m - 1].slice() };
}

export function emitSemanticPresets(streams: LaneStreams): Map<string, Float64Array> {
  const out = new Map(streams);
  for (const id of streams.keys()) {
    if (!isBaseId(id)) continue;
    const p = presetsFromWindows(windowsOf(streams, id));
    if (!p) continue;
    for (const name of PRESETS) out.set(presetId(id, name), p[name]);
  }
  return out;
}
