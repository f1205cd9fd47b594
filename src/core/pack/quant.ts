/**
 * Int16 quantization (packs spec "SCXQ2 binary packing v1.0" §1.2, "Class-Aware
 * Quantization Scaling v1.0" §0, DESIGN addendum 7).
 *
 *   encode: i16 = roundHalfAwayFromZero(clamp(w · s, −1, +1) · 32767)
 *   decode: w   = i16 / (32767 · s)
 *
 * `s` is the float32 value stored in QSCALE (or 1 without QSCALE), widened to f64, so the
 * encoder and the decoder use one number.
 */
import { Q } from './layout.ts';

/**
 * Exact half-away-from-zero rounding. The spec's `Math.floor(x + 0.5)` is wrong for
 * 0.49999999999999994 (x + 0.5 rounds up to 1 in f64); splitting off the integer part is
 * exact for every |x| < 2^52 (laws.md L-ROUND).
 */
export function roundHalfAwayFromZero(x: number): number {
  const t = Math.trunc(x);
  const frac = x - t; // exact: t and x share exponent range, Sterbenz
  if (frac >= 0.5) return t + 1;
  if (frac <= -0.5) return t - 1;
  return t === 0 ? 0 : t; // never -0
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export function quantizeValue(w: number, s: number): number {
  return roundHalfAwayFromZero(clamp(w * s, -1, 1) * Q);
}

export function quantizeLane(W: ArrayLike<number>, s: number): Int16Array {
  const out = new Int16Array(W.length);
  for (let i = 0; i < W.length; i++) out[i] = quantizeValue(W[i], s);
  return out;
}

export function dequantizeLane(q: ArrayLike<number>, s: number): Float64Array {
  const out = new Float64Array(q.length);
  const d = Q * s;
  for (let i = 0; i < q.length; i++) out[i] = q[i] / d;
  return out;
}

/** Round an f64 to the nearest float32 and back: what QSCALE stores. */
export function f32(x: number): number {
  return Math.fround(x);
}

/** Shortest decimal that reads back as the same float32 (for manifests and JSON). */
export function f32ToShortest(x: number): number {
  const v = Math.fround(x);
  if (!Number.isFinite(v) || v === 0) return v === 0 ? 0 : v;
  for (let p = 1; p <= 9; p++) {
    const c = Number(v.toPrecision(p));
    if (Math.fround(c) === v) return c;
  }
  return v;
}
