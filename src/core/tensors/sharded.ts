/**
 * Sharded safetensors models: `model.safetensors.index.json` (docs/laws.md L-SAFETENSORS).
 *
 *   {"metadata": {...}, "weight_map": {"tensor name": "model-00001-of-00002.safetensors", ...}}
 *
 * The index is untrusted: at most 100,000,000 bytes, strict UTF-8 JSON, an object with a
 * `weight_map` object of string → string (no tensor named twice, even as a duplicate JSON key;
 * `__metadata__` is not a tensor name) and an optional `metadata` object (any JSON: Hugging
 * Face writes `{"total_size": N}`), nothing else at the top level. Every shard name is a plain
 * file name in the index's folder: not empty, not `.` or `..`, no `/`, `\`, `:` (Windows drive
 * and stream syntax), NUL or other control characters — so no name can leave the folder under
 * POSIX or Windows rules. Shards are opened lazily, once each, through the caller's `openFile`;
 * when a shard opens, the tensors the map names for it must all be in its header, and every
 * tensor in its header must be mapped to it (a tensor in a shard the map does not name for it
 * would be a tensor twice, or a tensor nobody can find).
 */
import { AsxError } from '../errors.ts';
import type { ByteSource } from '../bytes/source.ts';
import { decodeUtf8Strict, utf8 } from '../bytes/utf8.ts';
import { framePath, scanJsonKeys } from './json-keys.ts';
import { MAX_JSON_DEPTH, openSafetensors, SAFETENSORS_MAX_HEADER, tooDeep, type SafetensorsReader, type TensorInfo } from './safetensors.ts';

export interface SafetensorsIndex {
  metadata: Record<string, unknown> | null;
  /** Tensor names in the index's text order. */
  names: string[];
  weightMap: Map<string, string>;
  /** Distinct shard file names, in order of first appearance. */
  files: string[];
}

function fail(message: string, path: string, file?: string): never {
  throw new AsxError('bad_safetensors', message, { path, file });
}

/** Why `name` is not a plain file name in the same folder, or null when it is. */
export function shardNameProblem(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name === '.' || name === '..') return 'is a directory reference';
  if (name.length > 255) return 'is longer than 255 characters';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x2f || c === 0x5c) return 'contains a path separator';
    if (c === 0x3a) return 'contains ":" (a Windows drive or stream)';
    if (c < 0x20 || c === 0x7f) return c === 0 ? 'contains NUL' : 'contains a control character';
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = name.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return 'contains a lone surrogate';
      i++;
    }
  }
  return null;
}

/**
 * Checks every object of `text` (valid JSON) for duplicate keys (JSON.parse keeps the last of
 * two equal keys silently) and returns the keys of the top-level `weight_map` in text order
 * (JSON.parse's objects put integer-like keys first).
 */
function scanKeys(text: string, file?: string): string[] {
  const weightMapKeys: string[] = [];
  const step = (_path: string, key: string) => `[${JSON.stringify(key)}]`;
  scanJsonKeys(text, {
    duplicate(key, _at, stack) { fail(`${JSON.stringify(key)} appears twice`, `${framePath(stack, stack.length, step)}[${JSON.stringify(key)}]`, file); },
    key(key, stack) { if (stack.length === 2 && stack[0].last === 'weight_map') weightMapKeys.push(key); },
  });
  return weightMapKeys;
}

export function parseSafetensorsIndex(bytes: Uint8Array, file?: string): SafetensorsIndex {
  if (bytes.length > SAFETENSORS_MAX_HEADER) throw new AsxError('bad_safetensors', `the index is ${bytes.length} bytes, over the limit of ${SAFETENSORS_MAX_HEADER}`, { offset: 0, file });
  let text: string;
  try { text = decodeUtf8Strict(bytes); } catch { throw new AsxError('bad_safetensors', 'the index is not valid UTF-8', { offset: 0, file }); }
  const deep = tooDeep(text);
  if (deep >= 0) throw new AsxError('bad_safetensors', `the index nests deeper than ${MAX_JSON_DEPTH} levels`, { offset: utf8(text.slice(0, deep)).length, file });
  let doc: unknown;
  try { doc = JSON.parse(text); } catch (e) { throw new AsxError('bad_safetensors', `the index is not JSON: ${(e as Error).message}`, { offset: 0, file }); }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('the index is not a JSON object', '$', file);
  const order = scanKeys(text, file);
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'metadata' && k !== 'weight_map') fail(`unknown field ${JSON.stringify(k)}`, `$[${JSON.stringify(k)}]`, file);
  const md = o.metadata;
  if (md !== undefined && md !== null && (typeof md !== 'object' || Array.isArray(md))) fail('metadata must be an object', '$["metadata"]', file);
  const wm = o.weight_map;
  if (typeof wm !== 'object' || wm === null || Array.isArray(wm)) fail('weight_map must be an object of tensor name → shard file name', '$["weight_map"]', file);
  const weightMap = new Map<string, string>();
  const files: string[] = [];
  const seenFiles = new Set<string>();
  const names = order.length === Object.keys(wm as object).length ? order : Object.keys(wm as object);
  for (const name of names) {
    const f = (wm as Record<string, unknown>)[name];
    const path = `$["weight_map"][${JSON.stringify(name)}]`;
    if (name === '__metadata__') fail('"__metadata__" is not a tensor name', path, file);
    if (typeof f !== 'string') fail('a shard must be named by a string', path, file);
    const why = shardNameProblem(f);
    if (why) fail(`shard name ${JSON.stringify(f)} ${why}: shards are plain file names in the index's folder`, path, file);
    weightMap.set(name, f);
    if (!seenFiles.has(f)) { seenFiles.add(f); files.push(f); }
  }
  return { metadata: (md as Record<string, unknown> | undefined) ?? null, names, weightMap, files };
}

/** A set of named tensors, one file or many: what inspect, stats and diff read. */
export interface TensorSet {
  names: string[];
  /** The reader holding `name` (opening its shard if needed) and its info. */
  open(name: string): Promise<{ reader: SafetensorsReader; info: TensorInfo; file?: string }>;
}

export function singleFileSet(reader: SafetensorsReader): TensorSet {
  return {
    names: reader.header.tensors.map((t) => t.name),
    async open(name) { return { reader, info: reader.info(name), file: reader.source.name }; },
  };
}

export interface ShardedReader extends TensorSet {
  index: SafetensorsIndex;
  /** The shard's reader, opened (and cross-checked against the map) on first use. */
  shard(file: string): Promise<SafetensorsReader>;
  /** Open every shard: a full check of the map against the shards' headers. */
  openAll(): Promise<SafetensorsReader[]>;
}

export function openSharded(index: SafetensorsIndex, openFile: (name: string) => Promise<ByteSource>, indexFile?: string): ShardedReader {
  const opened = new Map<string, Promise<SafetensorsReader>>();
  const expected = new Map<string, string[]>();
  for (const [t, f] of index.weightMap) { const l = expected.get(f); if (l) l.push(t); else expected.set(f, [t]); }
  const shard = (file: string): Promise<SafetensorsReader> => {
    if (!expected.has(file)) return Promise.reject(new AsxError('bad_input', `no shard ${JSON.stringify(file)} in the index`, { file: indexFile }));
    let p = opened.get(file);
    if (!p) {
      p = (async () => {
        const r = await openSafetensors(await openFile(file));
        for (const t of expected.get(file)!) {
          if (!r.header.byName.has(t)) throw new AsxError('bad_safetensors', `tensor ${JSON.stringify(t)} is mapped to ${file} but is not in it`, { path: `$["weight_map"][${JSON.stringify(t)}]`, file: indexFile });
        }
        for (const t of r.header.tensors) {
          const want = index.weightMap.get(t.name);
          if (want !== file) throw new AsxError('bad_safetensors', want === undefined ? `tensor ${JSON.stringify(t.name)} of ${file} is in no entry of the weight map` : `tensor ${JSON.stringify(t.name)} is in ${file} but the weight map names ${want}`, { path: `$[${JSON.stringify(t.name)}]`, file });
        }
        return r;
      })();
      opened.set(file, p);
    }
    return p;
  };
  return {
    index,
    names: index.names,
    shard,
    async open(name) {
      const file = index.weightMap.get(name);
      if (file === undefined) throw new AsxError('bad_input', `no tensor ${JSON.stringify(name)} in the index`, { path: `$["weight_map"][${JSON.stringify(name)}]`, file: indexFile });
      const reader = await shard(file);
      return { reader, info: reader.info(name), file };
    },
    async openAll() {
      const out: SafetensorsReader[] = [];
      for (const f of index.files) out.push(await shard(f));
      return out;
    },
  };
}
