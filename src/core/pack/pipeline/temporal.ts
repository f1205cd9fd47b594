/**
 * Temporal windows (law L-WINDOWS). The packs spec wires `expandTemporalLanes(streams,
 * windows)` first ("Interaction Matrix 4×4 v1.0" §6, "Canonical wiring order" 1) and
 * names the lanes `<base>@t0..@t3`, but never says how a stream is cut. Our rule:
 *
 *   A base stream of length n is cut into K contiguous, non-overlapping windows in order.
 *   With q = floor(n / K) and r = n mod K, window k has q + 1 samples when k < r and q
 *   samples otherwise (the first r windows take the remainder). Windows with 0 samples are
 *   not emitted, so a stream shorter than K yields n one-sample windows t0..t(n-1).
 *
 * Why: contiguous windows keep time order ("early" really is early); sizes differ by at
 * most one; no sample is dropped or duplicated; and never emitting an empty lane matches
 * the spec's own "if no lanes exist … do not emit" (matrix summaries §3.1).
 */
import { isBaseId, requireInt, windowId, type LaneStreams } from './streams.ts';

export const DEFAULT_WINDOWS = 4;
/** Upper bound on K (bounds the K×K matrix to 256 lanes per pair). */
export const MAX_WINDOWS = 16;

/** Half-open `[start, end)` of each non-empty window of a length-n stream cut into K. */
export function windowBounds(n: number, K: number): Array<[number, number]> {
  requireInt('windows', K, 1, MAX_WINDOWS);
  const q = Math.floor(n / K);
  const r = n % K;
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let k = 0; k < K; k++) {
    const size = q + (k < r ? 1 : 0);
    if (size === 0) break; // sizes are non-increasing: every later window is empty too
    out.push([start, start + size]);
    start += size;
  }
  return out;
}

/**
 * Returns a new lane set: every input lane unchanged, plus `<base>@t<k>` for each base
 * stream (ids without `@` and `__x__`), emitted base by base in input order, t0 first.
 */
export function expandTemporalLanes(streams: LaneStreams, windows: number = DEFAULT_WINDOWS): Map<string, Float64Array> {
  requireInt('windows', windows, 1, MAX_WINDOWS);
  const out = new Map(streams);
  for (const [id, s] of streams) {
    if (!isBaseId(id)) continue;
    const bounds = windowBounds(s.length, windows);
    for (let k = 0; k < bounds.length; k++) out.set(windowId(id, k), s.slice(bounds[k][0], bounds[k][1]));
  }
  return out;
}
