import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesSource } from '../bytes/source.ts';
import { toHex } from '../bytes/hex.ts';
import { DTYPE_BYTES, encodeSafetensors, openSafetensors, type Dtype } from './safetensors.ts';
import { saveSafetensors, writeSafetensorsStream } from './write.ts';

class MemSink {
  buf = new Uint8Array(0);
  writes: Array<[number, number]> = [];
  async write(offset: number, bytes: Uint8Array) {
    this.writes.push([offset, bytes.length]);
    if (offset + bytes.length > this.buf.length) { const n = new Uint8Array(offset + bytes.length); n.set(this.buf); this.buf = n; }
    this.buf.set(bytes, offset);
  }
}

const DTYPES = Object.keys(DTYPE_BYTES) as Dtype[];

describe('safetensors writer helpers (L-SAFETENSORS)', () => {
  it('saveSafetensors writes {"format":"pt"} by default, the given map as is, or none for null', () => {
    const t = [{ name: 'attn.0', dtype: 'F32' as const, shape: [1, 2, 3], data: new Uint8Array(24) }];
    const header = (b: Uint8Array) => new TextDecoder().decode(b.subarray(8, 8 + Number(new DataView(b.buffer).getBigUint64(0, true)))).trimEnd();
    expect(header(saveSafetensors(t))).toBe('{"__metadata__":{"format":"pt"},"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}');
    expect(header(saveSafetensors(t, { format: 'np', x: 'y' }))).toBe('{"__metadata__":{"format":"np","x":"y"},"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}');
    expect(saveSafetensors(t, null)).toEqual(encodeSafetensors(t));
    // 8 + 96 bytes of header: 95 bytes of JSON padded with one space.
    expect(new DataView(saveSafetensors(t).buffer).getUint32(0, true)).toBe(96);
  });

  it('the streaming writer gives saveSafetensors\' bytes, whole or chunked, every dtype', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(fc.record({ name: fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s !== '__metadata__'), dtype: fc.constantFrom(...DTYPES), shape: fc.array(fc.nat(4), { maxLength: 3 }) }), { selector: (t) => t.name, maxLength: 8 }),
      fc.integer({ min: 1, max: 9 }),
      fc.boolean(),
      async (all, chunk, meta) => {
        // Sub-byte dtypes (F4, F6) need shapes that fill whole bytes.
        const specs = all.filter((s) => Number.isInteger(s.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[s.dtype]));
        const tensors = specs.map((s, k) => ({ ...s, data: Uint8Array.from({ length: s.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[s.dtype] }, (_, i) => (i * 7 + k) & 0xff) }));
        const md = meta ? undefined : null;
        const want = saveSafetensors(tensors, md);
        const sink = new MemSink();
        const res = await writeSafetensorsStream(tensors, function* (t) {
          for (let i = 0; i < t.data.length; i += chunk) yield t.data.subarray(i, i + chunk);
        }, sink, { metadata: md });
        expect(res.size).toBe(want.length);
        expect(sink.buf.length === want.length && sink.buf.every((x, i) => x === want[i])).toBe(true);
        const r = await openSafetensors(bytesSource(sink.buf));
        expect(r.header.metadata).toEqual(meta ? { format: 'pt' } : null);
        // Header first, then tensors in order: every write lands after the previous one.
        for (let i = 1; i < sink.writes.length; i++) expect(sink.writes[i][0]).toBe(sink.writes[i - 1][0] + sink.writes[i - 1][1]);
      },
    ), { numRuns: 100 });
  });

  it('the streaming writer refuses a tensor with the wrong byte count', async () => {
    const sink = new MemSink();
    await expect(writeSafetensorsStream([{ name: 'a', dtype: 'F32', shape: [2] }], () => new Uint8Array(4), sink)).rejects.toMatchObject({ code: 'bad_input', where: { path: '$["a"]' } });
    await expect(writeSafetensorsStream([{ name: 'a', dtype: 'U8', shape: [2] }], async function* () { yield new Uint8Array(2); yield new Uint8Array(1); }, sink)).rejects.toMatchObject({ code: 'bad_input' });
    const ac = new AbortController(); ac.abort();
    await expect(writeSafetensorsStream([{ name: 'a', dtype: 'U8', shape: [1] }], () => new Uint8Array(1), sink, { signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('writer order checked against the reference (safetensors 0.8.0 serialize)', () => {
  // C64 and F4 placed as safetensors 0.8.0's serializer places them (checked with its Python
  // binding); F6_E3M2/F6_E2M3 (no binding dtype) as the reference's `Dtype` enum orders them.
  it('one tensor of each dtype: U64 I64 F64 C64 F32 U32 I32 BF16 F16 U16 I16 F8_E5M2FNUZ F8_E4M3FNUZ F8_E8M0 F8_E4M3 F8_E5M2 I8 U8 F6_E3M2 F6_E2M3 F4 BOOL', () => {
    const tensors = DTYPES.map((dtype, i) => ({ name: `x${String(i).padStart(2, '0')}`, dtype, shape: [4], data: new Uint8Array(4 * DTYPE_BYTES[dtype]) }));
    const b = saveSafetensors(tensors, null);
    const n = new DataView(b.buffer).getUint32(0, true);
    const h = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n))) as Record<string, { dtype: string; data_offsets: number[] }>;
    expect(Object.values(h).sort((a, c) => a.data_offsets[0] - c.data_offsets[0]).map((t) => t.dtype)).toEqual(['U64', 'I64', 'F64', 'C64', 'F32', 'U32', 'I32', 'BF16', 'F16', 'U16', 'I16', 'F8_E5M2FNUZ', 'F8_E4M3FNUZ', 'F8_E8M0', 'F8_E4M3', 'F8_E5M2', 'I8', 'U8', 'F6_E3M2', 'F6_E2M3', 'F4', 'BOOL']);
    // The reference's bytes for { "a": F64 [1] = 1.0, "b": U64 [1] = 2 } (serialize, no metadata).
    const two = saveSafetensors([{ name: 'a', dtype: 'F64', shape: [1], data: new Uint8Array(new Float64Array([1]).buffer) }, { name: 'b', dtype: 'U64', shape: [1], data: new Uint8Array(new BigUint64Array([2n]).buffer) }], null);
    // safetensors.numpy.save({'a': np.array([1.0]), 'b': np.array([2], dtype=np.uint64)}).hex()
    const ref = '70000000000000007b2262223a7b226474797065223a22553634222c227368617065223a5b315d2c22646174615f6f666673657473223a5b302c385d7d2c2261223a7b226474797065223a22463634222c227368617065223a5b315d2c22646174615f6f666673657473223a5b382c31365d7d7d202020200200000000000000000000000000f03f';
    expect(toHex(two)).toBe(ref);
  });
});
