/**
 * Messages between the diff panel and the diff worker (plain, structured-clonable). The page
 * posts the two packs' Blobs (a File is a Blob: nothing is copied, the worker reads slices of
 * it); the worker opens them with the core reader and runs the core's diffPacks over every
 * lane, reporting progress after each batch. One job per worker: the page cancels a diff by
 * terminating its worker, so it stops at once, mid-batch.
 */
import type { PackDiff } from '../core/pack/compat';

export interface DiffRequest {
  a: Blob;
  b: Blob;
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

export type DiffMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; diff: PackDiff; stats: DiffStats; bytesRead: { a: number; b: number }; ms: number }
  | { type: 'error'; code: string; message: string; offset?: number; file?: string };
