import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesSource, CountingSource } from '../bytes/source.ts';
import { encodeFloats, encodeSafetensors, openSafetensors, safetensorsHeaderBytes } from './safetensors.ts';
import { diffTensor, tensorStats } from './stats.ts';

async function open(tensors: Parameters<typeof encodeSafetensors>[0]) {
  const src = new CountingSource(bytesSource(encodeSafetensors(tensors)));
  return { r: await openSafetensors(src), src };
}

describe('tensor statistics in bounded chunks (L-SAFETENSORS)', () => {
  it('min, max, mean, population std, NaN/Inf counts and a histogram', async () => {
    const vals = [1, 2, 3, 4, NaN, Infinity, -Infinity, 0];
    const { r } = await open([{ name: 'x', dtype: 'F32', shape: [8], data: encodeFloats(vals, 'F32') }]);
    const s = await tensorStats(r, 'x', { bins: 4 });
    expect(s).toMatchObject({ elements: 8, finite: 5, nan: 1, posInf: 1, negInf: 1, zeros: 1, min: 0, max: 4, mean: 2 });
    expect(s.std).toBeCloseTo(Math.sqrt(2), 14);
    expect(s.histogram).toEqual({ bins: 4, lo: 0, hi: 4, counts: [1, 1, 1, 2] });
  });

  it('gives the same numbers at any chunk size, reading each chunk as bytes of whole elements', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 100 }), async (xs, chunk) => {
      const { r, src } = await open([{ name: 'x', dtype: 'F64', shape: [xs.length], data: encodeFloats(xs, 'F64') }]);
      const whole = await tensorStats(r, 'x', { bins: 7, chunkBytes: 1 << 20 });
      const before = src.reads;
      const parts = await tensorStats(r, 'x', { bins: 7, chunkBytes: chunk });
      const perPass = Math.ceil(xs.length / Math.max(1, Math.floor(chunk / 8)));
      expect(src.reads - before).toBe(8 * xs.length <= chunk ? perPass : 2 * perPass);
      expect(parts.histogram).toEqual(whole.histogram);
      expect([parts.min, parts.max, parts.finite]).toEqual([whole.min, whole.max, whole.finite]);
      expect(parts.mean!).toBeCloseTo(whole.mean!, 6);
      expect(parts.std!).toBeCloseTo(whole.std!, 6);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(whole.mean!).toBeCloseTo(mean, 6);
      expect(whole.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(xs.length);
    }), { numRuns: 80 });
  });

  it('I64 keeps exact extremes; a constant tensor has one full bin; an all-NaN tensor has none', async () => {
    const dv = new DataView(new ArrayBuffer(16));
    dv.setBigInt64(0, 2n ** 62n + 1n, true);
    dv.setBigInt64(8, -5n, true);
    const { r } = await open([
      { name: 'i', dtype: 'I64', shape: [2], data: new Uint8Array(dv.buffer) },
      { name: 'c', dtype: 'BF16', shape: [3], data: encodeFloats([2, 2, 2], 'BF16') },
      { name: 'n', dtype: 'F16', shape: [2], data: Uint8Array.from([0, 0x7e, 0, 0x7e]) },
    ]);
    expect(await tensorStats(r, 'i', { bins: 2 })).toMatchObject({ exactMin: '-5', exactMax: '4611686018427387905', unsafe: 1, min: -5, max: 2 ** 62 });
    expect((await tensorStats(r, 'c', { bins: 3 })).histogram).toEqual({ bins: 3, lo: 2, hi: 2, counts: [3, 0, 0] });
    expect(await tensorStats(r, 'n')).toMatchObject({ nan: 2, finite: 0, min: null, mean: null, histogram: null });
    await expect(tensorStats(r, 'c', { bins: 0 })).rejects.toMatchObject({ code: 'bad_input' });
  });

  it('a histogram over the whole f64 range does not overflow', async () => {
    const { r } = await open([{ name: 'x', dtype: 'F64', shape: [3], data: encodeFloats([-Number.MAX_VALUE, 0, Number.MAX_VALUE], 'F64') }]);
    expect((await tensorStats(r, 'x', { bins: 2 })).histogram!.counts).toEqual([1, 2]);
  });

  it('diff: cosine, ‖B − A‖/‖A‖, max |B − A| across dtypes, chunked', async () => {
    const a = await open([{ name: 'w', dtype: 'F32', shape: [2, 2], data: encodeFloats([1, 0, 0, 1], 'F32') }]);
    const b = await open([{ name: 'w', dtype: 'F64', shape: [4], data: encodeFloats([1, 0, 0, 0], 'F64') }]);
    const d = await diffTensor(a.r, b.r, 'w', 8);
    expect(d.cosine).toBeCloseTo(Math.SQRT1_2, 15);
    expect(d.relDiff).toBeCloseTo(Math.SQRT1_2, 15);
    expect(d).toMatchObject({ maxAbs: 1, differing: 1, dtypeA: 'F32', dtypeB: 'F64' });
    const same = await diffTensor(a.r, a.r, 'w');
    expect(same).toMatchObject({ cosine: 1, relDiff: 0, maxAbs: 0, differing: 0 });
  });
});

describe('bounded reads on large tensors (virtual files: no bytes are held)', () => {
  /** A file whose data bytes are made on demand: byte i of the data is i mod 251. */
  function virtual(header: Uint8Array, dataBytes: number) {
    const reads: number[] = [];
    const src = {
      size: header.length + dataBytes,
      async read(offset: number, length: number) {
        reads.push(length);
        const out = new Uint8Array(length);
        for (let i = 0; i < length; i++) { const at = offset + i; out[i] = at < header.length ? header[at] : (at - header.length) % 251; }
        return out;
      },
    };
    return { src, reads };
  }

  it('a 64 GiB file opens with two reads of its header', async () => {
    const { bytes, dataBytes } = safetensorsHeaderBytes([{ name: 'huge', dtype: 'BF16', shape: [2 ** 35] }]);
    const { src, reads } = virtual(bytes, dataBytes);
    const r = await openSafetensors(src);
    expect(r.header.tensors[0]).toMatchObject({ begin: 0, end: 2 ** 36 });
    expect(reads).toEqual([8, bytes.length - 8]);
  });

  it('statistics of a 16 MiB tensor never read more than one chunk at a time', async () => {
    const { bytes, dataBytes } = safetensorsHeaderBytes([{ name: 'w', dtype: 'U8', shape: [16 << 20] }]);
    const { src, reads } = virtual(bytes, dataBytes);
    const r = await openSafetensors(src);
    reads.length = 0;
    const s = await tensorStats(r, 'w', { bins: 251, chunkBytes: 1 << 20 });
    expect(Math.max(...reads)).toBe(1 << 20);
    expect(reads.length).toBe(2 * 16);
    expect(s).toMatchObject({ elements: 16 << 20, min: 0, max: 250 });
    expect(s.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(16 << 20);
  });
});
