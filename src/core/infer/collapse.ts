/**
 * Collapse and selection of exact inference (§20.8, §20.10; docs/laws.md MX2LM-INFER):
 *
 *   C_w = a·P_matrix(w) + b·P_svg(w) + c·P_ngram(w)   (left to right, doubles)
 *
 * with (a, b, c) the profile's (alpha, beta, gamma) after removing the empty domains: a domain
 * is empty when its weight is 0, its object is absent (the n-gram brain is optional), or it has
 * no distribution at this step (the SVG brain without edges from the last token); the weights
 * of the present domains are divided by their sum (one IEEE division each). No present weight:
 * the step selects the stop token.
 *
 * Selection: argmax over the legal ids in ascending order, a strictly larger C replacing the
 * best (ties → the lowest id). Never `<unk>`, `<s>`, nor an id the repetition rule excludes:
 * with the profile's `repeat: {window: W, ngram: n}`, w is excluded when the n-gram ending in w
 * (the last n − 1 tokens of prompt + reply, then w) already occurs in the last W tokens; no
 * legal id with C > 0 left → the stop token.
 *
 * Pure: no DOM, no Node.
 */

export interface CollapseWeights { alpha: number; beta: number; gamma: number }
export interface RepeatRule { window: number; ngram: number }

/** The weights of the present domains, renormalised (see the file comment); null: none present. */
export function effectiveWeights(w: CollapseWeights, present: { matrix: boolean; svg: boolean; ngram: boolean }): CollapseWeights | null {
  const a = present.matrix ? w.alpha : 0, b = present.svg ? w.beta : 0, c = present.ngram ? w.gamma : 0;
  const s = a + b + c;
  if (!(s > 0)) return null;
  return { alpha: a / s, beta: b / s, gamma: c / s };
}

export function collapseInto(w: CollapseWeights, pm: Float64Array | null, ps: Float64Array | null, pn: Float64Array | null, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) {
    let c = 0;
    if (w.alpha > 0 && pm) c = w.alpha * pm[i];
    if (w.beta > 0 && ps) c = c + w.beta * ps[i];
    if (w.gamma > 0 && pn) c = c + w.gamma * pn[i];
    out[i] = c;
  }
}

/** Ids the repetition rule excludes after `seq` (prompt + reply tokens so far). */
export function repeatExcluded(seq: readonly number[], rule: RepeatRule | null): Set<number> {
  const out = new Set<number>();
  if (!rule) return out;
  const n = rule.ngram;
  if (seq.length < n - 1) return out;
  const win = seq.slice(Math.max(0, seq.length - rule.window));
  const prefix = seq.slice(seq.length - (n - 1));
  for (let i = 0; i + n <= win.length; i++) {
    let same = true;
    for (let j = 0; j < n - 1; j++) if (win[i + j] !== prefix[j]) { same = false; break; }
    if (same) out.add(win[i + n - 1]);
  }
  return out;
}

/** argmax over legal ids, ties to the lowest id; -1 when no legal id has C > 0. */
export function selectArgmax(c: Float64Array, illegal: (id: number) => boolean): number {
  let best = -1, bestC = 0;
  for (let i = 0; i < c.length; i++) {
    if (illegal(i)) continue;
    if (c[i] > bestC) { best = i; bestC = c[i]; }
  }
  return best;
}

/** The top `k` ids of `p` (p descending, ties lowest id), skipping `skip`. */
export function topK(p: Float64Array, k: number, skip?: (id: number) => boolean): number[] {
  const top: number[] = [];
  for (let i = 0; i < p.length; i++) {
    if (skip?.(i) || !(p[i] > 0)) continue;
    let j = top.length;
    while (j > 0 && p[top[j - 1]] < p[i]) j--;
    if (j >= k) continue;
    top.splice(j, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}
