/**
 * Pack diff for the UI. `startDiff` runs the core's `diffPacks` over every lane in a Web
 * Worker (src/worker/diff.worker.ts) with progress and cancel, so a big pack never blocks the
 * page; `diffHandles` is the same diff on this thread through the pack registry's cache (used
 * where there are no workers). Unit tests check both equal `diffPacks`.
 */
import { AsxError, type AsxErrorCode } from '../../core/errors';
import { compatibility, diffPacksCancellable, type Compatibility, type PackDiff } from '../../core/pack/compat';
import type { Lane } from '../../core/pack/read';
import { ensureLanes, getLane, laneError, peekLane, type PackHandle } from '../packRegistry';
import { lowestFirst, packDiffFrom, type DiffMessage, type DiffRequest, type DiffStats } from '../../worker/diffProtocol';

export interface DiffOptions {
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
  batch?: number;
}

async function laneOf(h: PackHandle, i: number, side: string): Promise<Lane> {
  const hit = peekLane(h.id, i);
  if (hit) return hit;
  const err = laneError(h.id, i);
  if (err) throw new AsxError(err.code as AsxErrorCode, `pack ${side}: ${err.message}`, { offset: err.offset, file: h.name });
  return getLane(h.id, i);
}

/** The core's diff over two registry handles: batched slices, progress, cancellation. */
export function diffHandles(a: PackHandle, b: PackHandle, opts: DiffOptions = {}): Promise<PackDiff | null> {
  return diffPacksCancellable(a.reader, b.reader, {
    batch: opts.batch ?? 2048,
    onProgress: opts.onProgress,
    isCancelled: opts.isCancelled,
    prefetch: async (ia, ib) => { await Promise.all([ensureLanes(a.id, ia), ensureLanes(b.id, ib)]); },
    readLane: (side, _reader, i) => laneOf(side === 'A' ? a : b, i, side),
    yieldBetweenBatches: () => new Promise((r) => setTimeout(r, 0)),
  });
}

export type { DiffStats } from '../../worker/diffProtocol';

/** What a finished diff gives the panel. `stats` are the value ranges the worker saw (heatmap scales). */
export interface DiffOutcome {
  diff: PackDiff;
  /** Indices into diff.lanes of the common lanes, lowest cosine first (sorted off the main thread). */
  lowest: Int32Array;
  stats: DiffStats | null;
  /** Distinct bytes the worker read from each file (0 when the diff ran on this thread). */
  bytesRead: { a: number; b: number };
  inWorker: boolean;
}

export interface DiffJob {
  /** The outcome; null when cancelled. Rejects with an AsxError-like { code, message, where }. */
  result: Promise<DiffOutcome | null>;
  cancel: () => void;
}

/**
 * Diff two open packs off the main thread: the Blobs go to a worker that opens them with the
 * core and compares every lane (progress after each batch). Cancelling terminates the worker
 * at once. Where workers do not exist (unit tests in Node) the diff runs here, batched.
 */
export function startDiff(
  a: PackHandle,
  b: PackHandle,
  opts: { onProgress?: (done: number, total: number) => void; batch?: number; compatibility?: Compatibility } = {},
): DiffJob {
  if (typeof Worker === 'undefined') {
    let cancelled = false;
    const result = diffHandles(a, b, { onProgress: opts.onProgress, isCancelled: () => cancelled, batch: opts.batch })
      .then((diff) => (diff ? { diff, lowest: lowestFirst(diff), stats: null, bytesRead: { a: 0, b: 0 }, inWorker: false } : null));
    return { result, cancel: () => { cancelled = true; } };
  }
  const worker = new Worker(new URL('../../worker/diff.worker.ts', import.meta.url), { type: 'module', name: 'asx-diff' });
  let settle: ((v: DiffOutcome | null) => void) | null = null;
  let fail: ((e: unknown) => void) | null = null;
  const result = new Promise<DiffOutcome | null>((res, rej) => { settle = res; fail = rej; });
  const finish = () => { worker.terminate(); settle = null; fail = null; };
  worker.onmessage = (ev: MessageEvent<DiffMessage>) => {
    const m = ev.data;
    if (m.type === 'progress') { opts.onProgress?.(m.done, m.total); return; }
    if (m.type === 'done') {
      const diff = packDiffFrom(m.diff, opts.compatibility ?? compatibility(a.reader, b.reader));
      settle?.({ diff, lowest: m.diff.lowest, stats: m.stats, bytesRead: m.bytesRead, inWorker: true });
    }
    else fail?.(new AsxError(m.code as AsxErrorCode, m.message, { offset: m.offset, file: m.file }));
    finish();
  };
  worker.onerror = (ev) => {
    ev.preventDefault();
    fail?.(new AsxError('internal' as AsxErrorCode, `the diff worker failed: ${ev.message || 'could not start'}`));
    finish();
  };
  const req: DiffRequest = { a: a.blob, b: b.blob, nameA: a.name, nameB: b.name, batch: opts.batch };
  worker.postMessage(req);
  return { result, cancel: () => { settle?.(null); finish(); } };
}

/**
 * Deterministic name of a merged pack, from the mode and the inputs (their names without the
 * pack extension): `blend(0.30) demo-5kb × demo-5kb-b.v2c.bin`, `union demo-5kb × other (signed).v2c.bin`.
 */
export function mergedPackName(mode: string, lambda: number, nameA: string, nameB: string, signed: boolean): string {
  const base = (n: string) => n.replace(/\.v2c\.bin$|\.v2c-bin$|\.bin$/i, '');
  const how = mode === 'blend' ? `blend(${lambda.toFixed(2)})` : mode;
  return `${how} ${base(nameA)} × ${base(nameB)}${signed ? ' (signed)' : ''}.v2c.bin`;
}
