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
import { ngramKey } from '../ngram/arpa.ts';
import { LOG_ZERO, type NgramIndex } from '../ngram/conservation.ts';

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
 * P_ngram(token | history) for every token id into `out` (tokens not among the model's 1-grams
 * get 0). `history` holds words (already mapped to `<unk>` when not 1-grams), oldest first.
 */
export function ngramDistributionInto(ix: NgramIndex, tokens: readonly string[], history: readonly string[], out: Float64Array): void {
  const h = history.slice(Math.max(0, history.length - (ix.order - 1)));
  // Contexts from the longest (h) to the empty one; the back-off factor of each level.
  const levels: { prefix: string; map: Map<string, [number, number]>; bo: number }[] = [];
  let scale = 1;
  for (let n = h.length; n >= 0; n--) {
    const ctx = h.slice(h.length - n);
    levels.push({ prefix: n === 0 ? '' : `${ngramKey(ctx)} `, map: ix.maps[n], bo: scale });
    if (n > 0) {
      const b = ix.maps[n - 1].get(ngramKey(ctx));
      scale = pow10(b ? b[1] : 0) * scale;
    }
  }
  // P = bo_{n}·(bo_{n-1}·(… · 10^lp)) is evaluated as (accumulated back-off) · 10^lp, the
  // accumulated back-off multiplied from the longest context down (declared order).
  for (let id = 0; id < tokens.length; id++) {
    const w = tokens[id];
    let p = 0;
    for (const lv of levels) {
      const e = lv.map.get(lv.prefix + w);
      if (e) { p = lv.bo * pow10(e[0]); break; }
    }
    out[id] = p;
  }
}
