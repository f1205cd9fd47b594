/**
 * Messages between the diff panel and the diff worker (plain, structured-clonable). The page
 * posts the two packs' Blobs (a File is a Blob: nothing is copied, the worker reads slices of
 * it); the worker opens them with the core reader and runs the core's diffPacks over every
 * lane, reporting progress after each batch. One job per worker: the page cancels a diff by
 * terminating its worker, so it stops at once, mid-batch.
 */
import type { PayloadRef } from '../ui/lib/httpSource';
import type { Compatibility, LaneSimilarity, PackDiff } from '../core/pack/compat';

export interface DiffRequest {
  a: PayloadRef;
  b: PayloadRef;
  nameA: string;
  nameB: string;
  /** Lanes compared between progress reports (default 512). */
  batch?: number;
}

/** Smallest and largest value seen (min > max when none). */
export interface RangeStats { min: number; max: number }

/** Value ranges after dims normalization, for the heatmaps' colour scales. */
export interface DiffStats {
  /** Every lane of A that the diff read (the common lanes), down-folded. */
  a: RangeStats;
  b: RangeStats;
  /** A − B over the common lanes. */
  d: RangeStats;
}

/**
 * A PackDiff in columns: one string array and three typed arrays instead of one object per
 * lane, so a 65,535-lane result crosses to the page in a few milliseconds (typed arrays are
 * transferred). The page rebuilds the PackDiff with its own `compatibility` (packDiffFrom).
 */
export interface CompactDiff {
  level: PackDiff['level'];
  dimsN: number;
  similarity: number;
  ids: string[];
  cosine: Float64Array;
  weight: Float64Array;
  /** bit 0: in A, bit 1: in B. */
  presence: Uint8Array;
  /** The common lanes (indices into ids), lowest cosine first, ties by id: the cosine chart's order. */
  lowest: Int32Array;
}

export type DiffMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; diff: CompactDiff; stats: DiffStats; bytesRead: { a: number; b: number }; ms: number }
  | { type: 'error'; code: string; message: string; offset?: number; file?: string };

export function compactDiff(d: PackDiff): CompactDiff {
  const n = d.lanes.length;
  const out: CompactDiff = {
    level: d.level, dimsN: d.dimsN, similarity: d.similarity,
    ids: new Array<string>(n), cosine: new Float64Array(n), weight: new Float64Array(n), presence: new Uint8Array(n),
    lowest: lowestFirst(d),
  };
  d.lanes.forEach((l, i) => {
    out.ids[i] = l.id;
    out.cosine[i] = l.cosine;
    out.weight[i] = l.weight;
    out.presence[i] = (l.inA ? 1 : 0) | (l.inB ? 2 : 0);
  });
  return out;
}

/** Indices of the lanes in both packs, lowest cosine first, ties in id order. */
export function lowestFirst(d: PackDiff): Int32Array {
  const idx: number[] = [];
  d.lanes.forEach((l, i) => { if (l.inA && l.inB) idx.push(i); });
  const L = d.lanes;
  idx.sort((x, y) => L[x].cosine - L[y].cosine || (L[x].id < L[y].id ? -1 : L[x].id > L[y].id ? 1 : 0));
  return Int32Array.from(idx);
}

/** The PackDiff again, with the compatibility the page computed for the same two packs. */
export function packDiffFrom(c: CompactDiff, compatibility: Compatibility): PackDiff {
  const lanes: LaneSimilarity[] = new Array(c.ids.length);
  for (let i = 0; i < c.ids.length; i++) {
    lanes[i] = { id: c.ids[i], cosine: c.cosine[i], inA: (c.presence[i] & 1) === 1, inB: (c.presence[i] & 2) === 2, weight: c.weight[i] };
  }
  return { level: c.level, compatibility, dimsN: c.dimsN, lanes, similarity: c.similarity };
}
