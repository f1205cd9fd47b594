/**
 * Decay-combined temporal lane `<base>@t*` (law L-DECAY). The packs spec wires
 * `emitCombinedTemporalLanesDecay(streams)` second and its manifest says the decay is
 * "exponential", but gives neither rate nor alignment. Our rule:
 *
 *   Let W_0..W_{m-1} be the base's windows (t0 oldest). With retention r in (0, 1]
 *   (default 0.5), window j has weight w_j = r^(m-1-j): the newest window weighs 1, each
 *   older one r times the next. The weights are built by repeated multiplication
 *   (w_{m-1} = 1, w_{j-1} = w_j * r), never Math.pow/Math.exp, whose last bit ECMAScript
 *   leaves to the engine. Alignment is by index over n = min |W_j|; for each k,
 *   acc = Σ_{j=0..m-1} w_j * W_j[k] summed in j order, then S[k] = acc / Σ_j w_j (that
 *   sum also in j order). Not emitted when the base has no windows.
 *
 * Why: a normalized weighted mean stays inside the range of its inputs (no blow-up before
 * folding), r = 0.5 makes every weight a power of two (exact in f64), and r = 1 is the
 * plain mean. Index alignment is the spec's own rule for combining lanes (§3 "Align by
 * index"); windows differ in length by at most one, so at most one tail sample is unused.
 */
import { AsxError } from '../../errors.ts';
import { alignedLength, isBaseId, windowsOf, type LaneStreams } from './streams.ts';

export const DEFAULT_DECAY = 0.5;

export function decayId(base: string): string {
  return `${base}@t*`;
}

/** w_j = r^(m-1-j) by repeated multiplication, newest (j = m-1) = 1. */
export function decayWeights(m: number, r: number): number[] {
  checkRate(r);
  const w = new Array<number>(m);
  let x = 1;
  for (let j = m - 1; j >= 0; j--) {
    w[j] = x;
    x = x * r;
  }
  return w;
}

export function combineDecay(windows: readonly Float64Array[], r: number = DEFAULT_DECAY): Float64Array | null {
  const n = alignedLength(windows);
  if (n <= 0) return null;
  const w = decayWeights(windows.length, r);
  let wsum = 0;
  for (let j = 0; j < w.length; j++) wsum += w[j];
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let acc = 0;
    for (let j = 0; j < windows.length; j++) acc += w[j] * windows[j][k];
    out[k] = acc / wsum;
  }
  return out;
}

/** Adds `<base>@t*` for every base stream that has windows, in input order. */
export function emitCombinedTemporalLanesDecay(streams: LaneStreams, r: number = DEFAULT_DECAY): Map<string, Float64Array> {
  checkRate(r);
  const out = new Map(streams);
  for (const id of streams.keys()) {
    if (!isBaseId(id)) continue;
    const s = combineDecay(windowsOf(streams, id), r);
    if (s) out.set(decayId(id), s);
  }
  return out;
}

function checkRate(r: number): void {
  if (typeof r !== 'number' || !(r > 0 && r <= 1)) {
    throw new AsxError('bad_input', `decay must be a number in (0, 1], got ${String(r)}`, { path: 'decay' });
  }
}
