/**
 * safetensors (Hugging Face): reader and writer, bytes in, bytes out (docs/laws.md L-SAFETENSORS).
 *
 *   u64 LE N | N bytes of UTF-8 JSON header | data buffer
 *
 * The header maps tensor names to `{ dtype, shape, data_offsets: [begin, end] }` (offsets into the
 * data buffer) and may hold `__metadata__`, a string → string map. The reader treats the file as
 * hostile and checks what the reference implementation checks before any tensor is touched:
 * N ≤ 100,000,000 and within the file, the header is UTF-8 JSON (whitespace, then `{`) nested
 * at most 128 deep, with no duplicate names, every dtype is known, every shape a list of safe
 * integers whose byte size (with overflow checks) equals its range, the ranges tile the buffer
 * exactly (no gap, no overlap, nothing after the last). Details and where this is stricter than
 * the reference: docs/laws.md L-SAFETENSORS. Only the header is read up front: tensors are read from a
 * ByteSource by range, so a file of any size opens with one small read.
 *
 * The writer does what the reference serializer (huggingface/safetensors `serialize`) does, so
 * the same tensors give the same bytes: tensors ordered by dtype alignment, largest first (the
 * reference's dtype enum order, descending), then by name (UTF-8 bytes); `__metadata__` first
 * when given; keys dtype, shape, data_offsets; compact JSON; the header padded with spaces to a
 * multiple of 8 bytes (so the data buffer starts 8-aligned).
 */
import { AsxError } from '../errors.ts';
import type { ByteSource } from '../bytes/source.ts';
import { decodeUtf8Strict, utf8 } from '../bytes/utf8.ts';
import { decodeView, f16ToNumber } from './dtypes.ts';
import { framePath, scanJsonKeys } from './json-keys.ts';

export const SAFETENSORS_MAX_HEADER = 100_000_000;

/**
 * Element size in bytes of each dtype, in the reference's `Dtype` enum order (which its writer
 * sorts by, descending): U64 I64 F64 C64 F32 U32 I32 BF16 F16 U16 I16 F8_E5M2FNUZ F8_E4M3FNUZ
 * F8_E8M0 F8_E4M3 F8_E5M2 I8 U8 F6_E3M2 F6_E2M3 F4 BOOL — checked against safetensors 0.8.0's
 * serializer (reference-check.py; C64 and F4 by hand through its Python binding) except
 * F6_E3M2/F6_E2M3, which that binding cannot write
 * (placed as its `Dtype` enum orders them). The sub-byte dtypes have fractional sizes (F4 ½,
 * F6 ¾): a tensor's element count times its size must be a whole number of bytes (the
 * reference's MisalignedSlice), and they are read in whole groups (`dtypeGroup`: 2 F4 elements
 * a byte, 4 F6 elements in 3 bytes).
 */
export const DTYPE_BYTES = {
  BOOL: 1, F4: 0.5, F6_E2M3: 0.75, F6_E3M2: 0.75, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1, F8_E4M3FNUZ: 1, F8_E5M2FNUZ: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, C64: 8, F64: 8, I64: 8, U64: 8,
} as const;
export type Dtype = keyof typeof DTYPE_BYTES;

/** The smallest whole-byte run of elements of a dtype: `elements` of them in `bytes` bytes. */
export function dtypeGroup(dtype: Dtype): { elements: number; bytes: number } {
  const size = DTYPE_BYTES[dtype];
  return size === 0.5 ? { elements: 2, bytes: 1 } : size === 0.75 ? { elements: 4, bytes: 3 } : { elements: 1, bytes: size };
}

export interface TensorInfo {
  name: string;
  dtype: Dtype;
  shape: number[];
  /** Offsets into the data buffer. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** Tensors in header order. */
  tensors: TensorInfo[];
  byName: Map<string, TensorInfo>;
  metadata: Record<string, string> | null;
  /** File offset of the data buffer (8 + N). */
  dataStart: number;
  /** Bytes in the data buffer. */
  dataBytes: number;
}

function fail(message: string, where: { offset?: number; path?: string; file?: string }): never {
  throw new AsxError('bad_safetensors', message, where);
}

/** serde_json's default recursion limit, which the reference parses headers with. */
export const MAX_JSON_DEPTH = 128;

/**
 * The index of the first `[` or `{` nested deeper than MAX_JSON_DEPTH outside strings, or -1:
 * one linear pass, no allocation. Strings are skipped (escapes included); the text need not be
 * valid JSON.
 */
export function tooDeep(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/** The u64 at the start of `dv`, exactly (a hostile length is often above 2^53). */
function exactU64(dv: DataView): string {
  return (BigInt(dv.getUint32(4, true)) * 4294967296n + BigInt(dv.getUint32(0, true))).toString();
}

function elementCount(shape: number[], path: string, file?: string): number {
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (!Number.isSafeInteger(n)) fail(`shape ${JSON.stringify(shape)} has more elements than a safe integer`, { path, file });
  }
  return n;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Parse and check a header: `head` holds at least the first 8 + N bytes of a `fileSize`-byte file. */
export function parseSafetensorsHeader(head: Uint8Array, fileSize: number, file?: string): SafetensorsHeader {
  if (fileSize < 8 || head.length < 8) fail(`file is ${fileSize} bytes; a safetensors file starts with an 8-byte header length`, { offset: 0, file });
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const hi = dv.getUint32(4, true);
  const n = hi * 2 ** 32 + dv.getUint32(0, true);
  if (n > SAFETENSORS_MAX_HEADER) fail(`header length ${exactU64(dv)} is over the limit of ${SAFETENSORS_MAX_HEADER} bytes`, { offset: 0, file });
  if (8 + n > fileSize) fail(`header length ${n} runs past the end of the ${fileSize}-byte file`, { offset: 0, file });
  if (head.length < 8 + n) fail(`need the first ${8 + n} bytes, got ${head.length}`, { offset: head.length, file });
  const raw = head.subarray(8, 8 + n);
  // JSON whitespace may precede the object (the reference's serde_json skips it); nothing else.
  let first = 0;
  while (first < raw.length && (raw[first] === 0x20 || raw[first] === 0x09 || raw[first] === 0x0a || raw[first] === 0x0d)) first++;
  if (raw[first] !== 0x7b) fail('the header does not start with "{"', { offset: 8 + first, file });
  let text: string;
  try { text = decodeUtf8Strict(raw); } catch { fail('the header is not valid UTF-8', { offset: 8, file }); }
  // Before JSON.parse, which takes seconds and gigabytes on a 100 MB header of nested brackets.
  const deep = tooDeep(text);
  if (deep >= 0) fail(`the header nests deeper than ${MAX_JSON_DEPTH} levels (serde_json's limit in the reference)`, { offset: 8 + utf8(text.slice(0, deep)).length, file });
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) { fail(`the header is not JSON: ${(e as Error).message}`, { offset: 8, file }); }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) fail('the header is not a JSON object', { offset: 8, file });
  // Object.entries puts integer-like names first; the header's own order comes from the text.
  const { keys: order, badNumber } = topLevelKeys(text, file);
  const dataStart = 8 + n;
  const dataBytes = fileSize - dataStart;
  let metadata: Record<string, string> | null = null;
  const tensors: TensorInfo[] = [];
  for (const name of order) {
    const v = (obj as Record<string, unknown>)[name];
    const path = `$[${JSON.stringify(name)}]`;
    if (LONE_SURROGATE.test(name)) fail('the name holds a lone surrogate escape (not Unicode text; the reference refuses it)', { path, file });
    if (name === '__metadata__') {
      if (v === null) continue; // the reference's Option: null is no metadata
      if (typeof v !== 'object' || Array.isArray(v)) fail('__metadata__ must be an object of strings', { path, file });
      for (const [k, s] of Object.entries(v as Record<string, unknown>)) {
        if (typeof s !== 'string') fail(`__metadata__.${k} is not a string`, { path: `${path}[${JSON.stringify(k)}]`, file });
        if (LONE_SURROGATE.test(k) || LONE_SURROGATE.test(s)) fail('a lone surrogate escape (not Unicode text; the reference refuses it)', { path: `${path}[${JSON.stringify(k)}]`, file });
      }
      metadata = v as Record<string, string>;
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('a tensor entry must be an object', { path, file });
    const e = v as Record<string, unknown>;
    // Other fields are ignored, as the reference ignores them (its TensorInfo does not deny unknown fields).
    if (typeof e.dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, e.dtype)) fail(`unknown dtype ${JSON.stringify(e.dtype)}`, { path: `${path}.dtype`, file });
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) fail('shape must be a list of non-negative integers', { path: `${path}.shape`, file });
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) fail('data_offsets must be [begin, end], non-negative integers', { path: `${path}.data_offsets`, file });
    const [begin, end] = off as [number, number];
    if (end < begin) fail(`data_offsets [${begin}, ${end}] end before they begin`, { path: `${path}.data_offsets`, file });
    const shape = e.shape as number[];
    const dtype = e.dtype as Dtype;
    const count = elementCount(shape, `${path}.shape`, file);
    const bytes = count * DTYPE_BYTES[dtype];
    if (!Number.isInteger(bytes)) fail(`shape ${JSON.stringify(shape)} of ${dtype} is ${count} elements of ${DTYPE_BYTES[dtype] * 8} bits, not a whole number of bytes`, { path: `${path}.shape`, file });
    if (!Number.isSafeInteger(bytes) || bytes !== end - begin) fail(`shape ${JSON.stringify(shape)} of ${dtype} is ${bytes} bytes, data_offsets give ${end - begin}`, { path: `${path}.data_offsets`, file });
    tensors.push({ name, dtype, shape, begin, end });
  }
  // Values JSON.parse read as integers but spelled otherwise (1.0, 1e0, -0): refused, as the reference does.
  if (badNumber) fail('a number in the header is not spelled as a plain non-negative integer', { ...badNumber, file });
  // The ranges tile the buffer: sorted by begin, each starts where the previous ended.
  const sorted = [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const t of sorted) {
    // `at` ≤ dataBytes here (checked below for the previous tensor), so the offset is in the file.
    if (t.begin !== at) fail(t.begin > at ? `bytes ${at}..${t.begin} of the data buffer belong to no tensor` : `tensor overlaps the previous one at byte ${t.begin}`, { path: `$[${JSON.stringify(t.name)}].data_offsets`, offset: dataStart + at, file });
    if (t.end > dataBytes) fail(`data_offsets [${t.begin}, ${t.end}] run past the ${dataBytes}-byte data buffer`, { path: `$[${JSON.stringify(t.name)}].data_offsets`, offset: dataStart + dataBytes, file });
    at = t.end;
  }
  if (at !== dataBytes) fail(`the tensors cover ${at} bytes of data, the file has ${dataBytes} after the header`, { offset: dataStart + Math.min(at, dataBytes), file });
  return { tensors, byName: new Map(tensors.map((t) => [t.name, t])), metadata, dataStart, dataBytes };
}

/**
 * The top-level object's keys in text order (strings at depth 1 followed by a colon). JSON.parse
 * keeps the last of two equal keys; the reference refuses a tensor name twice and a field of a
 * tensor entry twice, and this refuses a key twice in any object (`__metadata__` included).
 */
function topLevelKeys(text: string, file?: string): { keys: string[]; badNumber: { offset: number; path: string } | null } {
  const keys: string[] = [];
  let badNumber: { offset: number; path: string } | null = null;
  // Paths are built only when needed, so long keys nested deep cost nothing until an error names them.
  scanJsonKeys(text, {
    duplicate(key, at, stack) {
      const base = framePath(stack, stack.length, childPath);
      fail(stack.length === 1 ? `tensor name ${JSON.stringify(key)} appears twice` : `field ${JSON.stringify(key)} appears twice`, { offset: 8 + utf8(text.slice(0, at)).length, path: `${base}${childPath(base, key, stack.length)}`, file });
    },
    key(key, stack) { if (stack.length === 1) keys.push(key); },
    numberMark(at, stack) {
      // The reference reads shape and data_offsets as unsigned integers and refuses -0, 1.0 and
      // 1e3 alike there (numbers in ignored fields are its business no more than ours).
      const inSizes = stack.length === 3 && !stack[2].seen && !!stack[1].seen && (stack[1].last === 'shape' || stack[1].last === 'data_offsets') && stack[0].last !== '__metadata__';
      if (!badNumber && inSizes) {
        const top = stack[stack.length - 1];
        const base = framePath(stack, stack.length, childPath);
        badNumber = { offset: 8 + utf8(text.slice(0, at)).length, path: top?.seen ? `${base}${childPath(base, top.last, stack.length)}` : base };
      }
    },
  });
  return { keys, badNumber };
}

/** The path step for `key` inside the object at `path` (depth ≥ 1): tensor fields dotted, names and metadata keys bracketed. */
function childPath(path: string, key: string, depth: number): string {
  return depth >= 2 && path !== '$["__metadata__"]' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** A safetensors file opened lazily over a ByteSource: one read for the header, then by range. */
export interface SafetensorsReader {
  header: SafetensorsHeader;
  source: ByteSource;
  /** Raw little-endian bytes of one tensor. */
  raw(name: string): Promise<Uint8Array>;
  /** A floating-point tensor's elements as f64 (F64, F32, F16, BF16; others are refused). */
  floats(name: string): Promise<Float64Array>;
  /** Any tensor's elements `[start, start + count)` (default: all) in the f64 viewing form (dtypes.ts). */
  view(name: string, start?: number, count?: number): Promise<Float64Array>;
  /**
   * The tensor's raw bytes in whole-element chunks of at most `chunkBytes` (default 4 MiB):
   * a tensor of any size is read with bounded memory.
   */
  chunks(name: string, chunkBytes?: number): AsyncGenerator<{ bytes: Uint8Array; firstElement: number }>;
  info(name: string): TensorInfo;
}

export const DEFAULT_CHUNK_BYTES = 4 << 20;

export async function openSafetensors(src: ByteSource): Promise<SafetensorsReader> {
  const file = src.name;
  if (src.size < 8) fail(`file is ${src.size} bytes; a safetensors file starts with an 8-byte header length`, { offset: 0, file });
  const first = await src.read(0, 8);
  const dv = new DataView(first.buffer, first.byteOffset, 8);
  const n = dv.getUint32(4, true) * 2 ** 32 + dv.getUint32(0, true);
  // Checked before the header is read, so a hostile length allocates nothing.
  if (n > SAFETENSORS_MAX_HEADER) fail(`header length ${exactU64(dv)} is over the limit of ${SAFETENSORS_MAX_HEADER} bytes`, { offset: 0, file });
  if (8 + n > src.size) fail(`header length ${n} runs past the end of the ${src.size}-byte file`, { offset: 0, file });
  const head = new Uint8Array(8 + n);
  head.set(first, 0);
  head.set(await src.read(8, n), 8);
  const header = parseSafetensorsHeader(head, src.size, file);
  const get = (name: string): TensorInfo => {
    const t = header.byName.get(name);
    if (!t) throw new AsxError('bad_input', `no tensor ${JSON.stringify(name)} in this file`, { path: `$[${JSON.stringify(name)}]`, file });
    return t;
  };
  const raw = async (name: string) => {
    const t = get(name);
    return src.read(header.dataStart + t.begin, t.end - t.begin);
  };
  return {
    header, source: src, raw,
    async floats(name) {
      const t = get(name);
      return decodeFloats(await raw(name), t.dtype, `$[${JSON.stringify(name)}]`, file);
    },
    async view(name, start = 0, count) {
      const t = get(name);
      const size = DTYPE_BYTES[t.dtype];
      const n = (t.end - t.begin) / size;
      const c = count ?? n - start;
      if (!Number.isSafeInteger(start) || !Number.isSafeInteger(c) || start < 0 || c < 0 || start + c > n) {
        throw new AsxError('bad_input', `elements ${start}..${start + c} are outside the tensor's ${n}`, { path: `$[${JSON.stringify(name)}]`, file });
      }
      // Whole groups (one element, or the bytes a run of sub-byte elements packs into).
      const g = dtypeGroup(t.dtype);
      const g0 = Math.floor(start / g.elements);
      const g1 = Math.ceil((start + c) / g.elements);
      const all = decodeView(await src.read(header.dataStart + t.begin + g0 * g.bytes, (g1 - g0) * g.bytes), t.dtype);
      const skip = start - g0 * g.elements;
      return skip === 0 && all.length === c ? all : all.slice(skip, skip + c);
    },
    async *chunks(name, chunkBytes = DEFAULT_CHUNK_BYTES) {
      const t = get(name);
      const g = dtypeGroup(t.dtype);
      const step = Math.max(1, Math.floor(chunkBytes / g.bytes)) * g.bytes;
      for (let at = t.begin; at < t.end; at += step) {
        const len = Math.min(step, t.end - at);
        yield { bytes: await src.read(header.dataStart + at, len), firstElement: ((at - t.begin) / g.bytes) * g.elements };
      }
    },
    info: get,
  };
}

export { f16ToNumber };

const f32scratch = new Float32Array(1);
const u32scratch = new Uint32Array(f32scratch.buffer);

/** bfloat16 → number (exact: the upper half of a float32). */
export function bf16ToNumber(b: number): number {
  u32scratch[0] = (b & 0xffff) << 16;
  return f32scratch[0];
}

/** number → bfloat16 bits, round to nearest even (NaN stays NaN). */
export function numberToBf16(x: number): number {
  f32scratch[0] = x;
  const u = u32scratch[0];
  if ((u & 0x7f800000) === 0x7f800000 && u & 0x7fffff) return (u >>> 16) | 0x40;
  return ((u + 0x7fff + ((u >>> 16) & 1)) >>> 16) & 0xffff;
}

export function decodeFloats(bytes: Uint8Array, dtype: Dtype, path?: string, file?: string): Float64Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = DTYPE_BYTES[dtype];
  const n = bytes.length / size;
  const out = new Float64Array(n);
  switch (dtype) {
    case 'F64': for (let i = 0; i < n; i++) out[i] = dv.getFloat64(8 * i, true); break;
    case 'F32': for (let i = 0; i < n; i++) out[i] = dv.getFloat32(4 * i, true); break;
    case 'F16': for (let i = 0; i < n; i++) out[i] = f16ToNumber(dv.getUint16(2 * i, true)); break;
    case 'BF16': {
      // The upper halves of float32s: widen in bulk through a Uint32Array over a Float32Array.
      const u32 = new Uint32Array(n);
      for (let i = 0; i < n; i++) u32[i] = (bytes[2 * i] | (bytes[2 * i + 1] << 8)) << 16;
      const f32 = new Float32Array(u32.buffer);
      for (let i = 0; i < n; i++) out[i] = f32[i];
      break;
    }
    default: throw new AsxError('bad_input', `tensor of dtype ${dtype} is not floating point`, { path, file });
  }
  return out;
}

/** What the writer needs of each tensor: name, dtype, shape (its bytes come separately). */
export interface TensorSpec { name: string; dtype: Dtype; shape: number[] }

const DTYPE_RANK = new Map(Object.keys(DTYPE_BYTES).map((d, i) => [d, i]));

/** UTF-8 byte order of two strings (code point order; UTF-16 order differs above U+FFFF). */
function compareUtf8Names(a: string, b: string): number {
  const ea = utf8(a);
  const eb = utf8(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) if (ea[i] !== eb[i]) return ea[i] - eb[i];
  return ea.length - eb.length;
}

/** The reference serializer's tensor order: dtype alignment descending, then name. */
export function referenceOrder<T extends TensorSpec>(specs: readonly T[]): T[] {
  return [...specs].sort((a, b) => (DTYPE_RANK.get(b.dtype)! - DTYPE_RANK.get(a.dtype)!) || compareUtf8Names(a.name, b.name));
}

/**
 * The header bytes (8-byte length + padded JSON) for tensors laid out one after another in the
 * given order (pass `referenceOrder(specs)` for the reference writer's layout). The data buffer
 * follows: tensor i at `offsets[i]` of the buffer.
 */
export function safetensorsHeaderBytes(specs: readonly TensorSpec[], metadata?: Record<string, string>): { bytes: Uint8Array; offsets: number[]; dataBytes: number } {
  const seen = new Set<string>();
  const parts: string[] = [];
  if (metadata) parts.push(`"__metadata__":${JSON.stringify(Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, String(v)])))}`);
  const offsets: number[] = [];
  let at = 0;
  for (const t of specs) {
    if (t.name === '__metadata__' || seen.has(t.name)) throw new AsxError('bad_input', `tensor name ${JSON.stringify(t.name)} is reserved or repeated`, { path: `$[${JSON.stringify(t.name)}]` });
    if (!Object.hasOwn(DTYPE_BYTES, t.dtype)) throw new AsxError('bad_input', `unknown dtype ${JSON.stringify(t.dtype)}`, { path: `$[${JSON.stringify(t.name)}].dtype` });
    seen.add(t.name);
    const bytes = elementCount(t.shape, `$[${JSON.stringify(t.name)}].shape`) * DTYPE_BYTES[t.dtype];
    if (!Number.isInteger(bytes)) throw new AsxError('bad_input', `shape ${JSON.stringify(t.shape)} of ${t.dtype} is not a whole number of bytes`, { path: `$[${JSON.stringify(t.name)}].shape` });
    offsets.push(at);
    parts.push(`${JSON.stringify(t.name)}:{"dtype":"${t.dtype}","shape":${JSON.stringify(t.shape)},"data_offsets":[${at},${at + bytes}]}`);
    at += bytes;
  }
  const json = utf8(`{${parts.join(',')}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  const bytes = new Uint8Array(8 + padded).fill(0x20, 8 + json.length);
  const dv = new DataView(bytes.buffer);
  dv.setUint32(0, padded % 2 ** 32, true);
  dv.setUint32(4, Math.floor(padded / 2 ** 32), true);
  bytes.set(json, 8);
  return { bytes, offsets, dataBytes: at };
}

/** Little-endian bytes of `values` as F64, F32 (round to nearest) or BF16 (round to nearest even). */
export function encodeFloats(values: ArrayLike<number>, dtype: 'F64' | 'F32' | 'BF16'): Uint8Array {
  const size = DTYPE_BYTES[dtype];
  const out = new Uint8Array(values.length * size);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) {
    if (dtype === 'F64') dv.setFloat64(8 * i, values[i], true);
    else if (dtype === 'F32') dv.setFloat32(4 * i, values[i], true);
    else dv.setUint16(2 * i, numberToBf16(values[i]), true);
  }
  return out;
}

/**
 * A whole safetensors file in memory, laid out as the reference writer lays it out (small files
 * and tests; large ones write `safetensorsHeaderBytes` and then the data, tensor by tensor).
 */
export function encodeSafetensors(tensorsIn: ReadonlyArray<TensorSpec & { data: Uint8Array }>, metadata?: Record<string, string>): Uint8Array {
  const tensors = referenceOrder(tensorsIn);
  const { bytes, offsets, dataBytes } = safetensorsHeaderBytes(tensors, metadata);
  const out = new Uint8Array(bytes.length + dataBytes);
  out.set(bytes, 0);
  tensors.forEach((t, i) => {
    const want = elementCount(t.shape, '') * DTYPE_BYTES[t.dtype];
    if (t.data.length !== want) throw new AsxError('bad_input', `tensor ${JSON.stringify(t.name)} has ${t.data.length} bytes, its shape needs ${want}`, { path: `$[${JSON.stringify(t.name)}]` });
    out.set(t.data, bytes.length + offsets[i]);
  });
  return out;
}
