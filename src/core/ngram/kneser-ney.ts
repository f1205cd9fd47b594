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
  return kneserNey(vocab, sentences, 2, digits);
}

/**
 * Interpolated Kneser-Ney of any order N = 2 … 16 (docs/laws.md AI-KN2), the same construction as
 * the bigram one level by level. With c the raw counts of the sentences `<s> w… </s>`, the
 * count of an n-gram g at order n is a_n(g) = c(g) at the highest order and for g starting with
 * `<s>`, else the continuation count N1+(• g) (KenLM's rule, so every listed n-gram's prefix and
 * suffix are listed too). For a context h at order n ≥ 2 with a_n(h•) = Σ_w a_n(h w) > 0:
 *   P_n(w | h) = max(a_n(h w) − D, 0) / a_n(h•) + λ(h) · P_{n−1}(w | h[1:]),
 *   λ(h) = D · |{w : a_n(h w) > 0}| / a_n(h•),
 * P_1 the add-one continuation unigram of the bigram model. Every n-gram with a_n > 0 is listed
 * with log10 P_n, every context with log10 λ as back-off. Listed in order, then by word ids.
 * Order 2 is the bigram model above.
 */
export function kneserNey(vocab: readonly string[], sentences: readonly (readonly string[])[], order: number, digits = 7): ArpaModel {
  if (!Number.isInteger(order) || order < 2 || order > 16) throw new RangeError(`order ${order}: 2 … 16`);
  const words: string[] = [];
  const seen = new Set<string>();
  for (const w of [UNK, BOS, EOS, ...vocab]) if (!seen.has(w)) { seen.add(w); words.push(w); }
  const id = new Map(words.map((w, i) => [w, i]));
  const V = words.length;
  const bos = id.get(BOS)!;
  // Raw counts of every n-gram of order 2 … N (keys: ids joined by ' ').
  const raw: Map<string, number>[] = Array.from({ length: order + 1 }, () => new Map());
  for (const s of sentences) {
    const ids = [bos, ...s.map((w) => id.get(w) ?? id.get(UNK)!), id.get(EOS)!];
    for (let n = 2; n <= order; n++) {
      for (let i = 0; i + n <= ids.length; i++) {
        const k = ids.slice(i, i + n).join(' ');
        raw[n].set(k, (raw[n].get(k) ?? 0) + 1);
      }
    }
  }
  // a_n: continuation counts below the highest order, except <s>-initial n-grams.
  const a: Map<string, number>[] = Array.from({ length: order + 1 }, () => new Map());
  for (const [k, c] of raw[order]) a[order].set(k, c);
  for (let n = order; n >= 2; n--) {
    // left-extensions of each (n−1)-gram: the n-grams seen (raw) end with it
    const left = new Map<string, number>();
    for (const k of raw[n].keys()) { const sfx = k.slice(k.indexOf(' ') + 1); left.set(sfx, (left.get(sfx) ?? 0) + 1); }
    if (n - 1 >= 2) for (const [k, c] of raw[n - 1]) a[n - 1].set(k, Number(k.split(' ')[0]) === bos ? c : (left.get(k) ?? 0));
    if (n === 2) {
      // unigram continuation counts
      const uni = new Array<number>(V).fill(0);
      for (const [k, c] of left) uni[Number(k)] = c;
      a[1] = new Map(uni.map((c, i) => [String(i), c]));
    }
  }
  const uniLeft = (w: number) => a[1].get(String(w)) ?? 0;
  let totalLeft = 0;
  for (let w = 0; w < V; w++) totalLeft += uniLeft(w);
  const p1 = (w: number) => (w === bos ? 0 : (uniLeft(w) + 1) / (totalLeft + V - 1));
  // Per order: context → {total, distinct}; probabilities computed bottom-up.
  const lambda: Map<string, number>[] = Array.from({ length: order + 1 }, () => new Map());
  const prob: Map<string, number>[] = Array.from({ length: order + 1 }, () => new Map());
  const lower = (n: number, ids: number[]): number => {
    // P_n(w | h) for any h w of length n (listed or not), by back-off through λ.
    if (n === 1) return p1(ids[0]);
    const k = ids.join(' ');
    const p = prob[n].get(k);
    if (p !== undefined) return p;
    const lam = lambda[n].get(ids.slice(0, -1).join(' ')) ?? 1;
    return lam * lower(n - 1, ids.slice(1));
  };
  for (let n = 2; n <= order; n++) {
    const ctx = new Map<string, [number, number]>();
    for (const [k, c] of a[n]) {
      if (c <= 0) continue;
      const h = k.slice(0, k.lastIndexOf(' '));
      const t = ctx.get(h) ?? [0, 0];
      t[0] += c; t[1] += 1;
      ctx.set(h, t);
    }
    for (const [h, [tot, distinct]] of ctx) lambda[n].set(h, (KN_DISCOUNT * distinct) / tot);
    for (const [k, c] of a[n]) {
      if (c <= 0) continue;
      const ids = k.split(' ').map(Number);
      const h = k.slice(0, k.lastIndexOf(' '));
      const [tot] = ctx.get(h)!;
      prob[n].set(k, Math.max(c - KN_DISCOUNT, 0) / tot + lambda[n].get(h)! * lower(n - 1, ids.slice(1)));
    }
  }
  const byIds = (x: string, y: string) => {
    const p = x.split(' ').map(Number), q = y.split(' ').map(Number);
    for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return p[i] - q[i];
    return 0;
  };
  const grams: ArpaEntry[][] = [];
  grams.push(words.map((w, i) => {
    const e: ArpaEntry = { words: [w], logprob: i === bos ? LOG_ZERO : round(Math.log10(p1(i)), digits) };
    const lam = lambda[2].get(String(i));
    if (lam !== undefined) e.backoff = round(Math.log10(lam), digits);
    return e;
  }));
  for (let n = 2; n <= order; n++) {
    const keys = [...prob[n].keys()].sort(byIds);
    grams.push(keys.map((k) => {
      const e: ArpaEntry = { words: k.split(' ').map((x) => words[Number(x)]), logprob: round(Math.log10(prob[n].get(k)!), digits) };
      const lam = n < order ? lambda[n + 1].get(k) : undefined;
      if (lam !== undefined) e.backoff = round(Math.log10(lam), digits);
      return e;
    }));
  }
  return { order, grams };
}
