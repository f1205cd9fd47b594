import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { checkFold, type FoldV1 } from '../fold/fold.ts';
import { initMatrix, type MatrixConfig } from '../mx2lm/matrix.ts';
import { GymRun, streamPrefix, DEFAULT_RUN_OPTIONS } from './run.ts';
import { sortedNames, type TensorSet } from './tensor.ts';
import { foldBundleOf } from './run-export.ts';
import { importFold } from './export.ts';
import { gymFixture, foldDoc } from '../testing/gym-fixture.ts';
import { tensorSetOf } from './load.ts';
import { parseText } from '../mx2lm/corpus.ts';
import { splitUserSentences, tokenIdsOf } from '../mx2lm/encode.ts';
import { parseFold } from '../fold/fold.ts';
import { utf8 } from '../bytes/utf8.ts';

const config: MatrixConfig = { vocabSize: 12, context: 2, embedDim: 4, hidden: 6, activation: 'tanh' };

function fold(extra: Partial<FoldV1['@control']> = {}, optimizer: NonNullable<FoldV1['@data']['optimizer']> = { type: 'adamw', lr: 0.05 }): FoldV1 {
  const doc = {
    fold_id: 'run_t', version: '1.0.0', model_base: 'object://ai/weights/t', mx2gym_format: 'fold.v1',
    '@data': { deltas: [], optimizer },
    '@control': { apply: 'always', priority: 0, mode: 'additive', ...extra },
  };
  const c = checkFold(doc);
  if (!c.ok) throw new Error(JSON.stringify(c.issues));
  return c.fold;
}

// A repetitive corpus over ids 3..11 (0 <unk>, 1 <s>, 2 </s>): "3 4 5 6 </s> 7 8 9 </s> …".
function stream(reps: number): Int32Array {
  const s: number[] = [];
  for (let r = 0; r < reps; r++) s.push(3, 4, 5, 6, 2, 7, 8, 9, 10, 11, 2);
  return Int32Array.from(s);
}

function hashOf(t: TensorSet): string {
  const h = sha256.create();
  for (const n of sortedNames(t)) h.update(new Uint8Array(t.get(n)!.data.buffer, t.get(n)!.data.byteOffset, t.get(n)!.data.byteLength));
  return bytesToHex(h.digest());
}

function run(f: FoldV1, steps = 40): GymRun {
  const r = new GymRun(initMatrix(config, 7), config, f, stream(50), stream(5), { ...DEFAULT_RUN_OPTIONS, steps, batchSize: 8, evalEvery: 10, evalTokens: 1000 });
  while (!r.done) { r.next(); if (r.step % 10 === 0) r.evaluate(); }
  return r;
}

describe('GymRun (G-RUN)', () => {
  it('trains: validation loss falls well below the untrained model on a learnable corpus', () => {
    const r0 = new GymRun(initMatrix(config, 7), config, fold(), stream(50), stream(5), { ...DEFAULT_RUN_OPTIONS, steps: 1, batchSize: 8, evalTokens: 1000 });
    const before = r0.evaluate().valid.meanNll;
    const r = run(fold());
    const after = r.evaluate().valid.meanNll;
    // ln 12 ≈ 2.48 for a uniform guess; most next tokens here are determined by the context.
    expect(before).toBeGreaterThan(2);
    expect(after).toBeLessThan(before / 2);
    expect(r.lossCurve.length).toBe(4);
  });

  it('is deterministic: the same inputs give the same params, metrics and deltas, byte for byte', () => {
    const a = run(fold()), b = run(fold());
    expect(hashOf(a.params)).toBe(hashOf(b.params));
    expect(hashOf(a.deltas())).toBe(hashOf(b.deltas()));
    expect(JSON.stringify(a.metrics())).toBe(JSON.stringify(b.metrics()));
    const c = new GymRun(initMatrix(config, 7), config, fold(), stream(50), stream(5), { ...DEFAULT_RUN_OPTIONS, steps: 40, batchSize: 8, seed: 2, evalTokens: 1000 });
    while (!c.done) c.next();
    expect(hashOf(c.params)).not.toBe(hashOf(a.params));
  });

  it('@control.target_layers: untargeted tensors stay at the base, bit for bit', () => {
    const r = run(fold({ target_layers: ['out'] }), 10);
    expect(r.trained).toEqual(['out.bias', 'out.weight']);
    for (const n of ['embed.weight', 'hidden.bias', 'hidden.weight']) expect(r.params.get(n)!.data).toEqual(r.base.get(n)!.data);
    expect([...r.deltas().keys()]).toEqual(['out.bias', 'out.weight']);
    expect(() => run(fold({ target_layers: ['attn'] }), 1)).toThrow(/target_layers/);
  });

  it('@metrics: timestamp is the step count (a logical clock), delta_norm is ‖params − base‖', () => {
    const r = run(fold(), 20);
    const m = r.metrics();
    expect(m.timestamp).toBe(20);
    expect(m.steps_trained).toBe(20);
    let s = 0;
    for (const t of r.deltas().values()) for (const x of t.data) s += x * x;
    expect(m.delta_norm).toBeCloseTo(Math.sqrt(s), 12);
    expect(m.gradient_norm).toBeGreaterThan(0);
  });

  it('a diverging run stops with the cause and keeps the last good params', () => {
    const r = new GymRun(initMatrix(config, 7), config, fold({}, { type: 'rmsprop', lr: 1e4 }), stream(50), stream(5), { ...DEFAULT_RUN_OPTIONS, steps: 200, batchSize: 8, evalTokens: 1000, lossBound: 10 });
    let last = '';
    while (!r.done) {
      const before = hashOf(r.params);
      const s = r.next();
      if (s.divergence) { last = before; break; }
    }
    expect(r.stopped).not.toBeNull();
    expect(r.stopped!.cause).toMatch(/loss|gradient/);
    expect(hashOf(r.params)).toBe(last);
    expect(() => r.next()).toThrow(/run is over/);
  });

  it('streamPrefix cuts at a sentence end', () => {
    const s = stream(3);
    expect([...streamPrefix(s, 3, 2)]).toEqual([3, 4, 5, 6, 2]);
    expect(streamPrefix(s, 100, 2)).toBe(s);
  });

  it('export: the run as a fold bundle, the same bytes twice, imported back with its deltas, gradients and optimizer state', () => {
    const a = run(fold(), 20), b = run(fold(), 20);
    const fa = foldBundleOf(a), fb = foldBundleOf(b);
    expect(fa.name).toBe('run_t.step-20.fold');
    expect(fa.hash).toBe(fb.hash);
    expect(bytesToHex(fa.bytes)).toBe(bytesToHex(fb.bytes));
    const imp = importFold(fa.bytes);
    expect(imp.bundleHash).toBe(fa.hash);
    expect(imp.fold['@metrics']!.timestamp).toBe(20);
    expect(imp.fold['@data'].optimizer!.type).toBe('adamw');
    const d = a.deltas();
    for (const n of sortedNames(d)) expect(imp.deltas.get(n)!.data).toEqual(d.get(n)!.data);
    for (const n of sortedNames(a.lastGrads!)) expect(imp.gradients.get(n)!.data).toEqual(a.lastGrads!.get(n)!.data);
    expect(imp.optimizer!.state.step).toBe(20);
    const flipped = fa.bytes.slice();
    flipped[flipped.length - 40] ^= 1;
    expect(() => importFold(flipped)).toThrow();
  });

  it('vector (G-RUN): the gym fixture, 300 AdamW steps, gives this fold bundle', async () => {
    const fx = gymFixture();
    const { tensors } = await tensorSetOf(fx.base);
    const ids = tokenIdsOf(JSON.parse(new TextDecoder().decode(fx.tokenizer)));
    const split = splitUserSentences([parseText(fx.text, 'gym.txt')]);
    expect([fx.vocab.length, split.train.length, split.valid.length]).toEqual([38, 540, 60]);
    const r = new GymRun(tensors, fx.config, parseFold(utf8(foldDoc())), ids.encode(split.train), ids.encode(split.valid), { steps: 300, batchSize: 16, seed: 1, evalEvery: 50, evalTokens: 2000, form: 'f32', markers: { bos: ids.bos, eos: ids.eos } });
    expect(r.evaluateParams(r.base).perplexity).toBeCloseTo(40.8375, 4);
    while (!r.done) { r.next(); if (r.step % 50 === 0 || r.done) r.evaluate(); }
    expect(r.evaluateParams(r.params).perplexity).toBeCloseTo(2.7324, 4);
    const b = foldBundleOf(r);
    expect([b.name, b.bytes.length, b.hash]).toEqual(['e2e_fold.step-300.fold', 23355, 'sha256:32a16457a0fab50aacc6bb9ba36cd4548e3034b4b5077ad031bbce98def81183']);
  });
});
