/**
 * The optimizers' exact scalar helpers (docs/laws.md G-OPTIM): both are fixed sequences of
 * IEEE-754 f64 operations, so every JavaScript engine gives the same bits.
 */

const view = new DataView(new ArrayBuffer(8));

/**
 * fma32(a, b, c) = a·b + c rounded once to f32 (round to nearest, ties to even), for f32 values
 * a, b, c: a fused multiply-add, as PyTorch's CPU kernels compute `add(x, y, alpha)` and
 * `addcmul`. a·b is exact in f64 (24 + 24 ≤ 53 bits); the sum is rounded to f64 *to odd*
 * (TwoSum gives its exact error; a non-zero error with an even last bit moves the sum one f64
 * ulp toward the error), and round-to-odd in ≥ 24 + 2 bits followed by rounding to f32 is one
 * correct rounding.
 */
export function fma32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const bb = s - p;
  const err = (p - (s - bb)) + (c - bb);
  if (err === 0 || !Number.isFinite(s)) return Math.fround(s);
  view.setFloat64(0, s, true);
  let lo = view.getUint32(0, true);
  if ((lo & 1) === 0) {
    let hi = view.getUint32(4, true);
    if ((err > 0) === (s > 0)) {
      lo += 1; // away from zero: lo is even, no carry
    } else if (lo === 0) {
      lo = 0xffffffff;
      hi -= 1;
    } else {
      lo -= 1;
    }
    view.setUint32(0, lo, true);
    view.setUint32(4, hi, true);
    return Math.fround(view.getFloat64(0, true));
  }
  return Math.fround(s);
}

/** x^n for an integer n ≥ 0 by binary exponentiation: a fixed sequence of f64 products (never `**`). */
export function powInt(x: number, n: number): number {
  let result = 1;
  let base = x;
  let e = n;
  while (e > 0) {
    if (e % 2 === 1) result *= base;
    e = Math.floor(e / 2);
    if (e > 0) base *= base;
  }
  return result;
}
