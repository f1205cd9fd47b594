import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AsxError } from '../errors.ts';
import { bytesSource } from '../bytes/source.ts';
import { utf8 } from '../bytes/utf8.ts';
import {
  bf16ToNumber, decodeFloats, referenceOrder, encodeFloats, encodeSafetensors, f16ToNumber, numberToBf16, openSafetensors,
  parseSafetensorsHeader, safetensorsHeaderBytes,
} from './safetensors.ts';

/** A file made by hand: u64 LE length, the header text, the data. */
function file(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const h = utf8(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function code(f: () => unknown, none = false): { code: string; offset?: number; path?: string } {
  try { f(); } catch (e) {
    if (e instanceof AsxError) return { code: e.code, offset: e.where.offset, path: e.where.path };
    throw e;
  }
  if (none) return { code: 'none' };
  throw new Error('no error');
}

describe('safetensors (L-SAFETENSORS)', () => {
  it('writes the reference serializer\'s bytes for its own test tensor (attn.0, F32 [1,2,3] = 0..5)', () => {
    // huggingface/safetensors tensor.rs `test_serialization`: the header length is 64, the
    // header is this exact compact JSON, and the data follows as little-endian f32.
    const data = encodeFloats([0, 1, 2, 3, 4, 5], 'F32');
    const out = encodeSafetensors([{ name: 'attn.0', dtype: 'F32', shape: [1, 2, 3], data }]);
    expect([...out.subarray(0, 8)]).toEqual([64, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(out.subarray(8, 72))).toBe('{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}');
    expect([...out.subarray(72, 80)]).toEqual([0, 0, 0, 0, 0, 0, 128, 63]);
    expect(out.length).toBe(72 + 24);
  });

  it('orders tensors as the reference serializer does: dtype alignment descending, then name by UTF-8 bytes', () => {
    const specs = [
      { name: 'b', dtype: 'F32' as const, shape: [1], data: new Uint8Array(4) },
      { name: 'a', dtype: 'U8' as const, shape: [1], data: new Uint8Array(1) },
      { name: 'c', dtype: 'F64' as const, shape: [1], data: new Uint8Array(8) },
      { name: 'a', dtype: 'F32' as const, shape: [2], data: new Uint8Array(8) },
      { name: '\u{1F600}', dtype: 'BF16' as const, shape: [1], data: new Uint8Array(2) },
      { name: '\uFFFD', dtype: 'BF16' as const, shape: [1], data: new Uint8Array(2) },
    ];
    expect(referenceOrder(specs).map((t) => `${t.dtype}:${t.name}`)).toEqual(['F64:c', 'F32:a', 'F32:b', 'BF16:\uFFFD', 'BF16:\u{1F600}', 'U8:a']);
  });

  it('pads the header with spaces to a multiple of 8 and puts __metadata__ first', () => {
    const { bytes, offsets, dataBytes } = safetensorsHeaderBytes([{ name: 'b', dtype: 'BF16', shape: [3] }, { name: 'a', dtype: 'F64', shape: [] }], { format: 'pt' });
    expect(bytes.length % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8));
    expect(text.trimEnd()).toBe('{"__metadata__":{"format":"pt"},"b":{"dtype":"BF16","shape":[3],"data_offsets":[0,6]},"a":{"dtype":"F64","shape":[],"data_offsets":[6,14]}}');
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    expect(offsets).toEqual([0, 6]);
    expect(dataBytes).toBe(14);
  });

  it('round-trips random float tensors through write → open → floats, exactly', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== '__metadata__'), { minLength: 1, maxLength: 6 }),
      fc.array(fc.float({ noNaN: true }), { minLength: 0, maxLength: 40 }),
      async (names, values) => {
        const tensors = names.map((name, i) => {
          const dtype = (['F32', 'F64', 'BF16'] as const)[i % 3];
          return { name, dtype, shape: [values.length], data: encodeFloats(values, dtype) };
        });
        const bytes = encodeSafetensors(tensors, { note: 'x' });
        const r = await openSafetensors(bytesSource(bytes));
        expect(r.header.metadata).toEqual({ note: 'x' });
        expect(r.header.tensors.map((t) => t.name)).toEqual(referenceOrder(tensors).map((t) => t.name));
        for (const t of tensors) {
          const got = [...await r.floats(t.name)];
          const want = values.map((v) => (t.dtype === 'F64' ? v : t.dtype === 'F32' ? Math.fround(v) : bf16ToNumber(numberToBf16(v))));
          expect(got.map(Object.is.bind(null, 0))).toEqual(want.map(Object.is.bind(null, 0))); // -0 stays -0
          expect(got).toEqual(want);
        }
      },
    ), { numRuns: 60 });
  });

  it('f16 and bf16 decode exactly (IEEE vectors)', () => {
    expect(f16ToNumber(0x3c00)).toBe(1);
    expect(f16ToNumber(0xc000)).toBe(-2);
    expect(f16ToNumber(0x7bff)).toBe(65504);
    expect(f16ToNumber(0x0001)).toBe(2 ** -24);
    expect(f16ToNumber(0x0400)).toBe(2 ** -14);
    expect(f16ToNumber(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(f16ToNumber(0x7e00))).toBe(true);
    expect(Object.is(f16ToNumber(0x8000), -0)).toBe(true);
    expect(bf16ToNumber(0x3f80)).toBe(1);
    expect(bf16ToNumber(0x4049)).toBe(3.140625);
    // Round to nearest even: 1 + 2^-8 is halfway between 1 and 1 + 2^-7 → 1 (even).
    expect(numberToBf16(1 + 2 ** -8)).toBe(0x3f80);
    expect(numberToBf16(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(decodeFloats(new Uint8Array([0x00, 0x3c, 0x00, 0xc0]), 'F16')).toEqual(new Float64Array([1, -2]));
  });

  it('refuses hostile headers with a code, an offset or a path, before allocating', async () => {
    // Header length over the limit: refused from the first 8 bytes, nothing else is read.
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(4, 1, true); // 2^32
    let reads = 0;
    const src = bytesSource(huge);
    const counting = { ...src, size: src.size, read: (o: number, l: number) => { reads++; return src.read(o, l); } };
    await expect(openSafetensors(counting)).rejects.toMatchObject({ code: 'bad_safetensors', where: { offset: 0 } });
    expect(reads).toBe(1);
    expect(code(() => parseSafetensorsHeader(file('{}').subarray(0, 5), 5))).toMatchObject({ code: 'bad_safetensors', offset: 0 });
    const past = file('{}');
    new DataView(past.buffer).setUint32(0, 99, true);
    expect(code(() => parseSafetensorsHeader(past, past.length))).toMatchObject({ code: 'bad_safetensors', offset: 0 });
    expect(code(() => parseSafetensorsHeader(file('[1]'), 11))).toMatchObject({ code: 'bad_safetensors', offset: 8 });
    expect(code(() => parseSafetensorsHeader(file('{"a":'), 13))).toMatchObject({ code: 'bad_safetensors', offset: 8 });
    const dup = file('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', new Uint8Array(2));
    expect(code(() => parseSafetensorsHeader(dup, dup.length))).toMatchObject({ code: 'bad_safetensors', path: '$["a"]' });
    const bad = (h: string, data = 0) => { const f = file(h, new Uint8Array(data)); return code(() => parseSafetensorsHeader(f, f.length)); };
    expect(bad('{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}', 1)).toMatchObject({ path: '$["a"].dtype' });
    expect(bad('{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', 4)).toMatchObject({ path: '$["a"].shape' });
    expect(bad('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', 4)).toMatchObject({ path: '$["a"].data_offsets' });
    expect(bad('{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,4]}}', 4)).toMatchObject({ path: '$["a"].shape' });
    // A gap, an overlap, trailing bytes.
    expect(bad('{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', 2)).toMatchObject({ code: 'bad_safetensors', path: '$["a"].data_offsets' });
    expect(bad('{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}', 2)).toMatchObject({ code: 'bad_safetensors' });
    expect(bad('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', 3)).toMatchObject({ code: 'bad_safetensors' });
    expect(bad('{"__metadata__":{"a":1}}')).toMatchObject({ path: '$["__metadata__"]["a"]' });
    // As the reference (safetensors 0.8.0): unknown fields ignored, a null __metadata__ is none,
    // JSON whitespace before the object allowed (reference-check.py).
    const ok = (h: string, data = 0) => { const f = file(h, new Uint8Array(data)); return parseSafetensorsHeader(f, f.length); };
    expect(ok('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"x":1}}', 1).tensors).toEqual([{ name: 'a', dtype: 'U8', shape: [1], begin: 0, end: 1 }]);
    expect(ok('{"__metadata__":null}').metadata).toBeNull();
    expect(ok(' \t\r\n{}').tensors).toEqual([]);
    expect(bad('\u00a0{}')).toMatchObject({ code: 'bad_safetensors', offset: 8 });
    expect(bad('  x{}')).toMatchObject({ code: 'bad_safetensors', offset: 10 });
  });

  it('never throws anything but AsxError on random bytes and mutated files', async () => {
    const good = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [2, 2], data: encodeFloats([1, 2, 3, 4], 'F32') }], { k: 'v' });
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(good.length), async (flips, cut) => {
      const b = good.slice(0, Math.max(cut, 1));
      for (const [i, v] of flips) if (i < b.length) b[i] = v;
      try {
        const r = await openSafetensors(bytesSource(b));
        for (const t of r.header.tensors) if (['F32', 'F64', 'F16', 'BF16'].includes(t.dtype)) await r.floats(t.name);
      } catch (e) {
        expect(e).toBeInstanceOf(AsxError);
      }
    }), { numRuns: 400 });
  });
});

describe('safetensors header strictness beyond JSON.parse (L-SAFETENSORS)', () => {
  const bad = (h: string, data = 0) => { const f = file(h, new Uint8Array(data)); return code(() => parseSafetensorsHeader(f, f.length), true); };
  it('refuses number spellings the reference cannot read as unsigned integers', () => {
    for (const n of ['1.0', '1e0', '1E0', '0.1e1']) expect(bad(`{"a":{"dtype":"U8","shape":[${n}],"data_offsets":[0,1]}}`, 1), n).toEqual({ code: 'bad_safetensors', path: '$["a"].shape', offset: 37 });
    expect(bad('{"a":{"dtype":"U8","shape":[0],"data_offsets":[-0,0]}}')).toEqual({ code: 'bad_safetensors', path: '$["a"].data_offsets', offset: 55 });
    expect(bad('{"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0],"x":[-1.5e3]}}')).toEqual({ code: 'none' }); // an ignored field
    expect(bad('{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', 1).code).toBe('none');
  });
  it('refuses duplicate fields inside an entry and lone surrogate escapes in names and metadata', () => {
    expect(bad('{"a":{"dtype":"U8","dtype":"U8","shape":[1],"data_offsets":[0,1]}}', 1)).toMatchObject({ code: 'bad_safetensors', path: '$["a"].dtype' });
    expect(bad('{"__metadata__":{"k":"x","k":"y"}}')).toMatchObject({ code: 'bad_safetensors', path: '$["__metadata__"]["k"]' });
    expect(bad('{"\\ud800":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', 1)).toMatchObject({ code: 'bad_safetensors' });
    expect(bad('{"__metadata__":{"k":"\\udc00"}}')).toMatchObject({ code: 'bad_safetensors', path: '$["__metadata__"]["k"]' });
    expect(bad('{"\\ud83d\\ude00":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', 1).code).toBe('none');
  });
  it('a tensor running past the data buffer is refused at the end of the file', () => {
    expect(bad('{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}', 2)).toMatchObject({ code: 'bad_safetensors', offset: 8 + 53 + 2, path: '$["a"].data_offsets' });
  });
});

describe('safetensors header cost is bounded by its size', () => {
  const bad = (h: string, data = 0) => { const f = file(h, new Uint8Array(data)); return code(() => parseSafetensorsHeader(f, f.length), true); };
  it('refuses nesting deeper than serde_json\'s 128 levels before JSON.parse, at the bracket', () => {
    expect(bad(`{"__metadata__":${'['.repeat(127)}${']'.repeat(127)}}`)).toMatchObject({ code: 'bad_safetensors', path: '$["__metadata__"]' });
    expect(bad(`{"__metadata__":${'['.repeat(128)}${']'.repeat(128)}}`)).toEqual({ code: 'bad_safetensors', offset: 8 + 16 + 127 });
    // 50 MB of brackets: refused in one linear pass (JSON.parse alone would take many seconds).
    const t = performance.now();
    expect(bad('{"a":' + '['.repeat(25_000_000) + ']'.repeat(25_000_000) + '}')).toMatchObject({ code: 'bad_safetensors' });
    expect(performance.now() - t).toBeLessThan(5000);
  });
  it('long keys nested deep are not copied into a path per level', () => {
    const k = 'k'.repeat(200_000);
    let h = '"x"';
    for (let d = 0; d < 120; d++) h = `{"${k}${d}":${h}}`;
    const t = performance.now();
    expect(bad(`{"__metadata__":${h}}`)).toMatchObject({ code: 'bad_safetensors' });
    expect(bad(`{"__metadata__":${h.replace('"x"', '[1.5]')}}`)).toMatchObject({ code: 'bad_safetensors' });
    expect(performance.now() - t).toBeLessThan(5000);
  });
});
