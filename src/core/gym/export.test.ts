import { describe, expect, it } from 'vitest';
import { AsxError } from '../errors.ts';
import { dequantize, quantize, QFORMS, type QForm } from '../fold/qrecord.ts';
import { openFoldBundle, verifyFoldBundle } from '../fold/bundle.ts';
import { exportFold, importFold, type ExportInput } from './export.ts';
import { compileSafetensors } from './compile.ts';
import type { TensorSet } from './tensor.ts';

const f32 = (...v: number[]) => Float32Array.from(v);
const code = (f: () => unknown) => { try { f(); } catch (e) { expect(e).toBeInstanceOf(AsxError); return [(e as AsxError).code, (e as AsxError).where.path]; } return null; };

function input(form: QForm, order: 'ab' | 'ba' = 'ab'): ExportInput {
  const d: Array<[string, { shape: number[]; data: Float32Array }]> = [
    ['hidden.weight', { shape: [2, 3], data: f32(1.5, -0.5, 0, 0.25, -3, 0.75) }],
    ['model/odd:name', { shape: [2], data: f32(0.125, -0.0625) }],
  ];
  const deltas: TensorSet = new Map(order === 'ab' ? d : [...d].reverse());
  const gradients: TensorSet = new Map([['hidden.weight', { shape: [2, 3], data: f32(0.1, 0.2, 0.3, 0.4, 0.5, 0.6) }]]);
  const buffers = new Map<string, Record<string, Float32Array>>([
    ['hidden.weight', { m: f32(1, 2, 3, 4, 5, 6), v: f32(6, 5, 4, 3, 2, 1) }],
    ['model/odd:name', { m: f32(7, 8), v: f32(9, 10) }],
  ]);
  return {
    foldId: 'run1', baseId: 'mx2lm-demo', deltas, gradients,
    optimizer: { spec: { type: 'adamw', lr: 0.001 }, state: { step: 40, buffers } },
    control: { apply: 'always', priority: 0, mode: 'additive', target_layers: ['hidden'] },
    flow: { entry: '@Pop', route: ['@Wo'], exit: '@Xul', blend_mode: 'smooth' },
    metrics: { steps_trained: 40, loss_curve: [2, 1.5] }, form,
  };
}

describe('G-FOLD-APPLY exportFold / importFold', () => {
  it('f32: exact round trip of deltas, gradients and optimizer state; the fold document', () => {
    const { bytes, fold } = exportFold(input('f32'));
    expect(verifyFoldBundle(bytes).ok).toBe(true);
    expect(fold['@data'].deltas).toEqual([
      { layer: 'hidden.weight', encoding: 'scxq2', ref: 'scxq2://run1/hidden.weight.delta' },
      { layer: 'model/odd:name', encoding: 'scxq2', ref: 'scxq2://run1/layer-1.delta' },
    ]);
    expect(fold['@data'].optimizer).toEqual({ type: 'adamw', lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.01, amsgrad: false, state: { m: 'scxq2://run1/optimizer.m.state', v: 'scxq2://run1/optimizer.v.state' } });
    expect(fold['@metrics']).toEqual({ steps_trained: 40, loss_curve: [2, 1.5], gradient_norm: Math.sqrt(f32(0.1, 0.2, 0.3, 0.4, 0.5, 0.6).reduce((a, x) => a + x * x, 0)), delta_norm: Math.sqrt(f32(1.5, -0.5, 0, 0.25, -3, 0.75, 0.125, -0.0625).reduce((a, x) => a + x * x, 0)), timestamp: 40 });
    const r = importFold(bytes);
    expect(r.fold).toEqual(fold);
    expect(r.deltas.get('hidden.weight')).toEqual({ shape: [2, 3], data: f32(1.5, -0.5, 0, 0.25, -3, 0.75) });
    expect(r.deltas.get('model/odd:name')).toEqual({ shape: [2], data: f32(0.125, -0.0625) });
    expect(r.gradients.get('hidden.weight')!.data).toEqual(f32(0.1, 0.2, 0.3, 0.4, 0.5, 0.6));
    expect(r.optimizer!.state.step).toBe(40);
    expect(r.optimizer!.state.buffers.get('model/odd:name')).toEqual({ m: f32(7, 8), v: f32(9, 10) });
    expect(r.optimizer!.state.buffers.get('hidden.weight')).toEqual({ m: f32(1, 2, 3, 4, 5, 6), v: f32(6, 5, 4, 3, 2, 1) });
    expect(r.optimizer!.spec).toMatchObject({ type: 'adamw', lr: 0.001, amsgrad: false });
    expect(r.bundleHash).toBe(openFoldBundle(bytes).bundleHash);
  });
  for (const form of QFORMS) {
    it(`${form}: same inputs → same bytes (twice, any Map order); values within F-QREC's bound`, () => {
      const a = exportFold(input(form)).bytes;
      expect(exportFold(input(form)).bytes).toEqual(a);
      expect(exportFold(input(form, 'ba')).bytes).toEqual(a);
      const r = importFold(a);
      expect(r.forms.get('hidden.weight')).toBe(form);
      for (const [name, t] of input(form).deltas) {
        const rec = quantize(t.data, t.shape, form);
        const got = r.deltas.get(name)!;
        expect(got.shape).toEqual(t.shape);
        expect(got.data).toEqual(dequantize(rec));
        if (form === 'f32') expect(got.data).toEqual(t.data);
        else if (form !== 'binary') {
          const s = (rec as { scale: number }).scale;
          t.data.forEach((x, i) => expect(Math.abs(got.data[i] - x)).toBeLessThanOrEqual(s / 2 * (1 + 2 ** -20)));
        }
      }
      expect(r.gradients.get('hidden.weight')!.data).toEqual(f32(0.1, 0.2, 0.3, 0.4, 0.5, 0.6));
    });
  }
  it('the f32 bundle vector', () => {
    const b = exportFold(input('f32')).bytes;
    expect([b.length, openFoldBundle(b).bundleHash]).toEqual([1985, 'sha256:268e3bc49f34cf4bfd7d28637ca051cc69db02b121329d28273fb8d84a9a2214']);
  });
  it('a tampered bundle is refused', () => {
    const b = exportFold(input('int8')).bytes;
    const ob = openFoldBundle(b);
    const e = ob.entries.find((x) => x.name === 'hidden.weight.delta')!;
    const t = Uint8Array.from(b);
    t[ob.dataOffset + e.offset + 12] ^= 1;
    expect(code(() => importFold(t))?.[0]).toBe('hash_mismatch');
    const u = Uint8Array.from(b);
    u[u.length - 1] ^= 0x80;
    expect(code(() => importFold(u))?.[0]).toBe('hash_mismatch');
  });
  it('timestamp: steps since the base (default steps_trained); state step must match', () => {
    const x = input('f32');
    expect(code(() => exportFold({ ...x, metrics: { ...x.metrics, timestamp: 41 } }))).toEqual(['bad_input', '$.optimizer.state.step']);
    const y = { ...x, optimizer: undefined, metrics: { steps_trained: 10, timestamp: 250 } };
    expect(exportFold(y).fold['@metrics']!.timestamp).toBe(250);
    expect(code(() => exportFold({ ...y, metrics: { steps_trained: 1.5 } }))).toEqual(['bad_input', '$.metrics.timestamp']);
  });
  it('typed errors: NaN delta, state missing or of the wrong size, bad control', () => {
    const x = input('f32');
    const nan = new Map(x.deltas); nan.set('hidden.weight', { shape: [2, 3], data: f32(0, NaN, 0, 0, 0, 0) });
    expect(code(() => exportFold({ ...x, deltas: nan }))).toEqual(['non_finite', '$.deltas["hidden.weight"]']);
    const short = new Map(x.optimizer!.state.buffers); short.set('model/odd:name', { m: f32(1), v: f32(1, 2) });
    expect(code(() => exportFold({ ...x, optimizer: { ...x.optimizer!, state: { step: 40, buffers: short } } }))).toEqual(['shape_mismatch', '$.optimizer.state.buffers["model/odd:name","m"]']);
    const missing = new Map(x.optimizer!.state.buffers); missing.set('model/odd:name', { m: f32(1, 2) });
    expect(code(() => exportFold({ ...x, optimizer: { ...x.optimizer!, state: { step: 40, buffers: missing } } }))).toEqual(['bad_input', '$.optimizer.state.buffers["model/odd:name","v"]']);
    expect(code(() => exportFold({ ...x, control: { ...x.control, mode: 'subtract' as never } }))).toEqual(['bad_fold', '$["@control"].mode']);
  });
  it('an imported fold compiles onto its base', () => {
    const { bytes } = exportFold({ ...input('f32'), gradients: undefined, optimizer: undefined });
    const r = importFold(bytes);
    const base: TensorSet = new Map([
      ['hidden.weight', { shape: [2, 3], data: f32(1, 1, 1, 1, 1, 1) }],
      ['model/odd:name', { shape: [2], data: f32(1, 1) }],
    ]);
    const c = compileSafetensors(base, [{ fold: r.fold, deltas: r.deltas }]);
    expect(c.tensors.get('hidden.weight')!.data).toEqual(f32(2.5, 0.5, 1, 1.25, -2, 1.75));
    expect(c.tensors.get('model/odd:name')!.data).toEqual(f32(1, 1));
  });
});
