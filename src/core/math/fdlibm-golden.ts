/**
 * The cross-engine fingerprint of src/core/math/fdlibm.ts (docs/laws.md MX2LM-MATH): a fixed
 * seeded input list per function and the f64 little-endian bytes of the results. SHA-256 of
 * those bytes is asserted as a literal in fdlibm.test.ts (Node) and recomputed in Chromium by
 * e2e/fdlibm.spec.ts (this module bundled into the page). Pure: no DOM, no Node.
 *
 * Inputs (`goldenInputs(name, n)`): one sfc32 stream `Rng(seed)` (src/core/gccp/random.ts) per
 * function, seed 0x6664 + index in GOLDEN_FUNCTIONS; input i is of kind i mod 4:
 * 0 uniform in the function's narrow range, 1 uniform in its wide range, 2 its edge range
 * (exp/expm1 past overflow/underflow, tanh tiny, log positive bits and subnormals), 3 any 64 bits (two u32: high word, then low
 * word; NaN, ±∞, subnormals, huge). Results: NaN is written as the canonical 0x7ff8000000000000
 * (NaN payloads are not part of any law), every other value as its exact bits.
 */
import { Rng } from '../gccp/random.ts';
import { exp, expm1, log, tanh } from './fdlibm.ts';

export const GOLDEN_FUNCTIONS = ['exp', 'log', 'expm1', 'tanh'] as const;
export type GoldenFunction = (typeof GOLDEN_FUNCTIONS)[number];
export const GOLDEN_COUNT = 100_000;

export const FDLIBM: Record<GoldenFunction, (x: number) => number> = { exp, log, expm1, tanh };

/** [lo, hi) for kinds 0, 1, 2. log's kind 2 is bits instead: u32s h, s, l give high word
 * h & 0x7fffffff — further masked to 0x000fffff (a subnormal or 0) when s is odd — and low word l. */
const RANGES: Record<GoldenFunction, readonly [number, number][]> = {
  exp: [[-2, 2], [-50, 50], [-746, 710]],
  log: [[0.5, 2], [0, 1000], [0, 0]],
  expm1: [[-1, 1], [-50, 50], [-746, 710]],
  tanh: [[-1, 1], [-25, 25], [-1e-8, 1e-8]],
};

export function goldenInputs(name: GoldenFunction, n = GOLDEN_COUNT): Float64Array {
  const r = new Rng(0x6664 + GOLDEN_FUNCTIONS.indexOf(name));
  const out = new Float64Array(n);
  const bits = new DataView(new ArrayBuffer(8));
  const [k0, k1, k2] = RANGES[name];
  for (let i = 0; i < n; i++) {
    switch (i & 3) {
      case 0: out[i] = r.range(k0[0], k0[1]); break;
      case 1: out[i] = r.range(k1[0], k1[1]); break;
      case 2:
        if (name === 'log') { // positive bits, half of them subnormal (no Math.pow: its bits are engine-defined too)
          const hi = r.u32() & 0x7fffffff, sub = r.u32() & 1;
          bits.setUint32(4, sub ? hi & 0x000fffff : hi, true);
          bits.setUint32(0, r.u32(), true);
          out[i] = bits.getFloat64(0, true);
        } else out[i] = r.range(k2[0], k2[1]);
        break;
      default:
        bits.setUint32(4, r.u32(), true);
        bits.setUint32(0, r.u32(), true);
        out[i] = bits.getFloat64(0, true);
    }
  }
  return out;
}

/** f64 little-endian bytes of `fn` over `inputs`, NaN canonical. */
export function resultBytes(fn: (x: number) => number, inputs: Float64Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(8 * inputs.length);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < inputs.length; i++) {
    const y = fn(inputs[i]);
    if (y !== y) { dv.setUint32(8 * i, 0, true); dv.setUint32(8 * i + 4, 0x7ff80000, true); } else dv.setFloat64(8 * i, y, true);
  }
  return out;
}

/** The bytes hashed for the golden fingerprint: `FDLIBM[name]` over `goldenInputs(name)`. */
export function goldenBytes(name: GoldenFunction, n = GOLDEN_COUNT): Uint8Array<ArrayBuffer> {
  return resultBytes(FDLIBM[name], goldenInputs(name, n));
}
