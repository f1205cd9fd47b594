/**
 * An interpolated Kneser-Ney bigram model in ARPA back-off form (docs/laws.md AI-KN2).
 * Small and exact: it is what the demo objects ship; the gym's order 3–5 models are separate.
 *
 * Sentences are `<s> w1 … wn </s>`. V is the given vocabulary plus `<unk>`, `<s>`, `</s>`;
 * V' = V without `<s>` (never predicted). With c(h w) the bigram counts, c(h) = Σ_w c(h w),
 * N1+(• w) the number of distinct left neighbours of w, N1+(••) = Σ_w N1+(• w) and the fixed
 * discount D = 0.75:
 *   P1(w)     = (N1+(• w) + 1) / (N1+(••) + |V'|)               for w ∈ V', P1(<s>) = 0
 *   λ(h)      = D · |{w : c(h w) > 0}| / c(h)
 *   P(w | h)  = max(c(h w) − D, 0) / c(h) + λ(h) · P1(w)
 * Written as ARPA: every w ∈ V' a 1-gram with log10 P1 (`<s>` gets −99), every h with c(h) > 0
 * the back-off log10 λ(h) (exactly the Katz back-off weight that makes the listed bigrams
 * plus λ · P1 sum to 1), every bigram with c > 0 the log10 of its interpolated P. Logs are
 * rounded to `digits` decimals (default 7). Words are listed in vocabulary order, bigrams by
 * context then word in vocabulary order, so the same input gives the same bytes.
 */
import type { ArpaEntry, ArpaModel } from './arpa.ts';
import { LOG_ZERO } from './conservation.ts';

export const KN_DISCOUNT = 0.75;
export const BOS = '<s>';
export const EOS = '</s>';
export const UNK = '<unk>';

function round(x: number, digits: number): number {
  const v = Number(x.toFixed(digits));
  return v === 0 ? 0 : v;
}

/**
 * `vocab`: the words in the order they are to be listed (specials are added in front when
 * missing). `sentences`: token lists; a token outside the vocabulary counts as `<unk>`.
 */
export function kneserNeyBigram(vocab: readonly string[], sentences: readonly (readonly string[])[], digits = 7): ArpaModel {
  const words: string[] = [];
  const seen = new Set<string>();
  for (const w of [UNK, BOS, EOS, ...vocab]) if (!seen.has(w)) { seen.add(w); words.push(w); }
  const id = new Map(words.map((w, i) => [w, i]));
  const V = words.length;
  const big = new Map<number, Map<number, number>>();
  for (const s of sentences) {
    const ids = [id.get(BOS)!, ...s.map((w) => id.get(w) ?? id.get(UNK)!), id.get(EOS)!];
    for (let i = 1; i < ids.length; i++) {
      let m = big.get(ids[i - 1]);
      if (!m) big.set(ids[i - 1], (m = new Map()));
      m.set(ids[i], (m.get(ids[i]) ?? 0) + 1);
    }
  }
  const left = new Array<number>(V).fill(0);
  for (const m of big.values()) for (const w of m.keys()) left[w]++;
  const bos = id.get(BOS)!;
  const totalLeft = left.reduce((a, b) => a + b, 0);
  const p1 = (w: number) => (w === bos ? 0 : (left[w] + 1) / (totalLeft + V - 1));
  const contexts = [...big.keys()].sort((a, b) => a - b);
  const lambda = new Map<number, number>();
  const bigrams: ArpaEntry[] = [];
  for (const h of contexts) {
    const m = big.get(h)!;
    let ch = 0;
    for (const c of m.values()) ch += c;
    const lam = (KN_DISCOUNT * m.size) / ch;
    lambda.set(h, lam);
    for (const w of [...m.keys()].sort((a, b) => a - b)) {
      const p = Math.max(m.get(w)! - KN_DISCOUNT, 0) / ch + lam * p1(w);
      bigrams.push({ words: [words[h], words[w]], logprob: round(Math.log10(p), digits) });
    }
  }
  const unigrams: ArpaEntry[] = words.map((w, i) => {
    const e: ArpaEntry = { words: [w], logprob: i === bos ? LOG_ZERO : round(Math.log10(p1(i)), digits) };
    const lam = lambda.get(i);
    if (lam !== undefined) e.backoff = round(Math.log10(lam), digits);
    return e;
  });
  return { order: 2, grams: [unigrams, bigrams] };
}
