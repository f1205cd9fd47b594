/**
 * Probability conservation of a back-off n-gram model (§16.5 "probabilities must sum to 1",
 * "no negative weights"; docs/laws.md AI-NGRAM). For every context h of order < N the
 * distribution P(· | h) over the 1-gram vocabulary, with Katz-style back-off
 *   P(w | h) = 10^lp(h w)                      if h w is listed,
 *            = 10^bo(h) · P(w | h[1:])          otherwise (bo = 0 when h is not listed),
 *   P(w | ε) = 10^lp(w),
 * sums to 1 within NGRAM_SUM_TOLERANCE. The sum is computed without enumerating the
 * vocabulary: Σ_w P(w|h) = Σ_{w∈E(h)} 10^lp(h w) + 10^bo(h) · (1 − Σ_{w∈E(h)} P(w | h[1:])),
 * E(h) the listed continuations, which is exact because P(· | h[1:]) sums to 1 (checked first,
 * lower orders before higher). A log probability ≤ −99 is the ARPA "log of zero": probability 0.
 */
import { ngramKey, type ArpaEntry, type ArpaModel } from './arpa.ts';

export const NGRAM_SUM_TOLERANCE = 1e-4;
export const LOG_ZERO = -99;

export interface ConservationIssue {
  kind: 'above_one' | 'not_normalized';
  /** The n-gram (above_one) or the context (not_normalized; [] is the 1-gram distribution). */
  words: string[];
  /** Order of the n-gram list the issue points into (1-based). */
  order: number;
  sum?: number;
  logprob?: number;
}

export function prob(lp: number): number { return lp <= LOG_ZERO ? 0 : 10 ** lp; }

export interface NgramIndex {
  order: number;
  /** per order: key → [logprob, backoff] */
  maps: Map<string, [number, number]>[];
}

/** Maps of the orders 1 … `upTo` (default: all); higher orders get empty maps (a caller that never reads them). */
export function indexModel(m: ArpaModel, upTo = m.order): NgramIndex {
  return { order: m.order, maps: m.grams.map((g, i) => (i < upTo ? new Map(g.map((e) => [ngramKey(e.words), [e.logprob, e.backoff ?? 0] as [number, number]])) : new Map<string, [number, number]>())) };
}

/** P(w | h) with back-off (h is cut to the last order − 1 words). */
export function conditional(ix: NgramIndex, h: readonly string[], w: string): number {
  if (h.length === 0) { const e = ix.maps[0].get(w); return e ? prob(e[0]) : 0; }
  let ctx = h.slice(Math.max(0, h.length - (ix.order - 1)));
  let scale = 1;
  for (;;) {
    const e = ix.maps[ctx.length].get(ngramKey([...ctx, w]));
    if (e) return scale * prob(e[0]);
    if (ctx.length === 0) return 0; // not in the vocabulary
    const b = ix.maps[ctx.length - 1].get(ngramKey(ctx));
    scale *= 10 ** (b ? b[1] : 0);
    ctx = ctx.slice(1);
  }
}

/** Every conservation issue, lower orders first (at most `max`). */
export function conservationIssues(m: ArpaModel, tolerance = NGRAM_SUM_TOLERANCE, max = 100): ConservationIssue[] {
  const out: ConservationIssue[] = [];
  // The checks below read orders 1 … N − 1 only (contexts of order k < N, and conditional() on their
  // tails of k − 1 ≤ N − 2 words), so the top order — most of the n-grams — gets no map.
  const ix = indexModel(m, m.order - 1);
  for (let n = 1; n <= m.order && out.length < max; n++) {
    for (const e of m.grams[n - 1]) {
      if (e.logprob > 0) { out.push({ kind: 'above_one', words: e.words, order: n, logprob: e.logprob }); if (out.length >= max) return out; }
    }
  }
  // 1-gram distribution.
  let s = 0;
  for (const e of m.grams[0]) s += prob(e.logprob);
  if (!(Math.abs(s - 1) <= tolerance)) out.push({ kind: 'not_normalized', words: [], order: 1, sum: s });
  // Contexts of order k = 1 … N − 1: listed k-grams, and prefixes of listed (k+1)-grams.
  for (let k = 1; k < m.order && out.length < max; k++) {
    const cont = new Map<string, ArpaEntry[]>();
    for (const e of m.grams[k]) {
      const key = k === 1 ? e.words[0] : ngramKey(e.words.slice(0, k));
      let l = cont.get(key);
      if (!l) cont.set(key, (l = []));
      l.push(e);
    }
    const contexts: string[][] = m.grams[k - 1].map((e) => e.words);
    for (const key of cont.keys()) if (!ix.maps[k - 1].has(key)) contexts.push(key.split(' '));
    for (const h of contexts) {
      const key = ngramKey(h);
      const E = cont.get(key) ?? [];
      const bo = ix.maps[k - 1].get(key)?.[1] ?? 0;
      let explicit = 0, lower = 0;
      const tail = h.slice(1);
      for (const e of E) {
        explicit += prob(e.logprob);
        lower += conditional(ix, tail, e.words[k]);
      }
      const sum = explicit + 10 ** bo * (1 - lower);
      if (!(Math.abs(sum - 1) <= tolerance)) { out.push({ kind: 'not_normalized', words: h, order: k, sum }); if (out.length >= max) return out; }
    }
  }
  return out;
}
