/**
 * Swapping an object of the inference graph (issue 12; docs/laws.md MX2LM-INFER "swap"): a user
 * drops a file (retrained weights from the gym, an edited profile, a Hugging Face
 * `tokenizer.json`, a vocab, an ARPA n-gram brain, an SVG-tensor brain) and the next load uses it
 * in place of the object of that role. The file's role is read from its bytes (`swapRoleOf`); the
 * new descriptor is the current one of that role with the members the bytes determine recomputed
 * (`swapDescriptor`): `hash`, `payload.size`, and per role weights `layer_map`, `shape_hash`,
 * `dtype`; tokenizer `ruleset_hash`; vocab `size`; profile `mode`. Everything else (id, type,
 * invariants, architecture, references) is kept, so the object keeps its id and the graph its
 * references; the swapped object is then verified by the Object Server lifecycle like any other
 * (hash, format, invariants, §16 legality) — a swap makes no object trusted, it only replaces one.
 * `swapStore` answers the swapped ids from memory and removed ids with "no such object", so a
 * removed object gives `inference_error.missing_object` naming it.
 *
 * Pure: no DOM, no Node.
 */
import { AsxError } from '../errors.ts';
import { utf8 } from '../bytes/utf8.ts';
import { payloadHash, type ObjectStore } from '../objects/server.ts';
import { parseDescriptor } from '../objects/descriptor.ts';
import { wholeBytes } from '../objects/payload.ts';
import { parseSafetensorsHeader, SAFETENSORS_MAX_HEADER } from '../tensors/safetensors.ts';
import { shapeHash } from '../objects/ai/weights.ts';
import { rulesetHash } from '../objects/ai/tokenizer.ts';
import type { Role } from './objects.ts';

/** What replaces (or removes) one object: descriptor bytes and payload, or null for removed. */
export interface SwapEntry {
  role: Role;
  id: string;
  /** The dropped file's name (shown in the graph). */
  file: string;
  /** The new descriptor (canonical JSON bytes); null = removed. */
  descriptor: Uint8Array | null;
  payload: Uint8Array | null;
  /** `sha256:<hex>` of the payload; null when removed. */
  hash: string | null;
}

const bad = (message: string, path: string, file: string, offset?: number) =>
  new AsxError('inference_error.unrecognized_file', message, { path, file, ...(offset !== undefined ? { offset } : {}) });

function jsonOf(bytes: Uint8Array, file: string): Record<string, unknown> | null {
  const first = bytes.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
  if (first < 0 || bytes[first] !== 0x7b) return null; // '{'
  let v: unknown;
  try { v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)); } catch (e) { throw bad(`${file} starts like JSON but does not parse: ${(e as Error).message}`, 'payload$', file); }
  return v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : null;
}

function isSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 10) return false;
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  return n >= 2n && n <= BigInt(SAFETENSORS_MAX_HEADER) && 8n + n <= BigInt(bytes.length) && bytes[8] === 0x7b;
}

function startsWith(bytes: Uint8Array, text: string): boolean {
  let i = 0;
  while (i < bytes.length && i < 64 && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  for (let j = 0; j < text.length; j++) if (bytes[i + j] !== text.charCodeAt(j)) return false;
  return true;
}

/**
 * The role a dropped file can fill, read from its bytes: safetensors → weights; ARPA (`\data\`) →
 * ngram; SVG (`<svg` or `<?xml`) → svg; JSON with `collapse` → profile, with `model` (a
 * Hugging Face tokenizer) → tokenizer, with `tokens` as a list → vocab. Anything else:
 * `inference_error.unrecognized_file`.
 */
export function swapRoleOf(bytes: Uint8Array, file: string): Role {
  if (isSafetensors(bytes)) return 'weights';
  if (startsWith(bytes, '\\data\\')) return 'ngram';
  if (startsWith(bytes, '<svg') || startsWith(bytes, '<?xml')) return 'svg';
  const j = jsonOf(bytes, file);
  if (j) {
    if ('collapse' in j) return 'profile';
    if (j.model && typeof j.model === 'object') return 'tokenizer';
    if (Array.isArray(j.tokens)) return 'vocab';
    throw bad(`${file} is JSON but not an inference profile (collapse), a tokenizer.json (model) or a vocab (tokens)`, 'payload$', file);
  }
  throw bad(`${file} is not a safetensors file, an ARPA n-gram brain, an SVG-tensor brain or a JSON object of the inference graph`, 'payload$', file, 0);
}

const DTYPE_NAME: Readonly<Record<string, string>> = { F32: 'fp32', F16: 'fp16', BF16: 'bf16', I8: 'int8' };

/** The current descriptor of `role` (parsed JSON) with the members the new bytes determine recomputed. */
export function swapDescriptor(role: Role, current: Record<string, unknown>, bytes: Uint8Array, file: string): Record<string, unknown> {
  const d: Record<string, unknown> = { ...current, hash: payloadHash(bytes), payload: { ...(current.payload as object), size: bytes.length } };
  if (role === 'weights') {
    if (!isSafetensors(bytes)) throw bad(`${file} is not a safetensors file`, 'payload$', file, 0);
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
    const h = parseSafetensorsHeader(bytes.subarray(0, 8 + n), bytes.length, file);
    const layerMap: Record<string, number[]> = {};
    for (const t of h.tensors) layerMap[t.name] = [...t.shape];
    const dtypes = new Set(h.tensors.map((t) => t.dtype));
    d.layer_map = layerMap;
    d.shape_hash = shapeHash(layerMap);
    d.dtype = dtypes.size === 1 ? DTYPE_NAME[[...dtypes][0]] ?? 'custom' : 'custom';
  } else if (role === 'tokenizer') {
    const j = jsonOf(bytes, file);
    if (!j) throw bad(`${file} is not a tokenizer.json`, 'payload$', file);
    d.ruleset_hash = rulesetHash(j);
  } else if (role === 'vocab') {
    const j = jsonOf(bytes, file);
    if (!j || !Array.isArray(j.tokens)) throw bad(`${file} is not a vocab ({"tokens": [...]})`, 'payload$.tokens', file);
    d.size = j.tokens.length;
  } else if (role === 'profile') {
    const j = jsonOf(bytes, file);
    if (!j) throw bad(`${file} is not a profile JSON object`, 'payload$', file);
    if ('mode' in current && typeof j.mode === 'string') d.mode = j.mode;
  }
  return d;
}

/** A swap entry for a dropped file replacing the object `id` whose current descriptor is `current`. */
export function swapEntry(role: Role, id: string, current: Record<string, unknown>, bytes: Uint8Array, file: string): SwapEntry {
  const d = swapDescriptor(role, current, bytes, file);
  return { role, id, file, descriptor: utf8(JSON.stringify(d)), payload: bytes, hash: d.hash as string };
}

/** A removal: the object answers "no such object". */
export function removalEntry(role: Role, id: string): SwapEntry {
  return { role, id, file: '', descriptor: null, payload: null, hash: null };
}

/** The store with the swaps applied (later entries for the same id win). */
export function swapStore(inner: ObjectStore, swaps: readonly SwapEntry[]): ObjectStore {
  const byId = new Map(swaps.map((s) => [s.id, s]));
  const byHash = new Map(swaps.filter((s) => s.hash && s.payload).map((s) => [s.hash!, s.payload!]));
  return {
    async descriptor(id) {
      const s = byId.get(id);
      return s ? s.descriptor : inner.descriptor(id);
    },
    async payload(hash, d) {
      const s = byId.get(d.id);
      if (s) return s.hash === hash ? s.payload : null;
      return byHash.get(hash) ?? inner.payload(hash, d);
    },
    ...(inner.list ? { list: async () => (await inner.list!()).filter((id) => !byId.has(id) || byId.get(id)!.descriptor !== null) } : {}),
  };
}

/**
 * The current descriptor (parsed JSON) of the object filling `role` in `profileId`'s graph: the
 * profile itself, or the id its `objects` names for that role. Read to start a swap from; the
 * load verifies everything afterwards.
 */
export async function currentDescriptorOf(store: ObjectStore, profileId: string, role: Role): Promise<{ id: string; json: Record<string, unknown> }> {
  const missing = (what: string) => new AsxError('inference_error.missing_object', `missing object: ${what} (§20.2)`, { path: what });
  const read = async (id: string): Promise<{ raw: Uint8Array; json: Record<string, unknown> } | null> => {
    const got = await store.descriptor(id).catch(() => null);
    if (!got) return null;
    const raw = got instanceof Uint8Array ? got : await got.read(0, got.size);
    try { return { raw, json: JSON.parse(new TextDecoder().decode(raw)) as Record<string, unknown> }; } catch {
      throw new AsxError('inference_error.illegal_object', `${id}: the descriptor is not JSON`, { path: id });
    }
  };
  const profile = await read(profileId);
  if (!profile) throw missing(`profile ${profileId}`);
  if (role === 'profile') return { id: profileId, json: profile.json };
  let refs: Record<string, unknown> = {};
  try {
    const d = parseDescriptor(profile.raw, profileId);
    const p = await store.payload(d.hash, d);
    if (p) refs = (JSON.parse(new TextDecoder().decode(await wholeBytes(p, profileId, 'load'))) as { objects?: Record<string, unknown> }).objects ?? {};
  } catch { refs = {}; }
  const id = refs[role];
  if (typeof id !== 'string') throw missing(`the ${role} object of ${profileId} (the profile names none)`);
  const cur = await read(id);
  if (!cur) throw missing(id);
  return { id, json: cur.json };
}
