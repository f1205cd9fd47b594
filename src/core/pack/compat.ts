/**
 * Cross-pack rules (packs spec "Cross-Pack Compatibility Rules v1.0" §1–7): compatibility
 * level, the down-fold adapter, lane cosine and class-weighted pack similarity. Lanes are
 * keyed by expanded ids, never symbols; a missing lane is a zero vector.
 */
import { bytesEqual } from '../bytes/hex.ts';
import { compareUtf8 } from '../bytes/utf8.ts';
import { CLASS_WEIGHT, classifyLane } from './classes.ts';
import type { Lane, PackReader } from './read.ts';
import { AsxError } from '../errors.ts';

export interface Compatibility {
  level: 0 | 1 | 2 | 3;
  matched: string[];
  differed: string[];
  dimsA: number;
  dimsB: number;
  dimsN: number;
  onlyA: string[];
  onlyB: string[];
  common: string[];
}

/**
 * §2 frozen check. Level 0 is decided without DATA: equal leaf hashes bind equal payloads,
 * and every other byte (header, DICT, INDEX, tail sections) is compared directly.
 */
export function compatibility(a: PackReader, b: PackReader): Compatibility {
  const matched: string[] = [];
  const differed: string[] = [];
  const note = (ok: boolean, what: string) => (ok ? matched : differed).push(what);
  const setB = new Set(b.ids);
  const setA = new Set(a.ids);
  const onlyA = a.ids.filter((id) => !setB.has(id));
  const onlyB = b.ids.filter((id) => !setA.has(id));
  const common = a.ids.filter((id) => setB.has(id));
  const base = { dimsA: a.header.dims, dimsB: b.header.dims, dimsN: Math.min(a.header.dims, b.header.dims), onlyA, onlyB, common };

  const versionOk = a.header.version >> 8 === b.header.version >> 8;
  note(versionOk, 'magic/version');
  if (!versionOk) return { level: 3, matched, differed, ...base };
  note(true, 'quantization format (int16, half-away-from-zero)');
  note(true, 'lane naming, fold and rounding laws (v1)');
  const dimsEq = a.header.dims === b.header.dims;
  note(dimsEq, `dims (${a.header.dims} vs ${b.header.dims})`);
  const idsEq = onlyA.length === 0 && onlyB.length === 0;
  note(idsEq, `lane-id set (${onlyA.length} only in A, ${onlyB.length} only in B)`);
  if (dimsEq && idsEq) {
    const identical = a.fileSize === b.fileSize && bytesEqual(a.head, b.head) && bytesEqual(a.tailBeforeSig, b.tailBeforeSig)
      && bytesEqual(a.publicKey ?? new Uint8Array(0), b.publicKey ?? new Uint8Array(0))
      && bytesEqual(a.signature ?? new Uint8Array(0), b.signature ?? new Uint8Array(0));
    note(identical, 'bytes (header, DICT, INDEX with leaf hashes, QSCALE, AUDIT, MERKLE, SIGNATURE)');
    return { level: identical ? 0 : 1, matched, differed, ...base };
  }
  return { level: 2, matched, differed, ...base };
}

/** §5 down-fold adapter: Vn[i % dimsN] += V[i]. Never upsamples. */
export function downFold(v: ArrayLike<number>, dimsN: number): Float64Array {
  const out = new Float64Array(dimsN);
  if (v.length < dimsN) throw new RangeError(`cannot upsample ${v.length} dims to ${dimsN}`);
  for (let i = 0; i < v.length; i++) out[i % dimsN] += v[i];
  return out;
}

/**
 * Cosine similarity (§7.1). Decision (laws L-COSINE): two zero vectors are identical (1),
 * a zero vector against a non-zero one is 0.
 */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  if (na === 0 && nb === 0) return 1;
  if (na === 0 || nb === 0) return 0;
  const c = dot / Math.sqrt(na * nb);
  return c > 1 ? 1 : c < -1 ? -1 : c;
}

export interface LaneSimilarity { id: string; cosine: number; inA: boolean; inB: boolean; weight: number }

/** §7.2 class-weighted pack similarity over the union of lane ids (missing lane → sim 0). */
export function packSimilarity(sims: readonly LaneSimilarity[]): number {
  let num = 0, den = 0;
  for (const s of sims) { num += s.weight * s.cosine; den += s.weight; }
  return den === 0 ? 1 : num / den;
}

export interface PackDiff {
  level: Compatibility['level'];
  compatibility: Compatibility;
  dimsN: number;
  lanes: LaneSimilarity[];
  similarity: number;
}

export interface DiffOptions {
  /** Lanes compared between progress reports and cancellation checks (default 2048). */
  batch?: number;
  onProgress?: (done: number, total: number) => void;
  /** Checked before each batch; when it returns true the diff stops and returns null. */
  isCancelled?: () => boolean;
  /** Called with the DICT indices a batch will read from each side, before reading them (a cache can fetch them in one slice). */
  prefetch?: (indicesA: number[], indicesB: number[]) => Promise<void>;
  /** How to read one lane (default: the reader's own getLane). */
  readLane?: (side: 'A' | 'B', reader: PackReader, index: number) => Promise<Lane>;
  /** Yield to the host between batches (e.g. a setTimeout(0) in a page). */
  yieldBetweenBatches?: () => Promise<void>;
}

/** Lane-wise comparison after dims normalization. Reads the lanes it compares, in batches. */
export async function diffPacks(a: PackReader, b: PackReader, opts: DiffOptions = {}): Promise<PackDiff> {
  const res = await diffPacksCancellable(a, b, opts);
  if (!res) throw new AsxError('usage', 'diff was cancelled');
  return res;
}

/** As diffPacks, but returns null when `isCancelled` fires. */
export async function diffPacksCancellable(a: PackReader, b: PackReader, opts: DiffOptions = {}): Promise<PackDiff | null> {
  const compat = compatibility(a, b);
  if (compat.level === 3) return { level: 3, compatibility: compat, dimsN: compat.dimsN, lanes: [], similarity: 0 };
  const read = opts.readLane ?? ((_side, r, i) => r.getLane(i));
  const all = [...new Set([...a.ids, ...b.ids])].sort(compareUtf8);
  const batch = Math.max(1, opts.batch ?? 2048);
  const lanes: LaneSimilarity[] = [];
  for (let s = 0; s < all.length; s += batch) {
    if (opts.isCancelled?.()) return null;
    const ids = all.slice(s, s + batch);
    const both = ids.filter((id) => a.dict.rev.has(id) && b.dict.rev.has(id));
    await opts.prefetch?.(both.map((id) => a.find(id)), both.map((id) => b.find(id)));
    for (const id of ids) {
      const inA = a.dict.rev.has(id);
      const inB = b.dict.rev.has(id);
      const weight = CLASS_WEIGHT[classifyLane(id)];
      if (!inA || !inB) { lanes.push({ id, cosine: 0, inA, inB, weight }); continue; }
      const va = downFold((await read('A', a, a.find(id))).W, compat.dimsN);
      const vb = downFold((await read('B', b, b.find(id))).W, compat.dimsN);
      lanes.push({ id, cosine: cosine(va, vb), inA, inB, weight });
    }
    opts.onProgress?.(Math.min(all.length, s + batch), all.length);
    await opts.yieldBetweenBatches?.();
  }
  return { level: compat.level, compatibility: compat, dimsN: compat.dimsN, lanes, similarity: packSimilarity(lanes) };
}
