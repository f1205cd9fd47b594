/**
 * A tiny MX2LM for tests (unit, CLI and e2e): a text written by a small seeded grammar, its
 * word-level tokenizer, a seeded base model and fold documents. Pure, deterministic.
 */
import { Rng } from '../gccp/random.ts';
import { parseText } from '../mx2lm/corpus.ts';
import { initMatrix, type MatrixConfig } from '../mx2lm/matrix.ts';
import { buildVocab, tokenizerBytes } from '../mx2lm/vocab-build.ts';
import { safetensorsOf } from '../gym/load.ts';

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

export function gymFixture(text = gymText()) {
  const sentences = parseText(text, 'gym.txt');
  const vocab = buildVocab(sentences, 1);
  const tokenizer = tokenizerBytes(vocab);
  const config: MatrixConfig = { vocabSize: vocab.length, context: 2, embedDim: 8, hidden: 16, activation: 'tanh' };
  const base = safetensorsOf(initMatrix(config, 5));
  return { text, vocab, tokenizer, config, base };
}

export function foldDoc(over: { optimizer?: Record<string, unknown>; control?: Record<string, unknown>; foldId?: string; priority?: number } = {}): string {
  return JSON.stringify({
    fold_id: over.foldId ?? 'e2e_fold', version: '1.0.0', model_base: 'object://ai/weights/e2e-base', mx2gym_format: 'fold.v1',
    '@data': { deltas: [], optimizer: over.optimizer ?? { type: 'adamw', lr: 0.01 } },
    '@control': { apply: 'always', priority: over.priority ?? 0, mode: 'additive', ...(over.control ?? {}) },
  }, null, 2);
}
