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
import { initMatrix, type MatrixConfig } from '../src/core/mx2lm/matrix.ts';
import { buildVocab, tokenizerBytes } from '../src/core/mx2lm/vocab-build.ts';
import { safetensorsOf } from '../src/core/gym/load.ts';
import { GymRun } from '../src/core/gym/run.ts';
import { foldBundleOf } from '../src/core/gym/run-export.ts';
import { Rng } from '../src/core/gccp/random.ts';

const SUBJECTS = ['the jury', 'the city', 'a man', 'the woman', 'the council', 'his wife', 'the team', 'our school'];
const VERBS = ['said', 'saw', 'found', 'liked', 'wanted', 'knew', 'made', 'took'];
const OBJECTS = ['the plan', 'a house', 'the election', 'the report', 'a letter', 'the money', 'the game', 'a friend'];
const TAILS = ['', ' yesterday', ' in the evening', ' at home', ' again'];

export function gymText(sentences = 600, seed = 11): string {
  const rng = new Rng(seed);
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) {
    const s = SUBJECTS[rng.int(SUBJECTS.length)], v = VERBS[rng.int(VERBS.length)], o = OBJECTS[rng.int(OBJECTS.length)], t = TAILS[rng.int(TAILS.length)];
    out.push(`${s[0].toUpperCase()}${s.slice(1)} ${v} ${o}${t}.`);
  }
  return out.join(' ');
}

export const GYM_CONFIG: MatrixConfig = { vocabSize: 0, context: 2, embedDim: 8, hidden: 16, activation: 'tanh' };

export function gymFixture(text = gymText()) {
  const sentences = parseText(text, 'gym.txt');
  const vocab = buildVocab(sentences, 1);
  const tokenizer = tokenizerBytes(vocab);
  const config: MatrixConfig = { ...GYM_CONFIG, vocabSize: vocab.length };
  const base = safetensorsOf(initMatrix(config, 5));
  return { text, vocab, tokenizer, config, base };
}

export function foldDoc(over: { optimizer?: Record<string, unknown>; control?: Record<string, unknown> } = {}): string {
  return JSON.stringify({
    fold_id: 'e2e_fold', version: '1.0.0', model_base: 'object://ai/weights/e2e-base', mx2gym_format: 'fold.v1',
    '@data': { deltas: [], optimizer: over.optimizer ?? { type: 'adamw', lr: 0.01 } },
    '@control': { apply: 'always', priority: 0, mode: 'additive', ...(over.control ?? {}) },
  }, null, 2);
}

/** The run the browser is asked for, in Node: its final fold's bundle hash. */
export async function nodeFinalFold(fx: ReturnType<typeof gymFixture>, fold: string, opts: { steps: number; batchSize: number; seed: number; evalEvery: number; evalTokens: number }): Promise<string> {
  const { tensorSetOf } = await import('../src/core/gym/load.ts');
  const { tensors } = await tensorSetOf(fx.base);
  const ids = tokenIdsOf(JSON.parse(new TextDecoder().decode(fx.tokenizer)));
  const split = splitUserSentences([parseText(fx.text, 'gym.txt')]);
  const run = new GymRun(tensors, fx.config, parseFold(utf8(fold)), ids.encode(split.train), ids.encode(split.valid), { ...opts, form: 'f32', markers: { bos: ids.bos, eos: ids.eos } });
  while (!run.done) { run.next(); if (run.step % opts.evalEvery === 0 || run.done) run.evaluate(); }
  return foldBundleOf(run).hash;
}
