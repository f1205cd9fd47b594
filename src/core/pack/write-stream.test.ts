import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AsxError } from '../errors.ts';
import { bytesSource } from '../bytes/source.ts';
import { encodePack, writeLanePayload, type EncodeOptions } from './write.ts';
import { quantizeValue } from './quant.ts';
import { encodePackStream, memorySink, type LaneReader } from './write-stream.ts';
import { openPack } from './read.ts';
import { verifyPack } from './verify.ts';

const CLASSES = ['policy', 'attention', 'value@early', 'a__x__b', 'ctx@row', 'zz'];

const laneSet = fc.integer({ min: 1, max: 9 }).chain((dims) =>
  fc.record({
    dims: fc.constant(dims),
    lanes: fc.uniqueArray(
      fc.record({
        id: fc.tuple(fc.constantFrom(...CLASSES), fc.string({ minLength: 0, maxLength: 4 })).map(([c, s]) => `${c}${s}@w`),
        W: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: dims, maxLength: dims }),
      }),
      { minLength: 0, maxLength: 40, selector: (l) => l.id },
    ),
    opts: fc.record({
      qscale: fc.boolean(), tune: fc.boolean(), audit: fc.boolean(), merkle: fc.boolean(),
      laneAudits: fc.integer({ min: 0, max: 12 }), signed: fc.boolean(), fixedScales: fc.boolean(),
    }),
    chunkBytes: fc.integer({ min: 1, max: 200 }),
  }));

function reader(lanes: { id: string; W: number[] }[], dims: number, calls?: Map<string, number>): LaneReader {
  const byId = new Map(lanes.map((l) => [l.id, l.W]));
  return {
    ids: lanes.map((l) => l.id).reverse(), // any order: the writer sorts them into DICT order
    dims,
    async weights(id) {
      calls?.set(id, (calls.get(id) ?? 0) + 1);
      return Float64Array.from(byId.get(id)!);
    },
  };
}

describe('writeLanePayload', () => {
  it('is quantizeValue inlined: the same int16 for every weight, halfway cases and clamps included', () => {
    const edge = [0, -0, 0.5 / 32767, -0.5 / 32767, 0.49999999999999994 / 32767, 1, -1, 1.0000001, -7, 1e-300, 32766.5 / 32767, -32766.5 / 32767];
    fc.assert(fc.property(fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -4, max: 4 }), fc.constantFrom(...edge)), { minLength: 1, maxLength: 64 }), fc.constantFrom(1, 1.3, 0.75, Math.fround(1.1), 3), (W, s) => {
      const out = new Uint8Array(3 + 2 * W.length + 1);
      writeLanePayload(W, s, W.length, out, 1);
      const dv = new DataView(out.buffer);
      W.forEach((w, k) => expect(dv.getInt16(4 + 2 * k, true)).toBe(quantizeValue(w, s)));
    }), { numRuns: 500 });
  });
});

describe('encodePackStream (issue 9: packs larger than memory)', () => {
  it('writes exactly the bytes encodePack writes, for random lanes, options and chunk sizes', async () => {
    await fc.assert(fc.asyncProperty(laneSet, async ({ dims, lanes, opts, chunkBytes }) => {
      const o: EncodeOptions = {
        qscale: opts.qscale, tune: opts.tune, audit: opts.audit, merkle: opts.merkle, laneAudits: opts.laneAudits,
        signKey: opts.signed ? new Uint8Array(32).fill(7) : undefined,
        scales: opts.fixedScales ? { policy: 1.5, attention: 0.75, preset: 1, interaction: 2, summary: 0.5, other: 1.25 } : undefined,
      };
      const want = encodePack(lanes, dims, o);
      const sink = memorySink();
      const calls = new Map<string, number>();
      const got = await encodePackStream(reader(lanes, dims, calls), sink, { ...o, chunkBytes });
      expect(sink.bytes()).toEqual(want.bytes);
      expect(got.size).toBe(want.bytes.length);
      expect(got.scales).toEqual(want.scales);
      expect(got.ids).toEqual(want.ids);
      // Each lane is read once, or twice when the scales are tuned from a first audit pass.
      const tuned = o.qscale !== false && o.tune !== false && !o.scales && lanes.length > 0;
      for (const l of lanes) expect(calls.get(l.id)).toBe(tuned ? 2 : 1);
    }), { numRuns: 150 });
  });

  it('a reader that reuses one buffer for every lane gives the same bytes', async () => {
    const dims = 7;
    const lanes = Array.from({ length: 30 }, (_, i) => ({ id: `policy${i}@w`, W: Array.from({ length: dims }, (_, k) => Math.cos(i + k) * 1.4) }));
    const byId = new Map(lanes.map((l) => [l.id, l.W]));
    const scratch = new Float64Array(dims);
    const sink = memorySink();
    await encodePackStream({ ids: lanes.map((l) => l.id), dims, weights: (id) => { scratch.set(byId.get(id)!); return scratch; } }, sink, { chunkBytes: 40, laneAudits: 5 });
    expect(sink.bytes()).toEqual(encodePack(lanes, dims, { laneAudits: 5 }).bytes);
  });

  it('never holds DATA: every DATA write is at most one chunk, and the pack reads back and verifies', async () => {
    const dims = 300;
    const lanes = Array.from({ length: 500 }, (_, i) => ({ id: `ctx@t${i}`, W: Array.from({ length: dims }, (_, k) => Math.sin(i * 0.37 + k * 0.011)) }));
    const writes: number[] = [];
    const sink = memorySink();
    const res = await encodePackStream(reader(lanes, dims), { write: (o, b) => { writes.push(b.length); return sink.write(o, b); } }, { chunkBytes: 64 * 1024, signKey: new Uint8Array(32).fill(1) });
    const pl = 3 + 2 * dims;
    const dataWrites = writes.slice(0, -2);
    expect(Math.max(...dataWrites)).toBeLessThanOrEqual(64 * 1024);
    expect(dataWrites.reduce((a, b) => a + b, 0)).toBe(500 * pl);
    const bytes = sink.bytes();
    expect(bytes.length).toBe(res.size);
    const r = await openPack(bytesSource(bytes));
    const rep = await verifyPack(r);
    expect(rep.ok).toBe(true);
    expect(rep.signature).toBe('valid');
    expect((await r.getLane('ctx@t42')).W[7]).toBeCloseTo(Math.sin(42 * 0.37 + 7 * 0.011), 4);
  });

  it('stops on a bad weight with its lane and index, and on cancel with `cancelled`', async () => {
    const lanes = [{ id: 'a@w', W: [0.5, 0.25] }, { id: 'b@w', W: [0.5, NaN] }];
    const err = await encodePackStream(reader(lanes, 2), memorySink()).catch((e) => e);
    expect(err).toBeInstanceOf(AsxError);
    expect(err).toMatchObject({ code: 'bad_input', where: { path: '$.lanes["b@w"].W[1]' } });
    const short = await encodePackStream({ ids: ['a@w'], dims: 3, weights: () => [1, 2] }, memorySink()).catch((e) => e);
    expect(short).toMatchObject({ code: 'bad_input', where: { path: '$.lanes["a@w"].W' } });
    const ac = new AbortController();
    const many = Array.from({ length: 50 }, (_, i) => ({ id: `l${i}@w`, W: [0.1, 0.2] }));
    const cancelled = await encodePackStream(reader(many, 2), memorySink(), { signal: ac.signal, onProgress: (_p, done) => { if (done === 10) ac.abort(); } }).catch((e) => e);
    expect(cancelled).toMatchObject({ code: 'cancelled' });
  });
});
