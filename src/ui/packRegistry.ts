/**
 * Live pack handles. The store keeps plain data; the open PackReader (and the Blob behind
 * it) lives here, keyed by the `handle` in PackSummary, so views can decode lanes on demand.
 * Decoded lanes are cached (LRU), reads of neighbouring lanes are batched into one slice,
 * and every read is counted for the "bytes read" figure.
 */
import { CountingSource } from '../core/bytes/source';
import { sourceOf, type PayloadRef } from './lib/httpSource';
import { isAsxError } from '../core/errors';
import type { Lane, PackReader } from '../core/pack/read';
import { openPack } from '../core/pack/read';
import { BlockSource } from './lib/blockSource';
import { Lru } from './lib/laneCache';

export interface LaneError { code: string; message: string; offset?: number }

export interface PackHandle {
  id: string;
  name: string;
  /** The file, or the object-server payload it is read from by range. */
  blob: PayloadRef;
  reader: PackReader;
  counter: CountingSource;
  /** Bumped whenever lanes arrive or bytes are read; views subscribe to it. */
  version: number;
  /** Largest |w| among the lanes decoded so far (0 before any). */
  maxAbs: number;
}

interface Entry extends PackHandle {
  blocks: BlockSource;
  cache: Lru<number, Lane>;
  errors: Map<number, LaneError>;
  pending: Set<number>;
  listeners: Set<() => void>;
  scheduled: boolean;
}

const handles = new Map<string, Entry>();
let counter = 0;
/** Decoded lanes kept per pack (a 64-dim lane is ~1 KB with its int16 copy). */
const CACHE_LANES = 24_000;

function notify(e: Entry): void {
  if (e.scheduled) return;
  e.scheduled = true;
  queueMicrotask(() => {
    e.scheduled = false;
    e.version++;
    for (const l of e.listeners) l();
  });
}

/** A failed open, with how many bytes were read before the reader gave up. */
export class OpenFailure extends Error {
  constructor(override readonly cause: unknown, readonly bytesRead: number) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'OpenFailure';
  }
}

/** Open a Blob lazily and register it. Reads header, DICT, INDEX and the tail only. */
export async function openHandle(blob: PayloadRef, name: string): Promise<PackHandle> {
  const counting = new CountingSource(sourceOf(blob, name));
  const blocks = new BlockSource(counting);
  let reader: PackReader;
  try {
    reader = await openPack(blocks);
  } catch (cause) {
    throw new OpenFailure(cause, counting.bytesRead);
  }
  counter += 1;
  const id = `h${counter}`;
  const e: Entry = {
    id, name, blob, reader, counter: counting, version: 0, maxAbs: 0, blocks,
    cache: new Lru(CACHE_LANES), errors: new Map(), pending: new Set(), listeners: new Set(), scheduled: false,
  };
  handles.set(id, e);
  return e;
}

export function getHandle(id: string | undefined): PackHandle | undefined {
  return id ? handles.get(id) : undefined;
}

export function releaseHandle(id: string): void {
  const e = handles.get(id);
  if (!e) return;
  e.cache.clear();
  e.listeners.clear();
  handles.delete(id);
}

export function liveHandleIds(): string[] {
  return [...handles.keys()];
}

export function subscribe(id: string, fn: () => void): () => void {
  const e = handles.get(id);
  if (!e) return () => {};
  e.listeners.add(fn);
  return () => e.listeners.delete(fn);
}

/** Cached lane or undefined (never reads). */
export function peekLane(id: string, index: number): Lane | undefined {
  return handles.get(id)?.cache.peek(index);
}

/** Every lane that failed to decode so far (index and error), in index order. */
export function laneErrors(id: string): Array<[number, LaneError]> {
  const e = handles.get(id);
  return e ? [...e.errors].sort((a, b) => a[0] - b[0]) : [];
}

export function laneError(id: string, index: number): LaneError | undefined {
  return handles.get(id)?.errors.get(index);
}

function remember(e: Entry, i: number, lane: Lane): void {
  e.cache.set(i, lane);
  for (let k = 0; k < lane.W.length; k++) {
    const a = Math.abs(lane.W[k]);
    if (a > e.maxAbs) e.maxAbs = a;
  }
}

function toLaneError(err: unknown): LaneError {
  if (isAsxError(err)) return { code: err.code, message: err.message, offset: err.where.offset };
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Make sure the given lanes (DICT indices) are decoded. Missing lanes are fetched in runs
 * of consecutive indices: one prefetch of their DATA bytes, then the core reads, hashes
 * and decodes each lane from that block. Resolves when done; listeners are notified.
 */
export async function ensureLanes(id: string, indices: readonly number[]): Promise<void> {
  const e = handles.get(id);
  if (!e) return;
  const want = [...new Set(indices)].filter((i) => i >= 0 && i < e.reader.header.laneCount && !e.cache.has(i) && !e.errors.has(i) && !e.pending.has(i)).sort((a, b) => a - b);
  if (want.length === 0) return;
  for (const i of want) e.pending.add(i);
  // Runs of neighbours (gaps up to 8 lanes are read through).
  const runs: Array<[number, number]> = [];
  for (const i of want) {
    const last = runs[runs.length - 1];
    if (last && i - last[1] <= 8 && i - last[0] < 4096) last[1] = i;
    else runs.push([i, i]);
  }
  const pl = e.reader.laneBytes;
  try {
    for (const [a, b] of runs) {
      const start = e.reader.dataStart + a * pl;
      const end = e.reader.dataStart + (b + 1) * pl;
      try {
        await e.blocks.prefetch(start, end - start);
      } catch {
        // Fall back to per-lane reads (the reader reports the error per lane).
      }
      for (let i = a; i <= b; i++) {
        if (!e.pending.has(i)) continue;
        try {
          remember(e, i, await e.reader.getLane(i));
        } catch (err) {
          e.errors.set(i, toLaneError(err));
        }
        e.pending.delete(i);
      }
      notify(e);
    }
  } finally {
    for (const i of want) e.pending.delete(i);
    notify(e);
  }
}

/** Decode one lane (cached). Throws the core's error (e.g. leaf_mismatch). */
export async function getLane(id: string, index: number): Promise<Lane> {
  const e = handles.get(id);
  if (!e) throw new Error('pack is closed');
  const hit = e.cache.get(index);
  if (hit) return hit;
  const lane = await e.reader.getLane(index);
  remember(e, index, lane);
  notify(e);
  return lane;
}

/** Re-read and hash one lane from the file, bypassing caches (the "verify lane" button). */
export async function verifyLaneFresh(id: string, index: number): Promise<Lane> {
  const e = handles.get(id);
  if (!e) throw new Error('pack is closed');
  e.blocks.drop();
  try {
    return await e.reader.getLane(index);
  } finally {
    notify(e);
  }
}

/** Tell subscribers the counters moved (after a full verification, for example). */
export function touch(id: string): void {
  const e = handles.get(id);
  if (e) notify(e);
}

