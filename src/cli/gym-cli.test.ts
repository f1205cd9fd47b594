import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asx, type CliRun } from './cli-testing.ts';
import { gymFixture, foldDoc } from '../core/testing/gym-fixture.ts';
import { utf8 } from '../core/bytes/utf8.ts';
import { parseFold } from '../core/fold/fold.ts';
import { parseText } from '../core/mx2lm/corpus.ts';
import { splitUserSentences, tokenIdsOf, linesOfSentences } from '../core/mx2lm/encode.ts';
import { tensorSetOf, safetensorsOf } from '../core/gym/load.ts';
import { GymRun } from '../core/gym/run.ts';
import { foldBundleOf } from '../core/gym/run-export.ts';
import { importFold } from '../core/gym/export.ts';


const dir = mkdtempSync(join(tmpdir(), 'asx-gym-'));
const f = (n: string) => join(dir, n);
const fx = gymFixture();

describe('asx gym', () => {
  beforeAll(() => {
    writeFileSync(f('base.safetensors'), fx.base);
    writeFileSync(f('tokenizer.json'), fx.tokenizer);
    writeFileSync(f('gym.txt'), fx.text);
    writeFileSync(f('a.fold.json'), foldDoc({ foldId: 'fold_a', priority: 1 }));
    writeFileSync(f('b.fold.json'), foldDoc({ foldId: 'fold_b', priority: 2, optimizer: { type: 'lion', lr: 0.001 }, control: { target_layers: ['out'] } }));
    writeFileSync(f('bad.fold.json'), foldDoc({ control: { mode: 'subtract' } }));
    const split = splitUserSentences([parseText(fx.text, 'gym.txt')]);
    writeFileSync(f('valid.txt'), linesOfSentences(split.valid));
  });

  it('train: folds every N steps and a final one, byte-identical to the core GymRun run here', async () => {
    const r = await asx('gym', 'train', '--base', f('base.safetensors'), '--tokenizer', f('tokenizer.json'), '--text', f('gym.txt'), '--fold', f('a.fold.json'),
      '--steps', '300', '--batch', '16', '--eval-every', '50', '--eval-tokens', '2000', '--export-every', '100', '--quiet', '-o', f('out-a'));
    expect(r.code, r.err).toBe(0);
    const names = readdirSync(f('out-a')).sort();
    expect(names).toEqual(['fold_a.log.json', 'fold_a.step-100.fold', 'fold_a.step-200.fold', 'fold_a.step-300.fold']);
    // The same run through the core directly.
    const { tensors } = await tensorSetOf(fx.base);
    const ids = tokenIdsOf(JSON.parse(new TextDecoder().decode(fx.tokenizer)));
    const split = splitUserSentences([parseText(fx.text, 'gym.txt')]);
    const run = new GymRun(tensors, fx.config, parseFold(utf8(foldDoc({ foldId: 'fold_a', priority: 1 }))), ids.encode(split.train), ids.encode(split.valid),
      { steps: 300, batchSize: 16, seed: 1, evalEvery: 50, evalTokens: 2000, form: 'f32', markers: { bos: ids.bos, eos: ids.eos } });
    while (!run.done) { run.next(); if (run.step % 50 === 0 || run.done) run.evaluate(); }
    expect(Buffer.from(readFileSync(f('out-a/fold_a.step-300.fold'))).equals(Buffer.from(foldBundleOf(run).bytes))).toBe(true);
    const log = JSON.parse(readFileSync(f('out-a/fold_a.log.json'), 'utf8')) as { eval: Array<{ step: number; valid_ppl: number }> };
    expect(log.eval[log.eval.length - 1].valid_ppl).toBeLessThan(log.eval[0].valid_ppl / 2);
  });

  it('compile and merge: base + two folds in priority order; perplexity of each input and of the merge', async () => {
    const rb = await asx('gym', 'train', '--base', f('base.safetensors'), '--tokenizer', f('tokenizer.json'), '--text', f('gym.txt'), '--fold', f('b.fold.json'),
      '--steps', '150', '--batch', '16', '--eval-every', '50', '--eval-tokens', '2000', '--quiet', '-o', f('out-b'));
    expect(rb.code, rb.err).toBe(0);
    const r = await asx('gym', 'compile', f('base.safetensors'), f('out-a/fold_a.step-300.fold'), f('out-b/fold_b.step-150.fold'), '-o', f('model.safetensors'),
      '--tokenizer', f('tokenizer.json'), '--valid', f('valid.txt'), '--eval-tokens', '2000');
    expect(r.code, r.err).toBe(0);
    const ppl = [...r.out.matchAll(/: ([\d.]+)\n/g)].map((m) => Number(m[1]));
    const base = Number(/base ([\d.]+)/.exec(r.out)![1]);
    expect(ppl).toHaveLength(3);
    expect(ppl[0]).toBeLessThan(base);
    const metrics = JSON.parse(readFileSync(f('model.metrics.json'), 'utf8')) as { folds: Array<{ fold_id: string; applied: boolean }> };
    expect(metrics.folds.map((x) => x.fold_id)).toEqual(['fold_a', 'fold_b']);
    // The compiled model is base + Δa + Δb (fold_b trained only out.*): check one tensor.
    const { tensors: model } = await tensorSetOf(readFileSync(f('model.safetensors')));
    const { tensors: base0 } = await tensorSetOf(fx.base);
    const a = importFold(readFileSync(f('out-a/fold_a.step-300.fold')));
    const e = model.get('embed.weight')!.data, e0 = base0.get('embed.weight')!.data, da = a.deltas.get('embed.weight')!.data;
    for (let i = 0; i < e.length; i++) expect(e[i]).toBe(Math.fround(e0[i] + da[i]));
    const m = await asx('gym', 'merge', f('base.safetensors'), f('out-b/fold_b.step-150.fold'), f('out-a/fold_a.step-300.fold'), '-o', f('merged.safetensors'));
    expect(m.code, m.err).toBe(0);
    expect(Buffer.from(readFileSync(f('merged.safetensors'))).equals(readFileSync(f('model.safetensors')))).toBe(true);
  });

  it('analyze: gradient figures of a fold, and a compressed gradient file that opens as a fold', async () => {
    const r = await asx('gym', 'analyze', f('out-a/fold_a.step-300.fold'), '-o', f('grads.fold'));
    expect(r.code, r.err).toBe(0);
    const a = JSON.parse(r.out) as { source: string; l2: number; tensors: Array<{ name: string; l2: number }> };
    expect(a.source).toBe('fold gradients');
    expect(a.tensors.map((t) => t.name)).toEqual(['embed.weight', 'hidden.bias', 'hidden.weight', 'out.bias', 'out.weight']);
    expect(a.l2).toBeGreaterThan(0);
    const g = importFold(readFileSync(f('grads.fold')));
    expect(g.forms.get('out.weight')).toBe('int8');
    expect(readFileSync(f('grads.fold')).length).toBeLessThan(readFileSync(f('out-a/fold_a.step-300.fold')).length / 4);
  });

  it('optimize: one AdamW step from files; resumed from a fold it continues that fold\'s state', async () => {
    const grads = importFold(readFileSync(f('out-a/fold_a.step-300.fold'))).gradients;
    writeFileSync(f('grads.safetensors'), safetensorsOf(grads));
    const r = await asx('gym', 'optimize', f('base.safetensors'), '--grads', f('grads.safetensors'), '--optimizer', 'adamw', '--lr', '0.01', '-o', f('opt.safetensors'));
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).step).toBe(1);
    const r2 = await asx('gym', 'optimize', f('base.safetensors'), '--grads', f('grads.safetensors'), '--fold', f('out-a/fold_a.step-300.fold'), '-o', f('opt2.safetensors'));
    expect(r2.code, r2.err).toBe(0);
    expect(JSON.parse(r2.out).step).toBe(301);
  });

  it('bad input: a malformed fold names its path; a tokenizer that does not fit the model; no stack traces', async () => {
    const r = await asx('gym', 'train', '--base', f('base.safetensors'), '--tokenizer', f('tokenizer.json'), '--text', f('gym.txt'), '--fold', f('bad.fold.json'), '-o', f('out-bad'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^asx: bad_fold: .*\$\["@control"\]\.mode/);
    writeFileSync(f('small.json'), new TextDecoder().decode(fx.tokenizer).replace('"<unk>": 0,', '"<unk>": 0, "zzz-extra": 999,'));
    const r2 = await asx('gym', 'train', '--base', f('base.safetensors'), '--tokenizer', f('small.json'), '--text', f('gym.txt'), '--fold', f('a.fold.json'), '-o', f('out-bad'));
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/^asx: bad_input: the tokenizer has 1000 tokens/);
    for (const x of [r, r2]) expect(x.err).not.toMatch(/\n\s+at /);
    const u = await asx('gym', 'train', '--fold', f('a.fold.json'), '-o', f('out-bad'));
    expect(u.code).toBe(2);
  });
});
