/**
 * Progressive pack diff for the UI: the core's `diffPacks`, with lanes read in large batched
 * slices through the pack registry's cache, progress and cancellation, so diffing two
 * 65,535-lane packs keeps the page responsive. A unit test checks it equals `diffPacks`.
 */
import { AsxError } from '../../core/errors';
import { diffPacksCancellable, type PackDiff } from '../../core/pack/compat';
import type { Lane } from '../../core/pack/read';
import { ensureLanes, getLane, laneError, peekLane, type PackHandle } from '../packRegistry';

export interface DiffOptions {
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
  batch?: number;
}

async function laneOf(h: PackHandle, i: number, side: string): Promise<Lane> {
  const hit = peekLane(h.id, i);
  if (hit) return hit;
  const err = laneError(h.id, i);
  if (err) throw new AsxError(err.code as ConstructorParameters<typeof AsxError>[0], `pack ${side}: ${err.message}`, { offset: err.offset, file: h.name });
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
