/**
 * Quantization of exact inference (docs/laws.md MX2LM-INFER "quantization"): f32 weights and f64
 * activations → int8 codes with one f64 scale per row (weights) or per vector (activations):
 *
 *   scale = max_i |v_i| / 127            (one IEEE division; 0 when every value is 0)
 *   code_i = roundHalfEven(v_i / scale)  (one IEEE division, ties to even; |code| ≤ 127)
 *   value ≈ code · scale
 *
 * Only + − × ÷ and comparisons on doubles, so every JS engine gives the same codes and scales.
 *
 * Pure: no DOM, no Node.
 */

export const INT8_MAX = 127;

/** x rounded to the nearest integer, ties to the even one (exact: only floor, −, and comparisons). */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f; // exact for |x| < 2^52
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

export interface QuantizedRows {
  readonly rows: number;
  readonly cols: number;
  /** rows×cols codes, row-major, each in [−127, 127]. */
  readonly codes: Int8Array;
  /** One scale per row. */
  readonly scales: Float64Array;
}

/** Codes and scale of one vector `v[off … off+n)` into `codes[coff …)`; returns the scale. */
export function quantizeInto(v: ArrayLike<number>, off: number, n: number, codes: Int8Array, coff: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = v[off + i];
    if (!Number.isFinite(a)) throw new RangeError(`quantize: non-finite value ${a} at ${off + i}`);
    const abs = a < 0 ? -a : a;
    if (abs > m) m = abs;
  }
  if (m === 0) { codes.fill(0, coff, coff + n); return 0; }
  const scale = m / INT8_MAX;
  for (let i = 0; i < n; i++) {
    let q = roundHalfEven(v[off + i] / scale);
    if (q > INT8_MAX) q = INT8_MAX; else if (q < -INT8_MAX) q = -INT8_MAX;
    codes[coff + i] = q;
  }
  return scale;
}

/** Per-row int8 quantization of a rows×cols row-major tensor. */
export function quantizeRows(data: ArrayLike<number>, rows: number, cols: number): QuantizedRows {
  if (data.length !== rows * cols) throw new RangeError(`quantizeRows: ${data.length} values for ${rows}×${cols}`);
  const codes = new Int8Array(rows * cols);
  const scales = new Float64Array(rows);
  for (let r = 0; r < rows; r++) scales[r] = quantizeInto(data, r * cols, cols, codes, r * cols);
  return { rows, cols, codes, scales };
}
