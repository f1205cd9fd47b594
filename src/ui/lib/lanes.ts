/**
 * Lane ordering for the heatmap: group by class and temporal window, sort, filter. Pure
 * and fast on 65,535 ids (ids arrive in DICT order, which is UTF-8 byte order, so "by id"
 * is the symbol order and every other sort is a stable sort on small integer keys).
 */
import { CLASS_ORDER, classifyLane, type LaneClass } from '../../core/pack/classes';
import type { LaneSort, LaneView } from '../store';

export interface LaneMeta {
  cls: Uint8Array; // class index per lane (CLASS_ORDER)
  window: string[]; // temporal window label per lane ('' when none)
  /** Audited clip ratio per lane in [0,1], NaN when the pack has no audit entry for it. */
  saturation: Float64Array;
}

/** Temporal window of a lane id: the part after the last '@' of its first factor. */
export function temporalWindow(id: string): string {
  const base = id.split('__x__')[0];
  const at = base.lastIndexOf('@');
  return at < 0 ? '' : base.slice(at + 1);
}

/** Rank of a window label: t0 < t1 < … < t* < early < mid < late < others < none. */
export function windowRank(w: string): number {
  const m = /^t(\d+)$/.exec(w);
  if (m) return Number(m[1]);
  const fixed: Record<string, number> = { 't*': 10_000, early: 10_001, mid: 10_002, late: 10_003 };
  if (w in fixed) return fixed[w];
  return w === '' ? 30_000 : 20_000;
}

export function laneMeta(ids: readonly string[], audited: ReadonlyArray<{ index: number; ratio: number }> = []): LaneMeta {
  const n = ids.length;
  const cls = new Uint8Array(n);
  const window: string[] = new Array(n);
  const saturation = new Float64Array(n).fill(Number.NaN);
  for (let i = 0; i < n; i++) {
    cls[i] = CLASS_ORDER.indexOf(classifyLane(ids[i]));
    window[i] = temporalWindow(ids[i]);
  }
  for (const a of audited) if (a.index >= 0 && a.index < n) saturation[a.index] = a.ratio;
  return { cls, window, saturation };
}

export type PatternTest = ((id: string) => boolean) | { error: string };

/** Substring (case-insensitive), or a regular expression written /like this/i. */
export function compilePattern(p: string): PatternTest {
  const t = p.trim();
  if (!t) return () => true;
  const m = /^\/(.+)\/([a-z]*)$/.exec(t);
  if (m) {
    try {
      const re = new RegExp(m[1], m[2].replace(/[gy]/g, ''));
      return (id) => re.test(id);
    } catch (e) {
      return { error: (e as Error).message };
    }
  }
  const lower = t.toLowerCase();
  return (id) => id.toLowerCase().includes(lower);
}

export interface LaneGroup {
  /** First row of the group. */
  start: number;
  count: number;
  cls: LaneClass;
  window: string;
}

export interface Arrangement {
  /** DICT index of each row. */
  rows: Int32Array;
  groups: LaneGroup[];
  /** The pattern does not compile (the filter is then not applied). */
  error?: string;
  /**
   * Lanes per class that pass the id pattern and the saturation filter, whatever classes
   * are hidden (a hidden chip still says how many lanes it would bring back).
   */
  classCounts: Map<LaneClass, number>;
}

export function arrangeLanes(ids: readonly string[], meta: LaneMeta, view: LaneView): Arrangement {
  const test = compilePattern(view.pattern);
  const error = typeof test === 'function' ? undefined : test.error;
  const match = typeof test === 'function' ? test : () => true;
  const hidden = new Set(view.hiddenClasses);
  const hiddenIdx = new Uint8Array(CLASS_ORDER.length);
  CLASS_ORDER.forEach((c, k) => { hiddenIdx[k] = hidden.has(c) ? 1 : 0; });
  const keep: number[] = [];
  const perClass = new Uint32Array(CLASS_ORDER.length);
  for (let i = 0; i < ids.length; i++) {
    if (view.minSaturation > 0 && !(meta.saturation[i] >= view.minSaturation)) continue;
    if (!match(ids[i])) continue;
    perClass[meta.cls[i]]++;
    if (hiddenIdx[meta.cls[i]]) continue;
    keep.push(i);
  }
  const classCounts = new Map<LaneClass, number>();
  CLASS_ORDER.forEach((c, k) => { if (perClass[k]) classCounts.set(c, perClass[k]); });
  sortRows(keep, meta, view.sort);
  const rows = Int32Array.from(keep);
  const groups: LaneGroup[] = [];
  if (view.sort === 'class') {
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r];
      const g = groups[groups.length - 1];
      if (g && CLASS_ORDER.indexOf(g.cls) === meta.cls[i] && g.window === meta.window[i]) g.count++;
      else groups.push({ start: r, count: 1, cls: CLASS_ORDER[meta.cls[i]], window: meta.window[i] });
    }
  }
  return { rows, groups, error, classCounts };
}

function sortRows(rows: number[], meta: LaneMeta, sort: LaneSort): void {
  if (sort === 'symbol' || sort === 'id') return; // DICT order is UTF-8 id order
  if (sort === 'class') {
    const rankCache = new Map<string, number>();
    const rank = (w: string) => {
      let r = rankCache.get(w);
      if (r === undefined) { r = windowRank(w); rankCache.set(w, r); }
      return r;
    };
    rows.sort((a, b) => meta.cls[a] - meta.cls[b] || rank(meta.window[a]) - rank(meta.window[b]) || (meta.window[a] < meta.window[b] ? -1 : meta.window[a] > meta.window[b] ? 1 : 0) || a - b);
    return;
  }
  // saturation: highest first, unaudited lanes last, ties in id order
  const s = (i: number) => (Number.isNaN(meta.saturation[i]) ? -1 : meta.saturation[i]);
  rows.sort((a, b) => s(b) - s(a) || a - b);
}

/** Characters a file name may not hold on common systems (Windows is the strictest). */
const FILE_NAME_BAD = /[\u0000-\u001f\u007f<>:"/\\|?*]/g;

/**
 * A file name for a lane's exported proof: the lane id with characters no file system accepts
 * replaced by `_`, no leading dots or trailing dots/spaces, at most 120 characters; the symbol
 * (`lane-3`) when nothing usable is left. `policy@t0` → `policy@t0.proof.json`.
 */
export function proofFileName(laneId: string, sym: string): string {
  let base = laneId.replace(FILE_NAME_BAD, '_').replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if ([...base].length > 120) base = [...base].slice(0, 120).join('');
  if (!base || /^_+$/.test(base)) base = sym.replace('@', 'lane-');
  return `${base}.proof.json`;
}
