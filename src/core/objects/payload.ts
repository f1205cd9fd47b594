/**
 * Payload bytes, hashing and formats (§15.6, §15.7 step 1, §19.4–§19.6; docs/laws.md
 * O-VERIFY, O-HOOKS). A payload is bytes or a ByteSource. The size is checked before any
 * byte is hashed; hashing is SHA-256 over the stored bytes, through the installed hash
 * backend for in-memory bytes and streamed in HASH_CHUNK_BYTES reads for sources.
 *
 * weights.v2c-bin packs and SCXQ2 envelopes are payloads like any other; the load phase
 * only looks at their magic and reads their table of contents (hook.scxq2.detect,
 * hook.scxq2.extract-toc; openPack reads header, DICT and INDEX), never a lane. Lanes are
 * read, merkle-checked and decoded lazily when a projection references them.
 */
import { AsxError } from '../errors.ts';
import { toHex } from '../bytes/hex.ts';
import { bytesSource, type ByteSource } from '../bytes/source.ts';
import { getHashBackend } from '../hash/backend.ts';
import { sha256Stream } from '../hash/sha256.ts';
import { openPack, type PackReader } from '../pack/read.ts';
import { verifyPack } from '../pack/verify.ts';
import { packManifest } from '../pack/manifest.ts';
import { detect, errorSurface, extractToc, verifyRoot, verifyLanes, decompressLanes, canonicalInflate, legality, webgpuMap, runHook, type ObjectErrorEvent } from '../scxq2/hooks.ts';
import type { Scxq2Reader } from '../scxq2/envelope.ts';
import { LANE_ORDER, type LaneId } from '../scxq2/lanes.ts';
import { ObjectError, type ObjectErrorCode, type Phase } from './errors.ts';
import { parsePayloadJson, deepFreeze, type Json } from './json.ts';
import type { Descriptor } from './descriptor.ts';
import { openSafetensors, SAFETENSORS_MAX_HEADER, type SafetensorsReader } from '../tensors/safetensors.ts';
import { openFoldBundle, verifyFoldBundle, type FoldBundle } from '../fold/bundle.ts';

export type PayloadInput = Uint8Array | ByteSource;
export const HASH_CHUNK_BYTES = 4 << 20;
/** Largest payload the core reads whole (JSON, base64, canonical SVG legality, binary projections of bytes). */
export const WHOLE_PAYLOAD_MAX = 256 << 20;

export function asSource(p: PayloadInput): ByteSource {
  return p instanceof Uint8Array ? bytesSource(p) : p;
}

export function sizeOf(p: PayloadInput): number {
  return p instanceof Uint8Array ? p.length : p.size;
}

/** `sha256:<hex>` of the payload; sources are read in chunks of `chunk` bytes (reads are sequential). */
export async function hashPayload(p: PayloadInput, chunk = HASH_CHUNK_BYTES, onProgress?: (done: number, total: number) => void): Promise<string> {
  if (p instanceof Uint8Array) {
    const out = new Uint8Array(32);
    await getHashBackend().sha256Batch(p, 0, p.length, p.length, 1, out, 0);
    return `sha256:${toHex(out)}`;
  }
  const h = getHashBackend().sha256Stream?.() ?? sha256Stream();
  for (let off = 0; off < p.size; off += chunk) {
    const n = Math.min(chunk, p.size - off);
    const b = await p.read(off, n);
    if (b.length !== n) throw new AsxError('truncated', `short read at ${off}`);
    h.update(b);
    onProgress?.(off + n, p.size);
  }
  return `sha256:${toHex(h.digest())}`;
}

/** Read a payload whole (bounded). */
export async function wholeBytes(p: PayloadInput, objectId: string, phase: Phase): Promise<Uint8Array> {
  if (p instanceof Uint8Array) return p;
  if (p.size > WHOLE_PAYLOAD_MAX) throw new ObjectError('payload_too_large', `payload is ${p.size} bytes; reading it whole is limited to ${WHOLE_PAYLOAD_MAX}`, phase, objectId);
  try { return await p.read(0, p.size); } catch { throw new ObjectError('payload_unavailable', 'payload could not be read', phase, objectId); }
}

/** Map an error from the pack / SCXQ2 / SVG code to the §15.12 / §19.10 surface (no internals). */
export function toObjectError(e: unknown, objectId: string | null, phase: Phase): ObjectError {
  if (e instanceof ObjectError) return e.objectId === objectId ? e : e.withContext(objectId, e.phase);
  if (e instanceof AsxError) {
    const surface = errorSurface(e);
    let code: ObjectErrorCode;
    if (surface) code = surface.split('.')[1] as ObjectErrorCode;
    else if (e.code === 'io_error' || e.code === 'cancelled') code = 'payload_unavailable';
    else if (e.code === 'leaf_mismatch' || e.code === 'root_mismatch' || e.code === 'bad_signature') code = 'integrity_violation';
    else code = 'integrity_violation'; // malformed structure of a payload that claims a format
    const p: Phase = code === 'integrity_violation' || code === 'illegal_tensor' ? 'verify' : code === 'missing_lane' ? 'load' : code === 'round_trip_failure' ? 'project' : phase;
    // The message is the reader's sentence (byte offsets into the payload, no file names).
    return new ObjectError(code, `${e.code}: ${e.message}`, p, objectId);
  }
  // Not an error of ours: a defect, reported as a 500 of the phase without its details.
  return new ObjectError(phase === 'project' ? 'projection_unavailable' : 'bad_payload', 'internal failure while handling the object', phase, objectId);
}

export type PayloadFormat = 'json' | 'pack' | 'scxq2-svg' | 'safetensors' | 'fold' | 'svg-canonical' | 'bytes';

/** Media type that declares a safetensors payload (O-SAFETENSORS-OBJECT). */
export const SAFETENSORS_MIME = 'application/vnd.safetensors';

export interface FormatInfo {
  format: PayloadFormat;
  /** Load-phase result for packs (header, DICT, INDEX read). */
  pack?: PackReader;
  /** Load-phase result for envelopes (header and TOC read). */
  scxq2?: Scxq2Reader;
  /** Load-phase result for safetensors (length prefix and header read, validated). */
  safetensors?: SafetensorsReader;
  /** Load-phase result for MX2GYM fold bundles (index parsed, structure checked; O-FOLD-OBJECT). */
  fold?: FoldBundle;
  /** A load-phase structure error, reported by verify after the hash check (hash mismatch wins). */
  deferred?: ObjectError;
}

const PACK_MAGIC = [0x41, 0x53, 0x58, 0x57, 0x32, 0x43, 0x42, 0x4e];
const FOLD_MAGIC = [0x41, 0x53, 0x58, 0x46, 0x4f, 0x4c, 0x44, 0x31]; // ASXFOLD1

/** Load phase: what the payload is (magic only), and its table of contents. */
export async function detectFormat(d: Descriptor, p: PayloadInput, objectType: string, emit?: (e: ObjectErrorEvent) => void): Promise<FormatInfo> {
  if (d.payload.type === 'json') return { format: 'json' };
  if (d.payload.encoding === 'base64') return { format: 'bytes' };
  const src = asSource(p);
  let head: Uint8Array;
  try { head = await src.read(0, Math.min(src.size, 18)); } catch { throw new ObjectError('payload_unavailable', 'payload could not be read', 'load', d.id); }
  if (head.length >= 8 && PACK_MAGIC.every((b, i) => head[i] === b)) {
    try { return { format: 'pack', pack: await openPack(src) }; } catch (e) { return { format: 'pack', deferred: toObjectError(e, d.id, 'verify') }; }
  }
  if (detect({ payload_bytes: head }).format === 'scxq2-svg') {
    try {
      const { reader } = await runHook('hook.scxq2.extract-toc', () => extractToc(src), emit);
      return { format: 'scxq2-svg', scxq2: reader };
    } catch (e) { return { format: 'scxq2-svg', deferred: toObjectError(e, d.id, 'verify') }; }
  }
  if (head.length >= 8 && FOLD_MAGIC.every((b, i) => head[i] === b)) {
    try { return { format: 'fold', fold: openFoldBundle(await wholeBytes(p, d.id, 'load')) }; } catch (e) { return { format: 'fold', deferred: toObjectError(e, d.id, 'verify') }; }
  }
  if (d.payload.mime === SAFETENSORS_MIME || looksLikeSafetensors(head, src.size)) {
    try { return { format: 'safetensors', safetensors: await openSafetensors(src) }; } catch (e) { return { format: 'safetensors', deferred: toObjectError(e, d.id, 'verify') }; }
  }
  if (d.payload.mime === 'image/svg+xml' || objectType.startsWith('ai.brain.svg-tensor')) return { format: 'svg-canonical' };
  return { format: 'bytes' };
}

/** L-SNIFF step 2a on the first bytes: u64 LE header length N in [2, 10^8], 8 + N ≤ size, then `{` (spaces allowed). */
function looksLikeSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 9) return false;
  let n = 0;
  for (let i = 7; i >= 0; i--) n = n * 256 + head[i]!;
  if (n < 2 || n > SAFETENSORS_MAX_HEADER || 8 + n > size) return false;
  let i = 8;
  while (i < head.length && head[i] === 0x20) i++;
  return i < head.length && head[i] === 0x7b;
}

/**
 * Verify phase, after the hash: format integrity that needs no lane. Packs: merkle root over
 * the INDEX leaves and the signature (verifyPack without lanes). Envelopes: the global root
 * (hook.scxq2.merkle.verify-root, against `payload.merkle_root` when declared). Canonical
 * SVG-tensor objects: legality (hook.scxq2.legality.svg-tensor).
 */
export async function verifyFormat(d: Descriptor, p: PayloadInput, f: FormatInfo, objectType: string, emit?: (e: ObjectErrorEvent) => void): Promise<string[]> {
  if (f.deferred) throw f.deferred;
  const done: string[] = [];
  try {
    if (f.pack) {
      const rep = await verifyPack(f.pack, { lanes: false });
      const bad = rep.issues[0];
      if (bad) throw new AsxError(bad.code, bad.message, { offset: bad.offset });
      done.push('pack.root', 'pack.signature');
    }
    if (f.scxq2) {
      const r = f.scxq2;
      await runHook('hook.scxq2.merkle.verify-root', () => verifyRoot(r, d.payload.merkle_root), emit);
      done.push('hook.scxq2.merkle.verify-root');
    }
    if (f.safetensors) done.push('safetensors.header');
    if (f.fold) {
      // Every entry hash, every reference and every record (F-BUNDLE verify), not only the trailer.
      const v = verifyFoldBundle(await wholeBytes(p, d.id, 'verify'));
      const bad = v.problems[0];
      if (bad) throw new AsxError(bad.code === 'missing_ref' ? 'bad_ref' : bad.code, bad.message, { ...(bad.offset !== undefined ? { offset: bad.offset } : {}), ...(bad.path !== undefined ? { path: bad.path } : {}) });
      done.push('fold.bundle');
    }
    if (f.format === 'svg-canonical' && objectType.startsWith('ai.brain.svg-tensor')) {
      const bytes = await wholeBytes(p, d.id, 'verify');
      await runHook('hook.scxq2.legality.svg-tensor', () => legality(bytes), emit);
      done.push('hook.scxq2.legality.svg-tensor');
    }
  } catch (e) { throw toObjectError(e, d.id, 'verify'); }
  return done;
}

function jsonSafe(v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = jsonSafe(x);
    return o;
  }
  return v;
}

/**
 * The value `@payload` refers to. JSON payloads: the parsed (frozen) JSON value. Packs and
 * envelopes: a view whose first segment is read lazily (O-HOOKS). Other payloads: the bytes
 * (or the source, for `binary` projections).
 */
export type HookSink = (e: ObjectErrorEvent) => void;

export interface PayloadView {
  /** `@payload` itself. */
  whole(): Promise<unknown>;
  /** `@payload.<first>`: undefined when the view has no such member. `emit` hears hook failures (per request). */
  member(first: string | number, emit?: HookSink): Promise<{ value: unknown } | undefined>;
}

export function jsonView(value: Json): PayloadView {
  return {
    whole: async () => value,
    member: async (k) => {
      if (Array.isArray(value)) {
        const i = typeof k === 'number' ? k : /^(0|[1-9][0-9]*)$/.test(k) ? Number(k) : -1;
        return i >= 0 && i < value.length ? { value: value[i] } : undefined;
      }
      if (value && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, String(k))) return { value: (value as Record<string, Json>)[String(k)] };
      return undefined;
    },
  };
}

export async function parseJsonPayload(d: Descriptor, p: PayloadInput): Promise<Json> {
  let bytes = await wholeBytes(p, d.id, 'project');
  if (d.payload.encoding === 'base64') bytes = decodeBase64(bytes, d.id);
  try { return deepFreeze(parsePayloadJson(bytes)); } catch (e) { throw e instanceof ObjectError ? e.withContext(d.id) : e; }
}

export function decodeBase64(b: Uint8Array, objectId: string): Uint8Array {
  const text = new TextDecoder().decode(b).replace(/[\r\n]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) throw new ObjectError('bad_payload', 'payload is not base64', 'project', objectId);
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function packView(r: PackReader, objectId: string): PayloadView {
  return {
    whole: async () => r.source,
    member: async (k) => {
      switch (k) {
        case 'manifest': return { value: deepFreeze(JSON.parse(JSON.stringify(packManifest(r)))) };
        case 'header': return { value: deepFreeze({ ...r.header }) };
        case 'lane_ids': return { value: Object.freeze([...r.ids]) };
        case 'merkle_root': return { value: r.merkleRoot ? toHex(r.merkleRoot) : null };
        case 'lanes': {
          // A proxy-free lazy map: the next segment names the lane; read on demand by lazyMember.
          return { value: new LazyMap(async (id) => {
            if (r.find(String(id)) < 0) return undefined;
            try {
              const l = await r.getLane(String(id));
              return { value: deepFreeze({ id: l.id, sym: l.sym, class: l.cls, scale: l.scale, leaf_hash: toHex(l.leafHash), q: Array.from(l.q), values: Array.from(l.W) }) };
            } catch (e) { throw toObjectError(e, objectId, 'verify'); }
          }) };
        }
        default: return undefined;
      }
    },
  };
}

/** A member whose children are fetched on demand (lanes). reference resolution awaits it. */
export class LazyMap {
  constructor(readonly get: (k: string | number, emit?: HookSink) => Promise<{ value: unknown } | undefined>) {}
}

/** Tensors whose values a projection may read whole (larger ones: shape and dtype only). */
export const SAFETENSORS_VALUES_MAX = 65_536;

/**
 * A safetensors payload as a lazy view (O-SAFETENSORS-OBJECT): `metadata`, `tensors` (name,
 * dtype, shape, data offsets in header order), `tensor["<name>"]` (that tensor, with its values
 * in the f64 viewing form when it has at most SAFETENSORS_VALUES_MAX elements, read by range).
 */
export function safetensorsView(r: SafetensorsReader, objectId: string): PayloadView {
  const entry = (t: { name: string; dtype: string; shape: number[]; begin: number; end: number }) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape], begin: t.begin, end: t.end });
  return {
    whole: async () => r.source,
    member: async (k) => {
      switch (k) {
        case 'metadata': return { value: deepFreeze(r.header.metadata ? { ...r.header.metadata } : null) };
        case 'tensors': return { value: deepFreeze(r.header.tensors.map(entry)) };
        case 'tensor': return { value: new LazyMap(async (name) => {
          const t = r.header.byName.get(String(name));
          if (!t) return undefined;
          const numel = t.shape.reduce((a, b) => a * b, 1);
          // JSON has no NaN or ±Infinity: those elements are the strings "NaN", "Infinity", "-Infinity".
          let values: Array<number | string> | null = null;
          if (numel <= SAFETENSORS_VALUES_MAX) {
            try { values = Array.from(await r.view(t.name), (x) => (Number.isFinite(x) ? x : String(x))); } catch (e) { throw toObjectError(e, objectId, 'project'); }
          }
          return { value: deepFreeze({ ...entry(t), numel, values }) };
        }) };
        default: return undefined;
      }
    },
  };
}

/**
 * A fold bundle as a view (O-FOLD-OBJECT): `fold` (the fold.v1 document), `entries` (name,
 * hash, offset, length), `bundle_hash`.
 */
export function foldView(b: FoldBundle, p: PayloadInput): PayloadView {
  return {
    whole: async () => p,
    member: async (k) => {
      switch (k) {
        case 'fold': return { value: deepFreeze(JSON.parse(JSON.stringify(b.fold))) };
        case 'entries': return { value: deepFreeze(b.entries.map((e) => ({ ...e }))) };
        case 'bundle_hash': return { value: b.bundleHash };
        default: return undefined;
      }
    },
  };
}

const LANE_IDS = new Set<string>(LANE_ORDER);

export function scxq2View(r: Scxq2Reader, objectId: string): PayloadView {
  // Inflated once per payload: only a success is kept, so every failing request runs (and
  // reports) the hooks itself.
  let inflated: Uint8Array | undefined;
  const canonical = async (emit?: HookSink) => {
    if (inflated) return inflated;
    try {
      await runHook('hook.scxq2.merkle.verify-lanes', () => verifyLanes(r, 'canonical'), emit);
      const lanes = await runHook('hook.scxq2.decompress-lanes', () => decompressLanes(r, 'canonical'), emit);
      const bytes = await runHook('hook.svg.canonical.inflate', () => canonicalInflate(lanes, r.meta.canonicalHash), emit);
      await runHook('hook.scxq2.legality.svg-tensor', () => legality(bytes), emit);
      inflated = bytes;
      return bytes;
    } catch (e) { throw toObjectError(e, objectId, 'project'); }
  };
  return {
    whole: async () => r.src,
    member: async (k, emit) => {
      switch (k) {
        case 'toc': return { value: deepFreeze(r.meta.toc.map((t) => ({ lane: t.lane, offset: t.offset, size: t.size, root: toHex(t.root) }))) };
        case 'global_root': return { value: toHex(r.meta.globalRoot) };
        case 'canonical_hash': return { value: toHex(r.meta.canonicalHash) };
        case 'canonical_svg': return { value: new TextDecoder().decode(await canonical(emit)) };
        case 'canonical_bytes': return { value: (await canonical(emit)).slice() };
        case 'webgpu': {
          const bytes = await canonical(emit);
          try { return { value: Object.freeze(await runHook('hook.svg.webgpu.map', () => webgpuMap(bytes), emit)) }; } catch (e) { throw toObjectError(e, objectId, 'project'); }
        }
        case 'lanes': return { value: new LazyMap(async (id, emit2) => {
          if (typeof id !== 'string' || !LANE_IDS.has(id)) return undefined;
          const lane = id as LaneId;
          if (!r.has(lane)) throw new ObjectError('missing_lane', `the envelope has no lane ${lane}`, 'load', objectId);
          try {
            await runHook('hook.scxq2.merkle.verify-lanes', () => verifyLanes(r, [lane]), emit2);
            const m = await runHook('hook.scxq2.decompress-lanes', () => decompressLanes(r, [lane]), emit2);
            return { value: deepFreeze(jsonSafe(m.get(lane))) };
          } catch (e) { throw toObjectError(e, objectId, 'project'); }
        }) };
        default: return undefined;
      }
    },
  };
}

export function bytesView(p: PayloadInput): PayloadView {
  return { whole: async () => p, member: async () => undefined };
}
