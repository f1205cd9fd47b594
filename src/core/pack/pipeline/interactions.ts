/**
 * Interaction lanes (packs spec "Interaction Matrix 4×4 v1.0", "Upper-triangular only
 * v1.0", "Preset interactions v1.0"; law L-INTERACT). The operator is the spec's:
 * n = min(|Sa|, |Sb|) and S[k] = clamp01(tanh(Sa[k] * Sb[k])), f64, with clamp01 mapping
 * -0 and NaN to +0. Ids are `<a-lane>__x__<b-lane>`; A ⊗ B is not B ⊗ A. A pair whose
 * operand lane is missing is skipped, as in the spec (`if (!Sa) continue`).
 *
 * Generalization: the spec loops over exactly 4 windows. We loop over `windows` (default
 * 4, the pipeline passes its K), so K = 4 gives exactly the spec's 16 / 10 lanes in the
 * spec's row-major order, and other K give K² / K(K+1)/2.
 *
 * tanh is tanh.ts (fdlibm, bit-identical to V8's Math.tanh, fixed on every engine; law
 * L-TANH), not Math.tanh, whose last bit ECMAScript leaves to the engine.
 */
import { tanh } from './tanh.ts';
import { clamp01, DEFAULT_A, DEFAULT_B, requireInt, windowId, X, type LaneStreams } from './streams.ts';
import { presetId } from './presets.ts';
import { DEFAULT_WINDOWS, MAX_WINDOWS } from './temporal.ts';

export function interactionId(a: string, b: string): string {
  return `${a}${X}${b}`;
}

/** The spec's operator on two scalar streams. */
export function interact(sa: Float64Array, sb: Float64Array): Float64Array {
  const n = Math.min(sa.length, sb.length);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = clamp01(tanh(sa[k] * sb[k]));
  return out;
}

function emitPairs(streams: LaneStreams, pairs: ReadonlyArray<readonly [string, string]>): Map<string, Float64Array> {
  const out = new Map(streams);
  for (const [a, b] of pairs) {
    const sa = streams.get(a);
    const sb = streams.get(b);
    if (sa === undefined || sb === undefined) continue;
    out.set(interactionId(a, b), interact(sa, sb));
  }
  return out;
}

/** The 3 canonical preset pairs, in the spec's order (§2 of "Preset interactions v1.0"). */
export function presetInteractionPairs(A: string = DEFAULT_A, B: string = DEFAULT_B): Array<[string, string]> {
  return [
    [presetId(A, 'early'), presetId(B, 'late')],
    [presetId(A, 'mid'), presetId(B, 'mid')],
    [presetId(A, 'late'), presetId(B, 'early')],
  ];
}

/**
 * `A@early ⊗ B@late`, `A@mid ⊗ B@mid`, `A@late ⊗ B@early`. The spec hard-codes
 * policy/attention here; we use the same configurable bases as the matrix.
 */
export function emitPresetInteractions(streams: LaneStreams, A: string = DEFAULT_A, B: string = DEFAULT_B): Map<string, Float64Array> {
  return emitPairs(streams, presetInteractionPairs(A, B));
}

/** Row-major (i, j) window pairs; `upper` keeps j >= i only. */
export function matrixPairs(A: string, B: string, windows: number, upper: boolean): Array<[string, string]> {
  requireInt('windows', windows, 1, MAX_WINDOWS);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < windows; i++) {
    for (let j = upper ? i : 0; j < windows; j++) out.push([windowId(A, i), windowId(B, j)]);
  }
  return out;
}

/** All K×K pairs `A@t<i>__x__B@t<j>`, row-major (spec "Interaction Matrix 4×4" §4). */
export function emitInteractionMatrix4x4(
  streams: LaneStreams, A: string = DEFAULT_A, B: string = DEFAULT_B, windows: number = DEFAULT_WINDOWS,
): Map<string, Float64Array> {
  return emitPairs(streams, matrixPairs(A, B, windows, false));
}

/** Pairs with j >= i, row-major: (0,0)(0,1)(0,2)(0,3)(1,1)…(3,3) for K = 4. */
export function emitInteractionUpperTri10(
  streams: LaneStreams, A: string = DEFAULT_A, B: string = DEFAULT_B, windows: number = DEFAULT_WINDOWS,
): Map<string, Float64Array> {
  return emitPairs(streams, matrixPairs(A, B, windows, true));
}
