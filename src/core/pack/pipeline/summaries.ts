/**
 * Matrix summary lanes (packs spec "Matrix summary lanes v1.0"; law L-SUMMARY).
 *
 * From the matrix lanes `A@t<i>__x__B@t<j>` present in the lane set, emit
 *   row i:   `A@t<i>__x__B@row`  = mean over the present j, ascending j
 *   col j:   `A@col__x__B@t<j>`  = mean over the present i, ascending i
 *   global:  `A@all__x__B@all`   = mean over all matrix lanes, row-major (i, then j)
 * Each mean aligns by index over the minimum length, sums in the stated order, divides by
 * the count, then clamp01. Rows are emitted for ascending i, then columns for ascending j,
 * then the global lane; a target with no lanes or aligned length 0 is not emitted.
 *
 * Spec defects handled: (1) the JS reference builds its RegExp from the unescaped base
 * names, so a base such as `a.b` would also match `axb@t0__x__…`; we escape them (as the
 * Python reference does with re.escape). (2) The references loop over rows/columns 0..3
 * only; we take every index present, so K ≠ 4 works. (3) The summation order is stated
 * (f64 addition is not associative); for the spec's inputs it equals its insertion order.
 * Indices must be canonical decimals (`0` or no leading zero), so `t01` is not `t1`.
 */
import { clamp01, DEFAULT_A, DEFAULT_B, meanAligned, X, type LaneStreams } from './streams.ts';

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

interface Cell { i: number; j: number; s: Float64Array }

export function matrixCells(streams: LaneStreams, A: string, B: string): Cell[] {
  const re = new RegExp(`^${escapeRegExp(A)}@t(0|[1-9][0-9]*)${X}${escapeRegExp(B)}@t(0|[1-9][0-9]*)$`);
  const cells: Cell[] = [];
  for (const [id, s] of streams) {
    const m = re.exec(id);
    if (m) cells.push({ i: Number(m[1]), j: Number(m[2]), s });
  }
  return cells.sort((x, y) => x.i - y.i || x.j - y.j);
}

function clampedMean(streams: Float64Array[]): Float64Array | null {
  const m = meanAligned(streams);
  if (!m) return null;
  for (let k = 0; k < m.length; k++) m[k] = clamp01(m[k]);
  return m;
}

export function emitMatrixSummaries(streams: LaneStreams, A: string = DEFAULT_A, B: string = DEFAULT_B): Map<string, Float64Array> {
  const out = new Map(streams);
  const cells = matrixCells(streams, A, B);
  if (cells.length === 0) return out;
  const rows = [...new Set(cells.map((c) => c.i))].sort((x, y) => x - y);
  const cols = [...new Set(cells.map((c) => c.j))].sort((x, y) => x - y);
  for (const i of rows) {
    const s = clampedMean(cells.filter((c) => c.i === i).map((c) => c.s));
    if (s) out.set(`${A}@t${i}${X}${B}@row`, s);
  }
  for (const j of cols) {
    // cells are sorted row-major, so filtering by j leaves them in ascending i
    const s = clampedMean(cells.filter((c) => c.j === j).map((c) => c.s));
    if (s) out.set(`${A}@col${X}${B}@t${j}`, s);
  }
  const all = clampedMean(cells.map((c) => c.s));
  if (all) out.set(`${A}@all${X}${B}@all`, all);
  return out;
}
