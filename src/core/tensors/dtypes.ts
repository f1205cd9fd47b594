/**
 * Every safetensors dtype decoded for viewing (docs/laws.md L-SAFETENSORS): little-endian
 * bytes → f64 numbers, exactly where f64 can hold the value.
 *
 *   F64 F32 F16 BF16          IEEE / bfloat16, exact (f64 holds every value of each)
 *   F8_E5M2                   1-5-2, bias 15, IEEE-like: e=31 m=0 ±Inf, e=31 m≠0 NaN; max 0x7b = 57344
 *   F8_E4M3                   the FN variant (OCP "E4M3FN", torch.float8_e4m3fn): 1-4-3, bias 7,
 *                             no infinities, only S.1111.111 (0x7f, 0xff) is NaN; max 0x7e = 448,
 *                             smallest subnormal 0x01 = 2^-9
 *   F8_E4M3FNUZ               1-4-3, bias 8, no infinities, no -0: 0x80 is the only NaN; max 0x7f = 240,
 *                             0x01 = 2^-10
 *   F8_E5M2FNUZ               1-5-2, bias 16, no infinities, no -0: 0x80 is the only NaN; max 0x7f = 57344,
 *                             0x01 = 2^-17
 *   F8_E8M0                   the OCP MX scale (E8M0FNU): 2^(e − 127), unsigned, no zero, 0xff NaN;
 *                             0x7f = 1, 0x00 = 2^-127
 *                             (every F8 table equals ml_dtypes' over all 256 bytes: f8-tables.json)
 *   I8 U8 I16 U16 I32 U32     exact
 *   I64 U64                   f64 nearest (round to nearest even) — exact iff |v| ≤ 2^53; the
 *                             viewing form counts the elements beyond (`unsafe`) and keeps exact
 *                             min/max as BigInt; `decodeBigInts` gives every value exactly
 *   BOOL                      0 → 0, any other byte → 1 (numpy/torch read a non-zero byte as true)
 *   F4                        OCP MX FP4 (E2M1): 1-2-1, bias 1, no Inf/NaN; ±{0, ½, 1, 1½, 2, 3, 4, 6}.
 *                             Two a byte, element 2k in the low nibble of byte k (torch's
 *                             float4_e2m1fn_x2 packing)
 *   F6_E2M3                   OCP MX FP6: 1-2-3, bias 1, no Inf/NaN; max 7.5, 0x01 = 1/8
 *   F6_E3M2                   OCP MX FP6: 1-3-2, bias 3, no Inf/NaN; max 28, 0x01 = 1/16
 *                             F6: four in 3 bytes, little-endian bit order: element 4k + j is
 *                             bits 6j..6j+5 of the 24-bit little-endian word of bytes 3k..3k+2
 *                             (the format names no packing; this is the natural LE bit stream)
 *                             (the F4/F6 tables equal ml_dtypes 0.6.0's float4_e2m1fn,
 *                             float6_e2m3fn, float6_e3m2fn: dtypes.test.ts)
 *   C64                       complex: two F32 (real, imaginary); the viewing value is the
 *                             modulus |z| = hypot(re, im); `decodeComplex` gives both parts
 */
import type { Dtype } from './safetensors.ts';

export const FLOAT_DTYPES: ReadonlySet<string> = new Set(['F64', 'F32', 'F16', 'BF16', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F8_E4M3FNUZ', 'F8_E5M2FNUZ', 'F4', 'F6_E2M3', 'F6_E3M2']);

/** IEEE 754 binary16 → number (exact). */
export function f16ToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1024 + m) * 2 ** (e - 25);
}

/** F8_E5M2 → number (exact). */
export function f8e5m2ToNumber(b: number): number {
  const s = b & 0x80 ? -1 : 1;
  const e = (b >> 2) & 0x1f;
  const m = b & 3;
  if (e === 0) return s * m * 2 ** -16;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (4 + m) * 2 ** (e - 17);
}

/** F8_E4M3 (FN: no infinities; 0x7f and 0xff are NaN) → number (exact). */
export function f8e4m3ToNumber(b: number): number {
  const s = b & 0x80 ? -1 : 1;
  const e = (b >> 3) & 0xf;
  const m = b & 7;
  if (e === 15 && m === 7) return NaN;
  if (e === 0) return s * m * 2 ** -9;
  return s * (8 + m) * 2 ** (e - 10);
}

/** F8_E4M3FNUZ → number (exact; 0x80 is NaN). */
export function f8e4m3fnuzToNumber(b: number): number {
  if (b === 0x80) return NaN;
  const s = b & 0x80 ? -1 : 1;
  const e = (b >> 3) & 0xf;
  const m = b & 7;
  if (e === 0) return s * m * 2 ** -10;
  return s * (8 + m) * 2 ** (e - 11);
}

/** F8_E5M2FNUZ → number (exact; 0x80 is NaN). */
export function f8e5m2fnuzToNumber(b: number): number {
  if (b === 0x80) return NaN;
  const s = b & 0x80 ? -1 : 1;
  const e = (b >> 2) & 0x1f;
  const m = b & 3;
  if (e === 0) return s * m * 2 ** -17;
  return s * (4 + m) * 2 ** (e - 18);
}

/** F8_E8M0 (E8M0FNU) → number: 2^(b − 127), 0xff NaN. */
export function f8e8m0ToNumber(b: number): number {
  return b === 0xff ? NaN : 2 ** (b - 127);
}

/**
 * A small float with `e` exponent and `m` mantissa bits (sign on top), bias 2^(e−1) − 1, no
 * infinities or NaN (the OCP MX FP4/FP6 element formats) → number (exact).
 */
function mxToNumber(b: number, e: number, m: number): number {
  const s = b & (1 << (e + m)) ? -1 : 1;
  const ex = (b >> m) & ((1 << e) - 1);
  const mant = b & ((1 << m) - 1);
  const bias = (1 << (e - 1)) - 1;
  if (ex === 0) return s * mant * 2 ** (1 - bias - m);
  return s * ((1 << m) + mant) * 2 ** (ex - bias - m);
}

/** F4 (E2M1) nibble → number. */
export const f4ToNumber = (b: number): number => mxToNumber(b & 0xf, 2, 1);
/** F6_E2M3 → number. */
export const f6e2m3ToNumber = (b: number): number => mxToNumber(b & 0x3f, 2, 3);
/** F6_E3M2 → number. */
export const f6e3m2ToNumber = (b: number): number => mxToNumber(b & 0x3f, 3, 2);

const F4 = Float64Array.from({ length: 16 }, (_, b) => f4ToNumber(b));
const F6E2M3 = Float64Array.from({ length: 64 }, (_, b) => f6e2m3ToNumber(b));
const F6E3M2 = Float64Array.from({ length: 64 }, (_, b) => f6e3m2ToNumber(b));

function decodeF6(bytes: Uint8Array, out: Float64Array, table: Float64Array): number {
  const groups = Math.floor(bytes.length / 3);
  for (let g = 0; g < groups; g++) {
    const w = bytes[3 * g] | (bytes[3 * g + 1] << 8) | (bytes[3 * g + 2] << 16);
    out[4 * g] = table[w & 63];
    out[4 * g + 1] = table[(w >> 6) & 63];
    out[4 * g + 2] = table[(w >> 12) & 63];
    out[4 * g + 3] = table[(w >> 18) & 63];
  }
  return 4 * groups;
}

/** C64 bytes → real and imaginary parts (exact). */
export function decodeComplex(bytes: Uint8Array): { re: Float64Array; im: Float64Array } {
  const n = bytes.length >>> 3;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) { re[i] = dv.getFloat32(8 * i, true); im[i] = dv.getFloat32(8 * i + 4, true); }
  return { re, im };
}

let f16Table: Float64Array | null = null;
const E5M2 = Float64Array.from({ length: 256 }, (_, b) => f8e5m2ToNumber(b));
const E4M3 = Float64Array.from({ length: 256 }, (_, b) => f8e4m3ToNumber(b));
const E4M3FNUZ = Float64Array.from({ length: 256 }, (_, b) => f8e4m3fnuzToNumber(b));
const E5M2FNUZ = Float64Array.from({ length: 256 }, (_, b) => f8e5m2fnuzToNumber(b));
const E8M0 = Float64Array.from({ length: 256 }, (_, b) => f8e8m0ToNumber(b));

function f16Lut(): Float64Array {
  if (!f16Table) f16Table = Float64Array.from({ length: 65536 }, (_, h) => f16ToNumber(h));
  return f16Table;
}

const TWO53 = 2n ** 53n;

/** Summary the decoder keeps for 64-bit integer tensors (exact). */
export interface BigIntExtent { min: bigint | null; max: bigint | null; unsafe: number }

/**
 * Decode `bytes` (a whole number of elements of `dtype`) into `out` (length ≥ elements),
 * returning the element count. For I64/U64, `extent` (when given) is updated with the exact
 * min/max and the count of elements beyond ±2^53.
 */
export function decodeInto(bytes: Uint8Array, dtype: Dtype, out: Float64Array, extent?: BigIntExtent): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F64': { const n = bytes.length >>> 3; for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, true); return n; }
    case 'F32': { const n = bytes.length >>> 2; for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, true); return n; }
    case 'F16': { const t = f16Lut(); const n = bytes.length >>> 1; for (let i = 0; i < n; i++) out[i] = t[bytes[2 * i] | (bytes[2 * i + 1] << 8)]; return n; }
    case 'BF16': {
      const n = bytes.length >>> 1;
      // The upper halves of float32s: widen through a Uint32Array over a Float32Array.
      const u32 = new Uint32Array(n);
      for (let i = 0; i < n; i++) u32[i] = (bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16;
      const f32 = new Float32Array(u32.buffer);
      for (let i = 0; i < n; i++) out[i] = f32[i];
      return n;
    }
    case 'F8_E5M2': { const n = bytes.length; for (let i = 0; i < n; i++) out[i] = E5M2[bytes[i]]; return n; }
    case 'F8_E4M3': { const n = bytes.length; for (let i = 0; i < n; i++) out[i] = E4M3[bytes[i]]; return n; }
    case 'F8_E4M3FNUZ': { const n = bytes.length; for (let i = 0; i < n; i++) out[i] = E4M3FNUZ[bytes[i]]; return n; }
    case 'F8_E5M2FNUZ': { const n = bytes.length; for (let i = 0; i < n; i++) out[i] = E5M2FNUZ[bytes[i]]; return n; }
    case 'F8_E8M0': { const n = bytes.length; for (let i = 0; i < n; i++) out[i] = E8M0[bytes[i]]; return n; }
    case 'F4': { const n = bytes.length; for (let i = 0; i < n; i++) { out[2 * i] = F4[bytes[i] & 0xf]; out[2 * i + 1] = F4[bytes[i] >> 4]; } return 2 * n; }
    case 'F6_E2M3': return decodeF6(bytes, out, F6E2M3);
    case 'F6_E3M2': return decodeF6(bytes, out, F6E3M2);
    case 'C64': { const n = bytes.length >>> 3; for (let i = 0; i < n; i++) out[i] = Math.hypot(dv.getFloat32(8 * i, true), dv.getFloat32(8 * i + 4, true)); return n; }
    case 'I8': { const n = bytes.length; for (let i = 0; i < n; i++) out[i] = (bytes[i] << 24) >> 24; return n; }
    case 'U8': { const n = bytes.length; for (let i = 0; i < n; i++) out[i] = bytes[i]; return n; }
    case 'BOOL': { const n = bytes.length; for (let i = 0; i < n; i++) out[i] = bytes[i] ? 1 : 0; return n; }
    case 'I16': { const n = bytes.length >>> 1; for (let i = 0; i < n; i++) out[i] = dv.getInt16(2 * i, true); return n; }
    case 'U16': { const n = bytes.length >>> 1; for (let i = 0; i < n; i++) out[i] = dv.getUint16(2 * i, true); return n; }
    case 'I32': { const n = bytes.length >>> 2; for (let i = 0; i < n; i++) out[i] = dv.getInt32(4 * i, true); return n; }
    case 'U32': { const n = bytes.length >>> 2; for (let i = 0; i < n; i++) out[i] = dv.getUint32(4 * i, true); return n; }
    case 'I64':
    case 'U64': {
      const n = bytes.length >>> 3;
      const signed = dtype === 'I64';
      for (let i = 0; i < n; i++) {
        const lo = dv.getUint32(8 * i, true);
        const hi = signed ? dv.getInt32(8 * i + 4, true) : dv.getUint32(8 * i + 4, true);
        // |hi| < 2^21 means |v| < 2^53: exact as a number without a BigInt.
        if (hi >= -0x200000 && hi < 0x200000) {
          out[i] = hi * 4294967296 + lo;
          if (extent) noteBig(extent, BigInt(out[i]), false);
        } else {
          const v = signed ? dv.getBigInt64(8 * i, true) : dv.getBigUint64(8 * i, true);
          out[i] = Number(v);
          if (extent) noteBig(extent, v, v > TWO53 || v < -TWO53);
        }
      }
      return n;
    }
  }
}

function noteBig(x: BigIntExtent, v: bigint, unsafe: boolean): void {
  if (x.min === null || v < x.min) x.min = v;
  if (x.max === null || v > x.max) x.max = v;
  if (unsafe) x.unsafe++;
}

/** Whole tensor bytes → f64 viewing form (a new array). */
export function decodeView(bytes: Uint8Array, dtype: Dtype): Float64Array {
  const size = DTYPE_SIZE[dtype];
  // Whole groups only: 2 F4 elements a byte, 4 F6 elements in 3 bytes, else one element.
  const [ge, gb] = size === 0.5 ? [2, 1] : size === 0.75 ? [4, 3] : [1, size];
  const groups = Math.floor(bytes.length / gb);
  const out = new Float64Array(groups * ge);
  decodeInto(bytes.subarray(0, groups * gb), dtype, out);
  return out;
}

/** I64/U64 bytes → exact BigInt64Array/BigUint64Array (copied, so any alignment works). */
export function decodeBigInts(bytes: Uint8Array, dtype: 'I64' | 'U64'): BigInt64Array | BigUint64Array {
  const n = bytes.length >>> 3;
  const copy = bytes.slice(0, 8 * n);
  // Typed arrays use the platform's byte order; every platform the workbench runs on is little-endian,
  // but check rather than assume.
  if (!LITTLE_ENDIAN) {
    const dv = new DataView(copy.buffer);
    const out = dtype === 'I64' ? new BigInt64Array(n) : new BigUint64Array(n);
    for (let i = 0; i < n; i++) out[i] = (dtype === 'I64' ? dv.getBigInt64(8 * i, true) : dv.getBigUint64(8 * i, true)) as never;
    return out;
  }
  return dtype === 'I64' ? new BigInt64Array(copy.buffer) : new BigUint64Array(copy.buffer);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const DTYPE_SIZE: Record<Dtype, number> = {
  BOOL: 1, F4: 0.5, F6_E2M3: 0.75, F6_E3M2: 0.75, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1, F8_E4M3FNUZ: 1, F8_E5M2FNUZ: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, C64: 8, I64: 8, U64: 8, F64: 8,
};
