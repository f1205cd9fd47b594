import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AsxError } from '../errors.ts';
import { compareUtf8 } from '../bytes/utf8.ts';
import type { FoldV1 } from '../fold/fold.ts';
import { applyFold } from './control.ts';
import { mkFold } from './control.fixtures.ts';
import { layerIndex, mergeHorizontal, mergeHybrid, mergeVertical, renameLayer, type FoldInput } from './merge.ts';
import { cloneTensors, type TensorSet } from './tensor.ts';

const f32 = (...v: number[]) => Float32Array.from(v);
const code = (f: () => unknown) => { try { f(); } catch (e) { expect(e).toBeInstanceOf(AsxError); return [(e as AsxError).code, (e as AsxError).where.path]; } return null; };

const NAMES = ['a.weight', 'b.bias', 'c.weight'];
const SHAPES: Record<string, number[]> = { 'a.weight': [2, 3], 'b.bias': [4], 'c.weight': [3, 2] };

const arbFold = (i: number) => fc.record({
  priority: fc.integer({ min: -3, max: 3 }),
  mode: fc.constantFrom('additive', 'replace', 'multiply', 'hybrid') as fc.Arbitrary<FoldV1['@control']['mode']>,
  clamp: fc.option(fc.tuple(fc.double({ min: -0.2, max: 0, noNaN: true }), fc.double({ min: 0, max: 0.2, noNaN: true })), { nil: undefined }),
  maxScale: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  layers: fc.subarray(NAMES, { minLength: 1 }),
  scale: fc.double({ min: -1, max: 1, noNaN: true }),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
}).map((r): FoldInput => {
  const fold = mkFold(`f${(i * 7919) % 1000}`, {
    priority: r.priority, mode: r.mode,
    ...(r.clamp ? { clamp: r.clamp } : {}),
    ...(r.maxScale !== undefined ? { conditions: { max_scale: r.maxScale } } : {}),
  }, r.layers.map((l) => [l, r.scale] as [string, number]));
  let x = r.seed;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648 - 0.5; };
  const deltas = new Map(r.layers.map((l) => [l, Float32Array.from({ length: SHAPES[l].reduce((a, b) => a * b, 1) }, () => rnd() / 5)]));
  return { fold, deltas };
});

function baseModel(): TensorSet {
  return new Map(NAMES.map((n) => [n, { shape: SHAPES[n], data: Float32Array.from({ length: SHAPES[n].reduce((a, b) => a * b, 1) }, (_, k) => (k + 1) / 4) }]));
}

describe('G-FOLD-APPLY mergeHorizontal', () => {
  it('120 random folds = applying them one by one in (priority, fold_id) order (property)', () => {
    fc.assert(fc.property(fc.tuple(...Array.from({ length: 120 }, (_, i) => arbFold(i))), (folds) => {
      const base = baseModel();
      const merged = mergeHorizontal(base, folds);
      const order = [...folds].sort((a, b) => (a.fold['@control'].priority - b.fold['@control'].priority) || compareUtf8(a.fold.fold_id, b.fold.fold_id));
      let t: TensorSet = baseModel();
      for (const f of order) t = applyFold(t, f.fold, f.deltas).tensors;
      expect(merged.outcomes.map((o) => o.fold_id)).toEqual(order.map((f) => f.fold.fold_id));
      for (const n of NAMES) expect(merged.tensors.get(n)!.data).toEqual(t.get(n)!.data);
      expect(base.get('a.weight')!.data).toEqual(baseModel().get('a.weight')!.data);
    }), { numRuns: 15, seed: 0x9e11 });
  });
  it('priority ties go by fold_id; the later replace wins', () => {
    const base: TensorSet = new Map([['w', { shape: [1], data: f32(0) }]]);
    const fa = { fold: mkFold('a', { mode: 'replace', priority: 1 }, [['w']]), deltas: new Map([['w', f32(1)]]) };
    const fb = { fold: mkFold('b', { mode: 'replace', priority: 1 }, [['w']]), deltas: new Map([['w', f32(2)]]) };
    const fz = { fold: mkFold('z', { mode: 'replace', priority: 0 }, [['w']]), deltas: new Map([['w', f32(3)]]) };
    const r = mergeHorizontal(base, [fb, fz, fa]);
    expect(r.outcomes.map((o) => o.fold_id)).toEqual(['z', 'a', 'b']);
    expect(r.tensors.get('w')!.data).toEqual(f32(2));
  });
  it('interactions reorder; a cycle is a typed error', () => {
    const base: TensorSet = new Map([['w', { shape: [1], data: f32(0) }]]);
    const fa = { fold: mkFold('a', { mode: 'replace', priority: 9 }, [['w']], { '@flow': { interaction: ['b'] } }), deltas: new Map([['w', f32(1)]]) };
    const fb = { fold: mkFold('b', { mode: 'replace', priority: 10 }, [['w']]), deltas: new Map([['w', f32(2)]]) };
    expect(mergeHorizontal(base, [fa, fb]).tensors.get('w')!.data).toEqual(f32(1));
    const fc2 = { fold: mkFold('b', { mode: 'replace', priority: 10 }, [['w']], { '@flow': { interaction: ['a'] } }), deltas: new Map([['w', f32(2)]]) };
    expect(code(() => mergeHorizontal(base, [fa, fc2]))).toEqual(['interaction_cycle', '$[0]["@flow"].interaction']);
  });
  it('gates per fold; outcomes say why; errors carry the fold index', () => {
    const base: TensorSet = new Map([['w', { shape: [1], data: f32(0) }]]);
    const folds = [
      { fold: mkFold('m', { apply: 'manual' }, [['w']]), deltas: new Map([['w', f32(1)]]) },
      { fold: mkFold('n', { apply: 'manual' }, [['w']]), deltas: new Map([['w', f32(10)]]) },
      { fold: mkFold('c', { apply: 'conditional', conditions: { cooldown_steps: 5 } }, [['w']]), deltas: new Map([['w', f32(100)]]) },
    ];
    const r = mergeHorizontal(base, folds, { context: (f) => ({ manual: ['n'], step: 10, lastAppliedStep: f.fold_id === 'c' ? 8 : null }) });
    expect(r.outcomes.map((o) => [o.fold_id, o.reason])).toEqual([['c', 'cooldown'], ['m', 'manual'], ['n', 'applied']]);
    expect(r.tensors.get('w')!.data).toEqual(f32(10));
    expect(base.get('w')!.data).toEqual(f32(0));
    const bad = [folds[0], { fold: mkFold('s', {}, [['w']]), deltas: new Map([['w', f32(1, 2)]]) }];
    expect(code(() => mergeHorizontal(base, bad))).toEqual(['shape_mismatch', '$[1]["@data"].deltas[0].layer']);
    const vert = { fold: mkFold('v', {}, [['w']], { '@flow': { merge_strategy: 'vertical' } }), deltas: new Map([['w', f32(1)]]) };
    expect(code(() => mergeHorizontal(base, [vert]))).toEqual(['bad_fold', '$[0]["@flow"].merge_strategy']);
  });
  it('inPlace writes into the base map without copying the model', () => {
    const base: TensorSet = new Map([['w', { shape: [1], data: f32(1) }], ['u', { shape: [1], data: f32(5) }]]);
    const u = base.get('u');
    const r = mergeHorizontal(base, [{ fold: mkFold('a', {}, [['w']]), deltas: new Map([['w', f32(1)]]) }], { inPlace: true });
    expect(r.tensors).toBe(base);
    expect(base.get('w')!.data).toEqual(f32(2));
    expect(base.get('u')).toBe(u);
  });
});

describe('G-FOLD-APPLY mergeVertical (passthrough)', () => {
  const model = (tag: number, layers: number, prefix = 'model.layers'): TensorSet => {
    const m: TensorSet = new Map([['model.embed_tokens.weight', { shape: [1], data: f32(tag) }], ['lm_head.weight', { shape: [1], data: f32(tag + 0.5) }]]);
    for (let l = 0; l < layers; l++) {
      m.set(`${prefix}.${l}.mlp.weight`, { shape: [1], data: f32(tag * 100 + l) });
      m.set(`${prefix}.${l}.attn.bias`, { shape: [1], data: f32(tag * 100 + l + 0.25) });
    }
    return m;
  };
  it('layer index and renaming', () => {
    expect(layerIndex('model.layers.12.mlp.weight')).toMatchObject({ index: 12, component: 2 });
    expect(layerIndex('h.0.attn')).toMatchObject({ index: 0 });
    expect(layerIndex('model.layers.01.x')).toBeNull();
    expect(layerIndex('embed.weight')).toBeNull();
    expect(layerIndex('hidden.weight')).toMatchObject({ index: 0 });
    expect(renameLayer('model.layers.12.mlp.weight', 3)).toBe('model.layers.3.mlp.weight');
    expect(renameLayer('hidden.bias', 2)).toBe('hidden.2.bias');
    expect(renameLayer('hidden.1.bias', 0)).toBe('hidden.0.bias');
  });
  it('slices stack and renumber; unindexed tensors from the base model', () => {
    const models = new Map([['A', model(1, 4)], ['B', model(2, 4)]]);
    const out = mergeVertical(models, { slices: [{ model: 'A', layers: [0, 2] }, { model: 'B', layers: [1, 4] }, { model: 'A', layers: [3, 4] }] });
    const get = (n: string) => out.get(n)?.data[0];
    expect([...out.keys()].length).toBe(2 + 6 * 2);
    expect([0, 1, 2, 3, 4, 5].map((l) => get(`model.layers.${l}.mlp.weight`))).toEqual([100, 101, 201, 202, 203, 103]);
    expect(get('model.layers.5.attn.bias')).toBe(103.25);
    expect(get('model.embed_tokens.weight')).toBe(1);
    expect(get('lm_head.weight')).toBe(1.5);
    expect(out.get('model.layers.0.mlp.weight')!.data).not.toBe(models.get('A')!.get('model.layers.0.mlp.weight')!.data);
    const out2 = mergeVertical(models, { base: 'B', slices: [{ model: 'A', layers: [1, 2] }, { model: 'B', names: ['lm_head.weight'], rename: { 'lm_head.weight': 'lm_head.weight' } }] });
    expect([out2.get('model.layers.0.mlp.weight')!.data[0], out2.get('lm_head.weight')!.data[0], out2.get('model.embed_tokens.weight')!.data[0]]).toEqual([101, 2.5, 2]);
  });
  it('MX2LM: hidden.weight is layer 0; stacking two single-layer models', () => {
    const mx = (t: number): TensorSet => new Map([
      ['embed.weight', { shape: [1], data: f32(t) }], ['hidden.weight', { shape: [1], data: f32(t + 0.1) }],
      ['hidden.bias', { shape: [1], data: f32(t + 0.2) }], ['out.weight', { shape: [1], data: f32(t + 0.3) }], ['out.bias', { shape: [1], data: f32(t + 0.4) }],
    ]);
    const out = mergeVertical(new Map([['p', mx(1)], ['q', mx(2)]]), { slices: [{ model: 'p', layers: [0, 1] }, { model: 'q', layers: [0, 1] }] });
    expect([...out.keys()].sort()).toEqual(['embed.weight', 'hidden.0.bias', 'hidden.0.weight', 'hidden.1.bias', 'hidden.1.weight', 'out.bias', 'out.weight']);
    expect(out.get('hidden.1.weight')!.data).toEqual(f32(2.1));
  });
  it('errors', () => {
    const models = new Map([['A', model(1, 2)]]);
    expect(code(() => mergeVertical(models, { slices: [{ model: 'Z', layers: [0, 1] }] }))).toEqual(['bad_input', '$.slices[0].model']);
    expect(code(() => mergeVertical(models, { slices: [{ model: 'A', layers: [1, 3] }] }))).toEqual(['missing_layer', '$.slices[0].layers']);
    expect(code(() => mergeVertical(models, { slices: [{ model: 'A', layers: [1, 1] }] }))).toEqual(['missing_layer', '$.slices[0].layers']);
    expect(code(() => mergeVertical(models, { slices: [{ model: 'A', names: ['x'] }] }))).toEqual(['missing_layer', '$.slices[0].names[0]']);
    expect(code(() => mergeVertical(models, { slices: [{ model: 'A', layers: [0, 1] }, { model: 'A', names: ['model.layers.1.mlp.weight'], rename: { 'model.layers.1.mlp.weight': 'model.layers.0.mlp.weight' } }] }))).toEqual(['bad_input', '$.slices[1]']);
  });
});

describe('G-FOLD-APPLY mergeHybrid', () => {
  it('horizontal folds into their source, then the stack, then vertical folds on the stack', () => {
    const A: TensorSet = new Map([['l.0.w', { shape: [1], data: f32(1) }], ['emb', { shape: [1], data: f32(0) }]]);
    const B: TensorSet = new Map([['l.0.w', { shape: [1], data: f32(10) }]]);
    const keepA = cloneTensors(A);
    const fa = { fold: { ...mkFold('fa', {}, [['l.0.w']]), model_base: 'A' }, deltas: new Map([['l.0.w', f32(1)]]) };
    const fs = { fold: { ...mkFold('fs', { mode: 'multiply' }, [['l.1.w']], { '@flow': { merge_strategy: 'vertical' } }), model_base: 'stack' }, deltas: new Map([['l.1.w', f32(1)]]) };
    const r = mergeHybrid(new Map([['A', A], ['B', B]]), { slices: [{ model: 'A', layers: [0, 1] }, { model: 'B', layers: [0, 1] }], folds: [fs, fa] });
    expect([r.tensors.get('l.0.w')!.data[0], r.tensors.get('l.1.w')!.data[0], r.tensors.get('emb')!.data[0]]).toEqual([2, 20, 0]);
    expect(r.sources.get('A')!.map((o) => o.fold_id)).toEqual(['fa']);
    expect(r.stacked.map((o) => o.fold_id)).toEqual(['fs']);
    expect(A.get('l.0.w')!.data).toEqual(keepA.get('l.0.w')!.data);
    const lost = { fold: { ...mkFold('x', {}, [['l.0.w']]), model_base: 'C' }, deltas: new Map([['l.0.w', f32(1)]]) };
    expect(code(() => mergeHybrid(new Map([['A', A]]), { slices: [], folds: [lost] }))).toEqual(['bad_fold', '$.folds[0].model_base']);
    const badLate = { fold: { ...mkFold('y', {}, [['l.9.w']], { '@flow': { merge_strategy: 'hybrid' } }) }, deltas: new Map([['l.9.w', f32(1)]]) };
    expect(code(() => mergeHybrid(new Map([['A', A]]), { slices: [{ model: 'A', layers: [0, 1] }], folds: [fa, badLate] }))).toEqual(['missing_layer', '$.folds[1]["@data"].deltas[0].layer']);
  });
});
