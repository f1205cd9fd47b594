/**
 * `mx2gym.analyze.gradients` (docs/laws.md G-ANALYZE): what a person reads off a set of
 * gradient (or delta) tensors — per-tensor norms and extremes, a histogram, and a heatmap view
 * small enough to draw — each a pure function of the tensors, so the worker, the CLI and the
 * page show the same figures.
 *
 *   stats:     L2 = √Σx² (f64, index order), max |x|, mean (Σx / n), n; NaN/±Inf counted apart.
 *   histogram: `bins` equal bins over [−m, m], m = max |x| over all given tensors (finite
 *              values); bin = min(bins − 1, ⌊(x + m) / (2m) · bins⌋); m = 0 → every value in
 *              the middle bin.
 *   view:      a rank-2 [r, c] tensor (rank 1 = one row; higher ranks fold into [shape₀, rest])
 *              as ≤ maxRows × maxCols cells, each the mean of its block (rows ⌊i·r/R⌋ …
 *              ⌊(i+1)·r/R⌋ − 1, same for columns), f64 sums rounded to f32.
 */
import type { Tensor, TensorSet } from './tensor.ts';
import { sortedNames } from './tensor.ts';

export interface Histogram { lo: number; hi: number; counts: number[] }
export interface TensorView { name: string; rows: number; cols: number; values: Float32Array; lo: number; hi: number }
export interface TensorStats { name: string; shape: number[]; n: number; l2: number; maxAbs: number; mean: number; nonFinite: number }

export function tensorStats(name: string, t: Tensor): TensorStats {
  let s2 = 0, s = 0, m = 0, bad = 0;
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    const x = d[i];
    if (!Number.isFinite(x)) { bad++; continue; }
    s2 += x * x; s += x;
    const a = Math.abs(x);
    if (a > m) m = a;
  }
  return { name, shape: [...t.shape], n: d.length, l2: Math.sqrt(s2), maxAbs: m, mean: d.length ? s / d.length : 0, nonFinite: bad };
}

export function histogramOf(tensors: readonly Tensor[], bins = 48): Histogram {
  let m = 0;
  for (const t of tensors) for (let i = 0; i < t.data.length; i++) { const a = Math.abs(t.data[i]); if (a > m && a !== Infinity) m = a; }
  const counts = new Array<number>(bins).fill(0);
  for (const t of tensors) {
    for (let i = 0; i < t.data.length; i++) {
      const x = t.data[i];
      if (!Number.isFinite(x)) continue;
      const b = m === 0 ? bins >> 1 : Math.min(bins - 1, Math.floor(((x + m) / (2 * m)) * bins));
      counts[b]++;
    }
  }
  return { lo: -m, hi: m, counts };
}

export function tensorViewOf(name: string, t: Tensor, maxRows = 128, maxCols = 128): TensorView {
  const r = t.shape.length === 0 ? 1 : t.shape.length === 1 ? 1 : t.shape[0];
  const c = r === 0 ? 0 : t.data.length / Math.max(1, r);
  const R = Math.max(1, Math.min(maxRows, r)), C = Math.max(1, Math.min(maxCols, c));
  const values = new Float32Array(R * C);
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < R; i++) {
    const r0 = Math.floor((i * r) / R), r1 = Math.max(r0 + 1, Math.floor(((i + 1) * r) / R));
    for (let j = 0; j < C; j++) {
      const c0 = Math.floor((j * c) / C), c1 = Math.max(c0 + 1, Math.floor(((j + 1) * c) / C));
      let s = 0, n = 0;
      for (let y = r0; y < r1 && y < r; y++) for (let x = c0; x < c1 && x < c; x++) { const v = t.data[y * c + x]; if (Number.isFinite(v)) { s += v; n++; } }
      const v = Math.fround(n ? s / n : 0);
      values[i * C + j] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) { lo = 0; hi = 0; }
  return { name, rows: R, cols: C, values, lo, hi };
}

/** The whole analysis of a gradient set: stats per tensor (UTF-8 name order), the global L2, one histogram. */
export function analyzeGradients(grads: ReadonlyMap<string, Tensor>, bins = 48): { tensors: TensorStats[]; l2: number; histogram: Histogram } {
  const names = sortedNames(grads);
  const tensors = names.map((n) => tensorStats(n, grads.get(n)!));
  let s = 0;
  for (const t of tensors) s += t.l2 * t.l2;
  return { tensors, l2: Math.sqrt(s), histogram: histogramOf(names.map((n) => grads.get(n)!), bins) };
}

export type { TensorSet };
