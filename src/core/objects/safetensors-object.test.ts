/**
 * safetensors payloads as objects (docs/laws.md O-SAFETENSORS-OBJECT): detected by media type
 * or by L-SNIFF step 2a, header validated in the load phase and reported by verify, projected
 * through a lazy view (metadata, tensors, tensor["name"] with values read by range).
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, ObjectServer } from './server.ts';
import { saveSafetensors } from '../tensors/write.ts';
import { encodeFloats } from '../tensors/safetensors.ts';
import { SAFETENSORS_MIME, SAFETENSORS_VALUES_MAX } from './payload.ts';

function model(): Uint8Array {
  return saveSafetensors([
    { name: 'layer.0.bias', dtype: 'F32', shape: [4], data: encodeFloats([1, -0.5, Number.NaN, Number.POSITIVE_INFINITY], 'F32') },
    { name: 'big', dtype: 'F32', shape: [SAFETENSORS_VALUES_MAX + 1], data: new Uint8Array(4 * (SAFETENSORS_VALUES_MAX + 1)) },
  ], { format: 'pt', note: 'test' });
}

function serve(payload: Uint8Array, mime?: string) {
  const store = new MemoryStore();
  store.put({
    $schema: 'object://schema/object.v1', id: 'object://t/model', authority: 'none', executable: false,
    payload: { type: 'binary', encoding: 'raw', ...(mime ? { mime } : {}) },
    projections: {
      default: { type: 'json', emit: { metadata: '@payload.metadata', tensors: '@payload.tensors' } },
      bias: { type: 'json', emit: '@payload.tensor["layer.0.bias"]' },
      big: { type: 'json', emit: '@payload.tensor.big' },
      missing: { type: 'json', emit: '@payload.tensor.nope' },
    },
    invariants: ['immutable_payload', 'no_execution', 'projection_only'],
  }, payload);
  return new ObjectServer({ store });
}

describe('safetensors objects', () => {
  it('are recognized without a media type; verify names the header step; projections read the header and one tensor', async () => {
    for (const mime of [undefined, SAFETENSORS_MIME]) {
      const s = serve(model(), mime);
      const v = await s.verify({ path: 'object://t/model' });
      expect(v.ok && v.steps.map((x) => x.check)).toContain('safetensors.header');
      const d = await s.handle({ path: 'object://t/model' });
      expect(d.ok && d.value).toEqual({
        metadata: { format: 'pt', note: 'test' },
        tensors: [
          { name: 'big', dtype: 'F32', shape: [SAFETENSORS_VALUES_MAX + 1], begin: 0, end: 4 * (SAFETENSORS_VALUES_MAX + 1) },
          { name: 'layer.0.bias', dtype: 'F32', shape: [4], begin: 4 * (SAFETENSORS_VALUES_MAX + 1), end: 4 * (SAFETENSORS_VALUES_MAX + 1) + 16 },
        ],
      });
      const b = await s.handle({ path: 'object://t/model', projection: 'bias' });
      expect(b.ok && (b.value as { values: unknown }).values).toEqual([1, -0.5, 'NaN', 'Infinity']);
      const big = await s.handle({ path: 'object://t/model', projection: 'big' });
      expect(big.ok && (big.value as { values: unknown; numel: number })).toMatchObject({ values: null, numel: SAFETENSORS_VALUES_MAX + 1 });
      const missing = await s.handle({ path: 'object://t/model', projection: 'missing' });
      expect(!missing.ok && missing.status).toBe(500);
    }
  });

  it('a declared safetensors payload with a broken header fails verification (422), never projected', async () => {
    const bad = model();
    bad[10] = 0x00; // inside the JSON header
    const s = serve(bad, SAFETENSORS_MIME);
    const r = await s.handle({ path: 'object://t/model' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.status).toBe(422);
    expect(!r.ok && r.error.code).toBe('integrity_violation');
    expect(!r.ok && r.error.message).toMatch(/^bad_safetensors: /);
  });
});
