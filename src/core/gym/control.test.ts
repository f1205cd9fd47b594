import { describe, expect, it } from 'vitest';
import { AsxError } from '../errors.ts';
import type { FoldV1 } from '../fold/fold.ts';
import { applyFold, effectiveScale, gate, targetMatches, type ApplyContext } from './control.ts';
import type { TensorSet } from './tensor.ts';
import { mkFold } from './control.fixtures.ts';

const f32 = (...v: number[]) => Float32Array.from(v);
const base = (): TensorSet => new Map([
  ['model.layers.0.self_attn.q_proj.weight', { shape: [2, 2], data: f32(1, 2, -1, 0.5) }],
  ['model.layers.0.mlp.bias', { shape: [2], data: f32(1, 2) }],
]);
const Q = 'model.layers.0.self_attn.q_proj.weight';
const B = 'model.layers.0.mlp.bias';
const dQ = f32(0.5, -1, 2, 0.25);
const run = (control: Partial<FoldV1['@control']>, scale = 0.5, ctx: ApplyContext = {}) => applyFold(base(), mkFold('f', control, [[Q, scale]]), new Map([[Q, dQ]]), ctx);
const q = (r: ReturnType<typeof run>) => r.tensors.get(Q)!.data;

describe('G-FOLD-APPLY modes, scale, clamp (W = [1, 2, −1, 0.5], Δ = [0.5, −1, 2, 0.25], s = 0.5)', () => {
  it('additive W + sΔ', () => expect(q(run({ mode: 'additive' }))).toEqual(f32(1.25, 1.5, 0, 0.625)));
  it('additive with clamp [−0.2, 0.2] clamps the scaled delta', () => {
    const r = run({ mode: 'additive', clamp: [-0.2, 0.2] });
    expect(q(r)).toEqual(f32(1.2, 1.8, -0.8, 0.625));
    expect(r.trace[0].clamped).toBe(3);
  });
  it('multiply W ⊙ (1 + sΔ)', () => expect(q(run({ mode: 'multiply' }))).toEqual(f32(1.25, 1, -2, 0.5625)));
  it('multiply with clamp bounds the relative change', () => expect(q(run({ mode: 'multiply', clamp: [-0.2, 0.2] }))).toEqual(f32(1.2, 1.6, -1.2, 0.5625)));
  it('replace s = 1 is Δ exactly; s = 0.5 the midpoint', () => {
    expect(q(run({ mode: 'replace' }, 1))).toEqual(dQ);
    expect(q(run({ mode: 'replace' }))).toEqual(f32(0.75, 0.5, 0.5, 0.375));
  });
  it('replace with clamp stays within W + [lo, hi]', () => expect(q(run({ mode: 'replace', clamp: [-0.2, 0.2] }, 1))).toEqual(f32(0.8, 1.8, -0.8, 0.3)));
  it('replace keeps exact values that f64 W + (Δ − W) would not', () => {
    const b: TensorSet = new Map([['w', { shape: [1], data: f32(1e30) }]]);
    const r = applyFold(b, mkFold('f', { mode: 'replace' }, [['w']]), new Map([['w', f32(1e-30)]]));
    expect(r.tensors.get('w')!.data).toEqual(f32(1e-30));
  });
  it('hybrid: additive on a matrix, replace on a vector', () => {
    const r = applyFold(base(), mkFold('f', { mode: 'hybrid' }, [[Q, 0.5], [B, 1]]), new Map([[Q, dQ], [B, f32(3, 4)]]));
    expect(q(r)).toEqual(f32(1.25, 1.5, 0, 0.625));
    expect(r.tensors.get(B)!.data).toEqual(f32(3, 4));
    expect(r.trace.map((t) => t.mode)).toEqual(['replace', 'additive']);
  });
  it('scale defaults to 1 and is capped by max_scale (sign kept)', () => {
    const f = mkFold('f', { conditions: { max_scale: 1.2 } }, []);
    expect(effectiveScale(f, undefined)).toBe(1);
    expect(effectiveScale(f, 2)).toBe(1.2);
    expect(effectiveScale(f, -2)).toBe(-1.2);
    expect(effectiveScale(f, 0.45)).toBe(0.45);
    expect(q(run({ conditions: { max_scale: 0.25 } }, 2))).toEqual(f32(1.125, 1.75, -0.5, 0.5625));
  });
  it('does not mutate the base; untouched tensors are shared', () => {
    const b = base();
    const r = applyFold(b, mkFold('f', {}, [[Q]]), new Map([[Q, dQ]]));
    expect(b.get(Q)!.data).toEqual(f32(1, 2, -1, 0.5));
    expect(r.tensors.get(B)).toBe(b.get(B));
    expect(r.trace[0]).toMatchObject({ layer: Q, targeted: true, mode: 'additive', scale: 1, clamped: 0, norm_before: Math.sqrt(6.25) });
    expect(Object.isFrozen(r.trace)).toBe(true);
  });
});

describe('G-FOLD-APPLY target_layers', () => {
  it('token runs at . and _, globs', () => {
    expect(targetMatches('attn', Q)).toBe(true);
    expect(targetMatches('mlp', Q)).toBe(false);
    expect(targetMatches('mlp', B)).toBe(true);
    expect(targetMatches('hidden', 'hidden.weight')).toBe(true);
    expect(targetMatches('hidden', 'hiddenx.weight')).toBe(false);
    expect(targetMatches('q_proj', Q)).toBe(true);
    expect(targetMatches('layers.0', 'model.layers.0.mlp.bias')).toBe(true);
    expect(targetMatches('layers.0', 'model.layers.10.mlp.bias')).toBe(false);
    expect(targetMatches('Attn', Q)).toBe(false);
    expect(targetMatches('*.bias', B)).toBe(true);
    expect(targetMatches('*.bias', Q)).toBe(false);
    expect(targetMatches('model.layers.?.*', Q)).toBe(true);
    expect(targetMatches('model.layers.?.*', 'model.layers.10.x')).toBe(false);
  });
  it('untargeted deltas are skipped; no targeted delta → no_target', () => {
    const r = applyFold(base(), mkFold('f', { target_layers: ['mlp'] }, [[Q], [B]]), new Map([[Q, dQ], [B, f32(1, 1)]]));
    expect(q(r)).toEqual(f32(1, 2, -1, 0.5));
    expect(r.tensors.get(B)!.data).toEqual(f32(2, 3));
    expect(r.trace.map((t) => [t.layer, t.targeted])).toEqual([[B, true], [Q, false]]);
    const n = applyFold(base(), mkFold('f', { target_layers: ['embed'] }, [[Q]]), new Map([[Q, dQ]]));
    expect([n.applied, n.reason]).toEqual([false, 'no_target']);
  });
});

describe('G-FOLD-APPLY apply and conditions', () => {
  const g = (control: Partial<FoldV1['@control']>, ctx: ApplyContext, before?: number, after?: number) => gate(mkFold('f', control, []), ctx, () => ({ before, after }));
  it('always ignores cooldown and loss', () => expect(g({ conditions: { cooldown_steps: 50, min_loss_improvement: 1 } }, { step: 1, lastAppliedStep: 0 }, 1, 2)).toBeNull());
  it('conditional: cooldown', () => {
    const c = { apply: 'conditional' as const, conditions: { cooldown_steps: 25 } };
    expect(g(c, { step: 100, lastAppliedStep: 80 })).toBe('cooldown');
    expect(g(c, { step: 105, lastAppliedStep: 80 })).toBeNull();
    expect(g(c, { step: 3, lastAppliedStep: null })).toBeNull();
    expect(g(c, {})).toBeNull();
    expect(g(c, { lastAppliedStep: 80 })).toBe('no_step');
  });
  it('conditional: min_loss_improvement (≥) only when present', () => {
    const c = { apply: 'conditional' as const, conditions: { min_loss_improvement: 0.25 } };
    expect(g(c, {}, 2, 1.75)).toBeNull();
    expect(g(c, {}, 2, 1.875)).toBe('loss_not_improved');
    expect(g(c, {})).toBe('no_loss');
    expect(g({ apply: 'conditional' }, {})).toBeNull();
  });
  it('if_loss_improves: strictly lower by at least min_loss_improvement', () => {
    expect(g({ apply: 'if_loss_improves' }, {}, 2, 2)).toBe('loss_not_improved');
    expect(g({ apply: 'if_loss_improves' }, {}, 2, 1.5)).toBeNull();
    expect(g({ apply: 'if_loss_improves', conditions: { min_loss_improvement: 0.5 } }, {}, 2, 1.5)).toBeNull();
    expect(g({ apply: 'if_loss_improves', conditions: { min_loss_improvement: 0.75 } }, {}, 2, 1.5)).toBe('loss_not_improved');
    expect(g({ apply: 'if_loss_improves' }, {}, undefined, 1)).toBe('no_loss');
    expect(g({ apply: 'if_loss_improves', conditions: { cooldown_steps: 5 } }, { step: 2, lastAppliedStep: 0 }, 2, 1)).toBe('cooldown');
  });
  it('manual only when named', () => {
    expect(g({ apply: 'manual' }, {})).toBe('manual');
    expect(g({ apply: 'manual' }, { manual: ['g'] })).toBe('manual');
    expect(g({ apply: 'manual' }, { manual: ['f'] })).toBeNull();
  });
  it('if_loss_improves with an evaluator (loss = sum of q_proj)', () => {
    const evaluate = (t: TensorSet) => t.get(Q)!.data.reduce((a, b) => a + b, 0);
    const down = run({ apply: 'if_loss_improves' }, -0.5, { evaluate });
    expect([down.applied, down.lossBefore, down.lossAfter]).toEqual([true, 2.5, 1.625]);
    const up = run({ apply: 'if_loss_improves' }, 0.5, { evaluate });
    expect([up.applied, up.reason, up.lossAfter]).toEqual([false, 'loss_not_improved', 3.375]);
    expect(q(up)).toEqual(f32(1, 2, -1, 0.5));
    const given = run({ apply: 'if_loss_improves' }, 0.5, { lossBefore: 3, lossAfter: 1 });
    expect(given.applied).toBe(true);
  });
});

describe('G-FOLD-APPLY typed errors with JSON paths', () => {
  const err = (f: () => unknown) => { try { f(); } catch (e) { expect(e).toBeInstanceOf(AsxError); return [(e as AsxError).code, (e as AsxError).where.path]; } return null; };
  it('unknown mode', () => expect(err(() => run({ mode: 'subtract' as never }))).toEqual(['bad_fold', '$["@control"].mode']));
  it('missing delta for a ref', () => expect(err(() => applyFold(base(), mkFold('f', {}, [[B], [Q]]), new Map([[B, f32(1, 1)]])))).toEqual(['bad_ref', '$["@data"].deltas[1].ref']));
  it('missing layer in base', () => expect(err(() => applyFold(base(), mkFold('f', {}, [['nope']]), new Map([['nope', f32(1)]])))).toEqual(['missing_layer', '$["@data"].deltas[0].layer']));
  it('shape mismatch (length and shape)', () => {
    expect(err(() => applyFold(base(), mkFold('f', {}, [[Q]]), new Map([[Q, f32(1, 2, 3)]])))).toEqual(['shape_mismatch', '$["@data"].deltas[0].layer']);
    expect(err(() => applyFold(base(), mkFold('f', {}, [[Q]]), new Map([[Q, { shape: [4], data: dQ }]])))).toEqual(['shape_mismatch', '$["@data"].deltas[0].layer']);
  });
  it('NaN / Inf in a delta, even untargeted or gated', () => {
    expect(err(() => applyFold(base(), mkFold('f', {}, [[Q]]), new Map([[Q, f32(0, NaN, 0, 0)]])))).toEqual(['non_finite', '$["@data"].deltas[0].ref']);
    expect(err(() => applyFold(base(), mkFold('f', { apply: 'manual', target_layers: ['mlp'] }, [[B], [Q]]), new Map([[B, f32(0, 0)], [Q, f32(0, 0, Infinity, 0)]])))).toEqual(['non_finite', '$["@data"].deltas[1].ref']);
  });
  it('a result that overflows f32', () => {
    const b: TensorSet = new Map([['w', { shape: [1], data: f32(3e38) }]]);
    expect(err(() => applyFold(b, mkFold('f', {}, [['w']]), new Map([['w', f32(3e38)]])))).toEqual(['non_finite', '$["@data"].deltas[0].ref']);
  });
  it('unknown blend_mode', () => expect(err(() => applyFold(base(), mkFold('f', {}, [[Q]], { '@flow': { blend_mode: 'wavy' } }), new Map([[Q, dQ]])))).toEqual(['bad_fold', '$["@flow"].blend_mode']));
});
