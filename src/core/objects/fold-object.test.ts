/**
 * MX2GYM fold bundles as objects (docs/laws.md O-FOLD-OBJECT): recognised by their magic,
 * opened in the load phase, verified entry by entry after the payload hash (so a bundle whose
 * descriptor hash was made to match tampered bytes is still refused), projected through a view
 * (fold, entries, bundle_hash).
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore, ObjectServer } from './server.ts';
import { writeFoldBundle } from '../fold/bundle.ts';
import { encodeTensorRecord } from '../fold/qrecord.ts';
import { checkFold } from '../fold/fold.ts';

function bundle(): Uint8Array {
  const c = checkFold({ fold_id: 't1', version: '1.0.0', model_base: 'm', mx2gym_format: 'fold.v1', '@data': { deltas: [{ layer: 'out.bias', encoding: 'scxq2', ref: 'scxq2://t1/out.bias.delta' }] }, '@control': { apply: 'always', priority: 0, mode: 'additive' } });
  if (!c.ok) throw new Error('bad fold');
  return writeFoldBundle(c.fold, [{ name: 'out.bias.delta', bytes: encodeTensorRecord(Float32Array.of(0.5, -1), [2], 'int8') }]);
}

function serve(payload: Uint8Array) {
  const store = new MemoryStore();
  store.put({
    $schema: 'object://schema/object.v1', id: 'object://t/fold', authority: 'none', executable: false,
    payload: { type: 'binary', encoding: 'raw', mime: 'application/vnd.asx.fold-bundle' },
    projections: { default: { type: 'json', emit: { fold: '@payload.fold', bundle_hash: '@payload.bundle_hash' } }, entries: { type: 'json', emit: '@payload.entries' } },
    invariants: ['immutable_payload', 'no_execution', 'projection_only'],
  }, payload);
  return new ObjectServer({ store });
}

describe('fold bundle objects', () => {
  it('verify names the bundle step; projections give the fold, its entries and the bundle hash', async () => {
    const s = serve(bundle());
    const v = await s.verify({ path: 'object://t/fold' });
    expect(v.ok && v.steps.map((x) => x.check)).toContain('fold.bundle');
    const d = await s.handle({ path: 'object://t/fold' });
    expect(d.ok && (d.value as { fold: { fold_id: string } }).fold.fold_id).toBe('t1');
    expect(d.ok && (d.value as { bundle_hash: string }).bundle_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const e = await s.handle({ path: 'object://t/fold', projection: 'entries' });
    expect(e.ok && (e.value as Array<{ name: string }>).map((x) => x.name)).toEqual(['out.bias.delta']);
  });

  it('an entry byte flipped (the descriptor hash made to match the bytes) is refused at verify: 422, never projected', async () => {
    const bad = bundle();
    bad[bad.length - 40] ^= 0x01; // inside the record, before the trailer
    const s = serve(bad);
    const r = await s.handle({ path: 'object://t/fold' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.status).toBe(422);
    expect(!r.ok && r.error.message).toMatch(/^hash_mismatch: /);
  });
});
