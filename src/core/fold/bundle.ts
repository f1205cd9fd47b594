/**
 * The fold bundle (issue 11; docs/laws.md F-BUNDLE): one file holding a fold.v1 JSON and the
 * tensors its `scxq2://<fold_id>/<name>` references name, every entry addressed by SHA-256, so a
 * fold can be dropped, verified and served as an object. Little-endian:
 *
 *   off 0       8   magic "ASXFOLD1"
 *   off 8       u32 L, the index length (≤ 64 MiB, ≤ the bytes left before the trailer)
 *   off 12      L   index: RFC 8785 (JCS) canonical JSON
 *                   {"entries":[{"hash":"sha256:<hex>","length":n,"name":"…","offset":o},…],
 *                    "fold":<fold.v1>,"format":"asx.fold-bundle.v1"}
 *   off 12+L        data: the entries' bytes, in index order, contiguous (first offset 0, each
 *                   offset = previous offset + length, no padding); offsets relative to data
 *   end − 32    32  trailer: SHA-256 of every byte before it; the bundle hash is "sha256:" + its hex
 *
 * Entries are sorted by name in UTF-8 byte order, names unique and F-REF entry names. Every
 * reference of the fold names an entry (the writer refuses otherwise; verify reports it). The
 * opener checks the structure (typed errors with offsets or JSON paths) and nothing lazy; verify
 * is a result, never an exception, and names each bad entry.
 */
import { AsxError, isAsxError, type AsxErrorCode } from '../errors.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import { compareBytes, utf8 } from '../bytes/utf8.ts';
import { canonicalJsonBytes } from '../json/jcs.ts';
import { parsePayloadJson, type Json } from '../objects/json.ts';
import { checkFold, foldRefs, type FoldV1 } from './fold.ts';
import { ENTRY_NAME_RE, parseScxq2Ref } from './ref.ts';
import { decodeQRecord, type DecodedQRecord } from './qrecord.ts';

export const BUNDLE_MAGIC = utf8('ASXFOLD1');
export const BUNDLE_FORMAT = 'asx.fold-bundle.v1';
export const BUNDLE_MEDIA_TYPE = 'application/vnd.asx.fold-bundle';
export const BUNDLE_MAX_INDEX = 64 << 20;
export const BUNDLE_MAX_ENTRIES = 1 << 20;
const HEAD = 12;
const TRAILER = 32;

export interface BundleEntry { name: string; hash: string; offset: number; length: number }

export interface FoldBundle {
  fold: FoldV1;
  entries: readonly BundleEntry[];
  /** "sha256:" + hex of the trailer (as stored; verifyFoldBundle checks it). */
  bundleHash: string;
  /** Absolute byte offset of the data section. */
  dataOffset: number;
  /** The entry's bytes (a view, unchecked; `resolve` checks the hash). */
  entryBytes(name: string): Uint8Array | undefined;
  /** Resolve `scxq2://<fold_id>/<name>` to the entry's bytes, its hash checked. */
  resolve(ref: string): Uint8Array;
  /** Resolve a reference to its §2 record. */
  resolveRecord(ref: string): DecodedQRecord;
}

function sha(b: Uint8Array): string { return `sha256:${toHex(sha256(b))}`; }

/** Write a bundle: deterministic bytes for the same fold and entries (F-BUNDLE). */
export function writeFoldBundle(fold: FoldV1, entries: ReadonlyArray<{ name: string; bytes: Uint8Array }>): Uint8Array {
  const chk = checkFold(fold);
  if (!chk.ok) throw new AsxError('bad_fold', chk.issues[0].message, { path: chk.issues[0].path });
  if (entries.length > BUNDLE_MAX_ENTRIES) throw new AsxError('bad_input', `${entries.length} entries (at most ${BUNDLE_MAX_ENTRIES})`);
  const names = new Set<string>();
  for (const e of entries) {
    if (!ENTRY_NAME_RE.test(e.name)) throw new AsxError('bad_ref', `bad entry name ${JSON.stringify(e.name)}`, { path: e.name });
    if (names.has(e.name)) throw new AsxError('bad_input', `entry ${JSON.stringify(e.name)} twice`, { path: e.name });
    names.add(e.name);
  }
  for (const { path, ref } of foldRefs(fold)) {
    const { name } = parseScxq2Ref(ref, path);
    if (!names.has(name)) throw new AsxError('bad_ref', `${ref} names no entry of the bundle`, { path });
  }
  const sorted = [...entries].sort((a, b) => compareBytes(utf8(a.name), utf8(b.name)));
  let off = 0;
  const index: BundleEntry[] = sorted.map((e) => { const r = { name: e.name, hash: sha(e.bytes), offset: off, length: e.bytes.length }; off += e.bytes.length; return r; });
  const indexBytes = canonicalJsonBytes({ entries: index, fold, format: BUNDLE_FORMAT });
  if (indexBytes.length > BUNDLE_MAX_INDEX) throw new AsxError('bad_input', `index of ${indexBytes.length} bytes (at most ${BUNDLE_MAX_INDEX})`);
  const out = new Uint8Array(HEAD + indexBytes.length + off + TRAILER);
  out.set(BUNDLE_MAGIC, 0);
  new DataView(out.buffer).setUint32(8, indexBytes.length, true);
  out.set(indexBytes, HEAD);
  let o = HEAD + indexBytes.length;
  for (const e of sorted) { out.set(e.bytes, o); o += e.bytes.length; }
  out.set(sha256(out.subarray(0, o)), o);
  return out;
}

function fail(code: AsxErrorCode, msg: string, where: { offset?: number; path?: string }): never {
  throw new AsxError(code, msg, where);
}

/** Open a bundle: magic, lengths, canonical index, entries tiling the data, the fold checked. Hashes are not read. */
export function openFoldBundle(bytes: Uint8Array): FoldBundle {
  const len = bytes.length;
  for (let i = 0; i < 8 && i < len; i++) if (bytes[i] !== BUNDLE_MAGIC[i]) fail('bad_magic', 'not a fold bundle (magic "ASXFOLD1")', { offset: i });
  if (len < HEAD + TRAILER) fail('truncated', `a bundle has at least ${HEAD + TRAILER} bytes, this one ${len}`, { offset: len });
  const L = new DataView(bytes.buffer, bytes.byteOffset, len).getUint32(8, true);
  if (L > BUNDLE_MAX_INDEX) fail('bad_bundle', `index length ${L} exceeds ${BUNDLE_MAX_INDEX}`, { offset: 8 });
  if (L > len - HEAD - TRAILER) fail('truncated', `index length ${L} runs past the bytes before the trailer`, { offset: 8 });
  const indexBytes = bytes.subarray(HEAD, HEAD + L);
  let idx: Json;
  try { idx = parsePayloadJson(indexBytes, { maxBytes: BUNDLE_MAX_INDEX, maxDepth: 64, maxKeys: 1 << 23, maxValues: 1 << 24 }); } catch (e) {
    fail('bad_bundle', `index is not JSON: ${(e as Error).message}`, { offset: HEAD, path: (e as { path?: string }).path });
  }
  if (idx === null || typeof idx !== 'object' || Array.isArray(idx)) fail('bad_bundle', 'index must be an object', { offset: HEAD, path: '$' });
  const keys = Object.keys(idx).sort();
  if (keys.join() !== 'entries,fold,format') fail('bad_bundle', `index members must be entries, fold, format (has ${keys.join(', ')})`, { offset: HEAD, path: '$' });
  if (idx.format !== BUNDLE_FORMAT) fail('bad_bundle', `format must be ${BUNDLE_FORMAT}`, { offset: HEAD, path: '$.format' });
  let canon: Uint8Array;
  try { canon = canonicalJsonBytes(idx); } catch { fail('bad_bundle', 'index has no canonical form', { offset: HEAD }); }
  if (compareBytes(canon, indexBytes) !== 0) fail('bad_bundle', 'index is not in RFC 8785 canonical form', { offset: HEAD });
  const dataOffset = HEAD + L;
  const dataLen = len - TRAILER - dataOffset;
  const ents = idx.entries;
  if (!Array.isArray(ents)) fail('bad_bundle', 'entries must be an array', { offset: HEAD, path: '$.entries' });
  if (ents.length > BUNDLE_MAX_ENTRIES) fail('bad_bundle', `${ents.length} entries (at most ${BUNDLE_MAX_ENTRIES})`, { offset: HEAD, path: '$.entries' });
  const entries: BundleEntry[] = [];
  const byName = new Map<string, BundleEntry>();
  let next = 0;
  let prevName: Uint8Array | null = null;
  ents.forEach((e, i) => {
    const path = `$.entries[${i}]`;
    if (e === null || typeof e !== 'object' || Array.isArray(e) || Object.keys(e).sort().join() !== 'hash,length,name,offset') fail('bad_bundle', 'an entry is {hash, length, name, offset}', { offset: HEAD, path });
    const { name, hash, offset, length } = e as Record<string, Json>;
    if (typeof name !== 'string' || !ENTRY_NAME_RE.test(name)) fail('bad_bundle', 'bad entry name', { offset: HEAD, path: `${path}.name` });
    const nb = utf8(name);
    if (prevName && compareBytes(prevName, nb) >= 0) fail('bad_bundle', `entry ${JSON.stringify(name)} is out of order or repeated (names sorted by UTF-8 bytes, unique)`, { offset: HEAD, path: `${path}.name` });
    prevName = nb;
    if (typeof hash !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(hash)) fail('bad_bundle', 'hash must be sha256:<64 lowercase hex>', { offset: HEAD, path: `${path}.hash` });
    if (offset !== next) fail('bad_bundle', `offset must be ${next} (entries are contiguous)`, { offset: HEAD, path: `${path}.offset` });
    if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > dataLen - next) fail('bad_bundle', `length runs past the data section (${dataLen - next} bytes left)`, { offset: HEAD, path: `${path}.length` });
    const ent = { name, hash, offset: next, length };
    entries.push(ent); byName.set(name, ent);
    next += length;
  });
  if (next !== dataLen) fail('bad_bundle', `${dataLen - next} data bytes belong to no entry`, { offset: dataOffset + next });
  const chk = checkFold(idx.fold);
  if (!chk.ok) fail('bad_fold', chk.issues[0].message, { offset: HEAD, path: `$.fold${chk.issues[0].path.slice(1)}` });
  const fold = chk.fold;
  const bundleHash = `sha256:${toHex(bytes.subarray(len - TRAILER))}`;
  const entryBytes = (name: string) => {
    const e = byName.get(name);
    return e ? bytes.subarray(dataOffset + e.offset, dataOffset + e.offset + e.length) : undefined;
  };
  const resolve = (ref: string) => {
    const r = parseScxq2Ref(ref);
    if (r.foldId !== fold.fold_id) fail('bad_ref', `${ref} names fold ${JSON.stringify(r.foldId)}, this bundle holds ${JSON.stringify(fold.fold_id)}`, { path: ref });
    const e = byName.get(r.name);
    if (!e) fail('bad_ref', `${ref}: the bundle has no entry ${JSON.stringify(r.name)}`, { path: ref });
    const b = bytes.subarray(dataOffset + e.offset, dataOffset + e.offset + e.length);
    if (sha(b) !== e.hash) fail('hash_mismatch', `entry ${JSON.stringify(e.name)} does not match its hash`, { offset: dataOffset + e.offset, path: e.name });
    return b;
  };
  return {
    fold, entries, bundleHash, dataOffset, entryBytes, resolve,
    resolveRecord: (ref: string) => {
      const b = resolve(ref);
      const e = byName.get(parseScxq2Ref(ref).name)!;
      try { return decodeQRecord(b); } catch (err) {
        if (isAsxError(err) && err.where.offset !== undefined) throw new AsxError(err.code, `entry ${JSON.stringify(e.name)}: ${err.message}`, { offset: dataOffset + e.offset + err.where.offset, path: e.name });
        throw err;
      }
    },
  };
}

export interface BundleProblem {
  code: AsxErrorCode | 'missing_ref';
  message: string;
  /** The entry the problem is about, when there is one. */
  entry?: string;
  offset?: number;
  path?: string;
}

export interface BundleVerification {
  ok: boolean;
  /** "sha256:" + hex of SHA-256 over the bytes before the trailer (what the trailer must hold); null if too short. */
  bundleHash: string | null;
  problems: BundleProblem[];
}

/**
 * Verify a bundle, as a result: structure (one problem and stop), the trailer, every entry's
 * hash, every reference naming an entry, and every referenced entry reading as a §2 record.
 */
export function verifyFoldBundle(bytes: Uint8Array): BundleVerification {
  const problems: BundleProblem[] = [];
  const bundleHash = bytes.length >= TRAILER ? sha(bytes.subarray(0, bytes.length - TRAILER)) : null;
  let b: FoldBundle;
  try { b = openFoldBundle(bytes); } catch (e) {
    if (!isAsxError(e)) throw e;
    return { ok: false, bundleHash, problems: [{ code: e.code, message: e.message, offset: e.where.offset, path: e.where.path }] };
  }
  if (b.bundleHash !== bundleHash) problems.push({ code: 'hash_mismatch', message: 'the trailer does not match the bundle bytes', offset: bytes.length - TRAILER });
  const bad = new Set<string>();
  for (const e of b.entries) {
    if (sha(b.entryBytes(e.name)!) !== e.hash) {
      bad.add(e.name);
      problems.push({ code: 'hash_mismatch', message: `entry ${JSON.stringify(e.name)} does not match its hash`, entry: e.name, offset: b.dataOffset + e.offset });
    }
  }
  const seen = new Set<string>();
  const byName = new Map(b.entries.map((e) => [e.name, e]));
  for (const { path, ref } of foldRefs(b.fold)) {
    const { name } = parseScxq2Ref(ref, path);
    const e = byName.get(name);
    if (!e) { problems.push({ code: 'missing_ref', message: `${ref} names no entry`, path: `$.fold${path.slice(1)}`, entry: name }); continue; }
    if (bad.has(name) || seen.has(name)) continue;
    seen.add(name);
    try { decodeQRecord(b.entryBytes(name)!); } catch (err) {
      if (!isAsxError(err)) throw err;
      problems.push({ code: err.code, message: `entry ${JSON.stringify(name)}: ${err.message}`, entry: name, offset: b.dataOffset + e.offset + (err.where.offset ?? 0), path: `$.fold${path.slice(1)}` });
    }
  }
  return { ok: problems.length === 0, bundleHash, problems };
}
