/**
 * Progressive pack diff for the UI: the same rules as the core's `diffPacks` (it calls the
 * core's compatibility, downFold, cosine and packSimilarity), but lanes are read in large
 * batched slices through the pack registry, with progress and cancellation, so diffing two
 * 65,535-lane packs keeps the page responsive. A unit test checks it equals `diffPacks`.
 */
import { AsxError } from '../../core/errors';
import { compareUtf8 } from '../../core/bytes/utf8';
import { CLASS_WEIGHT, classifyLane } from '../../core/pack/classes';
import { compatibility, cosine, downFold, packSimilarity, type LaneSimilarity, type PackDiff } from '../../core/pack/compat';
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

export async function diffHandles(a: PackHandle, b: PackHandle, opts: DiffOptions = {}): Promise<PackDiff | null> {
  const compat = compatibility(a.reader, b.reader);
  if (compat.level === 3) return { level: 3, compatibility: compat, dimsN: compat.dimsN, lanes: [], similarity: 0 };
  const all = [...new Set([...a.reader.ids, ...b.reader.ids])].sort(compareUtf8);
  const batch = opts.batch ?? 2048;
  const lanes: LaneSimilarity[] = [];
  for (let s = 0; s < all.length; s += batch) {
    if (opts.isCancelled?.()) return null;
    const ids = all.slice(s, s + batch);
    const ia: number[] = [];
    const ib: number[] = [];
    for (const id of ids) {
      if (a.reader.dict.rev.has(id) && b.reader.dict.rev.has(id)) {
        ia.push(a.reader.find(id));
        ib.push(b.reader.find(id));
      }
    }
    await Promise.all([ensureLanes(a.id, ia), ensureLanes(b.id, ib)]);
    for (const id of ids) {
      const inA = a.reader.dict.rev.has(id);
      const inB = b.reader.dict.rev.has(id);
      const weight = CLASS_WEIGHT[classifyLane(id)];
      if (!inA || !inB) {
        lanes.push({ id, cosine: 0, inA, inB, weight });
        continue;
      }
      const va = downFold((await laneOf(a, a.reader.find(id), 'A')).W, compat.dimsN);
      const vb = downFold((await laneOf(b, b.reader.find(id), 'B')).W, compat.dimsN);
      lanes.push({ id, cosine: cosine(va, vb), inA, inB, weight });
    }
    opts.onProgress?.(Math.min(all.length, s + batch), all.length);
    await new Promise((r) => setTimeout(r, 0));
  }
  return { level: compat.level, compatibility: compat, dimsN: compat.dimsN, lanes, similarity: packSimilarity(lanes) };
}
