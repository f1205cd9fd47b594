import { describe, expect, it } from 'vitest';
import { bytesSource } from '../bytes/source.ts';
import { decodeBigInts, decodeComplex, decodeInto, decodeView, f4ToNumber, f6e2m3ToNumber, f6e3m2ToNumber, f8e4m3fnuzToNumber, f8e4m3ToNumber, f8e5m2fnuzToNumber, f8e5m2ToNumber, f8e8m0ToNumber, type BigIntExtent } from './dtypes.ts';
import tables from './f8-tables.json';
import mx from './mx-tables.json';
import { encodeSafetensors, openSafetensors, type Dtype } from './safetensors.ts';

const le = (...b: number[]) => Uint8Array.from(b);
const view = (dtype: Dtype, ...b: number[]) => [...decodeView(le(...b), dtype)];

describe('dtype decoding for viewing (L-SAFETENSORS), exact bit-pattern vectors', () => {
  it('F8_E4M3 (FN): no infinities, 0x7f/0xff NaN, max 448, subnormals down to 2^-9', () => {
    expect(f8e4m3ToNumber(0x7e)).toBe(448);
    expect(f8e4m3ToNumber(0xfe)).toBe(-448);
    expect(f8e4m3ToNumber(0x01)).toBe(2 ** -9);
    expect(f8e4m3ToNumber(0x07)).toBe(7 * 2 ** -9);
    expect(f8e4m3ToNumber(0x08)).toBe(2 ** -6); // smallest normal
    expect(f8e4m3ToNumber(0x38)).toBe(1);
    expect(f8e4m3ToNumber(0x40)).toBe(2);
    expect(f8e4m3ToNumber(0x3c)).toBe(1.5);
    expect(f8e4m3ToNumber(0x78)).toBe(256); // exponent 15 is normal in FN
    expect(Number.isNaN(f8e4m3ToNumber(0x7f))).toBe(true);
    expect(Number.isNaN(f8e4m3ToNumber(0xff))).toBe(true);
    expect(Object.is(f8e4m3ToNumber(0x80), -0)).toBe(true);
    let nans = 0, infs = 0;
    for (let b = 0; b < 256; b++) { const v = f8e4m3ToNumber(b); if (Number.isNaN(v)) nans++; else if (!Number.isFinite(v)) infs++; }
    expect([nans, infs]).toEqual([2, 0]);
    expect(view('F8_E4M3', 0x7e, 0x01, 0xb8)).toEqual([448, 2 ** -9, -1]);
  });

  it('F8_E5M2: IEEE-like, max 57344, ±Inf at 0x7c/0xfc, NaN above, subnormals down to 2^-16', () => {
    expect(f8e5m2ToNumber(0x7b)).toBe(57344);
    expect(f8e5m2ToNumber(0x7c)).toBe(Infinity);
    expect(f8e5m2ToNumber(0xfc)).toBe(-Infinity);
    for (const b of [0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff]) expect(Number.isNaN(f8e5m2ToNumber(b))).toBe(true);
    expect(f8e5m2ToNumber(0x01)).toBe(2 ** -16);
    expect(f8e5m2ToNumber(0x04)).toBe(2 ** -14);
    expect(f8e5m2ToNumber(0x3c)).toBe(1);
    expect(f8e5m2ToNumber(0xc0)).toBe(-2);
    expect(f8e5m2ToNumber(0x3e)).toBe(1.5);
    expect(view('F8_E5M2', 0x7b, 0x01, 0x3c)).toEqual([57344, 2 ** -16, 1]);
  });

  it('FNUZ variants and E8M0: vectors', () => {
    expect([f8e4m3fnuzToNumber(0x7f), f8e4m3fnuzToNumber(0x01), f8e4m3fnuzToNumber(0x40), f8e4m3fnuzToNumber(0xff)]).toEqual([240, 2 ** -10, 1, -240]);
    expect(Number.isNaN(f8e4m3fnuzToNumber(0x80))).toBe(true);
    expect([f8e5m2fnuzToNumber(0x7f), f8e5m2fnuzToNumber(0x01), f8e5m2fnuzToNumber(0x40), f8e5m2fnuzToNumber(0x7c)]).toEqual([57344, 2 ** -17, 1, 32768]);
    expect(Number.isNaN(f8e5m2fnuzToNumber(0x80))).toBe(true);
    expect([f8e8m0ToNumber(0x7f), f8e8m0ToNumber(0x00), f8e8m0ToNumber(0x80), f8e8m0ToNumber(0xfe)]).toEqual([1, 2 ** -127, 2, 2 ** 127]);
    expect(Number.isNaN(f8e8m0ToNumber(0xff))).toBe(true);
  });

  it('every byte of every F8 format equals ml_dtypes (f8-tables.json)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const dtype of ['F8_E4M3', 'F8_E5M2', 'F8_E4M3FNUZ', 'F8_E5M2FNUZ', 'F8_E8M0'] as const) {
      const want = (tables as unknown as Record<string, Array<number | string | null>>)[dtype].map((x) => (x === null ? NaN : typeof x === 'string' ? Number(x) : x));
      const got = [...decodeView(all, dtype)];
      for (let b = 0; b < 256; b++) expect(Object.is(got[b], want[b]), `${dtype} 0x${b.toString(16)}: ${got[b]} vs ${want[b]}`).toBe(true);
    }
  });

  it('F16, BF16, F32, F64', () => {
    expect(view('F16', 0x00, 0x3c, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c)).toEqual([1, 65504, 2 ** -24, Infinity]);
    expect(view('BF16', 0x80, 0x3f, 0x49, 0x40, 0x80, 0xff)).toEqual([1, 3.140625, -Infinity]);
    expect(view('F32', 0x00, 0x00, 0x80, 0x3f, 0x01, 0x00, 0x00, 0x00)).toEqual([1, 2 ** -149]);
    expect(view('F64', 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0x7f)).toEqual([1, Number.MAX_VALUE]);
  });

  it('integers and BOOL, little-endian, signed two\'s complement', () => {
    expect(view('I8', 0x7f, 0x80, 0xff)).toEqual([127, -128, -1]);
    expect(view('U8', 0x7f, 0x80, 0xff)).toEqual([127, 128, 255]);
    expect(view('I16', 0xff, 0x7f, 0x00, 0x80, 0xfe, 0xff)).toEqual([32767, -32768, -2]);
    expect(view('U16', 0x34, 0x12, 0xff, 0xff)).toEqual([0x1234, 65535]);
    expect(view('I32', 0x00, 0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0x7f)).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    expect(view('U32', 0xff, 0xff, 0xff, 0xff, 0x78, 0x56, 0x34, 0x12)).toEqual([2 ** 32 - 1, 0x12345678]);
    expect(view('BOOL', 0, 1, 2, 0xff)).toEqual([0, 1, 1, 1]);
  });

  it('I64/U64: exact up to 2^53, nearest beyond, with exact extremes and an unsafe count', () => {
    const dv = new DataView(new ArrayBuffer(8 * 5));
    const vals = [-1n, 2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n)];
    vals.forEach((v, i) => dv.setBigInt64(8 * i, v, true));
    const bytes = new Uint8Array(dv.buffer);
    const out = new Float64Array(5);
    const ext: BigIntExtent = { min: null, max: null, unsafe: 0 };
    expect(decodeInto(bytes, 'I64', out, ext)).toBe(5);
    expect([...out]).toEqual([-1, 2 ** 53, -(2 ** 53), 2 ** 63, -(2 ** 63)]);
    expect(ext).toEqual({ min: -(2n ** 63n), max: 2n ** 63n - 1n, unsafe: 2 });
    expect([...decodeBigInts(bytes, 'I64')]).toEqual(vals);
    const u = new DataView(new ArrayBuffer(16));
    u.setBigUint64(0, 2n ** 64n - 1n, true);
    u.setBigUint64(8, 2n ** 53n + 1n, true);
    const ub = new Uint8Array(u.buffer);
    const ue: BigIntExtent = { min: null, max: null, unsafe: 0 };
    decodeInto(ub, 'U64', new Float64Array(2), ue);
    expect(ue).toEqual({ min: 2n ** 53n + 1n, max: 2n ** 64n - 1n, unsafe: 2 });
    expect([...decodeView(ub, 'U64')]).toEqual([2 ** 64, 2 ** 53]); // 2^53 + 1 rounds to even
    expect([...decodeBigInts(ub.subarray(1, 9 + 8 - 1).slice(), 'U64')].length).toBe(1);
  });

  it('reader.view reads only the asked range of any dtype', async () => {
    const data = Uint8Array.from({ length: 64 }, (_, i) => i);
    const file = encodeSafetensors([{ name: 'u', dtype: 'U16', shape: [4, 8], data }, { name: 'f', dtype: 'F8_E4M3', shape: [2], data: le(0x7e, 0x01) }]);
    const r = await openSafetensors(bytesSource(file));
    expect([...await r.view('u', 3, 2)]).toEqual([0x0706, 0x0908]);
    expect([...await r.view('f')]).toEqual([448, 2 ** -9]);
    await expect(r.view('u', 31, 2)).rejects.toMatchObject({ code: 'bad_input' });
    const chunks = [];
    for await (const c of r.chunks('u', 7)) chunks.push([c.firstElement, c.bytes.length]);
    expect(chunks).toEqual(Array.from({ length: 11 }, (_, i) => [3 * i, i < 10 ? 6 : 4]));
  });
});

describe('sub-byte and complex dtypes (F4, F6_E2M3, F6_E3M2, C64)', () => {
  it('F4/F6 code points equal ml_dtypes 0.6.0 (mx-tables.json), signed zeros included', () => {
    const cases: Array<[(b: number) => number, number[]]> = [
      [f4ToNumber, mx.float4_e2m1fn], [f6e2m3ToNumber, mx.float6_e2m3fn], [f6e3m2ToNumber, mx.float6_e3m2fn],
    ];
    for (const [f, want] of cases) want.forEach((v, b) => expect(Object.is(f(b), v), `code ${b}: ${f(b)} vs ${v}`).toBe(true));
    expect(f4ToNumber(0x7)).toBe(6);
    expect(f6e2m3ToNumber(0x1f)).toBe(7.5);
    expect(f6e3m2ToNumber(0x1f)).toBe(28);
    expect(f6e3m2ToNumber(0x01)).toBe(1 / 16);
  });
  it('F4: two a byte, the low nibble first', () => {
    expect(view('F4', 0x72, 0xf0)).toEqual([1, 6, 0, -6]);
  });
  it('F6: four in three bytes, little-endian bit order', () => {
    // elements 0x01, 0x08, 0x1f, 0x20 (−0) → w = 1 | 8<<6 | 31<<12 | 32<<18
    const w = 1 | (8 << 6) | (31 << 12) | (32 << 18);
    const b = [w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff];
    expect(view('F6_E2M3', ...b).map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual([0.125, 1, 7.5, '-0']);
    expect(view('F6_E3M2', ...b).slice(0, 3)).toEqual([0.0625, 0.5, 28]);
    expect(view('F6_E2M3', ...b, 0x00)).toHaveLength(4); // a partial group is not decoded
  });
  it('C64: the modulus for viewing, both parts exactly', () => {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setFloat32(0, 3, true); dv.setFloat32(4, -4, true); dv.setFloat32(8, 0.5, true); dv.setFloat32(12, 0, true);
    expect([...decodeView(b, 'C64')]).toEqual([5, 0.5]);
    const { re, im } = decodeComplex(b);
    expect([...re, ...im]).toEqual([3, 0.5, -4, 0]);
  });
  it('files: sub-byte sizes are checked in bits, reads by range land on group boundaries, the writer orders as the reference', async () => {
    // Reference (safetensors 0.8.0) header for U64/I64/F64/C64/F32/U8/F4/BOOL of one element (F4: 2):
    // U64 I64 F64 C64 F32 U8 F4 BOOL.
    const one = (name: string, dtype: Dtype, shape: number[], n: number) => ({ name, dtype, shape, data: new Uint8Array(n) });
    const file = encodeSafetensors([one('t_bool', 'BOOL', [1], 1), one('t_f4', 'F4', [2], 1), one('t_u8', 'U8', [1], 1), one('t_f32', 'F32', [1], 4), one('t_c64', 'C64', [1], 8), one('t_f64', 'F64', [1], 8), one('t_i64', 'I64', [1], 8), one('t_u64', 'U64', [1], 8)]);
    const n = new DataView(file.buffer).getUint32(0, true);
    const order = [...new TextDecoder().decode(file.subarray(8, 8 + n)).matchAll(/"(t_\w+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['t_u64', 't_i64', 't_f64', 't_c64', 't_f32', 't_u8', 't_f4', 't_bool']);
    expect(() => encodeSafetensors([one('x', 'F4', [3], 2)])).toThrow(/whole number of bytes/);
    // F6 tensor of 8 elements (6 bytes): a view from element 3 for 3 elements spans both groups.
    const codes = [1, 2, 3, 4, 5, 6, 7, 8];
    const bytes = new Uint8Array(6);
    for (let g = 0; g < 2; g++) {
      let w = 0;
      for (let j = 0; j < 4; j++) w |= codes[4 * g + j] << (6 * j);
      bytes.set([w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff], 3 * g);
    }
    const r = await openSafetensors(bytesSource(encodeSafetensors([{ name: 'q', dtype: 'F6_E3M2', shape: [2, 4], data: bytes }])));
    expect([...await r.view('q', 3, 3)]).toEqual([4, 5, 6].map(f6e3m2ToNumber));
    expect([...await r.view('q')]).toEqual(codes.map(f6e3m2ToNumber));
    const chunks: number[] = [];
    for await (const c of r.chunks('q', 4)) chunks.push(c.firstElement, c.bytes.length);
    expect(chunks).toEqual([0, 3, 4, 3]); // 4-byte chunks round down to whole 3-byte groups
    // A header whose F4 tensor is an odd number of elements: refused (the reference's MisalignedSlice).
    const bad = encodeSafetensors([one('x', 'F4', [4], 2)]);
    const text = new TextDecoder().decode(bad).replace('"shape":[4]', '"shape":[3]');
    await expect(openSafetensors(bytesSource(new TextEncoder().encode(text)))).rejects.toThrow(/not a whole number of bytes/);
  });
});
