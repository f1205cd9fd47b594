import { describe, expect, it } from 'vitest';
import { encodePack } from './write.ts';
import { openPack } from './read.ts';
import { bytesSource } from '../bytes/source.ts';
import { compatibility, cosine, downFold, diffPacks, packSimilarity } from './compat.ts';
import { mergePacks } from './merge.ts';
import { verifyPack } from './verify.ts';
import { sampleLanes } from './testkit.ts';
import { classifyLane } from './classes.ts';
import { quantizeLane } from './quant.ts';

const open = (b: Uint8Array) => openPack(bytesSource(b));
const KEY = new Uint8Array(32).fill(3);

describe('cross-pack rules', () => {
  it('down-fold adapter and cosine vectors', () => {
    expect(Array.from(downFold([1, 2, 3, 4, 5, 6], 4))).toEqual([6, 8, 3, 4]);
    expect(Array.from(downFold([1, 2, 3], 3))).toEqual([1, 2, 3]);
    expect(() => downFold([1, 2], 3)).toThrow(/upsample/);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 2], [2, 4])).toBe(1);
    expect(cosine([1, 0], [-1, 0])).toBe(-1);
    expect(cosine([0, 0], [0, 0])).toBe(1);
    expect(cosine([0, 0], [1, 0])).toBe(0);
    expect(packSimilarity([{ id: 'policy', cosine: 1, inA: true, inB: true, weight: 1.3 }, { id: 'x', cosine: 0, inA: true, inB: false, weight: 1 }])).toBeCloseTo(1.3 / 2.3, 15);
  });
  it('levels 0, 1, 2', async () => {
    const lanes = sampleLanes(10, 16, 1);
    const a = await open(encodePack(lanes, 16).bytes);
    const a2 = await open(encodePack(lanes, 16).bytes);
    expect(compatibility(a, a2).level).toBe(0);
    const b = await open(encodePack(sampleLanes(10, 16, 2), 16).bytes);
    expect(compatibility(a, b).level).toBe(1);
    const signed = await open(encodePack(lanes, 16, { signKey: KEY }).bytes);
    expect(compatibility(a, signed).level).toBe(1); // same lanes, different sections/signature
    const c = await open(encodePack(sampleLanes(10, 8, 1), 8).bytes);
    const cc = compatibility(a, c);
    expect(cc.level).toBe(2);
    expect(cc.dimsN).toBe(8);
    const d = await open(encodePack(sampleLanes(12, 16, 1), 16).bytes);
    const dd = compatibility(a, d);
    expect(dd.level).toBe(2);
    expect(dd.onlyB).toEqual(['lane11', 'value'].filter((id) => !a.ids.includes(id)));
  });
  it('diff: identical lanes have cosine 1; missing lanes count 0 in the class-weighted similarity', async () => {
    const lanes = sampleLanes(8, 16, 4);
    const a = await open(encodePack(lanes, 16).bytes);
    const b = await open(encodePack(lanes.slice(0, 6), 16).bytes);
    const d = await diffPacks(a, b);
    expect(d.level).toBe(2);
    for (const l of d.lanes.filter((x) => x.inA && x.inB)) expect(l.cosine).toBeCloseTo(1, 12);
    const wAll = d.lanes.reduce((s, l) => s + l.weight, 0);
    const wBoth = d.lanes.filter((l) => l.inA && l.inB).reduce((s, l) => s + l.weight, 0);
    expect(d.similarity).toBeCloseTo(wBoth / wAll, 12);
  });
  it('overlay: source lanes replace the target\'s; re-quantized with the target scales; re-signed', async () => {
    const T = encodePack(sampleLanes(8, 16, 1), 16, { signKey: KEY });
    const S = encodePack(sampleLanes(4, 32, 2), 32);
    const t = await open(T.bytes), s = await open(S.bytes);
    const m = await mergePacks(t, s, { mode: 'overlay', signKey: KEY });
    const r = await open(m.bytes);
    expect(m.dims).toBe(16);
    expect(r.ids).toEqual(t.ids);
    expect(r.scales).toEqual(t.scales);
    expect((await verifyPack(r)).ok).toBe(true);
    for (const id of s.ids) {
      const want = quantizeLane(downFold((await s.getLane(id)).W, 16), t.scales[classifyLane(id)]);
      expect(Array.from((await r.getLane(id)).q)).toEqual(Array.from(want));
    }
    for (const id of t.ids.filter((x) => !s.ids.includes(x))) expect(Array.from((await r.getLane(id)).q)).toEqual(Array.from((await t.getLane(id)).q));
    const unsigned = await mergePacks(t, s, { mode: 'overlay' });
    expect((await open(unsigned.bytes)).signature).toBeNull();
  });
  it('blend: V = λ·VS + (1−λ)·VT; λ = 0 keeps the target exactly', async () => {
    const t = await open(encodePack(sampleLanes(6, 16, 1), 16).bytes);
    const s = await open(encodePack(sampleLanes(6, 16, 2), 16).bytes);
    const m0 = await open((await mergePacks(t, s, { mode: 'blend', lambda: 0 })).bytes);
    for (let i = 0; i < 6; i++) expect(Array.from((await m0.getLane(i)).q)).toEqual(Array.from((await t.getLane(i)).q));
    const m = await mergePacks(t, s, { mode: 'blend', lambda: 0.25 });
    const id = t.ids[2];
    const vt = (await t.getLane(id)).W, vs = (await s.getLane(id)).W;
    const blended = Array.from(vt, (x, k) => 0.25 * vs[k] + 0.75 * x);
    expect(Array.from((await (await open(m.bytes)).getLane(id)).q)).toEqual(Array.from(quantizeLane(blended, t.scales[classifyLane(id)])));
    await expect(mergePacks(t, s, { mode: 'blend', lambda: 1.5 })).rejects.toThrow(/λ/);
  });
  it('union: all lanes, source preferred, budget and adaptive dims re-run for 5 KB packs', async () => {
    const t = await open(encodePack(sampleLanes(40, 64, 1), 64).bytes);
    const sl = sampleLanes(20, 64, 2).map((l, i) => ({ ...l, id: `src${String(i).padStart(2, '0')}` }));
    const s = await open(encodePack(sl, 64).bytes);
    expect(t.fileSize).toBeGreaterThan(5120); // 64-dim, 20 lanes: unbudgeted inputs keep every lane
    const m = await mergePacks(t, s, { mode: 'union' });
    expect(m.ids.length).toBe(60);
    const small = async (seed: number, prefix: string) => open(encodePack(sampleLanes(30, 16, seed).map((l, i) => ({ ...l, id: `${prefix}-interaction-lane-${i}` })), 16).bytes);
    const ta = await small(1, 'a'), sb = await small(2, 'b');
    expect(ta.fileSize).toBeLessThanOrEqual(5120);
    const mu = await mergePacks(ta, sb, { mode: 'union' });
    expect(mu.bytes.length).toBeLessThanOrEqual(5120);
    expect(mu.ids.length).toBeLessThan(60);
    expect(mu.ids.length).toBeGreaterThan(30);
  });
});
