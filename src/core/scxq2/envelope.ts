/**
 * The `SCXQ2S` envelope (§18.8) with merkle-verified lanes (§18.9–§18.11) and lazy reads over
 * a ByteSource. Layout (docs/laws.md L-ENV), little-endian:
 *
 *   0   char[6] "SCXQ2S"    6 u16 version = 0x0100    8 u8 lane_count    9 u8 reserved = 0
 *   10  u32 toc_offset = 82    14 u32 total_size = file size
 *   18  [32] canonical_svg_hash (sha256 of the canonical SVG bytes)
 *   50  [32] global root H_root
 *   82  TOC: lane_count × (u8 lane_id, u32 offset, u32 size), then lane_count × [32] lane roots
 *   …   lanes, contiguous, in TOC order (a subsequence of M T G X W D E), ending at total_size
 */
import { AsxError } from '../errors.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex, fromHex, bytesEqual } from '../bytes/hex.ts';
import { utf8 } from '../bytes/utf8.ts';
import { bytesSource, type ByteSource } from '../bytes/source.ts';
import { LANE_ORDER, type LaneId, decodeLane, type DecodedLane, readLaneHeader, encodeLanes, lanesToRecords } from './lanes.ts';
import { modelToRecords, recordsToModel } from '../svg/records.ts';
import { serialize, type TNode } from '../svg/model.ts';
import { traverse } from '../svg/webgpu.ts';
import { canonicalize } from '../svg/canonical.ts';
import { canonicalJson } from '../json/jcs.ts';

export const MAGIC = 'SCXQ2S';
export const VERSION = 0x0100;
export const HEADER_BYTES = 82;
export const TOC_ENTRY_BYTES = 9;
export const CHUNK_SIZE = 4096;
export const MERKLE_PROFILE = 'scxq2.svg-tensor.merkle.v1';

const enc = (s: string) => utf8(s);
const DOM_ROOT = enc('scxq2:svg-tensor');

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** H_chunk = SHA256("scxq2:chunk:<lane_id>" || chunk_bytes). */
export function chunkHash(lane: string, chunk: Uint8Array): Uint8Array {
  return sha256(concat([enc(`scxq2:chunk:${lane}`), chunk]));
}

export function chunkCount(size: number): number {
  return Math.max(1, Math.ceil(size / CHUNK_SIZE));
}

export function chunkHashes(lane: string, bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const n = chunkCount(bytes.length);
  for (let i = 0; i < n; i++) out.push(chunkHash(lane, bytes.subarray(i * CHUNK_SIZE, Math.min(bytes.length, (i + 1) * CHUNK_SIZE))));
  return out;
}

/** H_lane = SHA256("scxq2:lane:<lane_id>" || H_chunk_0 || … || H_chunk_n). */
export function laneRootFromChunks(lane: string, chunks: Uint8Array[]): Uint8Array {
  return sha256(concat([enc(`scxq2:lane:${lane}`), ...chunks]));
}

export function laneRoot(lane: string, bytes: Uint8Array): Uint8Array {
  return laneRootFromChunks(lane, chunkHashes(lane, bytes));
}

/** H_root = SHA256("scxq2:svg-tensor" || H_lane… in TOC order || canonical_svg_hash). */
export function globalRoot(laneRoots: Uint8Array[], canonicalHash: Uint8Array): Uint8Array {
  return sha256(concat([DOM_ROOT, ...laneRoots, canonicalHash]));
}

export interface EncodeScxq2Options {
  /** Lanes to write (default all; E only exists when needed). Dropping one is only for tests of `missing_lane`. */
  lanes?: readonly LaneId[];
}

/** Build all lanes of a canonical (sorted) model. */
export function buildLanes(model: TNode): Map<LaneId, Uint8Array> {
  const recs = modelToRecords(model);
  const tr = traverse(model);
  return encodeLanes(recs, tr.edges, tr.weights);
}

/** scxq2(svg): the envelope of a canonical model whose canonical bytes hash to `canonicalHash`. */
export function encodeScxq2(model: TNode, canonicalHash: Uint8Array, opts: EncodeScxq2Options = {}): Uint8Array {
  const all = buildLanes(model);
  const ids = LANE_ORDER.filter((id) => all.has(id) && (!opts.lanes || opts.lanes.includes(id)));
  const lanes = ids.map((id) => all.get(id)!);
  const roots = ids.map((id, i) => laneRoot(id, lanes[i]));
  const tocBytes = ids.length * (TOC_ENTRY_BYTES + 32);
  let total = HEADER_BYTES + tocBytes;
  for (const l of lanes) total += l.length;
  if (total > 0xffffffff) throw new AsxError('scxq2_range', 'the envelope would exceed 4 GiB');
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  out.set(enc(MAGIC), 0);
  dv.setUint16(6, VERSION, true);
  dv.setUint8(8, ids.length);
  dv.setUint8(9, 0);
  dv.setUint32(10, HEADER_BYTES, true);
  dv.setUint32(14, total, true);
  out.set(canonicalHash, 18);
  out.set(globalRoot(roots, canonicalHash), 50);
  let off = HEADER_BYTES + tocBytes;
  ids.forEach((id, i) => {
    const e = HEADER_BYTES + i * TOC_ENTRY_BYTES;
    dv.setUint8(e, id.charCodeAt(0));
    dv.setUint32(e + 1, off, true);
    dv.setUint32(e + 5, lanes[i].length, true);
    out.set(roots[i], HEADER_BYTES + ids.length * TOC_ENTRY_BYTES + 32 * i);
    out.set(lanes[i], off);
    off += lanes[i].length;
  });
  return out;
}

export interface TocEntry { lane: LaneId; offset: number; size: number; root: Uint8Array }
export interface EnvelopeMeta {
  version: number;
  laneCount: number;
  tocOffset: number;
  totalSize: number;
  canonicalHash: Uint8Array;
  globalRoot: Uint8Array;
  toc: TocEntry[];
}

function envErr(msg: string, offset: number, file?: string): never {
  throw new AsxError('bad_envelope', msg, { offset, file });
}

/** Read and check the header and TOC (82 + 41·n bytes; no lane byte is read). */
export async function readEnvelopeMeta(src: ByteSource): Promise<EnvelopeMeta> {
  const file = src.name;
  if (src.size < HEADER_BYTES) {
    if (src.size >= 6 && String.fromCharCode(...(await src.read(0, 6))) !== MAGIC) throw new AsxError('bad_magic', 'not an SCXQ2S envelope (magic is not "SCXQ2S")', { offset: 0, file });
    envErr(`an envelope has at least ${HEADER_BYTES} bytes, this file has ${src.size}`, src.size, file);
  }
  const h = await src.read(0, HEADER_BYTES);
  const dv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (String.fromCharCode(...h.subarray(0, 6)) !== MAGIC) throw new AsxError('bad_magic', 'not an SCXQ2S envelope (magic is not "SCXQ2S")', { offset: 0, file });
  const version = dv.getUint16(6, true);
  if (version !== VERSION) throw new AsxError('bad_version', `envelope version 0x${version.toString(16)} (only 0x0100)`, { offset: 6, file });
  const laneCount = h[8];
  if (h[9] !== 0) envErr('reserved byte is not 0', 9, file);
  if (laneCount < 1 || laneCount > LANE_ORDER.length) envErr(`lane_count ${laneCount} (1…${LANE_ORDER.length})`, 8, file);
  const tocOffset = dv.getUint32(10, true);
  if (tocOffset !== HEADER_BYTES) envErr(`toc_offset ${tocOffset} (must be ${HEADER_BYTES})`, 10, file);
  const totalSize = dv.getUint32(14, true);
  if (totalSize !== src.size) envErr(`total_size ${totalSize} but the file has ${src.size} bytes`, 14, file);
  const tocLen = laneCount * (TOC_ENTRY_BYTES + 32);
  if (HEADER_BYTES + tocLen > src.size) envErr('the TOC runs past the end of the file', HEADER_BYTES, file);
  const t = await src.read(HEADER_BYTES, tocLen);
  const tv = new DataView(t.buffer, t.byteOffset, t.byteLength);
  const toc: TocEntry[] = [];
  let expectOff = HEADER_BYTES + tocLen;
  let orderPos = -1;
  for (let i = 0; i < laneCount; i++) {
    const e = i * TOC_ENTRY_BYTES;
    const lane = String.fromCharCode(t[e]) as LaneId;
    const pos = LANE_ORDER.indexOf(lane);
    if (pos < 0) envErr(`TOC entry ${i}: unknown lane id byte 0x${t[e].toString(16)}`, HEADER_BYTES + e, file);
    if (pos <= orderPos) envErr(`TOC entry ${i}: lane ${lane} out of the canonical order M → T → G → X → W → D → E`, HEADER_BYTES + e, file);
    orderPos = pos;
    const offset = tv.getUint32(e + 1, true);
    const size = tv.getUint32(e + 5, true);
    if (offset !== expectOff) envErr(`TOC entry ${i}: lane ${lane} at ${offset}, expected ${expectOff} (lanes are contiguous)`, HEADER_BYTES + e + 1, file);
    if (size < 12 || offset + size > src.size) envErr(`TOC entry ${i}: lane ${lane} size ${size} does not fit the file`, HEADER_BYTES + e + 5, file);
    expectOff = offset + size;
    toc.push({ lane, offset, size, root: t.slice(laneCount * TOC_ENTRY_BYTES + 32 * i, laneCount * TOC_ENTRY_BYTES + 32 * (i + 1)) });
  }
  if (expectOff !== totalSize) envErr(`${totalSize - expectOff} bytes after the last lane`, expectOff, file);
  return { version, laneCount, tocOffset, totalSize, canonicalHash: h.slice(18, 50), globalRoot: h.slice(50, 82), toc };
}

export interface Scxq2Proof {
  profile: string;
  lane: LaneId;
  chunk_index: number;
  chunk_count: number;
  chunk_hash: string;
  /** The other chunk hashes of the lane, in order (the lane root is a flat hash of all). */
  siblings: string[];
  lane_root: string;
  /** Every lane root in TOC order (needed to rebuild the global root). */
  lane_roots: { lane: LaneId; root: string }[];
  canonical_svg_hash: string;
  global_root: string;
}

/** A proof as RFC 8785 canonical JSON: the same proof is always the same bytes. */
export function proofJson(p: Scxq2Proof): string {
  return canonicalJson(p);
}

export interface ProofCheck { ok: boolean; code?: 'integrity_violation' | 'bad_proof'; message?: string }

/** §18.11: recompute H_chunk (when the chunk bytes are given), the lane root and the global root. */
export function verifyScxq2Proof(proofIn: unknown, chunk?: Uint8Array, expectedRoot?: string): ProofCheck {
  const p = proofIn as Scxq2Proof;
  const hex32 = (s: unknown) => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);
  if (!p || typeof p !== 'object' || !LANE_ORDER.includes(p.lane) || !Number.isInteger(p.chunk_index) || !Array.isArray(p.siblings) || !Array.isArray(p.lane_roots)
    || !hex32(p.chunk_hash) || !hex32(p.lane_root) || !hex32(p.canonical_svg_hash) || !hex32(p.global_root) || !p.siblings.every(hex32)
    || !p.lane_roots.every((r) => r && hex32(r.root) && LANE_ORDER.includes(r.lane)) || p.chunk_index < 0 || p.chunk_index > p.siblings.length) {
    return { ok: false, code: 'bad_proof', message: 'malformed proof object' };
  }
  const bad = (message: string): ProofCheck => ({ ok: false, code: 'integrity_violation', message });
  if (chunk && toHex(chunkHash(p.lane, chunk)) !== p.chunk_hash) return bad('the chunk bytes do not hash to chunk_hash');
  const chunks = p.siblings.map((s) => fromHex(s)!);
  chunks.splice(p.chunk_index, 0, fromHex(p.chunk_hash)!);
  const lr = toHex(laneRootFromChunks(p.lane, chunks));
  if (lr !== p.lane_root) return bad(`lane ${p.lane}: the chunks do not hash to lane_root`);
  const mine = p.lane_roots.find((r) => r.lane === p.lane);
  if (!mine || mine.root !== lr) return bad(`lane ${p.lane}: lane_roots does not contain this lane root`);
  const gr = toHex(globalRoot(p.lane_roots.map((r) => fromHex(r.root)!), fromHex(p.canonical_svg_hash)!));
  if (gr !== p.global_root) return bad('the lane roots and the canonical hash do not hash to global_root');
  if (expectedRoot !== undefined && expectedRoot.toLowerCase() !== gr) return bad(`global root ${gr} is not the declared root ${expectedRoot}`);
  return { ok: true };
}

export interface LaneVerifyResult { lane: LaneId; ok: boolean; root: string; chunks: number; code?: string; message?: string; offset?: number }

/**
 * Lazy reader: opening reads the header and TOC only; `lane()` reads one lane, verifies it
 * against its stored root and decodes it. Nothing else is read.
 */
export class Scxq2Reader {
  private cache = new Map<LaneId, Uint8Array>();
  private constructor(readonly src: ByteSource, readonly meta: EnvelopeMeta) {}

  static async open(src: ByteSource): Promise<Scxq2Reader> {
    return new Scxq2Reader(src, await readEnvelopeMeta(src));
  }

  static fromBytes(b: Uint8Array, name?: string): Promise<Scxq2Reader> {
    return Scxq2Reader.open(bytesSource(b, name));
  }

  has(lane: LaneId): boolean { return this.meta.toc.some((t) => t.lane === lane); }

  entry(lane: LaneId): TocEntry {
    const e = this.meta.toc.find((t) => t.lane === lane);
    if (!e) throw new AsxError('missing_lane', `the envelope has no lane ${lane}`, { file: this.src.name });
    return e;
  }

  /** The global root recomputed from the stored lane roots and canonical hash (reads no lane). */
  computedRoot(): Uint8Array {
    return globalRoot(this.meta.toc.map((t) => t.root), this.meta.canonicalHash);
  }

  /** hook.scxq2.merkle.verify-root: stored and recomputed roots agree (and with `declared`). */
  verifyRoot(declared?: string): void {
    const r = this.computedRoot();
    if (!bytesEqual(r, this.meta.globalRoot)) throw new AsxError('integrity_violation', `global root mismatch: stored ${toHex(this.meta.globalRoot)}, recomputed ${toHex(r)}`, { offset: 50, file: this.src.name });
    if (declared !== undefined && declared.toLowerCase() !== toHex(r)) throw new AsxError('integrity_violation', `global root ${toHex(r)} is not the declared root ${declared}`, { offset: 50, file: this.src.name });
  }

  /** Raw lane bytes, verified against the stored lane root (throws integrity_violation). */
  async laneBytes(lane: LaneId): Promise<Uint8Array> {
    const c = this.cache.get(lane);
    if (c) return c;
    const e = this.entry(lane);
    const b = await this.src.read(e.offset, e.size);
    const r = laneRoot(lane, b);
    if (!bytesEqual(r, e.root)) {
      const hashes = chunkHashes(lane, b);
      throw new AsxError('integrity_violation', `lane ${lane}: root mismatch (${hashes.length} chunks; stored ${toHex(e.root).slice(0, 16)}…, computed ${toHex(r).slice(0, 16)}…)`, { offset: e.offset, file: this.src.name });
    }
    this.cache.set(lane, b);
    return b;
  }

  async lane(lane: LaneId): Promise<DecodedLane> {
    const b = await this.laneBytes(lane);
    try {
      return decodeLane(lane, b);
    } catch (err) {
      if (err instanceof AsxError && err.where.offset !== undefined) throw new AsxError(err.code, err.message, { offset: this.entry(lane).offset + err.where.offset, file: this.src.name });
      throw err;
    }
  }

  async chunk(lane: LaneId, index: number): Promise<Uint8Array> {
    const e = this.entry(lane);
    const n = chunkCount(e.size);
    if (!Number.isInteger(index) || index < 0 || index >= n) throw new AsxError('bad_input', `lane ${lane} has chunks 0…${n - 1}, not ${index}`);
    const start = index * CHUNK_SIZE;
    return this.src.read(e.offset + start, Math.min(CHUNK_SIZE, e.size - start));
  }

  /** A §18.10 proof for one chunk (reads the lane to hash its chunks). */
  async proof(lane: LaneId, index: number): Promise<Scxq2Proof> {
    const e = this.entry(lane);
    await this.chunk(lane, index); // range check
    const b = await this.src.read(e.offset, e.size);
    const hashes = chunkHashes(lane, b).map(toHex);
    const ch = hashes[index];
    hashes.splice(index, 1);
    return {
      profile: MERKLE_PROFILE, lane, chunk_index: index, chunk_count: hashes.length + 1, chunk_hash: ch, siblings: hashes,
      lane_root: toHex(e.root), lane_roots: this.meta.toc.map((t) => ({ lane: t.lane, root: toHex(t.root) })),
      canonical_svg_hash: toHex(this.meta.canonicalHash), global_root: toHex(this.meta.globalRoot),
    };
  }

  /** hook.scxq2.merkle.verify-lanes for the given lanes (each: chunks → root; header sane). */
  async verifyLanes(lanes: readonly LaneId[]): Promise<LaneVerifyResult[]> {
    const out: LaneVerifyResult[] = [];
    for (const lane of lanes) {
      const e = this.entry(lane);
      try {
        const b = await this.laneBytes(lane);
        readLaneHeader(b, lane);
        out.push({ lane, ok: true, root: toHex(e.root), chunks: chunkCount(e.size) });
      } catch (err) {
        if (!(err instanceof AsxError)) throw err;
        out.push({ lane, ok: false, root: toHex(e.root), chunks: chunkCount(e.size), code: err.code, message: err.message, offset: err.where.offset });
      }
    }
    return out;
  }

  /** inflate(decompress(lanes)): canonical SVG bytes from M, G, X, D, E; checked against the stored hash. */
  async inflate(): Promise<{ bytes: Uint8Array; text: string; model: TNode }> {
    const m = await this.lane('M');
    const g = await this.lane('G');
    const x = this.has('X') ? await this.lane('X') : null;
    const d = this.has('D') ? await this.lane('D') : null;
    const e = this.has('E') ? await this.lane('E') : null;
    return inflateLanes(m, g, x, d, this.meta.canonicalHash, e);
  }
}

/** hook.svg.canonical.inflate over decoded lanes. */
export function inflateLanes(m: DecodedLane, g: DecodedLane, x: DecodedLane | null, d: DecodedLane | null, canonicalHash: Uint8Array, e: DecodedLane | null = null): { bytes: Uint8Array; text: string; model: TNode } {
  if (m.id !== 'M' || g.id !== 'G' || (x && x.id !== 'X') || (d && d.id !== 'D') || (e && e.id !== 'E')) throw new AsxError('round_trip_failure', 'inflate needs lanes M, G (X, D, E when used)');
  const recs = lanesToRecords(m, g, x as (DecodedLane & { id: 'X' }) | null, d as (DecodedLane & { id: 'D' }) | null, e as (DecodedLane & { id: 'E' }) | null);
  const model = recordsToModel(recs);
  const text = serialize(model);
  const bytes = utf8(text);
  const h = sha256(bytes);
  if (!bytesEqual(h, canonicalHash)) throw new AsxError('round_trip_failure', `inflated bytes hash to ${toHex(h)}, the envelope's canonical hash is ${toHex(canonicalHash)}`);
  return { bytes, text, model };
}

export interface FullVerify {
  ok: boolean;
  global_root: string;
  canonical_svg_hash: string;
  lanes: LaneVerifyResult[];
  inflate?: { ok: boolean; message?: string };
  error?: { code: string; message: string; offset?: number };
}

/** Verify everything: header, TOC, every lane root, the global root, and the round trip. */
export async function verifyEnvelope(src: ByteSource, opts: { root?: string; inflate?: boolean } = {}): Promise<FullVerify> {
  let r: Scxq2Reader;
  try { r = await Scxq2Reader.open(src); } catch (e) {
    if (!(e instanceof AsxError)) throw e;
    return { ok: false, global_root: '', canonical_svg_hash: '', lanes: [], error: { code: e.code, message: e.message, offset: e.where.offset } };
  }
  const res: FullVerify = { ok: true, global_root: toHex(r.meta.globalRoot), canonical_svg_hash: toHex(r.meta.canonicalHash), lanes: [] };
  try { r.verifyRoot(opts.root); } catch (e) {
    if (!(e instanceof AsxError)) throw e;
    res.ok = false;
    res.error = { code: e.code, message: e.message, offset: e.where.offset };
  }
  res.lanes = await r.verifyLanes(r.meta.toc.map((t) => t.lane));
  if (res.lanes.some((l) => !l.ok)) {
    res.ok = false;
    const l = res.lanes.find((x) => !x.ok)!;
    res.error ??= { code: l.code ?? 'integrity_violation', message: l.message ?? `lane ${l.lane} failed`, offset: l.offset };
  }
  if (res.ok && opts.inflate !== false) {
    try {
      const inf = await r.inflate();
      // The inflated bytes must be a legal tensor in canonical form, and every lane (the
      // derived T and W included) must be exactly what the encoder writes for it (L-ENV).
      const again = canonicalize(inf.bytes);
      if (!bytesEqual(again.bytes, inf.bytes)) throw new AsxError('illegal_tensor', 'the inflated tensor is legal but not in canonical form');
      const lanes = buildLanes(again.model);
      for (const t of r.meta.toc) {
        const want = lanes.get(t.lane);
        if (!want || !bytesEqual(want, await r.laneBytes(t.lane))) throw new AsxError('round_trip_failure', `lane ${t.lane} is not the canonical encoding of the inflated tensor`, { offset: t.offset });
      }
      res.inflate = { ok: true };
    } catch (e) {
      if (!(e instanceof AsxError)) throw e;
      res.ok = false;
      res.inflate = { ok: false, message: e.describe() };
      res.error = { code: e.code, message: e.message, offset: e.where.offset };
    }
  }
  return res;
}
