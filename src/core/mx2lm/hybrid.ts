/**
 * The hybrid perplexity of MX2LM (issue 11 "Quality on real text"; docs/laws.md MX2LM-HYBRID):
 * the matrix path (matrix.ts) and the n-gram brain (ngram-brain.ts) mixed per token in
 * probability space, as Bengio et al. 2003 mix their neural model with an interpolated trigram,
 *
 *   P(w | h) = λ·P_matrix(w | h) + (1 − λ)·P_ngram(w | h),   PPL = exp(−(1/N) Σ ln P),
 *
 * with λ chosen on validation from a fixed grid and reported on test.
 *
 * The predicted tokens are those of `evaluate` (src/core/gym/train.ts, `examplesOf`): every
 * token of the id stream that is not `<s>` (the words, `<unk>` included, and `</s>`), in stream
 * order. Both per-token arrays are indexed by that order, so they line up one to one.
 *
 * Pure: no DOM, no Node.
 */
import { exp, log } from '../math/fdlibm.ts';
import type { ArpaModel } from '../ngram/arpa.ts';
import { conditional, indexModel, type NgramIndex } from '../ngram/conservation.ts';
import { BOS, UNK } from '../ngram/kneser-ney.ts';
import type { Tensor } from '../gym/tensor.ts';
import { DEFAULT_MARKERS, examplesOf, type Markers } from '../gym/train.ts';
import { forward, type MatrixWorkspace } from './matrix.ts';

/** The λ grid: i/20 for i = 0 … 20 (0, 0.05, …, 1; each the double nearest the decimal). */
export const LAMBDA_GRID: readonly number[] = Array.from({ length: 21 }, (_, i) => i / 20);

/**
 * ln P_matrix of every predicted token of `tokenIds` (the `evaluate` examples, in stream order):
 * −nll of `forward`, `batchSize` examples at a time (the result does not depend on batchSize).
 * Σ over the result is exactly −evaluate(…).totalNll.
 */
export function matrixTokenLogProbs(params: ReadonlyMap<string, Tensor>, tokenIds: Int32Array, ws: MatrixWorkspace, batchSize = 64, markers: Markers = DEFAULT_MARKERS): Float64Array {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const k = ws.config.context;
  const ex = examplesOf(tokenIds, markers);
  const n = ex.positions.length;
  const out = new Float64Array(n);
  const contexts = new Int32Array(batchSize * k), targets = new Int32Array(batchSize);
  for (let e0 = 0; e0 < n; e0 += batchSize) {
    const size = Math.min(batchSize, n - e0);
    for (let b = 0; b < size; b++) {
      const p = ex.positions[e0 + b], s = ex.starts[e0 + b];
      for (let j = 0; j < k; j++) {
        const q = p - k + j;
        contexts[b * k + j] = q < s ? markers.bos : tokenIds[q];
      }
      targets[b] = tokenIds[p];
    }
    forward(params, contexts.subarray(0, size * k), targets.subarray(0, size), ws);
    for (let b = 0; b < size; b++) out[e0 + b] = -ws.nll[b];
  }
  return out;
}

/**
 * log10 P_ngram of every predicted token of `tokenIds` (the same tokens, in the same order as
 * `matrixTokenLogProbs`), by `perplexity()`'s rule (ngram-brain.ts): ids are read as words
 * through `tokens` (token by id); a word the model's 1-grams do not list is `<unk>`; each
 * sentence (ended by `</s>`, or the end of the stream) starts with history `<s>`; a `<s>` at a
 * sentence's first position is skipped, any other `<s>` is not predicted but joins the history;
 * every predicted token w gets `conditional(ix, h, w)` with h the last order − 1 words, then joins h.
 * On `ids.encode(S)` the values summed in order are exactly `perplexity(model, S).log10Sum`.
 */
export function ngramTokenLog10Probs(model: ArpaModel | NgramIndex, tokens: readonly string[], tokenIds: Int32Array, markers: Markers = DEFAULT_MARKERS): Float64Array {
  const ix = 'grams' in model ? indexModel(model) : model;
  const keep = ix.order - 1;
  let n = 0;
  for (let p = 0; p < tokenIds.length; p++) if (tokenIds[p] !== markers.bos) n++;
  const out = new Float64Array(n);
  let h: string[] = [BOS];
  let atStart = true, j = 0;
  for (let p = 0; p < tokenIds.length; p++) {
    const id = tokenIds[p];
    if (id === markers.bos && atStart) { atStart = false; continue; }
    atStart = false;
    const raw = tokens[id];
    if (raw === undefined) throw new RangeError(`token id ${id} at position ${p} is not in the token list (${tokens.length} tokens)`);
    const w = ix.maps[0].has(raw) ? raw : UNK;
    if (id !== markers.bos) out[j++] = Math.log10(conditional(ix, h, w));
    h.push(w);
    if (h.length > keep) h.shift();
    if (id === markers.eos) { h = [BOS]; atStart = true; }
  }
  return out;
}

/** ln P_ngram: `ngramTokenLog10Probs` · ln 10 (perplexity()'s 10^(−mean log10) = exp(−mean ln)). */
export function ngramTokenLogProbs(model: ArpaModel | NgramIndex, tokens: readonly string[], tokenIds: Int32Array, markers: Markers = DEFAULT_MARKERS): Float64Array {
  const l = ngramTokenLog10Probs(model, tokens, tokenIds, markers);
  for (let i = 0; i < l.length; i++) l[i] *= Math.LN10;
  return l;
}

function checkLambda(lambda: number): void {
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`λ must be in [0, 1], got ${lambda}`);
}

/**
 * ln(λ·e^a + (1 − λ)·e^b), stably: with x = ln λ + a, y = ln(1 − λ) + b (fdlibm `log`),
 * m = max(x, y): m + ln(1 + exp(min(x, y) − m)); −∞ when both are −∞. λ = 0 gives b and λ = 1
 * gives a exactly.
 */
export function mixLogProb(a: number, b: number, lambda: number): number {
  checkLambda(lambda);
  if (lambda === 0) return b;
  if (lambda === 1) return a;
  const x = log(lambda) + a, y = log(1 - lambda) + b;
  const m = x >= y ? x : y, lo = x >= y ? y : x;
  if (m === -Infinity) return -Infinity;
  return m + log(1 + exp(lo - m));
}

export interface HybridPerplexity {
  readonly lambda: number;
  /** −(1/N) Σ ln P, the sum in token order (nats). */
  readonly meanNll: number;
  /** exp(meanNll) (fdlibm `exp`). */
  readonly perplexity: number;
  /** N, the predicted tokens. */
  readonly tokens: number;
}

/** The per-word perplexity of the mixture at λ (λ = 1: the matrix path's; λ = 0: the n-gram's). */
export function hybridPerplexity(matrixLnP: Float64Array, ngramLnP: Float64Array, lambda: number): HybridPerplexity {
  checkLambda(lambda);
  const n = matrixLnP.length;
  if (ngramLnP.length !== n) throw new RangeError(`${n} matrix-path tokens, ${ngramLnP.length} n-gram tokens`);
  if (n === 0) throw new RangeError('no predicted tokens');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += mixLogProb(matrixLnP[i], ngramLnP[i], lambda);
  const meanNll = -sum / n;
  return { lambda, meanNll, perplexity: exp(meanNll), tokens: n };
}

export interface LambdaChoice {
  /** The chosen λ: the grid value with the lowest validation perplexity, ties to the smaller λ. */
  readonly lambda: number;
  /** The validation figures at the chosen λ. */
  readonly valid: HybridPerplexity;
  /** Every grid value's validation figures, in grid order. */
  readonly curve: readonly HybridPerplexity[];
}

/**
 * λ from validation: `hybridPerplexity` at every grid value (ascending), the lowest meanNll wins
 * (strictly lower replaces, so ties go to the smaller λ). Since 0 and 1 are on the default grid,
 * the chosen mixture's validation perplexity is never above the better of the two models'.
 */
export function chooseLambda(validMatrixLnP: Float64Array, validNgramLnP: Float64Array, grid: readonly number[] = LAMBDA_GRID): LambdaChoice {
  if (grid.length === 0) throw new RangeError('empty λ grid');
  for (let i = 1; i < grid.length; i++) if (!(grid[i] > grid[i - 1])) throw new RangeError('the λ grid must be strictly ascending');
  const curve = grid.map((l) => hybridPerplexity(validMatrixLnP, validNgramLnP, l));
  let best = curve[0];
  for (const c of curve) if (c.meanNll < best.meanNll) best = c;
  return { lambda: best.lambda, valid: best, curve };
}
