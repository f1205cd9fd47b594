/**
 * The π-GCCP lab's heatmaps as data (issue 8, item 8), computed in the lab's worker:
 *
 * - up to CELL_LIMIT pairs, one cell per pair (`cells`): phase on a sequential scale over
 *   [0, π] rad, weight as its two values (0 rejected, 1 aligned); an undefined phase (a zero
 *   vector) is a grey cell;
 * - above that, pairs are aggregated into bins of consecutive pairs. Averaging phases per
 *   bin gave a uniform block at 1M random pairs (every bin's mean is ≈ π/2), so the phase
 *   map becomes a density (`density`): x = pair index in bins, y = phase in bins over
 *   [0, π], colour = pairs per bin (log scale). The weight map shows each bin's mean weight,
 *   i.e. the fraction of its pairs that aligned (`mean`), on a fixed 0–1 scale.
 *
 * Every heat carries what its legend says: the mode, the range, pairs per bin.
 */

export const CELL_LIMIT = 64 * 128;
/** Density and mean maps: bins along the pair index. */
export const INDEX_BINS = 128;
/** Density map: bins over the phase range [0, π]. */
export const PHASE_BINS = 48;
/** Mean map: columns of the wrapped grid of bins. */
const MEAN_COLS = 64;
/** How many bins the mean map has at most (64 × 32). */
export const MEAN_BINS = 2048;

export type HeatKind = 'phase' | 'weight';

interface HeatBase { kind: HeatKind; n: number; cols: number; rows: number; nan: number }
/** One cell per pair, wrapped into rows of `cols`. */
export interface CellsHeat extends HeatBase { mode: 'cells'; values: Float32Array; ones: number }
/** counts[row * cols + col]; row 0 is the top (the highest phase). */
export interface DensityHeat extends HeatBase { mode: 'density'; per: number; counts: Uint32Array; maxCount: number }
/** Mean weight per bin of `per` consecutive pairs, wrapped into rows of `cols`. */
export interface MeanHeat extends HeatBase { mode: 'mean'; per: number; bins: number; values: Float32Array; ones: number }
export type Heat = CellsHeat | DensityHeat | MeanHeat;

export const PHASE_MAX = Math.PI;

export function heatOf(kind: HeatKind, values: ArrayLike<number>): Heat {
  const n = values.length;
  if (n <= CELL_LIMIT) {
    const cols = Math.max(1, Math.min(64, Math.ceil(Math.sqrt(n * 2))));
    const out = new Float32Array(n);
    let nan = 0, ones = 0;
    for (let i = 0; i < n; i++) { const v = values[i]; out[i] = v; if (Number.isNaN(v)) nan++; else if (v >= 0.5) ones++; }
    return { mode: 'cells', kind, n, cols, rows: Math.max(1, Math.ceil(n / cols)), nan, values: out, ones };
  }
  if (kind === 'phase') {
    const cols = INDEX_BINS, rows = PHASE_BINS;
    const per = Math.ceil(n / cols);
    const counts = new Uint32Array(cols * rows);
    let nan = 0;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (Number.isNaN(v)) { nan++; continue; }
      const r = Math.min(rows - 1, Math.max(0, Math.floor((v / PHASE_MAX) * rows)));
      counts[(rows - 1 - r) * cols + Math.floor(i / per)]++;
    }
    let maxCount = 0;
    for (let k = 0; k < counts.length; k++) if (counts[k] > maxCount) maxCount = counts[k];
    return { mode: 'density', kind, n, cols, rows, nan, per, counts, maxCount };
  }
  const per = Math.ceil(n / MEAN_BINS);
  const bins = Math.ceil(n / per);
  const values32 = new Float32Array(bins);
  let nan = 0, ones = 0;
  for (let b = 0; b < bins; b++) {
    let s = 0, k = 0;
    for (let i = b * per; i < Math.min(n, (b + 1) * per); i++) {
      const v = values[i];
      if (Number.isNaN(v)) { nan++; continue; }
      s += v; k++;
      if (v >= 0.5) ones++;
    }
    values32[b] = k ? s / k : NaN;
  }
  return { mode: 'mean', kind, n, cols: MEAN_COLS, rows: Math.ceil(bins / MEAN_COLS), nan, per, bins, values: values32, ones };
}

/** Viridis (perceptually uniform, readable in grey and by most colour-blind readers), 9 stops. */
const STOPS: ReadonlyArray<readonly [number, number, number]> = [
  [68, 1, 84], [72, 40, 120], [62, 73, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137], [53, 183, 121], [110, 206, 88], [253, 231, 37],
];

export function colour(t: number): [number, number, number] {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = STOPS[i], b = STOPS[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** The same scale as a CSS gradient (for the legends). */
export function gradientCss(): string {
  return `linear-gradient(to right, ${STOPS.map((c, i) => `rgb(${c.join(' ')}) ${((100 * i) / (STOPS.length - 1)).toFixed(1)}%`).join(', ')})`;
}

/** Where a density count sits on the log scale (0 for an empty bin). */
export function densityT(count: number, maxCount: number): number {
  return count > 0 && maxCount > 0 ? Math.log1p(count) / Math.log1p(maxCount) : 0;
}

/** Undefined cells (a zero vector has no phase): plain grey, which viridis never uses. */
export const UNDEFINED_RGB: readonly [number, number, number] = [128, 128, 128];
/** Empty density bins. */
export const EMPTY_RGB: readonly [number, number, number] = [14, 17, 22];

/** Pixels (RGBA, cols × rows) of a heat; grey for undefined cells, transparent past the end. */
export function heatPixels(h: Heat): Uint8ClampedArray {
  const px = new Uint8ClampedArray(h.cols * h.rows * 4);
  const put = (k: number, c: readonly [number, number, number]) => { px[4 * k] = c[0]; px[4 * k + 1] = c[1]; px[4 * k + 2] = c[2]; px[4 * k + 3] = 255; };
  if (h.mode === 'density') {
    for (let k = 0; k < h.counts.length; k++) {
      const c = h.counts[k];
      if (c === 0) put(k, EMPTY_RGB);
      else put(k, colour(densityT(c, h.maxCount)));
    }
    return px;
  }
  const vals = h.values;
  for (let k = 0; k < vals.length; k++) {
    const v = vals[k];
    if (Number.isNaN(v)) { put(k, UNDEFINED_RGB); continue; }
    put(k, colour(h.kind === 'phase' ? v / PHASE_MAX : v));
  }
  return px;
}

/** Every buffer of a heat (for postMessage transfer lists). */
export function heatBuffers(h: Heat): ArrayBuffer[] {
  return [(h.mode === 'density' ? h.counts : h.values).buffer as ArrayBuffer];
}
