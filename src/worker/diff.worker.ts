/// <reference lib="webworker" />
/**
 * Diff worker: two pack Blobs in, the core's diff over every lane out, with progress after
 * each batch. The job (runDiffJob) is plain code over the core, tested in Node with the same
 * Blobs the browser posts. Lanes are read one batch at a time: one slice per pack covering the
 * batch's lanes, then the core reads, hashes (leaf check) and decodes each lane from it.
 */
import { CountingSource } from '../core/bytes/source';
import { sourceOf, type PayloadRef } from '../ui/lib/httpSource';
import { AsxError, isAsxError } from '../core/errors';
import { diffPacksCancellable, downFold } from '../core/pack/compat';
import { openPack, type Lane, type PackReader } from '../core/pack/read';
import { BlockSource } from '../ui/lib/blockSource';
import { compactDiff, type DiffMessage, type DiffRequest, type RangeStats } from './diffProtocol';

declare const self: DedicatedWorkerGlobalScope;

const empty = (): RangeStats => ({ min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY });
function widen(s: RangeStats, v: ArrayLike<number>): void {
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!Number.isFinite(x)) continue;
    if (x < s.min) s.min = x;
    if (x > s.max) s.max = x;
  }
}

interface Side { reader: PackReader; blocks: BlockSource; counter: CountingSource; name: string }

async function open(blob: PayloadRef, name: string): Promise<Side> {
  const counter = new CountingSource(sourceOf(blob, name));
  const blocks = new BlockSource(counter, 4);
  return { reader: await openPack(blocks), blocks, counter, name };
}

/** Read the DATA bytes of the given lanes (DICT indices) in one slice. */
async function prefetch(s: Side, indices: number[]): Promise<void> {
  if (indices.length === 0) return;
  // Lane i's payload is at dataStart + i·laneBytes (INDEX offsets are checked contiguous).
  const pl = s.reader.laneBytes;
  let first = indices[0];
  let last = indices[0];
  for (const i of indices) {
    if (i < first) first = i;
    if (i > last) last = i;
  }
  const start = s.reader.dataStart + first * pl;
  const end = s.reader.dataStart + (last + 1) * pl;
  try {
    await s.blocks.prefetch(start, end - start);
  } catch {
    // Per-lane reads follow; the reader reports a truncated file lane by lane.
  }
}

function toMessage(e: unknown): DiffMessage {
  if (isAsxError(e)) return { type: 'error', code: e.code, message: e.message, offset: e.where.offset, file: e.where.file };
  return { type: 'error', code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/** Open both Blobs and diff them; every step is reported through `post`. Never throws. */
export async function runDiffJob(req: DiffRequest, post: (m: DiffMessage) => void): Promise<void> {
  const t0 = performance.now();
  let A: Side;
  let B: Side;
  try {
    A = await open(req.a, req.nameA);
    B = await open(req.b, req.nameB);
  } catch (e) {
    post(toMessage(e));
    return;
  }
  const stats = { a: empty(), b: empty(), d: empty() };
  const dimsN = Math.min(A.reader.header.dims, B.reader.header.dims);
  // The core reads A's lane then B's lane of the same id; pair them for the A − B range.
  let lastA: { id: string; v: Float64Array } | null = null;
  const readLane = async (side: 'A' | 'B', reader: PackReader, i: number): Promise<Lane> => {
    let lane: Lane;
    try {
      lane = await reader.getLane(i);
    } catch (e) {
      if (!isAsxError(e)) throw e;
      throw new AsxError(e.code, `pack ${side}: ${e.message}`, { offset: e.where.offset, file: side === 'A' ? A.name : B.name });
    }
    const v = downFold(lane.W, dimsN);
    const id = reader.ids[i];
    if (side === 'A') {
      widen(stats.a, v);
      lastA = { id, v };
    } else {
      widen(stats.b, v);
      if (lastA && lastA.id === id) {
        const d = new Float64Array(dimsN);
        for (let k = 0; k < dimsN; k++) d[k] = lastA.v[k] - v[k];
        widen(stats.d, d);
      }
      lastA = null;
    }
    return lane;
  };
  try {
    let last = 0;
    const diff = await diffPacksCancellable(A.reader, B.reader, {
      batch: req.batch ?? 512,
      // At most ~25 reports a second (each one re-renders the progress bar on the page).
      onProgress: (done, total) => {
        const now = performance.now();
        if (now - last >= 40 || done === total) {
          last = now;
          post({ type: 'progress', done, total });
        }
      },
      prefetch: async (ia, ib) => { await Promise.all([prefetch(A, ia), prefetch(B, ib)]); },
      readLane,
    });
    if (!diff) return; // not cancellable from inside: the page terminates the worker instead
    post({ type: 'done', diff: compactDiff(diff), stats, bytesRead: { a: A.counter.bytesRead, b: B.counter.bytesRead }, ms: performance.now() - t0 });
  } catch (e) {
    post(toMessage(e));
  }
}

if (typeof self !== 'undefined' && typeof (self as { importScripts?: unknown }).importScripts === 'function') {
  self.onmessage = (ev: MessageEvent<DiffRequest>) => {
    void runDiffJob(ev.data, (m) => {
      if (m.type === 'done') self.postMessage(m, [m.diff.cosine.buffer, m.diff.weight.buffer, m.diff.presence.buffer, m.diff.lowest.buffer] as Transferable[]);
      else self.postMessage(m);
    });
  };
}
