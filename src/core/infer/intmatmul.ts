/**
 * The integer matrix product of exact inference (docs/laws.md MX2LM-INFER "arithmetic"): the
 * only step a backend other than the JS core may compute. Every product is int8 × int8 (codes
 * in [−127, 127]) accumulated in integers, so its value is exact in any order, on any backend,
 * as long as |Σ| < 2³¹: with codes bounded by 127 that holds for every cols ≤ INT8_DOT_MAX_COLS
 * (133,144 · 127² = 2,147,479,576 < 2³¹ = 2,147,483,648). Brown: cols 96 (hidden) and 128 (out),
 * |Σ| ≤ 2,064,512; the demo: 16.
 *
 * A backend (the CPU below, a WebGPU kernel, a worker) implements `IntMatmul`; the engine hands
 * it read-only inputs and uses nothing but the returned integers.
 *
 * Pure: no DOM, no Node.
 */

/** An exact int8 matrix product: out[b·rows + r] = Σ_c a[r·cols + c] · x[b·cols + c], as int32. */
export interface IntMatmul {
  /** A short name for traces and benches ("cpu", "webgpu", …). */
  readonly name?: string;
  matmul(a: Int8Array /* rows×cols, row-major */, rows: number, cols: number, x: Int8Array /* batch×cols */, batch: number): Promise<Int32Array> /* batch×rows */;
}

/** Largest `cols` for which every int8 dot product (codes in [−127, 127]) fits in int32. */
export const INT8_DOT_MAX_COLS = Math.floor((2 ** 31 - 1) / (127 * 127));

/** Throws unless the shapes agree and the dot products cannot overflow int32. */
export function checkMatmulArgs(a: Int8Array, rows: number, cols: number, x: Int8Array, batch: number): void {
  for (const [k, v] of [['rows', rows], ['cols', cols], ['batch', batch]] as const) if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`IntMatmul: ${k} must be a positive integer, got ${v}`);
  if (cols > INT8_DOT_MAX_COLS) throw new RangeError(`IntMatmul: cols ${cols} > ${INT8_DOT_MAX_COLS}: an int8 dot product could leave int32`);
  if (a.length !== rows * cols) throw new RangeError(`IntMatmul: a has ${a.length} codes, rows×cols = ${rows * cols}`);
  if (x.length !== batch * cols) throw new RangeError(`IntMatmul: x has ${x.length} codes, batch×cols = ${batch * cols}`);
}

/** The reference backend: plain JS integers (exact: every partial sum is an integer below 2³¹). */
export const cpuIntMatmul: IntMatmul = {
  name: 'cpu',
  async matmul(a, rows, cols, x, batch) {
    checkMatmulArgs(a, rows, cols, x, batch);
    const out = new Int32Array(batch * rows);
    for (let b = 0; b < batch; b++) {
      const xo = b * cols;
      for (let r = 0; r < rows; r++) {
        const ao = r * cols;
        let s = 0;
        for (let c = 0; c < cols; c++) s += a[ao + c] * x[xo + c];
        out[b * rows + r] = s;
      }
    }
    return out;
  },
};
