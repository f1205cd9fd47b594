/**
 * Pure helpers of the Tensors face: how a tensor of any rank is laid out as a 2-D heatmap,
 * which elements one page reads, how a page is reduced to the canvas, and how two models'
 * tensor lists line up for a diff. No DOM, no I/O (unit-tested in view.test.ts).
 */
import type { TensorRow } from './source';

/** Elements read for one heatmap page (at most; one row is read whole up to this). */
export const PAGE_ELEMENTS = 1 << 20;
/** Largest canvas grid (cells): bigger pages are averaged down to it. */
export const MAX_CELLS = 512;

export interface Grid {
  rows: number;
  cols: number;
  /** How the shape was folded: "rows × cols", "1-D wrapped at 40", "scalar". */
  note: string;
}

/**
 * The 2-D view of a shape: the last dimension is the columns, every other dimension folds
 * into the rows (row-major, as the bytes lie). A 1-D tensor wraps at ⌈√n⌉ columns so it is
 * not one pixel high; a scalar is 1 × 1.
 */
export function gridOf(shape: readonly number[]): Grid {
  const n = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0) return { rows: 1, cols: 1, note: 'scalar' };
  if (n === 0) return { rows: 0, cols: 0, note: 'empty' };
  if (shape.length === 1) {
    const cols = Math.ceil(Math.sqrt(n));
    return { rows: Math.ceil(n / cols), cols, note: cols === n ? `1 × ${n}` : `1-D, wrapped at ${cols}` };
  }
  const cols = shape[shape.length - 1];
  const rows = n / cols;
  return { rows, cols, note: shape.length === 2 ? `${rows} × ${cols}` : `${shape.slice(0, -1).join('·')} = ${rows} rows × ${cols}` };
}

export interface Page {
  /** First row and row count of this page. */
  row0: number;
  rowCount: number;
  /** Columns read of each row (all of them unless a row alone is over PAGE_ELEMENTS). */
  colCount: number;
  /** Element range read: [start, start + count) of the flat tensor (clipped to `elements`). */
  start: number;
  count: number;
}

export function rowsPerPage(g: Grid): number {
  return Math.max(1, Math.min(g.rows, Math.floor(PAGE_ELEMENTS / Math.max(1, g.cols))));
}

export function pageCount(g: Grid): number {
  return g.rows === 0 ? 0 : Math.ceil(g.rows / rowsPerPage(g));
}

/** Page `p` of a tensor of `elements` elements laid out as `g`. */
export function pageOf(g: Grid, elements: number, p: number): Page {
  const per = rowsPerPage(g);
  const row0 = Math.min(p * per, Math.max(0, g.rows - 1));
  const rowCount = Math.max(0, Math.min(per, g.rows - row0));
  const colCount = Math.min(g.cols, PAGE_ELEMENTS);
  const start = row0 * g.cols;
  // A single over-wide row reads its first PAGE_ELEMENTS columns only.
  const count = Math.max(0, Math.min(rowCount === 1 ? colCount : rowCount * g.cols, elements - start));
  return { row0, rowCount, colCount, start, count };
}

export interface Cells {
  width: number;
  height: number;
  /** Mean of the finite values in each block (NaN where a block has none). */
  values: Float64Array;
  /** Rows/columns of the page per cell (1 when not reduced). */
  rowStep: number;
  colStep: number;
}

/**
 * Reduce a page (values of rows × colCount laid out with `stride` elements a row; the last row
 * may be short) to at most MAX_CELLS × MAX_CELLS cells, each the mean of its block's finite values.
 */
export function toCells(values: ArrayLike<number>, rows: number, colCount: number, stride: number, max = MAX_CELLS): Cells {
  const rowStep = Math.max(1, Math.ceil(rows / max));
  const colStep = Math.max(1, Math.ceil(colCount / max));
  const width = Math.ceil(colCount / colStep);
  const height = Math.ceil(rows / rowStep);
  const sum = new Float64Array(width * height);
  const cnt = new Uint32Array(width * height);
  for (let r = 0; r < rows; r++) {
    const base = r * stride;
    const cy = Math.floor(r / rowStep) * width;
    for (let c = 0; c < colCount; c++) {
      const i = base + c;
      if (i >= values.length) break;
      const v = values[i];
      if (v - v !== 0) continue; // NaN, ±Inf
      const k = cy + Math.floor(c / colStep);
      sum[k] += v;
      cnt[k]++;
    }
  }
  const out = new Float64Array(width * height);
  for (let k = 0; k < out.length; k++) out[k] = cnt[k] ? sum[k] / cnt[k] : NaN;
  return { width, height, values: out, rowStep, colStep };
}

export type DiffStatus = 'compared' | 'shape' | 'onlyA' | 'onlyB';

export interface DiffRow {
  name: string;
  status: DiffStatus;
  dtypeA?: string;
  dtypeB?: string;
  shapeA?: number[];
  shapeB?: number[];
}

/**
 * Line up two tensor lists: names in A's order then B's extra names; a name in both is
 * compared when the shapes are equal (dtypes may differ: the viewing values are compared),
 * else reported as a shape difference.
 */
export function diffPlan(a: readonly TensorRow[], b: readonly TensorRow[]): DiffRow[] {
  const bm = new Map(b.map((t) => [t.name, t]));
  const am = new Map(a.map((t) => [t.name, t]));
  const out: DiffRow[] = [];
  for (const t of a) {
    const u = bm.get(t.name);
    if (!u) { out.push({ name: t.name, status: 'onlyA', dtypeA: t.dtype, shapeA: t.shape }); continue; }
    const same = t.shape.length === u.shape.length && t.shape.every((d, i) => d === u.shape[i]);
    out.push({ name: t.name, status: same ? 'compared' : 'shape', dtypeA: t.dtype, dtypeB: u.dtype, shapeA: t.shape, shapeB: u.shape });
  }
  for (const u of b) if (!am.has(u.name)) out.push({ name: u.name, status: 'onlyB', dtypeB: u.dtype, shapeB: u.shape });
  return out;
}

/** A number as the face prints it: 6 significant digits, no trailing zeros; "—" for null. */
export function fmtNum(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '−Inf';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(4).replace(/\.?0+e/, 'e');
  return String(Number(v.toPrecision(6)));
}

/** "[64, 48]" */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Case-insensitive substring filter over name and dtype, or /regex/ on the name. */
export function filterRows(rows: readonly TensorRow[], pattern: string): TensorRow[] {
  const p = pattern.trim();
  if (!p) return rows.slice();
  const m = /^\/(.+)\/([a-z]*)$/.exec(p);
  if (m) {
    try {
      const re = new RegExp(m[1], m[2].replace(/[gy]/g, ''));
      return rows.filter((r) => re.test(r.name));
    } catch { /* not a regex: fall through to a substring */ }
  }
  const q = p.toLowerCase();
  return rows.filter((r) => r.name.toLowerCase().includes(q) || r.dtype.toLowerCase() === q);
}
