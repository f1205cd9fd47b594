/**
 * Fuzz suite for the lazy safetensors reader and the sharded index reader (issue 10, "Bad input
 * and security"; docs/laws.md L-SAFETENSORS), in the style of src/core/pack/read.fuzz.test.ts.
 *
 *   npm run fuzz:ci                    100,000 cases (FUZZ_CASES=100000)
 *   npm run fuzz                       2,000,000 cases
 *   FUZZ_CASES=100000 npx vitest run --config vitest.fuzz.config.ts src/core/tensors
 *   FUZZ_SEED=0x1234 …                 another deterministic stream (FUZZ_SEED=random picks one)
 *   FUZZ_CASE=4711 FUZZ_SEED=… npx vitest run --config vitest.fuzz.config.ts src/core/tensors
 *                                      replay one case verbosely (prints its mutations and bytes)
 *
 * Seeds are real files from the writer (saveSafetensors / encodeSafetensors): no tensors,
 * metadata only, one F32, every dtype with scalar / zero-size / 3-d shapes, unicode and
 * integer-like names, 40 tensors; and hand-made valid files the writer would not make
 * (pretty-printed header with tabs and newlines, tensors listed out of offset order, a header
 * padded with trailing whitespace). Index seeds are `model.safetensors.index.json` documents
 * over two in-memory shards.
 *
 * Kinds of case:
 *  - bytes: 1–3 stacked byte-level mutations of a seed (bit flips, interesting bytes biased to
 *    the header, u64 header-length lies, truncation at every boundary kind, appends, splices);
 *  - header: 1–3 structural mutations of the seed's header as entries (dtype, shape, offsets,
 *    unknown/missing fields, duplicate keys, `__metadata__` shapes, non-object entries, number
 *    spellings, lone surrogates, invalid UTF-8, nesting around the 128-level limit, whitespace and
 *    BOM), re-serialized
 *    with a coherent or lying length, the data buffer kept, resized or refilled;
 *  - random: random bytes, bare or behind a plausible length and `{`;
 *  - index: mutated index documents (byte-level and structural) over valid or mutated shards.
 *
 * Oracles per case:
 *  1. openSafetensors either succeeds or throws an AsxError with code bad_safetensors, carrying
 *     a byte offset in [0, file size] or a JSON path; never another exception (index cases:
 *     bad_safetensors, bad_input or the opener's io_error; a path, an offset or a file).
 *  2. An accepted file is what the format says: tensors tile the data buffer exactly, each one
 *     numel × dtype size bytes, names unique, metadata strings; every tensor reads (raw, view,
 *     chunks) and its statistics add up (finite + NaN + ±Inf = elements; histogram = finite);
 *     the writer's re-serialization of the parsed header parses back to the same tensors.
 *  3. No single read is longer than the file and total bytes read ≤ 8 × file size + 256: the
 *     reader never allocates or reads on a length it has not checked against the file.
 *  4. Time per case is tracked; the slowest case, replayed alone, must be fast.
 */
import { describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AsxError } from '../errors.ts';
import { bytesSource, type ByteSource } from '../bytes/source.ts';
import { utf8 } from '../bytes/utf8.ts';
import { toHex } from '../bytes/hex.ts';
import {
  DTYPE_BYTES, encodeSafetensors, openSafetensors, safetensorsHeaderBytes, SAFETENSORS_MAX_HEADER, type Dtype, type SafetensorsReader,
} from './safetensors.ts';
import { saveSafetensors } from './write.ts';
import { tensorStats } from './stats.ts';
import { openSharded, parseSafetensorsIndex } from './sharded.ts';
import { FuzzRng } from '../testing/fuzz-rng.ts';

// ---------------------------------------------------------------------------------------
// Configuration

const CASES = Math.max(1, Number(process.env.FUZZ_CASES ?? 3000));
const SEED = parseSeed(process.env.FUZZ_SEED);
const ONLY_CASE = process.env.FUZZ_CASE !== undefined ? Number(process.env.FUZZ_CASE) : undefined;
/**
 * FUZZ_DUMP=DIR: also write each file case as DIR/<case>.bin, our verdict to DIR/verdicts.jsonl
 * and, for accepted files, our writer's bytes for the same tensors (no metadata) as
 * DIR/<case>.ours: src/core/tensors/reference-check.py compares them with the reference.
 */
const DUMP = process.env.FUZZ_DUMP;
const MAX_CASE_MS = 2000;
const MAX_REPLAY_MS = 250;
const READ_MULTIPLE = 8;
const READ_SLACK = 256;

function parseSeed(s: string | undefined): number {
  if (s === undefined || s === '') return 0x5afe2026;
  if (s === 'random') return (Math.random() * 2 ** 32) >>> 0;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new Error(`FUZZ_SEED must be a number, 0x… or "random", got ${s}`);
  return n >>> 0;
}

// ---------------------------------------------------------------------------------------
// Deterministic PRNG (as in the pack fuzz suite): splitmix32 seeds sfc32; case i has its own stream.


// ---------------------------------------------------------------------------------------
// Seeds

/** A header as entries: key → JSON value (kept as a value, so duplicates and order are ours to choose). */
type Entry = [string, unknown];

interface Seed {
  name: string;
  bytes: Uint8Array;
  entries: Entry[];
  data: Uint8Array;
}

// Whole-byte dtypes for seeds and coherent mutations (F4/F6 need shapes that fill bytes; the
// dtype mutator still tries them through DTYPE_NAMES).
const DTYPES = (Object.keys(DTYPE_BYTES) as Dtype[]).filter((d) => Number.isInteger(DTYPE_BYTES[d]));

function headerLen(b: Uint8Array): number {
  const dv = new DataView(b.buffer, b.byteOffset, 8);
  return dv.getUint32(4, true) * 2 ** 32 + dv.getUint32(0, true);
}

function seedFrom(name: string, bytes: Uint8Array): Seed {
  const n = headerLen(bytes);
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  // Text order of the top-level keys: parse the JSON with a reviver-free scan (the seeds are ours).
  const obj = JSON.parse(text) as Record<string, unknown>;
  const keys = [...text.matchAll(/"((?:[^"\\]|\\.)*)"\s*:\s*\{/g)].map((m) => JSON.parse(`"${m[1]}"`) as string).filter((k) => Object.hasOwn(obj, k));
  const ordered = [...new Set(keys)];
  for (const k of Object.keys(obj)) if (!ordered.includes(k)) ordered.push(k);
  return { name, bytes, entries: ordered.map((k) => [k, obj[k]]), data: bytes.slice(8 + n) };
}

function handMade(entries: Entry[], data: Uint8Array, pretty: boolean, pad: string): Uint8Array {
  const text = pretty
    ? `{\n\t${entries.map(([k, v]) => `${JSON.stringify(k)} :\t${JSON.stringify(v, null, 1)}`).join(',\r\n\t')}\n}${pad}`
    : `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}${pad}`;
  const h = utf8(text);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function tensorData(rng: FuzzRng, dtype: Dtype, shape: number[]): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype];
  return rng.bytes(n);
}

function buildSeeds(): Seed[] {
  const rng = new FuzzRng(0xc0ffee, 7);
  const seeds: Seed[] = [];
  seeds.push(seedFrom('empty', encodeSafetensors([])));
  seeds.push(seedFrom('metadata-only', saveSafetensors([], { format: 'pt', 'ünï': 'cødé', empty: '' })));
  seeds.push(seedFrom('one-f32', saveSafetensors([{ name: 'attn.0', dtype: 'F32', shape: [1, 2, 3], data: tensorData(rng, 'F32', [1, 2, 3]) }])));
  const shapes = [[], [0, 3], [2, 3, 2], [5], [1, 1]];
  seeds.push(seedFrom('every-dtype', saveSafetensors(DTYPES.map((dtype, i) => {
    const shape = shapes[i % shapes.length];
    return { name: `t.${dtype.toLowerCase()}`, dtype, shape, data: tensorData(rng, dtype, shape) };
  }))));
  seeds.push(seedFrom('names', saveSafetensors(['0', '10', '2', 'ünïcødé', 'emoji-\u{1F600}', 'cjk-\u4e2d', 'q"uote\\slash', 'tab\tnl\n'].map((name, i) => {
    const dtype = DTYPES[(i * 5) % DTYPES.length];
    return { name, dtype, shape: [i % 3 + 1], data: tensorData(rng, dtype, [i % 3 + 1]) };
  }), null)));
  seeds.push(seedFrom('forty', saveSafetensors(Array.from({ length: 40 }, (_, i) => {
    const dtype = DTYPES[i % DTYPES.length];
    const shape = [i % 4, 2];
    return { name: `model.layers.${i}.weight`, dtype, shape, data: tensorData(rng, dtype, shape) };
  }))));
  // Valid files the writer would not make: pretty printed, out of offset order, trailing whitespace.
  {
    const a = tensorData(rng, 'F16', [3]); const b = tensorData(rng, 'I64', [2]); const c = tensorData(rng, 'BOOL', [4]);
    const entries: Entry[] = [
      ['c', { dtype: 'BOOL', shape: [4], data_offsets: [22, 26] }],
      ['__metadata__', { format: 'pt' }],
      ['a', { shape: [3], data_offsets: [0, 6], dtype: 'F16' }],
      ['b', { data_offsets: [6, 22], dtype: 'I64', shape: [2] }],
    ];
    const data = new Uint8Array([...a, ...b, ...c]);
    seeds.push(seedFrom('pretty-unordered', handMade(entries, data, true, ' \n\t ')));
    seeds.push(seedFrom('compact-unpadded', handMade(entries, data, false, '')));
  }
  for (const s of seeds) {
    // Every seed must open; fail loudly if the harness itself is wrong.
    void openSafetensors(bytesSource(s.bytes)).catch((e) => { throw new Error(`seed ${s.name} does not open: ${(e as Error).message}`); });
  }
  return seeds;
}

// Index seeds: two shards and a map over them.
const SHARD_A = saveSafetensors([{ name: 'a', dtype: 'F32', shape: [2], data: new Uint8Array(8) }, { name: 'b', dtype: 'BF16', shape: [3], data: Uint8Array.from([0, 0x3f, 0, 0x40, 0, 0x7f]) }]);
const SHARD_B = saveSafetensors([{ name: 'c', dtype: 'F8_E4M3', shape: [2, 2], data: Uint8Array.from([0x7e, 0x01, 0x7f, 0x38]) }]);
const SHARD_NAMES = ['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors'];
const INDEX_MAP: Entry[] = [['a', SHARD_NAMES[0]], ['b', SHARD_NAMES[0]], ['c', SHARD_NAMES[1]]];

// ---------------------------------------------------------------------------------------
// Byte-level mutators

function splice(b: Uint8Array, at: number, del: number, ins: Uint8Array): Uint8Array {
  at = Math.max(0, Math.min(at, b.length));
  del = Math.max(0, Math.min(del, b.length - at));
  const out = new Uint8Array(b.length - del + ins.length);
  out.set(b.subarray(0, at), 0);
  out.set(ins, at);
  out.set(b.subarray(at + del), at + ins.length);
  return out;
}

function setU64(b: Uint8Array, v: number): void {
  if (b.length < 8) return;
  const dv = new DataView(b.buffer, b.byteOffset, 8);
  dv.setUint32(0, v % 2 ** 32, true);
  dv.setUint32(4, Math.floor(v / 2 ** 32) % 2 ** 32, true);
}

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x20, 0x09, 0x0a, 0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x2d, 0x2e, 0x30, 0x39, 0x65, 0xc0, 0xc3, 0xed, 0xef, 0xf0, 0xf4];

interface Ctx { rng: FuzzRng; seed: Seed; b: Uint8Array; tags: string[] }

/** Boundaries worth cutting or splicing at: 0, 8, 9, header end, tensor starts/ends, file end. */
function boundaries(ctx: Ctx): number[] {
  const b = ctx.seed.bytes;
  const n = headerLen(b);
  const out = [0, 1, 7, 8, 9, 8 + n - 1, 8 + n, b.length - 1, b.length];
  for (const [, v] of ctx.seed.entries) {
    const off = (v as { data_offsets?: number[] }).data_offsets;
    if (off) out.push(8 + n + off[0], 8 + n + off[1]);
  }
  return out.filter((x) => x >= 0 && x <= ctx.b.length);
}

interface Mutator { name: string; weight: number; run(ctx: Ctx): void }

const BYTE_MUTATORS: Mutator[] = [
  { name: 'bitflip', weight: 10, run(ctx) {
    if (!ctx.b.length) return;
    const inHeader = ctx.rng.chance(0.8);
    const n = Math.min(headerLen(ctx.seed.bytes) + 8, ctx.b.length);
    const i = inHeader ? ctx.rng.int(n) : ctx.rng.int(ctx.b.length);
    ctx.b[i] ^= 1 << ctx.rng.int(8);
    ctx.tags.push(`flip@${i}`);
  } },
  { name: 'setbyte', weight: 10, run(ctx) {
    if (!ctx.b.length) return;
    const n = Math.min(headerLen(ctx.seed.bytes) + 8, ctx.b.length);
    const i = ctx.rng.chance(0.85) ? ctx.rng.int(n) : ctx.rng.int(ctx.b.length);
    ctx.b[i] = ctx.rng.chance(0.7) ? ctx.rng.pick(INTERESTING_BYTES) : ctx.rng.int(256);
    ctx.tags.push(`set@${i}`);
  } },
  { name: 'length', weight: 8, run(ctx) {
    const n = headerLen(ctx.b.length >= 8 ? ctx.b : ctx.seed.bytes);
    const v = ctx.rng.pick([
      0, 1, 2, n - 1, n + 1, n - 8, n + 8, ctx.b.length - 8, ctx.b.length - 7, ctx.b.length, SAFETENSORS_MAX_HEADER, SAFETENSORS_MAX_HEADER + 1,
      2 ** 32 + n, 2 ** 32 - 1, 2 ** 53, 2 ** 63, 2 ** 64 - 1, ctx.rng.u32(), ctx.rng.u32() * 2 ** 32 + ctx.rng.u32(),
    ]);
    setU64(ctx.b, Math.max(0, v));
    if (ctx.rng.chance(0.2) && ctx.b.length >= 8) ctx.b[7] = 0xff;
    ctx.tags.push(`len=${v}`);
  } },
  { name: 'truncate', weight: 6, run(ctx) {
    const at = ctx.rng.chance(0.6) ? ctx.rng.pick(boundaries(ctx)) : ctx.rng.int(ctx.b.length + 1);
    ctx.b = ctx.b.slice(0, at);
    ctx.tags.push(`cut@${at}`);
  } },
  { name: 'append', weight: 5, run(ctx) {
    const n = ctx.rng.pick([1, 2, 7, 8, 16, ctx.rng.range(1, 200)]);
    ctx.b = splice(ctx.b, ctx.b.length, 0, ctx.rng.chance(0.5) ? ctx.rng.bytes(n) : new Uint8Array(n));
    ctx.tags.push(`+${n}`);
  } },
  { name: 'splice', weight: 6, run(ctx) {
    const at = ctx.rng.chance(0.5) ? ctx.rng.pick(boundaries(ctx)) : ctx.rng.int(ctx.b.length + 1);
    const n = ctx.rng.range(1, 16);
    if (ctx.rng.chance(0.5)) ctx.b = splice(ctx.b, at, 0, ctx.rng.chance(0.5) ? ctx.rng.bytes(n) : new Uint8Array(n).fill(0x20));
    else ctx.b = splice(ctx.b, at, n, new Uint8Array(0));
    // Keep the length coherent sometimes, so the change reaches the JSON and the offsets.
    if (ctx.rng.chance(0.5) && ctx.b.length >= 8 && at >= 8 && at < 8 + headerLen(ctx.seed.bytes)) setU64(ctx.b, Math.max(0, headerLen(ctx.b) + (ctx.b.length - ctx.seed.bytes.length)));
    ctx.tags.push(`splice@${at}`);
  } },
  { name: 'textswap', weight: 6, run(ctx) {
    // Replace one occurrence of a JSON token in the header text with another spelling.
    const n = headerLen(ctx.seed.bytes);
    if (ctx.b.length < 8 + n) return;
    const text = new TextDecoder().decode(ctx.b.subarray(8, 8 + n));
    const swaps: Array<[RegExp, string[]]> = [
      [/\d+/g, ['1.0', '1e0', '-0', '-1', '01', '9007199254740993', '1e400', '18446744073709551616', '0x10', 'NaN', '""', 'null', '[]']],
      [/"F32"|"BF16"|"U8"|"I64"|"F8_E4M3"|"BOOL"/g, ['"f32"', '"F8_E8M0"', '"F4"', '"C64"', '"Q4_0"', '""', '1', 'null', '"F32 "']],
      [/"dtype"|"shape"|"data_offsets"/g, ['"Dtype"', '"offsets"', '"dtype"', '"shape"', '"data_offsets"', '"__proto__"']],
      [/,/g, [',,', '', ' , ', ']']],
      [/[[\]]/g, ['', '[[', ']]', '{', '}']],
    ];
    const [re, alts] = ctx.rng.pick(swaps);
    const hits = [...text.matchAll(re)];
    if (!hits.length) return;
    const h = ctx.rng.pick(hits);
    const rep = ctx.rng.pick(alts);
    const nt = utf8(text.slice(0, h.index) + rep + text.slice(h.index! + h[0].length));
    const out = new Uint8Array(8 + nt.length + (ctx.b.length - 8 - n));
    out.set(nt, 8);
    out.set(ctx.b.subarray(8 + n), 8 + nt.length);
    setU64(out, nt.length);
    ctx.b = out;
    ctx.tags.push(`swap ${JSON.stringify(h[0])}→${JSON.stringify(rep)}`);
  } },
];

// ---------------------------------------------------------------------------------------
// Structural header mutators (on entries; the file is rebuilt afterwards)

interface HCtx { rng: FuzzRng; entries: Entry[]; data: Uint8Array; tags: string[]; raw: string[] }

const WEIRD_VALUES: unknown[] = [-1, 1.5, 2 ** 53, 2 ** 53 + 2, 1e300, '2', null, true, [], {}, 4294967296, 2 ** 32 - 1, 0];
const DTYPE_NAMES: unknown[] = [...DTYPES, 'F8_E8M0', 'F4', 'F6_E2M3', 'C64', 'Q4', '', 'f32', 'F32\u0000', 1, null, ['F32']];

function tensorEntries(h: HCtx): Array<Record<string, unknown>> {
  return h.entries.filter(([k, v]) => k !== '__metadata__' && typeof v === 'object' && v !== null && !Array.isArray(v)).map(([, v]) => v as Record<string, unknown>);
}

const HEADER_MUTATORS: Array<{ name: string; weight: number; run(h: HCtx): void }> = [
  { name: 'dtype', weight: 8, run(h) { const ts = tensorEntries(h); if (ts.length) h.rng.pick(ts).dtype = h.rng.pick(DTYPE_NAMES); } },
  { name: 'dtype-coherent', weight: 6, run(h) {
    // A dtype change with the offsets fixed up, so the file still tiles: reaches decode and stats.
    const ts = tensorEntries(h); if (!ts.length) return;
    const t = h.rng.pick(ts);
    t.dtype = h.rng.pick(DTYPES);
    relayout(h);
  } },
  { name: 'shape', weight: 8, run(h) {
    const ts = tensorEntries(h); if (!ts.length) return;
    const t = h.rng.pick(ts);
    const s = Array.isArray(t.shape) ? [...t.shape] : [];
    const k = h.rng.int(5);
    if (k === 0 && s.length) s[h.rng.int(s.length)] = h.rng.pick(WEIRD_VALUES);
    else if (k === 1) s.push(h.rng.pick([0, 1, 2, 2 ** 31, 2 ** 40]));
    else if (k === 2) s.pop();
    else if (k === 3) t.shape = h.rng.pick([[2 ** 32, 2 ** 32, 2 ** 32], [2 ** 26, 2 ** 27], 'x', null, {}, [[1]]]);
    else { s.push(h.rng.range(0, 3)); t.shape = s; relayout(h); return; }
    if (k !== 3) t.shape = s;
  } },
  { name: 'offsets', weight: 10, run(h) {
    const ts = tensorEntries(h); if (!ts.length) return;
    const t = h.rng.pick(ts);
    const o = Array.isArray(t.data_offsets) ? [...(t.data_offsets as unknown[])] : [0, 0];
    const k = h.rng.int(7);
    if (k === 0) o.reverse();
    else if (k === 1) o[h.rng.int(2)] = (o[0] as number) + h.rng.pick([-1, 1, -8, 8]);
    else if (k === 2) o[h.rng.int(2)] = h.rng.pick(WEIRD_VALUES);
    else if (k === 3) o.push(0);
    else if (k === 4) o.pop();
    else if (k === 5) { const d = h.rng.pick([1, 2, 4, 8]); o[0] = (o[0] as number) + d; o[1] = (o[1] as number) + d; }
    else t.data_offsets = h.rng.pick([null, 'x', {}, [0, 2 ** 64], [2 ** 53, 2 ** 53]]);
    if (k !== 6) t.data_offsets = o;
  } },
  { name: 'field', weight: 5, run(h) {
    const ts = tensorEntries(h); if (!ts.length) return;
    const t = h.rng.pick(ts);
    if (h.rng.chance(0.5)) t[h.rng.pick(['extra', 'offsets', 'Dtype', 'name', 'dtype '])] = h.rng.pick(WEIRD_VALUES);
    else delete t[h.rng.pick(['dtype', 'shape', 'data_offsets'])];
  } },
  { name: 'entry', weight: 6, run(h) {
    if (!h.entries.length) return;
    const i = h.rng.int(h.entries.length);
    const k = h.rng.int(5);
    if (k === 0) h.entries[i] = [h.entries[i][0], h.rng.pick([null, 1, 'x', [], [1, 2, 3], true])];
    else if (k === 1) h.entries.splice(i, 1); // a gap (or nothing, for metadata)
    else if (k === 2) h.entries.push([h.entries[i][0], structuredClone(h.entries[i][1])]); // duplicate key
    else if (k === 3) h.entries[i] = [h.rng.pick(['__metadata__', '', '\u0000', 'a'.repeat(300), h.entries[(i + 1) % h.entries.length][0]]), h.entries[i][1]];
    else { const j = h.rng.int(h.entries.length); [h.entries[i], h.entries[j]] = [h.entries[j], h.entries[i]]; }
  } },
  { name: 'add-tensor', weight: 5, run(h) {
    const dtype = h.rng.pick(DTYPES);
    const len = h.rng.range(0, 3);
    const end = h.data.length;
    const at = h.rng.chance(0.7) ? end : h.rng.int(end + 1);
    h.entries.push([`new${h.rng.int(100)}`, { dtype, shape: [len], data_offsets: [at, at + len * DTYPE_BYTES[dtype]] }]);
    if (at === end && h.rng.chance(0.8)) h.data = new Uint8Array([...h.data, ...h.rng.bytes(len * DTYPE_BYTES[dtype])]);
  } },
  { name: 'metadata', weight: 6, run(h) {
    const v = h.rng.pick<unknown>([{ a: 1 }, { a: null }, { a: ['x'] }, { a: { b: 'c' } }, [], 'pt', null, 1, {}, { format: 'pt', 'ünï': '\u{1F600}' }, { '': '' }]);
    const i = h.entries.findIndex(([k]) => k === '__metadata__');
    if (i >= 0 && h.rng.chance(0.7)) h.entries[i] = ['__metadata__', v]; else h.entries.splice(h.rng.int(h.entries.length + 1), 0, ['__metadata__', v]);
  } },
  { name: 'raw', weight: 8, run(h) {
    // Text-level additions the entry model cannot express; applied at serialization.
    h.raw.push(h.rng.pick(['bom', 'lead-space', 'trail-nul', 'trail-garbage', 'lone-surrogate', 'bad-utf8', 'deep', 'array-top', 'string-top', 'dup-inner', 'escape-key', 'big-ws']));
  } },
];

/** Re-tile the tensors with valid offsets (in entry order) and resize the data buffer to match. */
function relayout(h: HCtx): void {
  let at = 0;
  for (const t of tensorEntries(h)) {
    if (typeof t.dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, t.dtype) || !Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0 && d < 64)) continue;
    const n = (t.shape as number[]).reduce((a, b) => a * b, 1) * DTYPE_BYTES[t.dtype as Dtype];
    t.data_offsets = [at, at + n];
    at += n;
  }
  if (at !== h.data.length) { const d = new Uint8Array(at); d.set(h.data.subarray(0, at)); if (at > h.data.length) d.set(h.rng.bytes(at - h.data.length), h.data.length); h.data = d; }
}

function serializeHeader(h: HCtx): Uint8Array {
  const parts = h.entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  if (h.raw.includes('dup-inner') && parts.length) parts[0] = parts[0].replace(/\{"dtype":("[^"]*")/, '{"dtype":$1,"dtype":$1');
  if (h.raw.includes('escape-key') && parts.length) parts[0] = parts[0].replace(/^"(.)/, (_, c: string) => `"\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  let text = `{${parts.join(h.raw.includes('big-ws') ? ' ,\n\t\r ' : ',')}}`;
  if (h.raw.includes('lone-surrogate')) text = text.replace(/^\{"/, '{"\\ud800');
  if (h.raw.includes('deep')) { const d = h.rng.pick([100, 126, 127, 128, 129, 5000]); text = text.replace(/^\{/, `{"deep":${'['.repeat(d)}${h.rng.pick(['', '1.5', '"x"'])}${']'.repeat(d)},`); }
  if (h.raw.includes('array-top')) text = `[${text}]`;
  if (h.raw.includes('string-top')) text = JSON.stringify(text);
  if (h.raw.includes('lead-space')) text = ` ${text}`;
  if (h.raw.includes('trail-garbage')) text += ' x';
  let b = utf8(text);
  if (h.raw.includes('bom')) b = new Uint8Array([0xef, 0xbb, 0xbf, ...b]);
  if (h.raw.includes('trail-nul')) b = new Uint8Array([...b, 0]);
  if (h.raw.includes('bad-utf8') && b.length > 2) { b = b.slice(); b[1 + h.rng.int(b.length - 2)] = h.rng.pick([0xff, 0xc0, 0x80, 0xed]); }
  return b;
}

// ---------------------------------------------------------------------------------------
// The harness

class OracleError extends Error {}

class GuardedSource implements ByteSource {
  bytesRead = 0;
  maxRead = 0;
  constructor(private readonly inner: ByteSource, private readonly budget: number) {}
  get size(): number { return this.inner.size; }
  get name(): string | undefined { return this.inner.name; }
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (length > this.inner.size) throw new OracleError(`read of ${length} bytes from a ${this.inner.size}-byte file`);
    const b = await this.inner.read(offset, length);
    this.bytesRead += b.length;
    if (b.length > this.maxRead) this.maxRead = b.length;
    if (this.bytesRead > this.budget) throw new OracleError(`read ${this.bytesRead} bytes in total from a ${this.inner.size}-byte file (budget ${this.budget})`);
    return b;
  }
}

function checkThrown(e: unknown, size: number, stage: string, codes: readonly string[]): string {
  if (e instanceof OracleError) throw e;
  if (!(e instanceof AsxError)) throw new OracleError(`${stage} threw a non-AsxError: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message ?? String(e)}`);
  if (!codes.includes(e.code)) throw new OracleError(`${stage} threw AsxError ${e.code}, not one of ${codes.join('/')} (where=${JSON.stringify(e.where)}): ${e.message}`);
  const off = e.where.offset;
  const hasOffset = off !== undefined && Number.isSafeInteger(off) && off >= 0 && off <= size;
  if (off !== undefined && !hasOffset) throw new OracleError(`${stage} threw ${e.code} with offset ${off} outside [0, ${size}]`);
  if (!hasOffset && !e.where.path && !(codes !== OPEN_CODES && e.where.file)) throw new OracleError(`${stage} threw ${e.code} without a location (where=${JSON.stringify(e.where)}): ${e.message}`);
  return e.code;
}

const OPEN_CODES = ['bad_safetensors'] as const;
const INDEX_CODES = ['bad_safetensors', 'bad_input', 'io_error'] as const;

/** Everything an accepted file promises (oracle 2). */
async function checkAccepted(r: SafetensorsReader, b: Uint8Array, rng: FuzzRng): Promise<void> {
  const h = r.header;
  if (h.dataStart !== 8 + headerLen(b)) throw new OracleError(`dataStart ${h.dataStart} is not 8 + N`);
  if (h.dataBytes !== b.length - h.dataStart) throw new OracleError('dataBytes is not the rest of the file');
  const names = new Set<string>();
  const sorted = [...h.tensors].sort((x, y) => x.begin - y.begin || x.end - y.end);
  let at = 0;
  for (const t of sorted) {
    if (names.has(t.name) || t.name === '__metadata__') throw new OracleError(`tensor name ${JSON.stringify(t.name)} accepted twice or reserved`);
    names.add(t.name);
    if (!Object.hasOwn(DTYPE_BYTES, t.dtype)) throw new OracleError(`unknown dtype ${t.dtype} accepted`);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new OracleError(`shape ${JSON.stringify(t.shape)} accepted`);
    const n = t.shape.reduce((x, y) => x * y, 1);
    if (n * DTYPE_BYTES[t.dtype] !== t.end - t.begin) throw new OracleError(`tensor ${t.name} is ${t.end - t.begin} bytes, numel × size is ${n * DTYPE_BYTES[t.dtype]}`);
    if (t.begin !== at) throw new OracleError(`tensor ${t.name} begins at ${t.begin}, not ${at}: a gap or overlap was accepted`);
    at = t.end;
  }
  if (at !== h.dataBytes) throw new OracleError(`tensors cover ${at} of ${h.dataBytes} data bytes`);
  if (h.metadata) for (const [k, v] of Object.entries(h.metadata)) if (typeof v !== 'string') throw new OracleError(`metadata ${k} is not a string`);
  // Every tensor reads; statistics add up.
  for (const t of h.tensors) {
    const raw = await r.raw(t.name);
    if (raw.length !== t.end - t.begin) throw new OracleError(`raw(${t.name}) gave ${raw.length} bytes`);
    const n = (t.end - t.begin) / DTYPE_BYTES[t.dtype];
    if (rng.chance(0.3)) { const v = await r.view(t.name); if (v.length !== n) throw new OracleError(`view(${t.name}) gave ${v.length} of ${n} elements`); }
    const s = await tensorStats(r, t.name, { bins: rng.pick([1, 3, 16]), chunkBytes: rng.pick([1, 3, 8, 64, 1 << 20]) });
    if (s.finite + s.nan + s.posInf + s.negInf !== n) throw new OracleError(`stats of ${t.name} count ${s.finite + s.nan + s.posInf + s.negInf} of ${n} elements`);
    if (s.histogram && s.histogram.counts.reduce((x, y) => x + y, 0) !== s.finite) throw new OracleError(`histogram of ${t.name} does not add up to its finite count`);
  }
  // The writer's re-serialization of what was parsed (offset order) parses back to the same tensors.
  if (rng.chance(0.25)) {
    const hb = safetensorsHeaderBytes(sorted, h.metadata ?? undefined);
    const again = new Uint8Array(hb.bytes.length + h.dataBytes);
    again.set(hb.bytes);
    again.set(b.subarray(h.dataStart), hb.bytes.length);
    const r2 = await openSafetensors(bytesSource(again));
    const sig = (x: SafetensorsReader) => JSON.stringify([...x.header.tensors].sort((p, q) => p.begin - q.begin || p.end - q.end || (p.name < q.name ? -1 : p.name > q.name ? 1 : 0)).map((t) => [t.name, t.dtype, t.shape, t.begin, t.end]));
    if (sig(r2) !== sig(r) || JSON.stringify(r2.header.metadata) !== JSON.stringify(h.metadata)) throw new OracleError('re-serialized header parses differently');
  }
}

interface Outcome { result: string; stage: string }

async function runFileCase(b: Uint8Array, rng: FuzzRng, dumpAs?: number): Promise<Outcome & { bytesRead: number }> {
  const src = new GuardedSource(bytesSource(b, 'fuzz.safetensors'), READ_MULTIPLE * b.length + READ_SLACK);
  let r: SafetensorsReader;
  try { r = await openSafetensors(src); } catch (e) {
    const code = checkThrown(e, b.length, 'openSafetensors', OPEN_CODES);
    if (DUMP && dumpAs !== undefined) dumpCase(dumpAs, b, { ok: false, message: (e as Error).message });
    return { result: code, stage: 'open', bytesRead: src.bytesRead };
  }
  await checkAccepted(r, b, rng);
  if (DUMP && dumpAs !== undefined) {
    const tensors = await Promise.all(r.header.tensors.map(async (t) => ({ name: t.name, dtype: t.dtype, shape: t.shape, data: (await r.raw(t.name)).slice() })));
    dumpCase(dumpAs, b, { ok: true, metadata: r.header.metadata }, saveSafetensors(tensors, null));
  }
  return { result: 'ok', stage: 'ok', bytesRead: src.bytesRead };
}

function dumpCase(c: number, b: Uint8Array, verdict: Record<string, unknown>, ours?: Uint8Array): void {
  mkdirSync(DUMP!, { recursive: true });
  writeFileSync(join(DUMP!, `${c}.bin`), b);
  if (ours) writeFileSync(join(DUMP!, `${c}.ours`), ours);
  appendFileSync(join(DUMP!, 'verdicts.jsonl'), JSON.stringify({ case: c, ...verdict }) + '\n');
}

async function runIndexCase(indexBytes: Uint8Array, shards: Map<string, Uint8Array>, rng: FuzzRng): Promise<Outcome> {
  let idx;
  try { idx = parseSafetensorsIndex(indexBytes, 'model.safetensors.index.json'); } catch (e) { return { result: checkThrown(e, indexBytes.length, 'parseSafetensorsIndex', INDEX_CODES), stage: 'index' }; }
  for (const f of idx.files) if (/[/\\:\0]/.test(f) || f === '..' || f === '.' || f === '') throw new OracleError(`shard name ${JSON.stringify(f)} accepted`);
  const s = openSharded(idx, async (name) => {
    const bytes = shards.get(name);
    if (!bytes) throw new AsxError('io_error', 'no such file', { file: name });
    return new GuardedSource(bytesSource(bytes, name), READ_MULTIPLE * bytes.length + READ_SLACK);
  }, 'model.safetensors.index.json');
  try {
    const readers = await s.openAll();
    // Accepted: every name opens in the shard the map names, and every shard tensor is mapped to it.
    for (const name of idx.names) {
      const { reader, info, file } = await s.open(name);
      if (file !== idx.weightMap.get(name) || info.name !== name || !reader.header.byName.has(name)) throw new OracleError(`tensor ${name} opened from the wrong shard`);
      if (rng.chance(0.3)) await reader.view(name);
    }
    for (const [k, r] of readers.entries()) for (const t of r.header.tensors) if (idx.weightMap.get(t.name) !== idx.files[k]) throw new OracleError(`tensor ${t.name} of ${idx.files[k]} is not mapped to it`);
    return { result: 'ok', stage: 'ok' };
  } catch (e) {
    return { result: checkThrown(e, Infinity, 'openSharded', INDEX_CODES), stage: 'shards' };
  }
}

// ---------------------------------------------------------------------------------------
// Cases

type Case =
  | { kind: 'file'; rng: FuzzRng; seed: string; b: Uint8Array; tags: string[] }
  | { kind: 'index'; rng: FuzzRng; seed: string; b: Uint8Array; shards: Map<string, Uint8Array>; tags: string[] };

const BYTE_TOTAL = BYTE_MUTATORS.reduce((s, m) => s + m.weight, 0);
const HEADER_TOTAL = HEADER_MUTATORS.reduce((s, m) => s + m.weight, 0);
function pickWeighted<T extends { weight: number }>(rng: FuzzRng, xs: readonly T[], total: number): T {
  let x = rng.int(total);
  for (const m of xs) { if (x < m.weight) return m; x -= m.weight; }
  return xs[0];
}

function mutateBytes(rng: FuzzRng, seed: Seed, tags: string[]): Uint8Array {
  const ctx: Ctx = { rng, seed, b: seed.bytes.slice(), tags };
  const k = rng.pick([1, 1, 1, 2, 2, 3]);
  for (let i = 0; i < k; i++) { const m = pickWeighted(rng, BYTE_MUTATORS, BYTE_TOTAL); tags.push(m.name); m.run(ctx); }
  return ctx.b;
}

function mutateHeader(rng: FuzzRng, seed: Seed, tags: string[]): Uint8Array {
  const h: HCtx = { rng, entries: structuredClone(seed.entries), data: seed.data.slice(), tags, raw: [] };
  const k = rng.pick([1, 1, 2, 2, 3]);
  for (let i = 0; i < k; i++) { const m = pickWeighted(rng, HEADER_MUTATORS, HEADER_TOTAL); tags.push(m.name); m.run(h); }
  if (h.raw.length) tags.push(...h.raw);
  let hb = serializeHeader(h);
  const padTo8 = rng.chance(0.6);
  if (padTo8) { const p = (8 - (hb.length % 8)) % 8; hb = new Uint8Array([...hb, ...new Uint8Array(p).fill(0x20)]); }
  const out = new Uint8Array(8 + hb.length + h.data.length);
  out.set(hb, 8);
  out.set(h.data, 8 + hb.length);
  const lie = rng.chance(0.1) ? rng.pick([-1, 1, 8, -8, 2 ** 32]) : 0;
  setU64(out, Math.max(0, hb.length + lie));
  if (lie) tags.push(`len${lie > 0 ? '+' : ''}${lie}`);
  return out;
}

function randomBytes(rng: FuzzRng, tags: string[]): Uint8Array {
  const n = rng.pick([0, 1, 7, 8, 9, 16, rng.range(0, 300)]);
  const b = rng.bytes(n);
  if (n >= 10 && rng.chance(0.6)) { setU64(b, rng.range(1, n - 8)); b[8] = 0x7b; tags.push('len+{'); }
  return b;
}

function indexText(rng: FuzzRng, tags: string[]): Uint8Array {
  const map: Entry[] = structuredClone(INDEX_MAP);
  const k = rng.int(9);
  if (k === 1) map[rng.int(map.length)][1] = rng.pick(['../x.safetensors', '/abs.safetensors', 'a\\b', 'C:x', '\\\\srv\\s', '..', '.', '', 'a\u0000b', 'x\ny', 'missing.safetensors', SHARD_NAMES[1 - (rng.int(2))]]);
  else if (k === 2) map.splice(rng.int(map.length), 1);
  else if (k === 3) map.push([rng.pick(['a', 'b', 'c', 'd', '__metadata__']), rng.pick(SHARD_NAMES)]);
  else if (k === 4) map[rng.int(map.length)][1] = rng.pick<unknown>([1, null, ['x'], {}, true]) as string;
  if (k) tags.push(`map${k}`);
  const body = map.map(([t, f]) => `${JSON.stringify(t)}:${JSON.stringify(f)}`).join(',');
  const md = rng.pick(['{"total_size":24}', '{}', 'null', '[1]', '"x"', '{"a":{"b":[1,{"c":2}]}}', '{"k":1,"k":2}']);
  let text = rng.chance(0.1) ? `{"weight_map":{${body}}}` : `{"metadata":${md},"weight_map":{${body}}}`;
  if (rng.chance(0.05)) text = text.replace('"weight_map"', '"weight_map":{},"weight_map"');
  if (rng.chance(0.05)) text = text.replace(/\}$/, ',"extra":1}');
  if (rng.chance(0.03)) text = `[${text}]`;
  let b = utf8(text);
  if (rng.chance(0.25)) {
    b = b.slice();
    const m = rng.int(3);
    if (m === 0 && b.length) b[rng.int(b.length)] = rng.pick(INTERESTING_BYTES);
    else if (m === 1) b = b.slice(0, rng.int(b.length + 1));
    else b = splice(b, rng.int(b.length + 1), 0, rng.bytes(rng.range(1, 8)));
    tags.push(`bytes${m}`);
  }
  return b;
}

function makeCase(seeds: Seed[], c: number): Case {
  const rng = new FuzzRng(SEED, c);
  const tags: string[] = [];
  const kind = rng.int(100);
  if (kind < 12) {
    const b = indexText(rng, tags);
    const shards = new Map<string, Uint8Array>([[SHARD_NAMES[0], SHARD_A], [SHARD_NAMES[1], SHARD_B]]);
    if (rng.chance(0.3)) {
      const which = rng.pick(SHARD_NAMES);
      const seed = seedFrom(which, shards.get(which)!);
      shards.set(which, rng.chance(0.5) ? mutateBytes(rng, seed, tags) : mutateHeader(rng, seed, tags));
      tags.push(`shard:${which}`);
    }
    return { kind: 'index', rng, seed: 'index', b, shards, tags };
  }
  if (kind < 20) return { kind: 'file', rng, seed: 'random', b: randomBytes(rng, tags), tags };
  const seed = seeds[rng.int(seeds.length)];
  const b = kind < 60 ? mutateBytes(rng, seed, tags) : mutateHeader(rng, seed, tags);
  return { kind: 'file', rng, seed: seed.name, b, tags };
}

async function runCase(cs: Case, c?: number): Promise<Outcome & { bytesRead?: number }> {
  return cs.kind === 'index' ? runIndexCase(cs.b, cs.shards, cs.rng) : runFileCase(cs.b, cs.rng, c);
}

interface Failure { message: string; caseIndex: number; seed: string; tags: string[]; hex: string }

describe('safetensors reader fuzz', () => {
  it(`mutated files and indexes fail only with typed, located errors (seed 0x${SEED.toString(16)}, ${ONLY_CASE ?? CASES} cases)`, async () => {
    const seeds = buildSeeds();
    for (const s of seeds) await openSafetensors(bytesSource(s.bytes));
    console.log(`[fuzz:safetensors] FUZZ_SEED=0x${SEED.toString(16)} cases=${ONLY_CASE !== undefined ? `only #${ONLY_CASE}` : CASES} seeds: ${seeds.map((s) => `${s.name}(${s.bytes.length}B)`).join(', ')}`);
    const outcomes = new Map<string, number>();
    const byTag = new Map<string, number>();
    const failures = new Map<string, Failure>();
    let failCount = 0, maxMs = 0, maxCase = -1, accepted = 0, maxReadRatio = 0;
    const first = ONLY_CASE ?? 0;
    const last = ONLY_CASE !== undefined ? ONLY_CASE + 1 : CASES;
    const t0 = performance.now();
    for (let c = first; c < last; c++) {
      const cs = makeCase(seeds, c);
      for (const t of cs.tags) if (/^[a-z-]+$/.test(t)) byTag.set(t, (byTag.get(t) ?? 0) + 1);
      const t = performance.now();
      try {
        const out = await runCase(cs, c);
        const key = `${cs.kind}:${out.stage}:${out.result}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (out.result === 'ok') accepted++;
        if (out.bytesRead !== undefined && cs.b.length) maxReadRatio = Math.max(maxReadRatio, out.bytesRead / cs.b.length);
      } catch (e) {
        failCount++;
        const message = e instanceof Error ? e.message : String(e);
        const key = message.replace(/\d+/g, 'N');
        if (!failures.has(key)) failures.set(key, { message, caseIndex: c, seed: cs.seed, tags: cs.tags, hex: toHex(cs.b.subarray(0, 512)) });
      }
      const ms = performance.now() - t;
      if (ms > maxMs) { maxMs = ms; maxCase = c; }
      if (ONLY_CASE !== undefined) console.log(`[fuzz:safetensors] case #${c} kind=${cs.kind} seed=${cs.seed} mutations=${JSON.stringify(cs.tags)} ${cs.b.length}B\n${toHex(cs.b)}`);
    }
    const secs = (performance.now() - t0) / 1000;
    const n = last - first;
    let replayMs = Infinity;
    if (maxCase >= 0) {
      for (let k = 0; k < 3; k++) {
        const cs = makeCase(seeds, maxCase);
        const t = performance.now();
        try { await runCase(cs); } catch { /* already recorded */ }
        replayMs = Math.min(replayMs, performance.now() - t);
      }
    }
    console.log(`[fuzz:safetensors] ${n} cases in ${secs.toFixed(1)} s = ${Math.round(n / secs)} cases/s; max ${maxMs.toFixed(1)} ms/case (case #${maxCase}, ${replayMs.toFixed(1)} ms when replayed alone); max bytes read ${maxReadRatio.toFixed(2)}× file size; accepted ${accepted}; oracle failures ${failCount}`);
    console.log(`[fuzz:safetensors] outcomes: ${[...outcomes.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    console.log(`[fuzz:safetensors] mutations: ${[...byTag.entries()].map(([k, v]) => `${k}=${v}`).join(' ')}`);
    for (const f of failures.values()) {
      console.log(`[fuzz:safetensors] FAILURE ${f.message}\n  replay: FUZZ_SEED=0x${SEED.toString(16)} FUZZ_CASE=${f.caseIndex} npx vitest run --config vitest.fuzz.config.ts src/core/tensors\n  seed=${f.seed} mutations=${JSON.stringify(f.tags)}`);
    }
    expect([...failures.values()].map((f) => `${f.message} [case #${f.caseIndex}, ${f.seed}, ${f.tags.join(' ')}]`)).toEqual([]);
    expect(maxMs).toBeLessThan(MAX_CASE_MS);
    expect(replayMs).toBeLessThan(MAX_REPLAY_MS);
  });
});
