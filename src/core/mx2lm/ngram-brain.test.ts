import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadBrownSplit, sentencesOf } from '../../cli/brown.ts';
import { writeArpa } from '../ngram/arpa.ts';
import { conditional, conservationIssues, indexModel } from '../ngram/conservation.ts';
import { kneserNey } from '../ngram/kneser-ney.ts';
import { buildVocab } from './vocab-build.ts';
import { buildNgramBrain, kneserNeyNumeric, perplexity } from './ngram-brain.ts';

describe('kneserNeyNumeric is kneserNey', () => {
  it('the same ARPA bytes at orders 2, 3, 4, unknown words included', () => {
    const s = [['the', 'cat', 'sat'], ['the', 'dog', 'sat', 'down'], ['a', 'cat', 'ran', 'off'], ['the', 'cat', 'ran'], ['zz', 'the', 'cat']];
    const vocab = ['<unk>', '<s>', '</s>', 'the', 'cat', 'sat', 'ran', 'a', 'dog'];
    for (const o of [2, 3, 4]) expect(writeArpa(kneserNeyNumeric(vocab, s, o))).toBe(writeArpa(kneserNey(vocab, s, o)));
  });
});

describe('the Brown Kneser-Ney trigram brain (docs/laws.md MX2LM-CORPUS)', () => {
  const split = loadBrownSplit();
  const train = sentencesOf(split.train);
  const tokens = buildVocab(train);
  const model = buildNgramBrain(tokens, train);
  const ix = indexModel(model);

  it('the n-gram counts and the ARPA bytes', () => {
    expect(model.grams.map((g) => g.length)).toEqual([8693, 258968, 621728]);
    const arpa = writeArpa(model);
    expect([arpa.length, createHash('sha256').update(arpa).digest('hex')]).toEqual([25756173, 'c2fecd5a2b119d9177e3d1a95b3ea7c14baac83d8a3720fbd32a45cce3f8c0be']);
  });

  it('is kneserNey on a part of the train split', () => {
    const part = train.slice(0, 2500);
    expect(writeArpa(kneserNeyNumeric(tokens, part, 3))).toBe(writeArpa(kneserNey(tokens, part, 3)));
  });

  it('conserves probability: every context of a trigram model of part of the train split, and sampled contexts of the full one', () => {
    expect(conservationIssues(buildNgramBrain(tokens, train.slice(0, 3000)))).toEqual([]);
    const contexts: string[][] = [[], ['<s>'], ['the'], ['<unk>'], ['zone'], ['<s>', 'the'], ['of', 'the'], [',', 'and'], ['<unk>', '<unk>'], ['zinc', 'zone'], ['the', 'the']];
    for (let i = 0; i < model.grams[2].length; i += 62173) contexts.push(model.grams[2][i].words.slice(0, 2));
    for (const h of contexts) {
      let sum = 0;
      for (const w of tokens) sum += conditional(ix, h, w);
      expect(Math.abs(sum - 1), h.join(' ')).toBeLessThan(1e-5);
    }
  });

  it('per-word perplexity of validation and test (words and </s>, <unk> included)', () => {
    const v = perplexity(ix, sentencesOf(split.validation));
    expect([v.tokens, v.unk]).toEqual([125753, 10778]);
    expect(v.perplexity).toBeCloseTo(144.8882987, 6);
    const t = perplexity(ix, sentencesOf(split.test));
    expect([t.tokens, t.unk]).toEqual([126402, 10793]);
    expect(t.perplexity).toBeCloseTo(140.0462664, 6);
  });
});
