import { describe, expect, it } from 'vitest';
import { bytesSource } from '../bytes/source.ts';
import { decodeUtf8Strict } from '../bytes/utf8.ts';
import { toHex } from '../bytes/hex.ts';
import { sha256 } from '../hash/sha256.ts';
import { canonicalJsonBytes } from '../json/jcs.ts';
import { shapeHash } from '../objects/ai/weights.ts';
import { openSafetensors } from '../tensors/safetensors.ts';
import { mkFold } from './control.fixtures.ts';
import { compileSafetensors, tensorsToSafetensors } from './compile.ts';
import type { TensorSet } from './tensor.ts';

const f32 = (...v: number[]) => Float32Array.from(v);
const compileBase = (): TensorSet => new Map([
  ['hidden.weight', { shape: [2, 2], data: f32(1, 2, 3, 4) }],
  ['hidden.bias', { shape: [2], data: f32(0.5, -0.5) }],
  ['embed.weight', { shape: [3, 1], data: f32(0.25, 0, -1) }],
]);
const compileFolds = () => [
  { fold: mkFold('b_mul', { mode: 'multiply', priority: 1 }, [['hidden.bias', 0.5]]), deltas: new Map([['hidden.bias', f32(1, 1)]]) },
  { fold: mkFold('a_add', { mode: 'additive', priority: 0, clamp: [-1, 1] }, [['hidden.weight', 2]]), deltas: new Map([['hidden.weight', f32(0.25, 0.25, 0.25, 1)]]) },
  { fold: mkFold('c_man', { apply: 'manual', priority: -1 }, [['embed.weight']]), deltas: new Map([['embed.weight', f32(9, 9, 9)]]) },
];

describe('G-FOLD-APPLY compileSafetensors', () => {
  it('model.safetensors re-reads to the merged tensors; metrics.json is canonical; same bytes twice', async () => {
    const base = compileBase();
    const r = compileSafetensors(base, compileFolds());
    const again = compileSafetensors(compileBase(), compileFolds());
    expect(again.safetensors).toEqual(r.safetensors);
    expect(again.metricsJson).toEqual(r.metricsJson);
    expect(base.get('hidden.weight')!.data).toEqual(f32(1, 2, 3, 4));
    const rd = await openSafetensors(bytesSource(r.safetensors));
    expect(rd.header.metadata).toEqual({ format: 'pt' });
    expect(Float32Array.from(await rd.floats('hidden.weight'))).toEqual(f32(1.5, 2.5, 3.5, 5));
    expect(Float32Array.from(await rd.floats('hidden.bias'))).toEqual(f32(0.75, -0.75));
    expect(Float32Array.from(await rd.floats('embed.weight'))).toEqual(f32(0.25, 0, -1));
    expect(rd.info('hidden.weight')).toMatchObject({ dtype: 'F32', shape: [2, 2] });
    expect(r.safetensors).toEqual(tensorsToSafetensors(r.tensors));
    const m = JSON.parse(decodeUtf8Strict(r.metricsJson));
    expect(canonicalJsonBytes(m)).toEqual(r.metricsJson);
    const lm = { 'embed.weight': [3, 1], 'hidden.bias': [2], 'hidden.weight': [2, 2] };
    expect(m).toMatchObject({ format: 'mx2gym.compile-metrics.v1', tensors: 3, applied: 2, skipped: 1, shape_hash: shapeHash(lm), base_shape_hash: shapeHash(lm), model_sha256: `sha256:${toHex(sha256(r.safetensors))}` });
    expect(m.folds.map((f: { fold_id: string; reason: string }) => [f.fold_id, f.reason])).toEqual([['c_man', 'manual'], ['a_add', 'applied'], ['b_mul', 'applied']]);
    expect(m.folds[1].layers[0]).toEqual({ layer: 'hidden.weight', targeted: true, mode: 'additive', scale: 2, clamped: 1, delta_norm: Math.sqrt(3 * 0.0625 + 1), change_norm: Math.sqrt(3 * 0.25 + 1), norm_before: Math.sqrt(30), norm_after: Math.sqrt(1.5 ** 2 + 2.5 ** 2 + 3.5 ** 2 + 25) });
    expect(m.folds[0].layers[0]).toMatchObject({ change_norm: 0, norm_after: m.folds[0].layers[0].norm_before });
    // The law's vector (docs/laws.md G-FOLD-APPLY).
    expect(`sha256:${toHex(sha256(r.safetensors))}`).toBe('sha256:5b08dfd75ca9bf907a4c694a4fb368e522ea3ad6aab478831de4067e954b62b2');
    expect(r.safetensors.length).toBe(284);
  });
  it('metadata null writes no __metadata__', async () => {
    const r = compileSafetensors(compileBase(), [], { metadata: null });
    const rd = await openSafetensors(bytesSource(r.safetensors));
    expect(rd.header.metadata ?? null).toBeNull();
    expect(JSON.parse(decodeUtf8Strict(r.metricsJson)).folds).toEqual([]);
  });
});
