import { describe, expect, it } from 'vitest';
import { loadBrownSplit, sentencesOf } from '../../cli/brown.ts';
import { indexModel } from '../ngram/conservation.ts';
import type { TensorSet } from '../gym/tensor.ts';
import { evaluate, makeBatches, train, type StepOptimizer } from '../gym/train.ts';
import { tokenIdsOf } from './encode.ts';
import { initMatrix, MatrixWorkspace, type MatrixConfig } from './matrix.ts';
import { kneserNeyNumeric, perplexity } from './ngram-brain.ts';
import { buildVocab, tokenizerJson } from './vocab-build.ts';
import { chooseLambda, hybridPerplexity, LAMBDA_GRID, matrixTokenLogProbs, mixLogProb, ngramTokenLog10Probs, ngramTokenLogProbs } from './hybrid.ts';

function sgd(lr: number): StepOptimizer {
  return {
    step(params: TensorSet, grads: TensorSet) {
      for (const [name, t] of params) {
        const g = grads.get(name)!.data;
        for (let i = 0; i < t.data.length; i++) t.data[i] -= lr * g[i];
      }
    },
  };
}

describe('mixLogProb and the λ grid (docs/laws.md MX2LM-HYBRID)', () => {
  it('mixes in probability space, exact at the ends', () => {
    expect(LAMBDA_GRID.length).toBe(21);
    expect(LAMBDA_GRID[1]).toBe(0.05);
    expect(LAMBDA_GRID[20]).toBe(1);
    const a = Math.log(0.2), b = Math.log(0.01);
    expect(mixLogProb(a, b, 0)).toBe(b);
    expect(mixLogProb(a, b, 1)).toBe(a);
    expect(Math.exp(mixLogProb(a, b, 0.5))).toBeCloseTo(0.105, 14);
    expect(Math.exp(mixLogProb(a, b, 0.25))).toBeCloseTo(0.25 * 0.2 + 0.75 * 0.01, 14);
    // Stable far below exp's range: ln(0.5·e^−1000 + 0.5·e^−1001).
    expect(mixLogProb(-1000, -1001, 0.5)).toBeCloseTo(-1000 + Math.log(0.5 * (1 + Math.exp(-1))), 10);
    expect(mixLogProb(-Infinity, -Infinity, 0.5)).toBe(-Infinity);
    expect(mixLogProb(-Infinity, b, 0.5)).toBeCloseTo(Math.log(0.005), 14);
    expect(() => mixLogProb(a, b, 1.5)).toThrow(RangeError);
    expect(() => hybridPerplexity(new Float64Array(2), new Float64Array(3), 0.5)).toThrow(RangeError);
  });

  it('chooses the lowest validation perplexity, ties to the smaller λ', () => {
    // Equal figures under both models: λ = 0 and λ = 1 tie exactly, the smaller wins; inside
    // the grid the mixture of equal values equals them up to rounding (ties are exact equality).
    const same = Float64Array.of(Math.log(0.1), Math.log(0.3));
    expect(chooseLambda(same, same, [0, 1]).lambda).toBe(0);
    for (const c of chooseLambda(same, same).curve) expect(Math.abs(c.meanNll / chooseLambda(same, same, [0]).valid.meanNll - 1)).toBeLessThan(1e-15);
    expect(() => chooseLambda(same, same, [0.5, 0.5])).toThrow(RangeError);
    // Complementary models: the mixture beats both, at λ = 0.5 by symmetry.
    const m = Float64Array.of(Math.log(0.9), Math.log(0.01)), g = Float64Array.of(Math.log(0.01), Math.log(0.9));
    const c = chooseLambda(m, g);
    expect(c.lambda).toBe(0.5);
    expect(c.valid.perplexity).toBeCloseTo(1 / 0.455, 12);
    expect(c.curve.map((x) => x.lambda)).toEqual(LAMBDA_GRID);
  });
});

describe('the hybrid perplexity on real Brown text (2,000 train sentences)', () => {
  const split = loadBrownSplit();
  const trainS = sentencesOf(split.train).slice(0, 2000);
  const validS = sentencesOf(split.validation).slice(0, 250);
  const testS = sentencesOf(split.test).slice(0, 250);
  const tokens = buildVocab(trainS);
  const ids = tokenIdsOf(tokenizerJson(tokens));
  const model = kneserNeyNumeric(tokens, trainS, 3);
  const ix = indexModel(model);
  const valid = ids.encode(validS), test = ids.encode(testS);
  const config: MatrixConfig = { vocabSize: tokens.length, context: 3, embedDim: 8, hidden: 24, activation: 'tanh' };
  const base = initMatrix(config, 20030101);
  const trained = initMatrix(config, 20030101);
  const ws = new MatrixWorkspace(config, 64);
  const run = train(trained, makeBatches(ids.encode(trainS), 3, 32, 1), ws, sgd(0.2), { steps: 300 });

  it('the n-gram per-token probabilities reproduce perplexity() exactly', () => {
    for (const [s, stream] of [[validS, valid], [testS, test]] as const) {
      const l10 = ngramTokenLog10Probs(ix, tokens, stream);
      const ref = perplexity(ix, s);
      expect(l10.length).toBe(ref.tokens);
      let sum = 0;
      for (const x of l10) sum += x;
      expect(sum).toBe(ref.log10Sum);
      const h = hybridPerplexity(new Float64Array(l10.length), ngramTokenLogProbs(model, tokens, stream), 0);
      expect(h.perplexity / ref.perplexity - 1).toBeLessThan(1e-12);
      expect(ref.perplexity / h.perplexity - 1).toBeLessThan(1e-12);
    }
    // A leading <s> per sentence changes nothing.
    const withBos = Int32Array.from([ids.bos, ...Array.from(valid.subarray(0, 40)).flatMap((t) => (t === ids.eos ? [t, ids.bos] : [t]))]);
    const a = ngramTokenLog10Probs(ix, tokens, valid.subarray(0, 40)), b = ngramTokenLog10Probs(ix, tokens, withBos);
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('λ = 1 is the matrix path (evaluate), λ = 0 the n-gram brain; the chosen λ is never worse than either', () => {
    expect(run.stop.kind).toBe('completed');
    const ngV = ngramTokenLogProbs(ix, tokens, valid), ngT = ngramTokenLogProbs(ix, tokens, test);
    const ngRefV = perplexity(ix, validS).perplexity;
    const chosen: number[] = [];
    for (const params of [base, trained]) {
      const mV = matrixTokenLogProbs(params, valid, ws, 64), mT = matrixTokenLogProbs(params, test, ws, 17);
      const evV = evaluate(params, valid, ws), evT = evaluate(params, test, ws);
      expect(mV.length).toBe(evV.tokens);
      expect(hybridPerplexity(mV, ngV, 1).meanNll).toBe(evV.meanNll);
      expect(hybridPerplexity(mT, ngT, 1).meanNll).toBe(evT.meanNll);
      expect(Math.abs(hybridPerplexity(mV, ngV, 1).perplexity / evV.perplexity - 1)).toBeLessThan(1e-12);
      expect(Math.abs(hybridPerplexity(mV, ngV, 0).perplexity / ngRefV - 1)).toBeLessThan(1e-12);
      const c = chooseLambda(mV, ngV);
      expect(c.valid.perplexity).toBeLessThanOrEqual(Math.min(evV.perplexity, ngRefV) * (1 + 1e-12));
      expect(c.valid).toEqual(c.curve[LAMBDA_GRID.indexOf(c.lambda)]);
      expect(Number.isFinite(hybridPerplexity(mT, ngT, c.lambda).perplexity)).toBe(true);
      chosen.push(c.lambda);
    }
    // The untrained path (near uniform) adds little; the trained one earns a larger weight.
    expect(chosen[1]).toBeGreaterThan(chosen[0]);
  }, 20_000);
});
