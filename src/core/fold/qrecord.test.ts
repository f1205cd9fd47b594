import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AsxError } from '../errors.ts';
import { fromHex, toHex } from '../bytes/hex.ts';
import { sha256 } from '../hash/sha256.ts';
import {
  decodeQRecord, dequantize, encodeQRecord, encodeTensorRecord, numelOf, QCODE_RANGE, QFORMS, quantize, roundHalfEven, type QForm,
} from './qrecord.ts';

// docs/laws.md F-QREC vectors: values [1.5, -0.5, 0, 0.25, -3, 0.75], shape [2, 3].
const V = Float32Array.of(1.5, -0.5, 0, 0.25, -3, 0.75);
const VECTORS: Record<QForm, { hex: string; scale?: number; codes?: number[]; values: number[] }> = {
  f32: {
    hex: '535132520100020002000000030000000000c03f000000bf000000000000803e000040c00000403f20e03f3ca085bcba70a8d8d7d25e4400fc9b20ddeb8667134dd72da791959f3006',
    values: [1.5, -0.5, 0, 0.25, -3, 0.75],
  },
  binary: {
    hex: '535132520101020002000000030000000000803f2d2026479280f908d09b45397f4ce6f32bd6f4c6c48ae05746041663abf7284dd8ed',
    scale: 1, codes: [1, -1, 1, 1, -1, 1], values: [1, -1, 1, 1, -1, 1],
  },
  ternary: {
    hex: '5351325201020200020000000300000000004040000320f0ce21a6de3b9cd65ffe3c58edf14469b3b220e0b65ad4d0f3a14a8febb355c7',
    scale: 3, codes: [0, 0, 0, 0, -1, 0], values: [0, 0, 0, 0, -3, 0],
  },
  int2: {
    hex: '535132520103020002000000030000000000c03f010220c015dda1483263ff26b8ff940a7373bfa875f461c85ababa35641a2ddaa9ebce',
    scale: 1.5, codes: [1, 0, 0, 0, -2, 0], values: [1.5, 0, 0, 0, -3, 0],
  },
  int8: {
    hex: '535132520104020002000000030000000683c13c40eb000b8120204846bcb7ceb103ebe1e9a97b9b2d9ce9228c8a4da8df1f29066d9d75955b3170',
    scale: Math.fround(3 / 127), codes: [64, -21, 0, 11, -127, 32],
    values: [64, -21, 0, 11, -127, 32].map((c) => Math.fround(c * Math.fround(3 / 127))),
  },
};

function codeOf(f: () => unknown): { code: string; offset?: number } {
  try { f(); } catch (e) { if (e instanceof AsxError) return { code: e.code, offset: e.where.offset }; throw e; }
  throw new Error('no error');
}

/** Re-seal a (mutated) record: recompute the hash over everything before hash_len at `hashAt`. */
function reseal(b: Uint8Array, hashAt: number): Uint8Array {
  const c = Uint8Array.from(b);
  c.set(sha256(c.subarray(0, hashAt)), hashAt + 1);
  return c;
}

describe('F-QREC vectors', () => {
  for (const form of QFORMS) {
    it(`${form}: bytes, hash, codes, values`, () => {
      const want = VECTORS[form];
      const bytes = encodeTensorRecord(V, [2, 3], form);
      expect(toHex(bytes)).toBe(want.hex);
      const { record, hash } = decodeQRecord(bytes);
      expect(hash).toBe(toHex(sha256(bytes.subarray(0, bytes.length - 33))));
      expect(hash).toBe(want.hex.slice(-64));
      expect(record.shape).toEqual([2, 3]);
      if (record.form !== 'f32') {
        expect(record.scale).toBe(want.scale);
        expect([...record.codes]).toEqual(want.codes);
      }
      expect([...dequantize(record)]).toEqual(want.values);
    });
  }
  it('rank 0 and zero-size shapes', () => {
    const scalar = encodeTensorRecord(Float32Array.of(2), [], 'int8');
    expect(toHex(scalar.subarray(0, 8))).toBe('5351325201040000');
    expect(decodeQRecord(scalar).record.shape).toEqual([]);
    const empty = encodeTensorRecord(new Float32Array(0), [3, 0], 'binary');
    const r = decodeQRecord(empty).record;
    expect(r.shape).toEqual([3, 0]);
    expect(r.form === 'binary' && r.scale).toBe(0);
    expect(empty.length).toBe(8 + 8 + 4 + 0 + 33);
  });
  it('round half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, -2, 2, 3]);
  });
  it('binary: −0 counts as non-negative; ternary ties go to 0', () => {
    const r = quantize(Float32Array.of(-0, -1), [2], 'binary');
    expect(r.form === 'binary' && [...r.codes]).toEqual([1, -1]);
    const t = quantize(Float32Array.of(2, 1, -1), [3], 'ternary');
    expect(t.form === 'ternary' && [...t.codes]).toEqual([1, 0, 0]);
  });
});

describe('F-QREC reader refuses, with code and offset', () => {
  const good = fromHex(VECTORS.int2.hex)!;
  const hashAt = good.length - 33;
  const cases: Array<[string, Uint8Array, string, number]> = [
    ['magic', Uint8Array.of(0x53, 0x51, 0x33), 'bad_magic', 2],
    ['short header', good.subarray(0, 6), 'truncated', 6],
    ['version', (() => { const b = Uint8Array.from(good); b[4] = 2; return b; })(), 'bad_version', 4],
    ['form', (() => { const b = Uint8Array.from(good); b[5] = 5; return b; })(), 'bad_qrecord', 5],
    ['rank', (() => { const b = Uint8Array.from(good); b[6] = 17; return b; })(), 'bad_qrecord', 6],
    ['reserved', (() => { const b = Uint8Array.from(good); b[7] = 1; return b; })(), 'bad_qrecord', 7],
    ['huge shape', (() => { const b = Uint8Array.from(good); b.set([0xff, 0xff, 0xff, 0xff], 8); return b; })(), 'truncated', good.length],
    ['cut hash', good.subarray(0, good.length - 1), 'truncated', good.length - 1],
    ['trailing', Uint8Array.of(...good, 0), 'bad_qrecord', good.length],
    ['hash_len', (() => { const b = Uint8Array.from(good); b[hashAt] = 31; return b; })(), 'bad_qrecord', hashAt],
    ['hash', (() => { const b = Uint8Array.from(good); b[17] ^= 1; return b; })(), 'hash_mismatch', hashAt + 1],
    ['scale NaN', reseal((() => { const b = Uint8Array.from(good); b.set([0, 0, 0xc0, 0x7f], 16); return b; })(), hashAt), 'bad_qrecord', 16],
    ['scale 2^100', reseal((() => { const b = Uint8Array.from(good); b.set([0, 0, 0x80, 0x71], 16); return b; })(), hashAt), 'bad_qrecord', 16],
    ['scale -0', reseal((() => { const b = Uint8Array.from(good); b.set([0, 0, 0, 0x80], 16); return b; })(), hashAt), 'bad_qrecord', 16],
    ['padding', reseal((() => { const b = Uint8Array.from(good); b[21] |= 0x10; return b; })(), hashAt), 'bad_qrecord', 21],
  ];
  for (const [name, bytes, code, offset] of cases) {
    it(name, () => expect(codeOf(() => decodeQRecord(bytes))).toEqual({ code, offset }));
  }
  it('ternary 0b10 and int8 -128 are refused', () => {
    const t = fromHex(VECTORS.ternary.hex)!;
    const tb = Uint8Array.from(t); tb[20] = 0x02;
    expect(codeOf(() => decodeQRecord(reseal(tb, t.length - 33)))).toEqual({ code: 'bad_qrecord', offset: 20 });
    const i8 = fromHex(VECTORS.int8.hex)!;
    const ib = Uint8Array.from(i8); ib[22] = 0x80;
    expect(codeOf(() => decodeQRecord(reseal(ib, i8.length - 33)))).toEqual({ code: 'bad_qrecord', offset: 22 });
  });
  it('f32 NaN and Inf are refused at the element', () => {
    const f = fromHex(VECTORS.f32.hex)!;
    const b = Uint8Array.from(f); b.set([0, 0, 0x80, 0x7f], 20);
    expect(codeOf(() => decodeQRecord(reseal(b, f.length - 33)))).toEqual({ code: 'bad_qrecord', offset: 20 });
  });
  it('the writer refuses non-finite values, bad shapes, codes and scales', () => {
    expect(codeOf(() => quantize(Float32Array.of(NaN), [1], 'int8')).code).toBe('bad_input');
    expect(codeOf(() => quantize(Float32Array.of(1, 2), [3], 'int8')).code).toBe('bad_input');
    expect(codeOf(() => quantize(Float32Array.of(2 ** 100), [1], 'int8')).code).toBe('bad_input');
    expect(quantize(Float32Array.of(2 ** 100), [1], 'f32').form).toBe('f32');
    expect(codeOf(() => encodeQRecord({ form: 'int8', shape: [1], scale: 1, codes: Int8Array.of(-128) })).code).toBe('bad_input');
    expect(codeOf(() => encodeQRecord({ form: 'binary', shape: [1], scale: 1, codes: Int8Array.of(0) })).code).toBe('bad_input');
    expect(codeOf(() => encodeQRecord({ form: 'int2', shape: [1], scale: 0.1, codes: Int8Array.of(0) })).code).toBe('bad_input');
  });
});

const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 });
// Quantized forms take |x| < 2^100; f32 takes every finite value.
const tensorArb = shapeArb.chain((shape) => fc.constantFrom(...QFORMS).chain((form) => fc.tuple(
  fc.constant(shape),
  fc.array(form === 'f32' ? fc.float({ noNaN: true, noDefaultInfinity: true }) : fc.float({ noNaN: true, min: -(2 ** 99), max: 2 ** 99 }), { minLength: numelOf(shape), maxLength: numelOf(shape) }),
  fc.constant(form),
)));

describe('F-QREC properties', () => {
  it('decode ∘ encode is the identity on records; encode is deterministic', () => {
    fc.assert(fc.property(tensorArb, ([shape, xs, form]) => {
      const rec = quantize(Float32Array.from(xs), shape, form);
      const bytes = encodeQRecord(rec);
      expect(encodeQRecord(rec)).toEqual(bytes);
      const back = decodeQRecord(bytes).record;
      expect(back.form).toBe(form);
      expect(back.shape).toEqual(shape);
      expect(encodeQRecord(back)).toEqual(bytes);
      expect(dequantize(back)).toEqual(dequantize(rec));
    }), { numRuns: 300 });
  });
  it('f32 is exact (bits preserved, −0 included); codes in range; error bounded by the scale', () => {
    fc.assert(fc.property(tensorArb, ([shape, xs, form]) => {
      const v = Float32Array.from(xs);
      const rec = quantize(v, shape, form);
      const d = dequantize(decodeQRecord(encodeQRecord(rec)).record);
      if (rec.form === 'f32') { expect(new Uint8Array(d.buffer)).toEqual(new Uint8Array(v.buffer)); return; }
      const [lo, hi] = QCODE_RANGE[rec.form];
      for (const c of rec.codes) { expect(c).toBeGreaterThanOrEqual(lo); expect(c).toBeLessThanOrEqual(hi); }
      if (rec.form === 'binary') return;
      // ternary, int2, int8: no clipping by construction, so each value is within s/2 (plus f32
      // rounding, and 127 subnormal steps where max|x| / 127 underflows to a zero scale).
      for (let i = 0; i < v.length; i++) expect(Math.abs(d[i] - v[i])).toBeLessThanOrEqual(rec.scale / 2 + Math.abs(v[i]) * 2 ** -22 + 128 * 2 ** -149);
    }), { numRuns: 300 });
  });
  it('flipping any bit of a record is detected', () => {
    fc.assert(fc.property(tensorArb, fc.nat(), fc.integer({ min: 0, max: 7 }), ([shape, xs, form], at, bit) => {
      const bytes = encodeTensorRecord(Float32Array.from(xs), shape, form);
      const b = Uint8Array.from(bytes);
      b[at % b.length] ^= 1 << bit;
      expect(() => decodeQRecord(b)).toThrow(AsxError);
    }), { numRuns: 300 });
  });
  it('the hash is SHA-256 of the bytes before hash_len', () => {
    fc.assert(fc.property(tensorArb, ([shape, xs, form]) => {
      const bytes = encodeTensorRecord(Float32Array.from(xs), shape, form);
      expect(bytes[bytes.length - 33]).toBe(32);
      expect(decodeQRecord(bytes).hash).toBe(toHex(sha256(bytes.subarray(0, bytes.length - 33))));
    }), { numRuns: 100 });
  });
});

