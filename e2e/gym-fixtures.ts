/**
 * A tiny MX2LM for the Gym e2e tests, made with the core here in Node: a text written by a
 * small seeded grammar, its word-level tokenizer, a seeded base model, and fold documents.
 * The same inputs also run through the core's GymRun in Node, so a test can compare the
 * browser worker's fold bytes with Node's.
 */
import { utf8 } from '../src/core/bytes/utf8.ts';
import { parseFold } from '../src/core/fold/fold.ts';
import { parseText } from '../src/core/mx2lm/corpus.ts';
import { splitUserSentences, tokenIdsOf } from '../src/core/mx2lm/encode.ts';
import { GymRun } from '../src/core/gym/run.ts';
import { foldBundleOf } from '../src/core/gym/run-export.ts';

export { gymText, gymFixture, foldDoc } from '../src/core/testing/gym-fixture.ts';
import type { gymFixture } from '../src/core/testing/gym-fixture.ts';

/** The run the browser is asked for, in Node: its final fold's bundle hash. */
export async function nodeFinalFold(fx: ReturnType<typeof gymFixture>, fold: string, opts: { steps: number; batchSize: number; seed: number; evalEvery: number; evalTokens: number }): Promise<string> {
  return (await runInNode(fx, fold, opts)).hash;
}

export async function nodeFoldBytes(fx: ReturnType<typeof gymFixture>, fold: string, opts: { steps: number; batchSize: number; seed: number; evalEvery: number; evalTokens: number }): Promise<Uint8Array> {
  return (await runInNode(fx, fold, opts)).bytes;
}

async function runInNode(fx: ReturnType<typeof gymFixture>, fold: string, opts: { steps: number; batchSize: number; seed: number; evalEvery: number; evalTokens: number }): Promise<{ hash: string; bytes: Uint8Array }> {
  const { tensorSetOf } = await import('../src/core/gym/load.ts');
  const { tensors } = await tensorSetOf(fx.base);
  const ids = tokenIdsOf(JSON.parse(new TextDecoder().decode(fx.tokenizer)));
  const split = splitUserSentences([parseText(fx.text, 'gym.txt')]);
  const run = new GymRun(tensors, fx.config, parseFold(utf8(fold)), ids.encode(split.train), ids.encode(split.valid), { ...opts, form: 'f32', markers: { bos: ids.bos, eos: ids.eos } });
  while (!run.done) { run.next(); if (run.step % opts.evalEvery === 0 || run.done) run.evaluate(); }
  return foldBundleOf(run);
}

/** compile.safetensors of the base with folds, in Node: the model's SHA-256 (hex). */
export async function nodeCompileHash(fx: ReturnType<typeof gymFixture>, folds: Uint8Array[]): Promise<string> {
  const { tensorSetOf } = await import('../src/core/gym/load.ts');
  const { importFold } = await import('../src/core/gym/export.ts');
  const { compileSafetensors } = await import('../src/core/gym/compile.ts');
  const { createHash } = await import('node:crypto');
  const { tensors } = await tensorSetOf(fx.base);
  const r = compileSafetensors(tensors, folds.map((b) => { const i = importFold(b); return { fold: i.fold, deltas: i.deltas }; }));
  return createHash('sha256').update(r.safetensors).digest('hex');
}
