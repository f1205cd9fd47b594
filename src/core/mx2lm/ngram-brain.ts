/**
 * The MX2LM n-gram brain (docs/laws.md MX2LM-CORPUS): the interpolated Kneser-Ney model of
 * src/core/ngram/kneser-ney.ts (AI-KN2, D = 0.75, order 3 by default) over the train sentences
 * with every word outside the vocabulary counted as `<unk>`, and its per-word perplexity.
 *
 * Perplexity of sentences S under the model: every sentence is `<s> w1 … wn </s>`; the predicted
 * tokens are w1 … wn and `</s>` (N = Σ (n + 1)), `<unk>` included (a word outside the vocabulary
 * is predicted as `<unk>`: a closed-vocabulary figure, read with the OOV rate), each with the
 * ARPA back-off probability P(w | last N−1 tokens of `<s> w1 … w(i−1)`) (`conditional`);
 *   PPL = 10^(−(1/N) Σ log10 P).
 */
import type { ArpaEntry, ArpaModel } from '../ngram/arpa.ts';
import { LOG_ZERO, conditional, indexModel, type NgramIndex } from '../ngram/conservation.ts';
import { BOS, EOS, KN_DISCOUNT, UNK, kneserNey } from '../ngram/kneser-ney.ts';

export const MX2LM_NGRAM_ORDER = 3;

/** The KN model of the train sentences over `tokens` (token by id, specials first). */
export function buildNgramBrain(tokens: readonly string[], train: readonly (readonly string[])[], order = MX2LM_NGRAM_ORDER, digits = 7): ArpaModel {
  return kneserNeyNumeric(tokens, train, order, digits);
}

function round(x: number, digits: number): number {
  const v = Number(x.toFixed(digits));
  return v === 0 ? 0 : v;
}

/**
 * `kneserNey` (AI-KN2) computed with n-grams as numbers (Σ id_j · |V|^(n−1−j)) instead of
 * strings: the same counts, the same floating-point operations in the same order, so the same
 * ArpaModel (the tests compare the two), about 5× faster on the Brown train split. Falls back to
 * `kneserNey` when |V|^order is not below 2^53.
 */
export function kneserNeyNumeric(vocab: readonly string[], sentences: readonly (readonly string[])[], order: number, digits = 7): ArpaModel {
  if (!Number.isInteger(order) || order < 2 || order > 16) throw new RangeError(`order ${order}: 2 … 16`);
  const words: string[] = [];
  const seen = new Set<string>();
  for (const w of [UNK, BOS, EOS, ...vocab]) if (!seen.has(w)) { seen.add(w); words.push(w); }
  const V = words.length;
  if (V ** order >= 2 ** 53) return kneserNey(vocab, sentences, order, digits);
  const id = new Map(words.map((w, i) => [w, i]));
  const bos = id.get(BOS)!, eos = id.get(EOS)!, unk = id.get(UNK)!;
  const raw: Map<number, number>[] = Array.from({ length: order + 1 }, () => new Map());
  for (const s of sentences) {
    const ids = [bos, ...s.map((w) => id.get(w) ?? unk), eos];
    for (let n = 2; n <= order; n++) {
      const r = raw[n];
      for (let i = 0; i + n <= ids.length; i++) {
        let k = 0;
        for (let j = 0; j < n; j++) k = k * V + ids[i + j];
        r.set(k, (r.get(k) ?? 0) + 1);
      }
    }
  }
  return kneserNeyFromCounts(words, raw, order, digits);
}

/**
 * The count-based entry point of `kneserNeyNumeric` (used by evolve.ts, MX2LM-EVOLVE): `words`
 * the full token list by id (`<unk>`, `<s>`, `</s>` first, no repeats, |V|^order < 2^53), `raw[n]`
 * for n = 2 … order the raw counts of the n-grams of the padded sentences `<s> w… </s>`, keyed
 * Σ id_j · |V|^(n−1−j), every count > 0 (`raw[0]`, `raw[1]` are not read). The same ArpaModel as
 * `kneserNeyNumeric` over sentences with those counts (map order does not matter).
 */
export function kneserNeyFromCounts(words: readonly string[], raw: readonly ReadonlyMap<number, number>[], order: number, digits = 7): ArpaModel {
  if (!Number.isInteger(order) || order < 2 || order > 16) throw new RangeError(`order ${order}: 2 … 16`);
  const V = words.length;
  if (V ** order >= 2 ** 53) throw new RangeError(`|V|^order = ${V}^${order} is not below 2^53`);
  if (words[0] !== UNK || words[1] !== BOS || words[2] !== EOS) throw new RangeError('words must start with <unk>, <s>, </s>');
  const bos = 1;
  const pow: number[] = [1];
  for (let i = 1; i <= order; i++) pow.push(pow[i - 1] * V);
  const a: Map<number, number>[] = Array.from({ length: order + 1 }, () => new Map());
  for (const [k, c] of raw[order]) a[order].set(k, c);
  const uni = new Array<number>(V).fill(0);
  for (let n = order; n >= 2; n--) {
    const left = new Map<number, number>();
    const m = pow[n - 1];
    for (const k of raw[n].keys()) { const sfx = k % m; left.set(sfx, (left.get(sfx) ?? 0) + 1); }
    if (n - 1 >= 2) for (const [k, c] of raw[n - 1]) a[n - 1].set(k, Math.floor(k / pow[n - 2]) === bos ? c : (left.get(k) ?? 0));
    if (n === 2) for (const [k, c] of left) uni[k] = c;
  }
  let totalLeft = 0;
  for (let w = 0; w < V; w++) totalLeft += uni[w];
  const p1 = (w: number) => (w === bos ? 0 : (uni[w] + 1) / (totalLeft + V - 1));
  const lambda: Map<number, number>[] = Array.from({ length: order + 1 }, () => new Map());
  const prob: Map<number, number>[] = Array.from({ length: order + 1 }, () => new Map());
  // P_n of the n-gram k (listed or not), by back-off through λ.
  const lower = (n: number, k: number): number => {
    if (n === 1) return p1(k);
    const p = prob[n].get(k);
    if (p !== undefined) return p;
    const lam = lambda[n].get(Math.floor(k / V)) ?? 1;
    return lam * lower(n - 1, k % pow[n - 1]);
  };
  for (let n = 2; n <= order; n++) {
    const tot = new Map<number, number>(), distinct = new Map<number, number>();
    for (const [k, c] of a[n]) {
      if (c <= 0) continue;
      const h = Math.floor(k / V);
      tot.set(h, (tot.get(h) ?? 0) + c);
      distinct.set(h, (distinct.get(h) ?? 0) + 1);
    }
    for (const [h, t] of tot) lambda[n].set(h, (KN_DISCOUNT * distinct.get(h)!) / t);
    for (const [k, c] of a[n]) {
      if (c <= 0) continue;
      const h = Math.floor(k / V);
      prob[n].set(k, Math.max(c - KN_DISCOUNT, 0) / tot.get(h)! + lambda[n].get(h)! * lower(n - 1, k % pow[n - 1]));
    }
  }
  const wordsOf = (k: number, n: number) => {
    const out = new Array<string>(n);
    for (let j = n - 1; j >= 0; j--) { out[j] = words[k % V]; k = Math.floor(k / V); }
    return out;
  };
  const grams: ArpaEntry[][] = [];
  grams.push(words.map((w, i) => {
    const e: ArpaEntry = { words: [w], logprob: i === bos ? LOG_ZERO : round(Math.log10(p1(i)), digits) };
    const lam = lambda[2].get(i);
    if (lam !== undefined) e.backoff = round(Math.log10(lam), digits);
    return e;
  }));
  for (let n = 2; n <= order; n++) {
    const keys = Float64Array.from(prob[n].keys()).sort();
    const list: ArpaEntry[] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const e: ArpaEntry = { words: wordsOf(k, n), logprob: round(Math.log10(prob[n].get(k)!), digits) };
      const lam = n < order ? lambda[n + 1].get(k) : undefined;
      if (lam !== undefined) e.backoff = round(Math.log10(lam), digits);
      list[i] = e;
    }
    grams.push(list);
  }
  return { order, grams };
}

export interface Perplexity {
  /** Predicted tokens (words and `</s>`). */
  tokens: number;
  /** Of which `<unk>`. */
  unk: number;
  /** Σ log10 P over the predicted tokens. */
  log10Sum: number;
  perplexity: number;
}

/** Per-word perplexity of sentences (see above). */
export function perplexity(model: ArpaModel | NgramIndex, sentences: readonly (readonly string[])[]): Perplexity {
  const ix = 'grams' in model ? indexModel(model) : model;
  const known = (w: string) => ix.maps[0].has(w);
  const keep = ix.order - 1;
  let n = 0, unk = 0, sum = 0;
  for (const s of sentences) {
    const h: string[] = [BOS];
    for (const raw of [...s, EOS]) {
      const w = known(raw) ? raw : UNK;
      if (w === UNK) unk++;
      const p = conditional(ix, h, w);
      sum += Math.log10(p);
      n++;
      h.push(w);
      if (h.length > keep) h.shift();
    }
  }
  return { tokens: n, unk, log10Sum: sum, perplexity: 10 ** (-sum / n) };
}
