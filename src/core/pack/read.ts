/**
 * Lazy `weights.v2c-bin` reader (packs spec "Lane-level selective loading v1.0", DESIGN
 * addenda 1–8). `openPack` reads the header, DICT, INDEX and the small tail sections
 * (QSCALE, AUDIT, MERKLE, SIGNATURE) and never DATA; `getLane` reads one payload and checks
 * it against its leaf hash. Every length field is checked against the file size before
 * anything is allocated; every failure is an AsxError with a stable code and byte offset.
 */
import { AsxError } from '../errors.ts';
import type { ByteSource } from '../bytes/source.ts';
import { compareUtf8, decodeUtf8Strict } from '../bytes/utf8.ts';
import { bytesEqual, toHex } from '../bytes/hex.ts';
import { merkleRootFlat } from '../hash/sha256.ts';
import { getHashBackend } from '../hash/backend.ts';
import { CLASS_ORDER, classIndexOfLane, classifyLane, type LaneClass } from './classes.ts';
import { laneDictFromObject, laneDictFromAsciiCanonical, dictJson, type LaneDict } from './dict.ts';
import { nextSymbolBytes, symbolBytes, symbolFor, symbolIndex } from './base62.ts';
import { decodeAudit, type PackAudit } from './audit.ts';
import { SIG_DOMAIN } from './sign.ts';
import { dequantizeLane } from './quant.ts';
import {
  AUDIT_CLASS_BYTES, FLAG_AUDIT, FLAG_MERKLE, FLAG_QSCALE, FLAG_QUANT_I16, FLAG_SIGNATURE, FORMAT_VERSION, HEADER_BYTES,
  KNOWN_FLAGS, LANE_FORMAT_I16, MAGIC_BYTES, MERKLE_BYTES, QSCALE_BYTES, SIGNATURE_BYTES, payloadBytes,
} from './layout.ts';

export interface PackHeader {
  version: number; flags: number; dims: number; laneCount: number;
  dictBytes: number; indexBytes: number; dataBytes: number; merkleBytes: number; sigBytes: number;
}

export type SectionName = 'HEADER' | 'DICT' | 'INDEX' | 'DATA' | 'QSCALE' | 'AUDIT' | 'MERKLE' | 'SIGNATURE';
export interface Section { name: SectionName; offset: number; length: number }

export interface IndexEntry { sym: string; offset: number; length: number; leafHash: Uint8Array }

export interface Lane {
  index: number; id: string; sym: string; cls: LaneClass; scale: number;
  q: Int16Array; W: Float64Array; leafHash: Uint8Array; payload: Uint8Array;
}

export interface PackReader {
  source: ByteSource;
  fileSize: number;
  header: PackHeader;
  ids: string[];
  dict: LaneDict;
  /**
   * One entry per lane. Built on first access (65,535 objects for a pack at the format
   * limit): the reader itself and the core use laneBytes, symOf and leafHashOf instead.
   */
  readonly index: IndexEntry[];
  /** Payload bytes of every lane (3 + 2·dims); lane i's payload is at dataStart + i·laneBytes. */
  laneBytes: number;
  /** Symbol of lane i (`@` + base-62 of i). */
  symOf(i: number): string;
  /** INDEX leaf hash of lane i: a 32-byte view into leafHashFlat. */
  leafHashOf(i: number): Uint8Array;
  /** classIndex(classifyLane(id)) of every lane, computed once per reader. */
  classIndices(): Uint8Array;
  sections: Section[];
  dataStart: number;
  /** Stored float32 scales in class order (all 1 when QSCALE is absent). */
  scales: Record<LaneClass, number>;
  hasQscale: boolean;
  audit: PackAudit | null;
  merkleRoot: Uint8Array | null;
  publicKey: Uint8Array | null;
  signature: Uint8Array | null;
  /** Bytes before DATA and between DATA and SIGNATURE: what the signature covers. */
  head: Uint8Array;
  tailBeforeSig: Uint8Array;
  /** Every INDEX leaf hash, 32 bytes each in lane order (one buffer, for batch hashing). */
  leafHashFlat: Uint8Array;
  /** Merkle root over the INDEX leaf hashes, computed once on first use (null: no lanes). */
  computedRoot(): Uint8Array | null;
  /** DICT index of a lane id or symbol, or -1. */
  find(idOrSym: string): number;
  /** Read, hash-check and decode one lane. */
  getLane(idOrSym: string | number): Promise<Lane>;
}

function fail(code: ConstructorParameters<typeof AsxError>[0], message: string, offset: number, file?: string): never {
  throw new AsxError(code, message, { offset, file });
}

export function parseHeader(b: Uint8Array, fileSize: number, file?: string): PackHeader {
  for (let i = 0; i < Math.min(b.length, MAGIC_BYTES.length); i++) {
    if (b[i] !== MAGIC_BYTES[i]) fail('bad_magic', `not a weights.v2c-bin pack: the file does not start with "ASXW2CBN"`, i, file);
  }
  if (b.length < HEADER_BYTES) fail('truncated', `file is ${fileSize} bytes, a pack header alone is ${HEADER_BYTES}`, b.length, file);
  const dv = new DataView(b.buffer, b.byteOffset, HEADER_BYTES);
  const h: PackHeader = {
    version: dv.getUint16(8, true), flags: dv.getUint16(10, true), dims: dv.getUint16(12, true), laneCount: dv.getUint16(14, true),
    dictBytes: dv.getUint32(16, true), indexBytes: dv.getUint32(20, true), dataBytes: dv.getUint32(24, true),
    merkleBytes: dv.getUint32(28, true), sigBytes: dv.getUint32(32, true),
  };
  if (h.version !== FORMAT_VERSION) fail('bad_version', `format version 0x${h.version.toString(16).padStart(4, '0')} is not 0x0100`, 8, file);
  if (h.flags & ~KNOWN_FLAGS) fail('unknown_flags', `flag bits 0x${(h.flags & ~KNOWN_FLAGS).toString(16)} are not defined in v1`, 10, file);
  if (!(h.flags & FLAG_QUANT_I16)) fail('unknown_flags', 'flag bit0 (quant_i16) must be set in v1', 10, file);
  if (h.dims === 0) fail('bad_index', 'dims is 0', 12, file);
  const hasMerkle = !!(h.flags & FLAG_MERKLE);
  if (hasMerkle !== (h.merkleBytes === MERKLE_BYTES) || (!hasMerkle && h.merkleBytes !== 0)) fail('section_overflow', `merkle_bytes ${h.merkleBytes} disagrees with flag bit1 (expects ${hasMerkle ? 32 : 0})`, 28, file);
  if (hasMerkle && h.laneCount === 0) fail('section_overflow', 'a pack with no lanes has no MERKLE section', 28, file);
  const hasSig = !!(h.flags & FLAG_SIGNATURE);
  if (h.sigBytes !== (hasSig ? SIGNATURE_BYTES : 0)) fail('section_overflow', `sig_bytes ${h.sigBytes} disagrees with flag bit2 (expects ${hasSig ? 96 : 0})`, 32, file);
  const expectData = h.laneCount * payloadBytes(h.dims);
  if (h.dataBytes !== expectData) fail('section_overflow', `data_bytes ${h.dataBytes} is not lane_count × (3 + 2·dims) = ${expectData}`, 24, file);
  const minIndex = h.laneCount * (1 + 2 + 40);
  const maxIndex = h.laneCount * (1 + 12 + 40);
  if (h.indexBytes < minIndex || h.indexBytes > maxIndex) fail('section_overflow', `index_bytes ${h.indexBytes} cannot hold ${h.laneCount} entries`, 20, file);
  const fixed = HEADER_BYTES + h.dictBytes + h.indexBytes + h.dataBytes + (h.flags & FLAG_QSCALE ? QSCALE_BYTES : 0) + h.merkleBytes + h.sigBytes;
  if (fixed > fileSize) {
    const off = HEADER_BYTES + h.dictBytes > fileSize ? 16 : HEADER_BYTES + h.dictBytes + h.indexBytes > fileSize ? 20 : 24;
    fail('section_overflow', `sections add up to ${fixed} bytes, the file has ${fileSize}`, off, file);
  }
  const auditLen = fileSize - fixed;
  if (h.flags & FLAG_AUDIT) {
    if (auditLen < AUDIT_CLASS_BYTES) fail('truncated', `AUDIT has ${auditLen} bytes, needs at least ${AUDIT_CLASS_BYTES}`, fileSize, file);
    if (auditLen > AUDIT_CLASS_BYTES + 2 + h.laneCount * (1 + 12 + 6)) fail('section_overflow', `AUDIT would be ${auditLen} bytes, more than ${h.laneCount} lane entries can fill`, fixed - h.merkleBytes - h.sigBytes, file);
  } else if (auditLen !== 0) fail('section_overflow', `${auditLen} bytes follow the last section`, fixed, file);
  return h;
}

export async function openPack(src: ByteSource): Promise<PackReader> {
  const file = src.name;
  const size = src.size;
  const headBytes = await src.read(0, Math.min(size, HEADER_BYTES));
  const h = parseHeader(headBytes, size, file);

  // Header, DICT and INDEX in one read: they sit together and the signature covers them.
  const dataStart = HEADER_BYTES + h.dictBytes + h.indexBytes;
  // One buffer holds the signature's domain, the head and the tail sections, so the signed
  // message is a view of it (signatureMessage) instead of a copy.
  const D = SIG_DOMAIN.length;
  const dataEnd = dataStart + h.dataBytes;
  const signed = new Uint8Array(D + dataStart + (size - dataEnd));
  signed.set(SIG_DOMAIN, 0);
  const head = signed.subarray(D, D + dataStart);
  head.set(headBytes, 0);
  if (dataStart > HEADER_BYTES) head.set(await src.read(HEADER_BYTES, dataStart - HEADER_BYTES), HEADER_BYTES);
  const dictRaw = head.subarray(HEADER_BYTES, HEADER_BYTES + h.dictBytes);
  let dictText: string;
  try { dictText = decodeUtf8Strict(dictRaw); } catch { fail('bad_dict', 'DICT is not valid UTF-8', HEADER_BYTES, file); }
  // Fast path: one pass over the text, compared directly with its canonical form.
  let dict: LaneDict | null = laneDictFromAsciiCanonical(dictText, dictRaw.length, h.laneCount);
  if (!dict) {
    let dictObj: unknown;
    try { dictObj = JSON.parse(dictText); } catch (e) { fail('bad_dict', `DICT is not JSON: ${(e as Error).message}`, HEADER_BYTES, file); }
    try { dict = laneDictFromObject(dictObj, h.laneCount); } catch (e) {
      if (e instanceof AsxError) fail('bad_dict', e.message, HEADER_BYTES, file);
      throw e;
    }
    let canon: string;
    try { canon = dictJson(dict); } catch (e) {
      if (e instanceof AsxError) fail('bad_dict', `DICT: ${e.message}`, HEADER_BYTES, file);
      throw e;
    }
    if (canon !== dictText) fail('bad_dict', 'DICT is not in RFC 8785 canonical form', HEADER_BYTES, file);
  }

  // INDEX: every entry checked byte by byte where it lies (symbol, offset, length); the leaf
  // hashes are copied to one flat buffer. No per-entry objects (see `index` below).
  const pl = payloadBytes(h.dims);
  const leafHashFlat = new Uint8Array(32 * h.laneCount);
  const idxBase = HEADER_BYTES + h.dictBytes;
  const idv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const symBuf = new Uint8Array(16);
  const flatView = new DataView(leafHashFlat.buffer);
  let symLen = 0;
  let o = idxBase;
  for (let i = 0; i < h.laneCount; i++) {
    symLen = i === 0 ? symbolBytes(0, symBuf) : nextSymbolBytes(symBuf, symLen);
    const len = head[o];
    if (o + 1 + len + 40 > dataStart) fail('bad_index', `INDEX entry ${i} runs past the INDEX section`, o, file);
    if (len !== symLen) fail('bad_index', `INDEX entry ${i} has a ${len}-byte symbol, expected ${symbolFor(i)}`, o, file);
    for (let k = 0; k < len; k++) if (head[o + 1 + k] !== symBuf[k]) fail('bad_index', `INDEX entry ${i} is not ${symbolFor(i)} (entries follow symbol order)`, o + 1, file);
    o += 1 + len;
    const off = idv.getUint32(o, true);
    const blen = idv.getUint32(o + 4, true);
    if (off !== i * pl) fail('bad_index', `INDEX ${symbolFor(i)}: offset ${off}, payloads are contiguous so it must be ${i * pl}`, o, file);
    if (blen !== pl) fail('bad_index', `INDEX ${symbolFor(i)}: byte_len ${blen}, must be ${pl} for dims ${h.dims}`, o + 4, file);
    for (let k = 0, f = 32 * i, q = o + 8; k < 32; k += 4) flatView.setInt32(f + k, idv.getInt32(q + k));
    o += 40;
  }
  if (o !== dataStart) fail('bad_index', `INDEX has ${dataStart - o} bytes after its last entry`, o, file);
  const leafHashOf = (i: number): Uint8Array => leafHashFlat.subarray(32 * i, 32 * i + 32);
  let indexMemo: IndexEntry[] | null = null;
  const buildIndex = (): IndexEntry[] => {
    const idx: IndexEntry[] = new Array(h.laneCount);
    for (let i = 0; i < h.laneCount; i++) idx[i] = { sym: symbolFor(i), offset: i * pl, length: pl, leafHash: leafHashOf(i) };
    return idx;
  };
  let classMemo: Uint8Array | null = null;
  const classIndices = (): Uint8Array => {
    if (!classMemo) {
      classMemo = new Uint8Array(h.laneCount);
      for (let i = 0; i < h.laneCount; i++) classMemo[i] = classIndexOfLane(dict.ids[i]);
    }
    return classMemo;
  };

  const tail = signed.subarray(D + dataStart);
  tail.set(await src.read(dataEnd, size - dataEnd), 0);
  let t = 0;
  const scales = {} as Record<LaneClass, number>;
  const hasQscale = !!(h.flags & FLAG_QSCALE);
  if (hasQscale) {
    const qdv = new DataView(tail.buffer, tail.byteOffset, QSCALE_BYTES);
    CLASS_ORDER.forEach((c, k) => {
      const s = qdv.getFloat32(4 * k, true);
      if (!Number.isFinite(s) || s <= 0) fail('bad_qscale', `QSCALE ${c} is ${s}, must be a positive finite float32`, dataEnd + 4 * k, file);
      scales[c] = s;
    });
    t += QSCALE_BYTES;
  } else for (const c of CLASS_ORDER) scales[c] = 1;
  const auditLen = tail.length - t - h.merkleBytes - h.sigBytes;
  let audit: PackAudit | null = null;
  if (h.flags & FLAG_AUDIT) {
    audit = decodeAudit(tail.subarray(t, t + auditLen), dataEnd + t, h.laneCount, h.dims);
    // Part A totals are fixed by the lane ids: dims × the number of lanes of each class.
    const perClass = new Array<number>(CLASS_ORDER.length).fill(0);
    const cls = classIndices();
    for (let i = 0; i < cls.length; i++) perClass[cls[i]]++;
    CLASS_ORDER.forEach((c, k) => {
      if (audit!.classes[c].total !== perClass[k] * h.dims) fail('bad_audit', `AUDIT ${c}: total ${audit!.classes[c].total} is not dims × ${perClass[k]} lanes`, dataEnd + t + 1 + 10 * k, file);
    });
    t += auditLen;
  }
  const merkleRoot = h.merkleBytes ? tail.slice(t, t + MERKLE_BYTES) : null;
  t += h.merkleBytes;
  const tailBeforeSig = tail.subarray(0, t);
  const publicKey = h.sigBytes ? tail.slice(t, t + 32) : null;
  const signature = h.sigBytes ? tail.slice(t + 32, t + 96) : null;

  const sections: Section[] = [{ name: 'HEADER', offset: 0, length: HEADER_BYTES }, { name: 'DICT', offset: HEADER_BYTES, length: h.dictBytes }, { name: 'INDEX', offset: idxBase, length: h.indexBytes }, { name: 'DATA', offset: dataStart, length: h.dataBytes }];
  let so = dataEnd;
  if (hasQscale) { sections.push({ name: 'QSCALE', offset: so, length: QSCALE_BYTES }); so += QSCALE_BYTES; }
  if (audit) { sections.push({ name: 'AUDIT', offset: so, length: auditLen }); so += auditLen; }
  if (h.merkleBytes) { sections.push({ name: 'MERKLE', offset: so, length: h.merkleBytes }); so += h.merkleBytes; }
  if (h.sigBytes) sections.push({ name: 'SIGNATURE', offset: so, length: h.sigBytes });

  const ids = dict.ids;
  // Ids are in strict UTF-8 order (the DICT law, checked above): binary search, no map.
  const find = (key: string): number => {
    let lo = 0, hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareUtf8(ids[mid], key);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1; else hi = mid - 1;
    }
    const i = symbolIndex(key);
    return i >= 0 && i < h.laneCount ? i : -1;
  };

  async function getLane(key: string | number): Promise<Lane> {
    const i = typeof key === 'number' ? (Number.isInteger(key) && key >= 0 && key < h.laneCount ? key : -1) : find(key);
    if (i < 0) throw new AsxError('no_such_lane', `no lane ${JSON.stringify(key)} in this pack`, { file });
    const at = dataStart + i * pl;
    const payload = (await src.read(at, pl)).slice();
    const digest = new Uint8Array(32);
    await getHashBackend().sha256Batch(payload, 0, payload.length, payload.length, 1, digest, 0);
    if (!bytesEqual(digest, leafHashOf(i))) fail('leaf_mismatch', `lane ${symbolFor(i)} (${ids[i]}) does not match its leaf hash`, at, file);
    return decodeLane(payload, i, at);
  }

  function decodeLane(payload: Uint8Array, i: number, at: number): Lane {
    const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    if (payload[0] !== LANE_FORMAT_I16) fail('bad_lane', `lane ${symbolFor(i)} has format ${payload[0]}, only 1 (i16) exists`, at, file);
    const count = dv.getUint16(1, true);
    if (count !== h.dims) fail('bad_lane', `lane ${symbolFor(i)} holds ${count} weights, dims is ${h.dims}`, at + 1, file);
    const q = new Int16Array(count);
    for (let k = 0; k < count; k++) {
      q[k] = dv.getInt16(3 + 2 * k, true);
      // The writer clamps to ±32767; −32768 is not a value of the format.
      if (q[k] === -32768) fail('bad_lane', `lane ${symbolFor(i)} holds −32768 at weight ${k}; values are in ±32767`, at + 3 + 2 * k, file);
    }
    const cls = classifyLane(ids[i]);
    const s = scales[cls];
    return { index: i, id: ids[i], sym: symbolFor(i), cls, scale: s, q, W: dequantizeLane(q, s), leafHash: leafHashOf(i), payload };
  }

  let rootMemo: Uint8Array | null | undefined;
  const computedRoot = (): Uint8Array | null => {
    if (rootMemo === undefined) rootMemo = merkleRootFlat(leafHashFlat, h.laneCount);
    return rootMemo;
  };

  return {
    source: src, fileSize: size, header: h, ids, dict,
    get index(): IndexEntry[] { return (indexMemo ??= buildIndex()); },
    laneBytes: pl, symOf: symbolFor, leafHashOf, classIndices,
    sections, dataStart, scales, hasQscale, audit, merkleRoot, publicKey, signature,
    head, tailBeforeSig, leafHashFlat, computedRoot, find, getLane,
  };
}

export function leafHashes(r: PackReader): Uint8Array[] {
  const out: Uint8Array[] = new Array(r.header.laneCount);
  for (let i = 0; i < out.length; i++) out[i] = r.leafHashOf(i);
  return out;
}

export function leafHex(r: PackReader, i: number): string {
  return toHex(r.leafHashOf(i));
}
