/**
 * The three domains' probabilities of exact inference (docs/laws.md MX2LM-INFER "probabilities"),
 * with nothing but + − × ÷ on doubles, comparisons, and the project's fdlibm `exp` (the same bits
 * on every JS engine; Math.exp, Math.pow and `**` are not):
 *
 *   matrix:  P_v = e_v / Z, e_v = exp(l_v − max l), Z = Σ_v e_v in ascending v
 *   n-gram:  10^x = exp(x · LN10) (LN10 the double 2.302585092994046), 0 when x ≤ −99 (ARPA's
 *            log of zero); back-off P(w | h) = 10^lp(h w) when listed, else 10^bo(h) · P(w | h[1:]),
 *            P(w | ε) = 10^lp(w), h the last min(context, order − 1) words.
 *
 * Pure: no DOM, no Node.
 */
import { exp } from '../math/fdlibm.ts';
import { ngramKey, type ArpaModel } from '../ngram/arpa.ts';
import { LOG_ZERO } from '../ngram/conservation.ts';

export const LN10 = 2.302585092994046;

/** 10^x by fdlibm: exp(x · LN10); 0 for ARPA's log of zero (x ≤ −99). */
export function pow10(x: number): number {
  return x <= LOG_ZERO ? 0 : exp(x * LN10);
}

/** Softmax of `logits` into `out` (fdlibm exp, sums in ascending index order). */
export function softmaxInto(logits: Float64Array, out: Float64Array): void {
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > m) m = logits[i];
  let z = 0;
  for (let i = 0; i < logits.length; i++) { const e = exp(logits[i] - m); out[i] = e; z += e; }
  for (let i = 0; i < logits.length; i++) out[i] = out[i] / z;
}

/**
 * The n-gram brain indexed for whole-vocabulary distributions: 10^lp of every listed n-gram,
 * computed once (the same pow10), its continuations grouped by context, and the back-off
 * weights of the contexts. Only what a distribution reads is built (no map of the
 * highest-order n-grams: they are in `listed`), because loading the Brown brain spends its time
 * building maps (bench/infer.ts, section b).
 */
export interface NgramTable {
  readonly order: number;
  /** The model's 1-gram words (a history word outside them reads as `<unk>`). */
  readonly vocab: ReadonlySet<string>;
  /** backoff[n − 1]: context key (n words, n < order) → its log10 back-off weight (0 when the entry has none). */
  readonly backoff: ReadonlyArray<ReadonlyMap<string, number>>;
  /** 10^lp of the 1-gram of each token id (0 when not listed). */
  readonly uni: Float64Array;
  /** listed[n]: context key (n words) → the token ids listed after it and their 10^lp. */
  readonly listed: ReadonlyArray<ReadonlyMap<string, { ids: Int32Array; p: Float64Array }>>;
}

export function ngramTable(model: ArpaModel, tokens: readonly string[]): NgramTable {
  // One pass per order, each n-gram's words joined once: the context key of an n-gram is its
  // key without the last word (words hold no spaces). A later duplicate's back-off replaces an
  // earlier one's, as in conservation.ts `indexModel`.
  const idOf = new Map(tokens.map((t, i) => [t, i]));
  const uni = new Float64Array(tokens.length);
  const vocab = new Set<string>();
  const backoff: Map<string, number>[] = [];
  const listed: Map<string, { ids: Int32Array; p: Float64Array }>[] = [new Map()];
  for (let n = 0; n < model.order; n++) {
    const g = model.grams[n];
    const top = n === model.order - 1;
    const bo = new Map<string, number>();
    const groups = new Map<string, { ids: number[]; p: number[] }>();
    for (let j = 0; j < g.length; j++) {
      const e = g[j];
      const key = n === 0 ? e.words[0] : ngramKey(e.words);
      if (n === 0) vocab.add(key);
      if (!top) bo.set(key, e.backoff ?? 0);
      const id = idOf.get(e.words[n]);
      if (id === undefined) continue;
      if (n === 0) { uni[id] = pow10(e.logprob); continue; }
      const ctx = key.slice(0, key.length - e.words[n].length - 1);
      let gr = groups.get(ctx);
      if (!gr) groups.set(ctx, (gr = { ids: [], p: [] }));
      gr.ids.push(id); gr.p.push(pow10(e.logprob));
    }
    if (!top) backoff.push(bo);
    if (n > 0) {
      const out = new Map<string, { ids: Int32Array; p: Float64Array }>();
      for (const [k, gr] of groups) out.set(k, { ids: Int32Array.from(gr.ids), p: Float64Array.from(gr.p) });
      listed.push(out);
    }
  }
  return { order: model.order, vocab, backoff, uni, listed };
}

/**
 * P_ngram(token | history) for every token id into `out` (tokens not among the model's 1-grams
 * get 0). `history` holds words (already mapped to `<unk>` when not 1-grams), oldest first.
 * Each value is (the back-off factors of the longer contexts, multiplied from the longest down)
 * · 10^lp at the longest listed context, exactly as `conditional` defines it.
 */
export function ngramDistributionInto(t: NgramTable, history: readonly string[], out: Float64Array): void {
  const h = history.slice(Math.max(0, history.length - (t.order - 1)));
  // factor[n]: the back-off factor applied at context length n (1 for the longest).
  const factor = new Float64Array(h.length + 1);
  let scale = 1;
  for (let n = h.length; n >= 0; n--) {
    factor[n] = scale;
    if (n > 0) {
      const b = t.backoff[n - 1].get(ngramKey(h.slice(h.length - n)));
      scale = pow10(b ?? 0) * scale;
    }
  }
  for (let id = 0; id < out.length; id++) out[id] = factor[0] * t.uni[id];
  // Shorter contexts first, so the longest listed context is the one that stays.
  for (let n = 1; n <= h.length; n++) {
    const g = t.listed[n].get(ngramKey(h.slice(h.length - n)));
    if (!g) continue;
    for (let i = 0; i < g.ids.length; i++) if (g.ids[i] < out.length) out[g.ids[i]] = factor[n] * g.p[i];
  }
}
