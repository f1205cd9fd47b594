/**
 * The §2 binary quantization record (scxq2-kuhul-blueprint §2; docs/laws.md F-QREC): one tensor
 * as bytes, `magic | version | form | rank | shape | [scale] | data | hash_len | hash`, little-endian,
 * with exact f32 and the binary / ternary / int2 / int8 forms. Writer, reader, quantizer and
 * dequantizer live here together.
 *
 *   off 0   magic   "SQ2R" (53 51 32 52)
 *   off 4   u8      version = 1
 *   off 5   u8      form: 0 f32, 1 binary, 2 ternary, 3 int2, 4 int8
 *   off 6   u8      rank r (0..16)
 *   off 7   u8      reserved = 0
 *   off 8   u32 × r shape, row-major (C order), each dim 0..2^32-1
 *           f32     scale (quantized forms only): 0 ≤ scale < 2^100, never -0
 *           data    f32: n × f32 (finite); binary: 1 bit an element; ternary and int2: 2 bits;
 *                   int8: one two's-complement byte (−127..127)
 *           u8      hash_len = 32
 *           32      SHA-256 of every byte before hash_len
 *
 * Bits are packed least significant first: element i of a 1-bit form is bit (i mod 8) of byte
 * ⌊i/8⌋, of a 2-bit form bits 2(i mod 4)..2(i mod 4)+1 of byte ⌊i/4⌋; unused bits of the last
 * byte are 0. Nothing follows the hash. The reader checks every length against the bytes left
 * before it allocates, and refuses anything the writer would not write (one record, one byte
 * string), with an AsxError carrying a stable code and the byte offset.
 */
import { AsxError } from '../errors.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';

export const QREC_MAGIC = Uint8Array.of(0x53, 0x51, 0x32, 0x52); // "SQ2R"
export const QREC_VERSION = 1;
export const QREC_MAX_RANK = 16;
export const QREC_HASH_LEN = 32;
/** Quantized forms take |x| < 2^100 and store scales < 2^100, so code × scale never overflows f32. */
export const QREC_MAX_SCALE = 2 ** 100;

export type QForm = 'f32' | 'binary' | 'ternary' | 'int2' | 'int8';
export const QFORMS: readonly QForm[] = ['f32', 'binary', 'ternary', 'int2', 'int8'];

/** Integer code range of each quantized form (binary codes are −1 and +1, never 0). */
export const QCODE_RANGE: Readonly<Record<Exclude<QForm, 'f32'>, readonly [number, number]>> = {
  binary: [-1, 1], ternary: [-1, 1], int2: [-2, 1], int8: [-127, 127],
};

export type QRecord =
  | { form: 'f32'; shape: readonly number[]; values: Float32Array }
  | { form: Exclude<QForm, 'f32'>; shape: readonly number[]; scale: number; codes: Int8Array };

const BITS: Record<QForm, number> = { f32: 32, binary: 1, ternary: 2, int2: 2, int8: 8 };

/** Bytes the data section of `n` elements takes in `form`. */
export function qDataBytes(form: QForm, n: number): number {
  return form === 'f32' ? n * 4 : form === 'int8' ? n : Math.ceil((n * BITS[form]) / 8);
}

/** Elements of a shape (1 for rank 0). */
export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Round half to even, the one rounding every quantizer here uses. */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

function bad(code: 'bad_qrecord' | 'bad_input', msg: string, offset?: number): AsxError {
  return new AsxError(code, msg, offset === undefined ? {} : { offset });
}

function checkShape(shape: readonly number[], n: number): void {
  if (shape.length > QREC_MAX_RANK) throw bad('bad_input', `rank ${shape.length} exceeds ${QREC_MAX_RANK}`);
  for (const d of shape) if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) throw bad('bad_input', `shape dimension ${d} is not a u32`);
  if (numelOf(shape) !== n) throw bad('bad_input', `shape ${JSON.stringify(shape)} has ${numelOf(shape)} elements, the data ${n}`);
}

/**
 * Quantize f32 values (row-major, finite) into `form`. Scales (all f32):
 *  binary  s = fround(Σ|x| / n) (f64 sum in index order; 0 when n = 0), code +1 iff x ≥ 0 (−0 too);
 *  ternary s = max|x|,                         code = clamp(rhe(x / s), −1, 1);
 *  int2    s = max(max(x, 0), max(−x, 0) / 2),  code = clamp(rhe(x / s), −2, 1);
 *  int8    s = fround(max|x| / 127),            code = clamp(rhe(x / s), −127, 127);
 * with x / s computed in f64 and rhe = round half to even; s = 0 gives code 0 (binary: +1).
 */
export function quantize(values: Float32Array, shape: readonly number[], form: QForm): QRecord {
  checkShape(shape, values.length);
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw bad('bad_input', `element ${i} is ${values[i]}: a record holds finite values only`);
  if (form === 'f32') return { form, shape: [...shape], values: Float32Array.from(values) };
  const n = values.length;
  for (let i = 0; i < n; i++) if (Math.abs(values[i]) >= QREC_MAX_SCALE) throw bad('bad_input', `element ${i} (${values[i]}) is beyond the quantized forms' range |x| < 2^100`);
  const codes = new Int8Array(n);
  let scale: number;
  if (form === 'binary') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.abs(values[i]);
    scale = n === 0 ? 0 : Math.fround(sum / n);
    for (let i = 0; i < n; i++) codes[i] = values[i] >= 0 ? 1 : -1;
    return { form, shape: [...shape], scale, codes };
  }
  let maxPos = 0, maxNeg = 0;
  for (let i = 0; i < n; i++) { const x = values[i]; if (x > maxPos) maxPos = x; if (-x > maxNeg) maxNeg = -x; }
  const [lo, hi] = QCODE_RANGE[form];
  scale = form === 'ternary' ? Math.max(maxPos, maxNeg)
    : form === 'int2' ? Math.fround(Math.max(maxPos, maxNeg / 2))
      : Math.fround(Math.max(maxPos, maxNeg) / 127);
  if (scale > 0) for (let i = 0; i < n; i++) codes[i] = Math.min(hi, Math.max(lo, roundHalfEven(values[i] / scale)));
  return { form, shape: [...shape], scale, codes };
}

/** Values of a record: f32 as stored; quantized: fround(code × scale), a zero always +0. */
export function dequantize(rec: QRecord): Float32Array {
  if (rec.form === 'f32') return Float32Array.from(rec.values);
  const out = new Float32Array(rec.codes.length);
  for (let i = 0; i < out.length; i++) { const v = rec.codes[i] * rec.scale; out[i] = v === 0 ? 0 : v; }
  return out;
}

/** The record's bytes (F-QREC). Refuses what the reader would refuse. */
export function encodeQRecord(rec: QRecord): Uint8Array {
  const n = rec.form === 'f32' ? rec.values.length : rec.codes.length;
  checkShape(rec.shape, n);
  const formIx = QFORMS.indexOf(rec.form);
  if (formIx < 0) throw bad('bad_input', `unknown form ${JSON.stringify(rec.form)}`);
  const head = 8 + 4 * rec.shape.length;
  const scaleBytes = rec.form === 'f32' ? 0 : 4;
  const dataBytes = qDataBytes(rec.form, n);
  const hashAt = head + scaleBytes + dataBytes;
  const out = new Uint8Array(hashAt + 1 + QREC_HASH_LEN);
  const dv = new DataView(out.buffer);
  out.set(QREC_MAGIC, 0);
  out[4] = QREC_VERSION; out[5] = formIx; out[6] = rec.shape.length; out[7] = 0;
  rec.shape.forEach((d, i) => dv.setUint32(8 + 4 * i, d, true));
  let o = head;
  if (rec.form === 'f32') {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(rec.values[i])) throw bad('bad_input', `element ${i} is ${rec.values[i]}`);
      dv.setFloat32(o + 4 * i, rec.values[i], true);
    }
  } else {
    const s = rec.scale;
    if (!Number.isFinite(s) || s < 0 || s >= QREC_MAX_SCALE || Math.fround(s) !== s) throw bad('bad_input', `scale ${s} is not an f32 in [0, 2^100)`);
    dv.setFloat32(o, s === 0 ? 0 : s, true);
    o += 4;
    const [lo, hi] = QCODE_RANGE[rec.form];
    for (let i = 0; i < n; i++) {
      const c = rec.codes[i];
      if (c < lo || c > hi || (rec.form === 'binary' && c === 0)) throw bad('bad_input', `code ${c} at element ${i} is outside ${rec.form}`);
      if (rec.form === 'int8') out[o + i] = c & 0xff;
      else if (rec.form === 'binary') { if (c === 1) out[o + (i >> 3)] |= 1 << (i & 7); }
      else out[o + (i >> 2)] |= (c & 3) << (2 * (i & 3));
    }
  }
  out[hashAt] = QREC_HASH_LEN;
  out.set(sha256(out.subarray(0, hashAt)), hashAt + 1);
  return out;
}

export interface DecodedQRecord {
  record: QRecord;
  /** Lowercase hex of the stored (and checked) SHA-256. */
  hash: string;
}

/** Read a record: bounded, strict, typed errors with byte offsets (F-QREC). */
export function decodeQRecord(bytes: Uint8Array): DecodedQRecord {
  const len = bytes.length;
  for (let i = 0; i < 4 && i < len; i++) if (bytes[i] !== QREC_MAGIC[i]) throw new AsxError('bad_magic', 'not a quantization record (magic "SQ2R")', { offset: i });
  if (len < 8) throw new AsxError('truncated', `record header needs 8 bytes, has ${len}`, { offset: len });
  if (bytes[4] !== QREC_VERSION) throw new AsxError('bad_version', `record version ${bytes[4]} (this reader knows 1)`, { offset: 4 });
  const formIx = bytes[5];
  if (formIx >= QFORMS.length) throw bad('bad_qrecord', `unknown form ${formIx}`, 5);
  const form = QFORMS[formIx];
  const rank = bytes[6];
  if (rank > QREC_MAX_RANK) throw bad('bad_qrecord', `rank ${rank} exceeds ${QREC_MAX_RANK}`, 6);
  if (bytes[7] !== 0) throw bad('bad_qrecord', 'reserved byte must be 0', 7);
  const head = 8 + 4 * rank;
  if (len < head) throw new AsxError('truncated', `shape needs ${4 * rank} bytes`, { offset: len });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, len);
  const shape: number[] = [];
  let zero = false, prod = 1;
  for (let i = 0; i < rank; i++) {
    const d = dv.getUint32(8 + 4 * i, true);
    shape.push(d);
    if (d === 0) zero = true; else prod = Math.min(prod * d, 2 ** 53);
  }
  const n = zero ? 0 : prod;
  const scaleBytes = form === 'f32' ? 0 : 4;
  // Compare against what is left before computing byte counts that could overflow or allocating.
  const left = len - head - scaleBytes - 1 - QREC_HASH_LEN;
  if (left < 0 || n > left * 8 || qDataBytes(form, n) > left) {
    throw new AsxError('truncated', `shape ${JSON.stringify(shape)} of ${form} needs more bytes than the record has`, { offset: len });
  }
  const dataBytes = qDataBytes(form, n);
  const hashAt = head + scaleBytes + dataBytes;
  if (bytes[hashAt] !== QREC_HASH_LEN) throw bad('bad_qrecord', `hash_len ${bytes[hashAt]} (must be 32)`, hashAt);
  const end = hashAt + 1 + QREC_HASH_LEN;
  if (len !== end) throw bad('bad_qrecord', `${len - end} bytes after the hash`, end);
  const want = sha256(bytes.subarray(0, hashAt));
  for (let i = 0; i < QREC_HASH_LEN; i++) {
    if (want[i] !== bytes[hashAt + 1 + i]) throw new AsxError('hash_mismatch', 'the record hash does not match its bytes', { offset: hashAt + 1 });
  }
  const hash = toHex(want);
  let o = head;
  if (form === 'f32') {
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = dv.getFloat32(o + 4 * i, true);
      if (!Number.isFinite(v)) throw bad('bad_qrecord', `element ${i} is ${v}`, o + 4 * i);
      values[i] = v;
    }
    return { record: { form, shape, values }, hash };
  }
  const scale = dv.getFloat32(o, true);
  if (!(scale >= 0 && scale < QREC_MAX_SCALE) || Object.is(scale, -0)) throw bad('bad_qrecord', `scale ${Object.is(scale, -0) ? '-0' : scale} is not in [0, 2^100)`, o);
  o += 4;
  const codes = new Int8Array(n);
  if (form === 'int8') {
    for (let i = 0; i < n; i++) {
      const c = (bytes[o + i] << 24) >> 24;
      if (c === -128) throw bad('bad_qrecord', 'int8 code -128 is outside -127..127', o + i);
      codes[i] = c;
    }
  } else if (form === 'binary') {
    for (let i = 0; i < n; i++) codes[i] = (bytes[o + (i >> 3)] >> (i & 7)) & 1 ? 1 : -1;
    if (n % 8 && bytes[o + dataBytes - 1] >> (n % 8)) throw bad('bad_qrecord', 'padding bits of the last data byte must be 0', o + dataBytes - 1);
  } else {
    for (let i = 0; i < n; i++) {
      const b = (bytes[o + (i >> 2)] >> (2 * (i & 3))) & 3;
      if (form === 'ternary' && b === 2) throw bad('bad_qrecord', `ternary code 0b10 at element ${i}`, o + (i >> 2));
      codes[i] = b >= 2 ? b - 4 : b;
    }
    if (n % 4 && bytes[o + dataBytes - 1] >> (2 * (n % 4))) throw bad('bad_qrecord', 'padding bits of the last data byte must be 0', o + dataBytes - 1);
  }
  return { record: { form, shape, scale, codes }, hash };
}

/** quantize + encode in one call. */
export function encodeTensorRecord(values: Float32Array, shape: readonly number[], form: QForm): Uint8Array {
  return encodeQRecord(quantize(values, shape, form));
}
