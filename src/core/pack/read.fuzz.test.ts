/**
 * Fuzz suite for the lazy `weights.v2c-bin` reader (DESIGN addendum 8): mutated packs must
 * open, decode and verify, or fail with an AsxError from the closed code union carrying a
 * byte offset — never another exception, a hang, or an oversized read.
 *
 *   npm run fuzz:ci                    100,000 cases (FUZZ_CASES=100000)
 *   npm run fuzz                       2,000,000 cases
 *   FUZZ_SEED=0x1234 npm run fuzz:ci   another deterministic stream (FUZZ_SEED=random picks one)
 *   FUZZ_CASE=4711 FUZZ_SEED=… npx vitest run --config vitest.fuzz.config.ts
 *                                      replay one case verbosely (prints its mutations)
 *
 * Seeds are real packs from encodePack/buildPack: zero lanes, one lane, bare (no QSCALE,
 * AUDIT, MERKLE), unicode ids with lane audits + merkle + signature, >62 lanes (3-char
 * symbols), class-only audit, a signature without merkle, and a full ~5 KB built pack.
 * Each case stacks 1–3 mutations (bit flips, byte sets, truncation at every boundary kind,
 * lying header fields, coherent header lies, flag bits, trailing bytes, AUDIT Part B counts
 * and entries, non-canonical / non-UTF-8 / reordered DICT, INDEX symbol and offset lies,
 * DATA rewrites with recomputed leaf hashes, splices) and, sometimes, re-signs the result
 * so the mutant reaches the checks behind the signature.
 *
 * Oracles per case:
 *  1. openPack, getLane for every lane (plus one lookup by id) and verifyPack either succeed
 *     or throw an AsxError whose code is one of the union's pack-reading codes (PACK_CODES),
 *     with a byte offset in [0, file size] (no_such_lane never happens: only existing lanes
 *     are asked for).
 *  2. Report issues carry a code from the union and an offset.
 *  3. No single read is longer than the file; total bytes read ≤ 4 × file size + 256.
 *  4. Time per case is tracked; the maximum must stay under MAX_CASE_MS.
 *  5. Canonical acceptance: a pack that opens, decodes and verifies must equal the bytes
 *     re-serialized from what the reader parsed (so non-canonical DICT/AUDIT spellings,
 *     slack bytes etc. are rejected, not silently normalized).
 *  6. A mutant that verifies with a valid signature and was not re-signed by the fuzzer must
 *     be byte-identical to its seed (the signature covers every byte; nobody but the seed's
 *     key holder — here the fuzzer — can make a new valid one).
 */
import { describe, expect, it } from 'vitest';
import { AsxError, type AsxErrorCode } from '../errors.ts';
import { bytesSource, type ByteSource } from '../bytes/source.ts';
import { utf8 } from '../bytes/utf8.ts';
import { sha256 } from '../hash/sha256.ts';
import { encodePack, type LaneInput, type EncodeOptions } from './write.ts';
import { buildPack } from './build-pack.ts';
import { openPack, type PackReader } from './read.ts';
import { verifyPack, type VerifyOptions } from './verify.ts';
import { dictJson } from './dict.ts';
import { encodeAudit } from './audit.ts';
import { merkleRoot } from './merkle.ts';
import { publicKeyOf, signMessage, signatureMessage } from './sign.ts';
import { symbolFor } from './base62.ts';
import { toHex } from '../bytes/hex.ts';
import { CLASS_ORDER } from './classes.ts';
import { FORMAT_VERSION, HEADER_BYTES, MAGIC_BYTES, QSCALE_BYTES, SIGNATURE_BYTES, payloadBytes } from './layout.ts';
import { FuzzRng } from '../testing/fuzz-rng.ts';

// ---------------------------------------------------------------------------------------
// Configuration

const CASES = Math.max(1, Number(process.env.FUZZ_CASES ?? 3000));
const SEED = parseSeed(process.env.FUZZ_SEED);
const ONLY_CASE = process.env.FUZZ_CASE !== undefined ? Number(process.env.FUZZ_CASE) : undefined;
/** Generous: a case on these small seeds takes well under 10 ms; GC pauses stay far below. */
const MAX_CASE_MS = 2000;
/** The slowest case, replayed alone (no GC/JIT noise), must be fast: no input-driven blow-up. */
const MAX_REPLAY_MS = 250;
const READ_MULTIPLE = 4;
const READ_SLACK = 256;

function parseSeed(s: string | undefined): number {
  if (s === undefined || s === '') return 0x5eed2026;
  if (s === 'random') return (Math.random() * 2 ** 32) >>> 0;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new Error(`FUZZ_SEED must be a number, 0x… or "random", got ${s}`);
  return n >>> 0;
}

/**
 * The codes of the closed union (errors.ts) that reading a binary pack may produce
 * (addendum 8). `satisfies` keeps every entry a member of the union; the set is stricter than
 * "any code of the union": a reader throwing e.g. bad_json or usage is a bug too.
 */
const PACK_CODES = [
  'bad_magic', 'bad_version', 'truncated', 'section_overflow', 'unknown_flags', 'bad_dict', 'bad_index', 'bad_lane',
  'bad_qscale', 'bad_audit', 'leaf_mismatch', 'root_mismatch', 'bad_signature', 'unsigned', 'io_error',
] as const satisfies readonly AsxErrorCode[];
const CODES = new Set<string>(PACK_CODES);

// ---------------------------------------------------------------------------------------
// Deterministic PRNG: splitmix32 seeds sfc32; case i gets its own stream (replayable alone).


// ---------------------------------------------------------------------------------------
// Seed packs

const SIGN_KEY = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff);

interface Seed {
  name: string;
  bytes: Uint8Array;
  signed: boolean;
  r: PackReader;
  /** File offsets of INDEX entries and AUDIT Part B entries. */
  indexEntries: number[];
  auditEntries: number[];
  auditCountAt: number;
}

function lanesOf(ids: string[], dims: number, rng: FuzzRng, amp = 1.6): LaneInput[] {
  return ids.map((id) => ({ id, W: Array.from({ length: dims }, () => ((rng.u32() / 4294967296) * 2 - 1) * amp) }));
}

function realisticStreams(seed: number, n = 300): { policy: number[]; attention: number[]; value: number[] } {
  const rng = new FuzzRng(seed, 0);
  const noise = () => (rng.u32() / 4294967296 - 0.5) * 0.3;
  const mk = (f: number, ph: number) => Array.from({ length: n }, (_, i) => Math.round((Math.sin(i * f + ph) * 0.6 + noise()) * 1e4) / 1e4);
  return { policy: mk(0.05, 0), attention: mk(0.11, 1), value: mk(0.02, 2) };
}

async function makeSeed(name: string, bytes: Uint8Array, signed: boolean): Promise<Seed> {
  const r = await openPack(bytesSource(bytes));
  const rep = await verifyPack(r);
  if (!rep.ok) throw new Error(`seed ${name} does not verify: ${JSON.stringify(rep.issues)}`);
  const indexEntries: number[] = [];
  let o = HEADER_BYTES + r.header.dictBytes;
  for (let i = 0; i < r.header.laneCount; i++) { indexEntries.push(o); o += 1 + bytes[o] + 40; }
  const auditSec = r.sections.find((s) => s.name === 'AUDIT');
  const auditEntries: number[] = [];
  let auditCountAt = -1;
  if (auditSec && auditSec.length > 61) {
    auditCountAt = auditSec.offset + 61;
    let a = auditCountAt + 2;
    for (let k = 0; k < r.audit!.lanes.length; k++) { auditEntries.push(a); a += 1 + bytes[a] + 6; }
  }
  return { name, bytes, signed, r, indexEntries, auditEntries, auditCountAt };
}

async function buildSeeds(): Promise<Seed[]> {
  const rng = new FuzzRng(0xc0ffee, 99);
  const specs: Array<[string, LaneInput[], number, EncodeOptions]> = [
    ['zero-lanes', [], 8, { laneAudits: 0 }],
    ['zero-lanes-signed-bare', [], 4, { qscale: false, audit: false, signKey: SIGN_KEY }],
    ['one-lane', lanesOf(['policy'], 1, rng), 1, { laneAudits: 1, signKey: SIGN_KEY }],
    ['bare-3', lanesOf(['value', 'attention', 'policy@t0'], 4, rng), 4, { qscale: false, audit: false, merkle: false }],
    ['unicode-5', lanesOf(['policy', 'attention@t1', 'Zeta', 'ünïcødé', 'emoji-\u{1F600}', 'cjk-\u4e2d'], 16, rng), 16, { laneAudits: 3, signKey: SIGN_KEY }],
    ['many-70', lanesOf(Array.from({ length: 70 }, (_, i) => `policy@t${i}__x__attention@t${69 - i}`), 4, rng), 4, { laneAudits: 70, signKey: SIGN_KEY }],
    ['class-audit-10', lanesOf(['policy', 'attention', 'policy@early', 'a@t0__x__b@t1', 'a@row', 'x', 'y', 'z', 'policy@t*', 'value'], 6, rng, 3), 6, { tune: false }],
    ['sig-no-merkle-130', lanesOf(Array.from({ length: 130 }, (_, i) => `lane-${String(i).padStart(3, '0')}`), 2, rng), 2, { merkle: false, laneAudits: 5, signKey: SIGN_KEY }],
  ];
  const seeds: Seed[] = [];
  for (const [name, lanes, dims, opts] of specs) seeds.push(await makeSeed(name, encodePack(lanes, dims, opts).bytes, !!opts.signKey));
  const built = buildPack({ streams: realisticStreams(7), config: { pack: { signed: true, laneAudits: 8 } } }, { signKey: SIGN_KEY });
  seeds.push(await makeSeed(`built-${built.bytes.length}B`, built.bytes, true));
  return seeds;
}

// ---------------------------------------------------------------------------------------
// Helpers over raw bytes

function u16(b: Uint8Array, o: number): number { return o + 2 <= b.length ? b[o] | (b[o + 1] << 8) : 0; }
function u32(b: Uint8Array, o: number): number { return o + 4 <= b.length ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0 : 0; }
function put16(b: Uint8Array, o: number, v: number): void { if (o + 2 <= b.length) { b[o] = v & 0xff; b[o + 1] = (v >>> 8) & 0xff; } }
function put32(b: Uint8Array, o: number, v: number): void { if (o + 4 <= b.length) { b[o] = v & 0xff; b[o + 1] = (v >>> 8) & 0xff; b[o + 2] = (v >>> 16) & 0xff; b[o + 3] = (v >>> 24) & 0xff; } }
function fromHexStrict(h: string): Uint8Array { return Uint8Array.from(h.match(/../g)!.map((x) => parseInt(x, 16))); }
function splice(b: Uint8Array, at: number, del: number, ins: Uint8Array): Uint8Array {
  at = Math.max(0, Math.min(at, b.length));
  del = Math.max(0, Math.min(del, b.length - at));
  const out = new Uint8Array(b.length - del + ins.length);
  out.set(b.subarray(0, at), 0);
  out.set(ins, at);
  out.set(b.subarray(at + del), at + ins.length);
  return out;
}

/**
 * Re-sign (and optionally re-hash leaves and the merkle root) using the mutant's own header,
 * so a mutation behind the signature reaches the checks that follow. Best effort: when the
 * header no longer describes a layout that fits, the bytes are left as they are.
 */
function refresh(b: Uint8Array, opts: { leaves?: boolean; root?: boolean; sign?: boolean }): boolean {
  if (b.length < HEADER_BYTES) return false;
  const flags = u16(b, 10); const dims = u16(b, 12); const n = u16(b, 14);
  const dictB = u32(b, 16); const indexB = u32(b, 20); const dataB = u32(b, 24); const merkleB = u32(b, 28); const sigB = u32(b, 32);
  const dataStart = HEADER_BYTES + dictB + indexB;
  const dataEnd = dataStart + dataB;
  if (dataEnd + merkleB + sigB > b.length) return false;
  const pl = payloadBytes(dims);
  if (opts.leaves || opts.root) {
    const leaves: Uint8Array[] = [];
    let o = HEADER_BYTES + dictB;
    for (let i = 0; i < n; i++) {
      if (o >= dataStart) return false;
      const len = b[o];
      const hashAt = o + 1 + len + 8;
      if (hashAt + 32 > dataStart || (i + 1) * pl > dataB) return false;
      if (opts.leaves) b.set(sha256(b.subarray(dataStart + i * pl, dataStart + (i + 1) * pl)), hashAt);
      leaves.push(b.slice(hashAt, hashAt + 32));
      o = hashAt + 32;
    }
    if (opts.root && merkleB === 32 && n > 0) b.set(merkleRoot(leaves)!, b.length - sigB - 32);
  }
  if (opts.sign && (flags & 4) && sigB === SIGNATURE_BYTES) {
    const msg = signatureMessage(b.subarray(0, dataStart), b.subarray(dataEnd, b.length - SIGNATURE_BYTES));
    b.set(publicKeyOf(SIGN_KEY), b.length - 96);
    b.set(signMessage(SIGN_KEY, msg), b.length - 64);
  }
  return true;
}

/** Re-serialize what a reader parsed: equal to the input iff the input was canonical. */
async function reserialize(r: PackReader, original: Uint8Array): Promise<Uint8Array> {
  const h = r.header;
  const dict = utf8(dictJson(r.dict));
  const idxParts: number[] = [];
  for (const e of r.index) {
    const s = utf8(e.sym);
    idxParts.push(s.length, ...s);
    const tmp = new Uint8Array(8); put32(tmp, 0, e.offset); put32(tmp, 4, e.length);
    idxParts.push(...tmp, ...e.leafHash);
  }
  const index = Uint8Array.from(idxParts);
  const data = original.subarray(r.dataStart, r.dataStart + h.dataBytes);
  const q = new Uint8Array(r.hasQscale ? QSCALE_BYTES : 0);
  if (r.hasQscale) { const dv = new DataView(q.buffer); CLASS_ORDER.forEach((c, k) => dv.setFloat32(4 * k, r.scales[c], true)); }
  const audit = r.audit ? encodeAudit(r.audit) : new Uint8Array(0);
  const root = r.merkleRoot ?? new Uint8Array(0);
  const sig = r.publicKey && r.signature ? Uint8Array.from([...r.publicKey, ...r.signature]) : new Uint8Array(0);
  const head = new Uint8Array(HEADER_BYTES);
  head.set(MAGIC_BYTES, 0);
  put16(head, 8, FORMAT_VERSION); put16(head, 10, h.flags); put16(head, 12, h.dims); put16(head, 14, h.laneCount);
  put32(head, 16, dict.length); put32(head, 20, index.length); put32(head, 24, data.length); put32(head, 28, root.length); put32(head, 32, sig.length);
  const parts = [head, dict, index, data, q, audit, root, sig];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

// ---------------------------------------------------------------------------------------
// Mutators

interface Ctx { rng: FuzzRng; seed: Seed; b: Uint8Array; tags: string[]; resigned: boolean }

const HEADER_FIELDS: Array<[string, number, 2 | 4]> = [
  ['version', 8, 2], ['flags', 10, 2], ['dims', 12, 2], ['lane_count', 14, 2], ['dict_bytes', 16, 4],
  ['index_bytes', 20, 4], ['data_bytes', 24, 4], ['merkle_bytes', 28, 4], ['sig_bytes', 32, 4],
];
const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, 0xfe, 0x40 /* @ */, 0x22 /* " */, 0x5c /* \ */, 0x7b, 0x7d, 0x3a, 0x2c, 0x30, 0x7a, 0xc0, 0xed, 0xef];

function interestingValue(rng: FuzzRng, v: number, width: 2 | 4, size: number): number {
  const max = width === 2 ? 0xffff : 0xffffffff;
  const cands = [0, 1, 2, 3, v - 1, v + 1, v - 2, v + 2, v * 2, v >>> 1, max, max - 1, width === 2 ? 0x7fff : 0x7fffffff, width === 2 ? 0x8000 : 0x80000000,
    size, size - 1, size + 1, size - HEADER_BYTES, size - v, 32, 96, 61, 62, 64, 36, rng.u32(), rng.int(size + 2), v ^ (1 << rng.int(width * 8))];
  return (rng.pick(cands) >>> 0) % (max + 1);
}

/** Boundaries of every kind: sections, header fields, INDEX entries, AUDIT Part B entries, plus offsets around them. */
function boundaries(seed: Seed): number[] {
  const bs = new Set<number>([0, 1, 7, 8, 35, 36]);
  for (const [, o, w] of HEADER_FIELDS) { bs.add(o); bs.add(o + w); }
  for (const s of seed.r.sections) { bs.add(s.offset); bs.add(s.offset + s.length); }
  for (const o of seed.indexEntries) { bs.add(o); bs.add(o + 1); bs.add(o + 1 + seed.bytes[o] + 8); }
  for (const o of seed.auditEntries) { bs.add(o); bs.add(o + 1); }
  if (seed.auditCountAt >= 0) bs.add(seed.auditCountAt);
  return [...bs];
}
const boundaryCache = new WeakMap<Seed, number[]>();
function boundaryOf(ctx: Ctx): number {
  let bs = boundaryCache.get(ctx.seed);
  if (!bs) { bs = boundaries(ctx.seed); boundaryCache.set(ctx.seed, bs); }
  return bs[ctx.rng.int(bs.length)] + ctx.rng.range(-2, 2);
}

type Mutator = { name: string; phase: 0 | 1; weight: number; run(ctx: Ctx): void };

/** Position biased to the structured front and the tail sections, where the reader's logic lives. */
function position(ctx: Ctx): number {
  const { rng, b } = ctx;
  const r = rng.int(4);
  if (r === 0) return rng.int(Math.min(b.length, HEADER_BYTES));
  if (r === 1) return Math.max(0, Math.min(b.length - 1, boundaryOf(ctx)));
  return rng.int(b.length);
}

const dictText = (s: Seed): string => new TextDecoder().decode(s.bytes.subarray(HEADER_BYTES, HEADER_BYTES + s.r.header.dictBytes));

function replaceDict(ctx: Ctx, bytes: Uint8Array): void {
  const dl = u32(ctx.b, 16);
  if (HEADER_BYTES + dl > ctx.b.length) return;
  ctx.b = splice(ctx.b, HEADER_BYTES, dl, bytes);
  put32(ctx.b, 16, bytes.length);
}

/** Non-canonical, malformed, reordered and non-UTF-8 DICT spellings. */
function dictVariant(rng: FuzzRng, s: Seed): Uint8Array {
  const text = dictText(s);
  const ids = s.r.ids;
  const obj = (o: Record<string, unknown>) => utf8(JSON.stringify(o));
  const syms = ids.map((_, i) => symbolFor(i));
  const entries = () => syms.map((sym, i) => [sym, ids[i]] as [string, string]);
  const kind = rng.int(25);
  const withBytes = (at: number, ins: number[]): Uint8Array => { const t = utf8(text); return splice(t, Math.min(at, t.length), 0, Uint8Array.from(ins)); };
  const valueStart = (): number => { const t = utf8(text); const cands: number[] = []; for (let i = 0; i + 1 < t.length; i++) if (t[i] === 0x3a && t[i + 1] === 0x22) cands.push(i + 2); return cands.length ? rng.pick(cands) : 1; };
  switch (kind) {
    case 0: return utf8(JSON.stringify(Object.fromEntries(entries()), null, rng.pick([1, 2, '\t'])));
    case 1: return utf8(text + rng.pick(['\n', ' ', '\r\n', '\t']));
    case 2: return utf8(rng.pick([' ', '\n']) + text);
    case 3: return Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(text)]);
    case 4: return obj(Object.fromEntries(entries().reverse()));
    case 5: return utf8(text.replace(/"([a-z])/, (_m, c: string) => `"\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    case 6: return utf8(text.replace('"@0"', '"\\u00400"'));
    case 7: { // swap two ids: out of UTF-8 order
      if (ids.length < 2) return utf8(text.replace('}', ',"@1":"x"}'));
      const i = rng.int(ids.length - 1); const j = i + 1 + rng.int(ids.length - 1 - i);
      const e = entries(); [e[i][1], e[j][1]] = [e[j][1], e[i][1]]; return utf8(JSON.stringify(Object.fromEntries(e)));
    }
    case 8: return utf8(text.replace('"@0"', '"@00"'));
    case 9: return utf8(text.replace('{', `{"@${ids.length > 9 ? 'zz' : ids.length}":"extra",`));
    case 10: { const e = entries(); e.splice(rng.int(Math.max(1, e.length)), 1); return obj(Object.fromEntries(e)); }
    case 11: return utf8(text.replace('{', '{"@0":"dup",'));
    case 12: return utf8(text.replace(/:"[^"]*"/, rng.pick([':1', ':null', ':{}', ':[]', ':true', ':""', ':1e400', ':-0'])));
    case 13: return utf8(text.replace(/:"([^"]*)"/, ':"$1\\ud800"'));
    case 14: return utf8(text.replace(/:"([^"]*)"/, ':"\\udc00$1"'));
    case 15: return utf8('['.repeat(rng.pick([10, 1000, 100000])) + ']'.repeat(rng.chance(0.5) ? 0 : 10));
    case 16: return utf8(rng.pick(['[]', '"x"', '0', 'null', '', '{', '}', '{}', '{"@0":"a"', text.slice(0, -1), text + '}']));
    case 17: return withBytes(valueStart(), rng.pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80]]));
    case 18: return withBytes(valueStart(), [0x00]);
    case 19: return utf8(text.replace(/"(@[0-9A-Za-z]+)":/, '"$1" :'));
    case 20: return utf8(text.replace(/\\/g, '\\\\').replace(/"policy/, '"p\\olicy'));
    case 21: return utf8(text.replace(/:"([^"]*)"/, (_m, v: string) => `:"${v}\\/"`));
    case 23: return utf8(text.replace('"@0"', rng.pick(['"__proto__"', '"constructor"', '"toString"', '"@-0"', '"@0 "', '"@\\u0030"'])));
    case 22: return utf8(JSON.stringify(Object.fromEntries(entries().map(([k, v]) => [k, v.normalize('NFD')]))));
    default: { const t = utf8(text); const c = t.slice(); if (c.length) c[rng.int(c.length)] ^= 1 << rng.int(8); return c; }
  }
}

const MUTATORS: Mutator[] = [
  { name: 'bitflip', phase: 0, weight: 14, run(ctx) {
    const n = ctx.rng.pick([1, 1, 1, 2, 3, 8]);
    for (let k = 0; k < n; k++) { const p = position(ctx); ctx.b[p] ^= 1 << ctx.rng.int(8); }
  } },
  { name: 'byteset', phase: 0, weight: 10, run(ctx) {
    const n = ctx.rng.pick([1, 1, 2, 4]);
    for (let k = 0; k < n; k++) ctx.b[position(ctx)] = ctx.rng.chance(0.7) ? ctx.rng.pick(INTERESTING_BYTES) : ctx.rng.u32() & 0xff;
  } },
  { name: 'header-field', phase: 0, weight: 14, run(ctx) {
    const [name, o, w] = ctx.rng.pick(HEADER_FIELDS);
    const v = w === 2 ? u16(ctx.b, o) : u32(ctx.b, o);
    const nv = interestingValue(ctx.rng, v, w, ctx.b.length);
    if (w === 2) put16(ctx.b, o, nv); else put32(ctx.b, o, nv);
    ctx.tags.push(`${name}=${nv}`);
  } },
  { name: 'coherent-lie', phase: 0, weight: 6, run(ctx) {
    // Change one quantity and every field that depends on it, so the lie survives the cheap checks.
    const b = ctx.b; const n = u16(b, 14); const dims = u16(b, 12);
    const k = ctx.rng.int(4);
    if (k === 0) { // dims → d', data_bytes and INDEX byte_len/offset follow
      const d = ctx.rng.pick([1, dims - 1, dims + 1, dims * 2, 0xffff, 0x7fff]) & 0xffff;
      put16(b, 12, d); put32(b, 24, (n * payloadBytes(d)) >>> 0);
      for (let i = 0; i < ctx.seed.indexEntries.length; i++) { const o = ctx.seed.indexEntries[i] + 1 + b[ctx.seed.indexEntries[i]]; put32(b, o, i * payloadBytes(d)); put32(b, o + 4, payloadBytes(d)); }
      ctx.tags.push(`dims→${d}`);
    } else if (k === 1) { // lane_count ± 1 with data_bytes following
      const m = ctx.rng.pick([n - 1, n + 1, 0, 0xffff]) & 0xffff;
      put16(b, 14, m); put32(b, 24, (m * payloadBytes(dims)) >>> 0);
      ctx.tags.push(`lanes→${m}`);
    } else if (k === 2) { // flag bit toggled with its section length
      const bit = ctx.rng.pick([1, 2]);
      put16(b, 10, u16(b, 10) ^ (1 << bit));
      if (bit === 1) put32(b, 28, u32(b, 28) ? 0 : 32); else put32(b, 32, u32(b, 32) ? 0 : 96);
      ctx.tags.push(`flag${bit}+len`);
    } else { // index_bytes and dict_bytes trade bytes: sections shift but the total stays
      const d = ctx.rng.pick([-3, -1, 1, 2, 43, -43]);
      put32(b, 16, (u32(b, 16) + d) >>> 0); put32(b, 20, (u32(b, 20) - d) >>> 0);
      ctx.tags.push(`dict↔index ${d}`);
    }
  } },
  { name: 'flags', phase: 0, weight: 6, run(ctx) {
    const bit = ctx.rng.int(16);
    put16(ctx.b, 10, u16(ctx.b, 10) ^ (1 << bit));
    ctx.tags.push(`bit${bit}`);
  } },
  { name: 'index', phase: 0, weight: 8, run(ctx) {
    const es = ctx.seed.indexEntries; if (!es.length) { ctx.b[position(ctx)] ^= 0x10; return; }
    const b = ctx.b; const i = ctx.rng.int(es.length); const o = es[i]; const len = b[o];
    const k = ctx.rng.int(6);
    if (k === 0 && es.length > 1) { // swap two symbols of equal length: out of order
      const j = ctx.rng.int(es.length); const oj = es[j];
      if (b[oj] === len) { const t = b.slice(o + 1, o + 1 + len); b.copyWithin(o + 1, oj + 1, oj + 1 + len); b.set(t, oj + 1); }
      ctx.tags.push(`swap ${i}/${j}`);
    } else if (k === 1) { b[o] = ctx.rng.pick([0, 1, len + 1, len - 1, 12, 13, 40, 255]); ctx.tags.push(`symlen ${b[o]}`); }
    else if (k === 2) { put32(b, o + 1 + len, interestingValue(ctx.rng, u32(b, o + 1 + len), 4, b.length)); ctx.tags.push('offset'); }
    else if (k === 3) { put32(b, o + 1 + len + 4, interestingValue(ctx.rng, u32(b, o + 1 + len + 4), 4, b.length)); ctx.tags.push('byte_len'); }
    else if (k === 4) { b[o + 1 + ctx.rng.int(len)] = ctx.rng.pick([0x40, 0x30, 0x7a, 0x5a, 0xff, 0xc3]); ctx.tags.push('symbyte'); }
    else { b[o + 1 + len + 8 + ctx.rng.int(32)] ^= 1 << ctx.rng.int(8); ctx.tags.push('leafhash'); }
  } },
  { name: 'data-rehash', phase: 0, weight: 6, run(ctx) {
    // Rewrite a lane payload and recompute its leaf hash, the root and the signature.
    const n = ctx.seed.r.header.laneCount; if (!n) { ctx.b[position(ctx)] ^= 4; return; }
    const pl = payloadBytes(ctx.seed.r.header.dims);
    const at = ctx.seed.r.dataStart + ctx.rng.int(n) * pl;
    const k = ctx.rng.int(4);
    if (k === 0) ctx.b[at] = ctx.rng.pick([0, 2, 0xff]);
    else if (k === 1) put16(ctx.b, at + 1, ctx.rng.pick([0, u16(ctx.b, at + 1) + 1, u16(ctx.b, at + 1) - 1, 0xffff]));
    else if (k === 2) put16(ctx.b, at + 3 + 2 * ctx.rng.int(Math.max(1, (pl - 3) / 2)), ctx.rng.pick([0x8000, 0x7fff, 0x8001, 0]));
    else ctx.b.set(ctx.rng.bytes(pl - 3), at + 3);
    ctx.tags.push(`lane@${at} k${k}`);
    refresh(ctx.b, { leaves: true, root: true, sign: ctx.seed.signed });
    ctx.resigned = ctx.seed.signed;
  } },
  { name: 'audit', phase: 0, weight: 8, run(ctx) {
    const s = ctx.seed.r.sections.find((x) => x.name === 'AUDIT'); if (!s) { ctx.b[position(ctx)] ^= 0x20; return; }
    const b = ctx.b; const k = ctx.rng.int(7);
    if (k === 0 && ctx.seed.auditCountAt >= 0) { const v = ctx.rng.pick([0, 1, 0xffff, 0x8000, ctx.seed.r.header.laneCount, ctx.seed.r.header.laneCount + 1, ctx.seed.auditEntries.length + 1, ctx.seed.auditEntries.length - 1]); put16(b, ctx.seed.auditCountAt, v); ctx.tags.push(`count=${v}`); }
    else if (k === 1 && ctx.seed.auditEntries.length) { const o = ctx.rng.pick(ctx.seed.auditEntries); b[o] = ctx.rng.pick([0, 1, 2, 5, 12, 13, 255]); ctx.tags.push(`symlen=${b[o]}`); }
    else if (k === 2 && ctx.seed.auditEntries.length > 1) { // swap two entries of equal size: out of order
      const i = ctx.rng.int(ctx.seed.auditEntries.length - 1); const o1 = ctx.seed.auditEntries[i]; const o2 = ctx.seed.auditEntries[i + 1];
      if (b[o1] === b[o2]) { const len = 1 + b[o1] + 6; const t = b.slice(o1, o1 + len); b.copyWithin(o1, o2, o2 + len); b.set(t, o2); }
      ctx.tags.push('swap');
    } else if (k === 3 && ctx.seed.auditEntries.length) { const o = ctx.rng.pick(ctx.seed.auditEntries); const f = o + 1 + b[o] + 2 * ctx.rng.int(3); put16(b, f, ctx.rng.pick([0, 1, 0xffff, u16(b, f) + 1])); ctx.tags.push('lane-field'); }
    else if (k === 4 && ctx.seed.auditEntries.length) { const o = ctx.rng.pick(ctx.seed.auditEntries); b[o + 1 + ctx.rng.int(b[o])] = ctx.rng.pick([0xff, 0xc0, 0x40, 0x30, 0x7a]); ctx.tags.push('symbyte'); }
    else if (k === 5) { b[s.offset] = ctx.rng.pick([0, 5, 7, 255]); ctx.tags.push('class_count'); }
    else { // Part A: a class field, sometimes a consistent lie (ratio recomputed)
      const c = ctx.rng.int(6); const o = s.offset + 1 + 10 * c;
      put32(b, o + ctx.rng.pick([0, 4]), ctx.rng.pick([0, 1, 0xffffffff, u32(b, o) + 1, 65536]));
      if (ctx.rng.chance(0.5)) { const tot = u32(b, o); const cl = u32(b, o + 4); if (cl <= tot && tot) put16(b, o + 8, Math.round((cl / tot) * 65535)); }
      ctx.tags.push(`classA${c}`);
    }
  } },
  { name: 'audit-insert', phase: 1, weight: 3, run(ctx) {
    // Add a Part B (or grow it) with a huge count and a few entries, before MERKLE/SIGNATURE.
    const s = ctx.seed.r.sections.find((x) => x.name === 'AUDIT'); if (!s) return;
    const end = s.offset + s.length;
    const fresh = s.length === 61;
    const count = ctx.rng.pick([0xffff, 0x8000, ctx.seed.r.header.laneCount + 1, 1, 0]);
    const ins: number[] = fresh ? [count & 0xff, count >> 8] : [];
    const entries = ctx.rng.int(3);
    for (let e = 0; e < entries; e++) { const sym = utf8(symbolFor(ctx.rng.int(ctx.seed.r.header.laneCount + 2))); ins.push(sym.length, ...sym, ctx.seed.r.header.dims & 0xff, ctx.seed.r.header.dims >> 8, 0, 0, 0, 0); }
    if (!fresh && ctx.seed.auditCountAt >= 0) put16(ctx.b, ctx.seed.auditCountAt, ctx.rng.chance(0.5) ? count : ctx.seed.auditEntries.length + entries);
    ctx.b = splice(ctx.b, end, 0, Uint8Array.from(ins));
    ctx.tags.push(`+${ins.length}B count=${count}`);
  } },
  { name: 'audit-sym', phase: 1, weight: 3, run(ctx) {
    // Respell a Part B symbol (length byte follows): BOM, leading zero, NUL, non-ASCII digits, bad UTF-8.
    if (!ctx.seed.auditEntries.length) { ctx.b[position(ctx)] ^= 0x02; return; }
    const shift = ctx.b.length - ctx.seed.bytes.length;
    const o = ctx.rng.pick(ctx.seed.auditEntries) + shift;
    if (o < 0 || o >= ctx.b.length) return;
    const len = ctx.b[o];
    const sym = ctx.b.slice(o + 1, o + 1 + len);
    const v = ctx.rng.pick<number[]>([[0xef, 0xbb, 0xbf, ...sym], [sym[0], 0x30, ...sym.subarray(1)], [...sym, 0x00], [0x00, ...sym], [sym[0], 0xef, 0xbc, 0x91],
      [...sym, 0xef, 0xbb, 0xbf], [0xc0, 0x80, ...sym.subarray(1)], [sym[0], 0xc0, 0xb0], [...sym, ...sym.subarray(1)], [0x40]]);
    ctx.b = splice(ctx.b, o, 1 + len, Uint8Array.from([v.length & 0xff, ...v]));
    ctx.tags.push(`sym ${toHex(Uint8Array.from(v))}`);
  } },
  { name: 'weak-sig', phase: 1, weight: 2, run(ctx) {
    // Replace (or add) the SIGNATURE with a degenerate Ed25519 key/signature: small-order points
    // for A and R with S = 0 satisfy the cofactored equation for every message.
    const kind = ctx.rng.int(4);
    const ident = [1, ...new Array(31).fill(0)];
    const order8 = [...fromHexStrict('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a')];
    const A = kind === 0 ? new Array(32).fill(0) : kind === 1 ? ident : kind === 2 ? order8 : [...ctx.rng.bytes(32)];
    const R = kind === 3 ? [...ctx.rng.bytes(32)] : A;
    const sig = Uint8Array.from([...A, ...R, ...new Array(32).fill(0)]);
    const b = ctx.b;
    if (b.length >= HEADER_BYTES && (u16(b, 10) & 4) && u32(b, 32) === 96 && b.length >= 96) b.set(sig, b.length - 96);
    else if (b.length >= HEADER_BYTES) { put16(b, 10, u16(b, 10) | 4); put32(b, 32, 96); ctx.b = splice(b, b.length, 0, sig); }
    ctx.tags.push(`sig kind ${kind}`);
  } },
  { name: 'dict', phase: 1, weight: 10, run(ctx) {
    const v = dictVariant(ctx.rng, ctx.seed);
    replaceDict(ctx, v);
    ctx.tags.push(`dict ${v.length}B`);
  } },
  { name: 'truncate', phase: 1, weight: 8, run(ctx) {
    const at = ctx.rng.chance(0.75) ? boundaryOf(ctx) : ctx.rng.int(ctx.b.length);
    ctx.b = ctx.b.slice(0, Math.max(0, Math.min(ctx.b.length, at)));
    ctx.tags.push(`@${ctx.b.length}`);
  } },
  { name: 'drop-section', phase: 1, weight: 3, run(ctx) {
    // Remove a tail section and clear its flag/length: should still be a valid pack.
    const secs = ctx.seed.r.sections.filter((s) => ['QSCALE', 'AUDIT', 'MERKLE', 'SIGNATURE'].includes(s.name));
    if (!secs.length) return;
    const s = ctx.rng.pick(secs);
    const shift = ctx.b.length - ctx.seed.bytes.length; // earlier length changes shift the tail
    ctx.b = splice(ctx.b, s.offset + shift, s.length, new Uint8Array(0));
    const bit = { QSCALE: 3, AUDIT: 4, MERKLE: 1, SIGNATURE: 2 }[s.name as 'QSCALE']!;
    if (ctx.rng.chance(0.9)) put16(ctx.b, 10, u16(ctx.b, 10) & ~(1 << bit));
    if (s.name === 'MERKLE') put32(ctx.b, 28, 0);
    if (s.name === 'SIGNATURE') put32(ctx.b, 32, 0);
    ctx.tags.push(s.name);
  } },
  { name: 'append', phase: 1, weight: 5, run(ctx) {
    const n = ctx.rng.pick([1, 2, 3, 6, 9, 32, 96, ctx.rng.range(1, 300)]);
    ctx.b = splice(ctx.b, ctx.b.length, 0, ctx.rng.chance(0.5) ? ctx.rng.bytes(n) : new Uint8Array(n));
    ctx.tags.push(`+${n}`);
  } },
  { name: 'splice', phase: 1, weight: 5, run(ctx) {
    const at = ctx.rng.chance(0.5) ? boundaryOf(ctx) : ctx.rng.int(ctx.b.length + 1);
    if (ctx.rng.chance(0.5)) { const n = ctx.rng.range(1, 16); ctx.b = splice(ctx.b, at, 0, ctx.rng.bytes(n)); ctx.tags.push(`ins ${n}@${at}`); }
    else { const n = ctx.rng.range(1, 16); ctx.b = splice(ctx.b, at, n, new Uint8Array(0)); ctx.tags.push(`del ${n}@${at}`); }
  } },
];
const TOTAL_WEIGHT = MUTATORS.reduce((s, m) => s + m.weight, 0);
function pickMutator(rng: FuzzRng): Mutator {
  let x = rng.int(TOTAL_WEIGHT);
  for (const m of MUTATORS) { if (x < m.weight) return m; x -= m.weight; }
  return MUTATORS[0];
}

// ---------------------------------------------------------------------------------------
// The harness

class OracleError extends Error {}

/** Wraps a source: no read longer than the file, total bytes bounded. */
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

function checkThrown(e: unknown, size: number, stage: string): string {
  if (e instanceof OracleError) throw e;
  if (!(e instanceof AsxError)) throw new OracleError(`${stage} threw a non-AsxError: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message ?? String(e)}`);
  if (!CODES.has(e.code)) throw new OracleError(`${stage} threw AsxError ${e.code}, not a pack-reading code (where=${JSON.stringify(e.where)}): ${e.message}`);
  if (e.code === 'no_such_lane') throw new OracleError(`${stage}: no_such_lane for a lane the reader listed`);
  const off = e.where.offset;
  if (off === undefined || !Number.isSafeInteger(off) || off < 0 || off > size) throw new OracleError(`${stage} threw ${e.code} without a byte offset in [0, ${size}] (where=${JSON.stringify(e.where)}): ${e.message}`);
  return e.code;
}

interface Outcome { result: string; stage: string }

async function runCase(b: Uint8Array, rng: FuzzRng, seed: Seed, resigned: boolean): Promise<Outcome & { bytesRead: number; maxRead: number }> {
  const src = new GuardedSource(bytesSource(b, 'fuzz.bin'), READ_MULTIPLE * b.length + READ_SLACK);
  const done = (result: string, stage: string) => ({ result, stage, bytesRead: src.bytesRead, maxRead: src.maxRead });
  let r: PackReader;
  try { r = await openPack(src); } catch (e) { return done(checkThrown(e, b.length, 'openPack'), 'open'); }
  let laneErr: string | null = null;
  for (let i = 0; i < r.header.laneCount; i++) {
    try {
      const lane = await r.getLane(i);
      if (lane.q.length !== r.header.dims || lane.W.length !== r.header.dims) throw new OracleError(`lane ${i} decoded ${lane.q.length} weights, dims ${r.header.dims}`);
      for (let k = 0; k < lane.W.length; k++) if (!Number.isFinite(lane.W[k])) throw new OracleError(`lane ${i} decoded a non-finite weight`);
    } catch (e) { laneErr ??= checkThrown(e, b.length, `getLane(${i})`); }
  }
  if (r.header.laneCount > 0) {
    const i = rng.int(r.header.laneCount);
    if (r.find(r.ids[i]) !== i) throw new OracleError(`find(${JSON.stringify(r.ids[i])}) is not ${i}`);
    try { await r.getLane(r.ids[i]); } catch (e) { laneErr ??= checkThrown(e, b.length, `getLane(${JSON.stringify(r.ids[i])})`); }
  }
  const vopts: VerifyOptions = {};
  const vk = rng.int(4);
  if (vk === 1) vopts.chunkBytes = rng.pick([1, 7, 64, 1000]);
  if (vk === 2) vopts.requireSignature = true;
  if (vk === 3) vopts.trustedKeys = [rng.chance(0.5) ? toHex(publicKeyOf(SIGN_KEY)) : '00'.repeat(32)];
  let rep;
  try { rep = await verifyPack(r, vopts); } catch (e) { return done(checkThrown(e, b.length, 'verifyPack'), 'verify-throw'); }
  for (const is of rep.issues) {
    if (!CODES.has(is.code)) throw new OracleError(`verify issue with code ${is.code}, not a pack-reading code`);
    if (is.code !== 'unsigned' && (is.offset === undefined || !Number.isSafeInteger(is.offset) || is.offset < 0 || is.offset > b.length)) throw new OracleError(`verify issue ${is.code} without a byte offset`);
  }
  if (laneErr) {
    if (laneErr === 'leaf_mismatch' && rep.leaves !== 'failed') throw new OracleError('getLane saw a leaf mismatch that verifyPack did not');
    return done(laneErr, 'lane');
  }
  if (!rep.ok) return done(rep.issues[0].code, 'verify');
  // Fully accepted: the bytes must be canonical, and a valid signature must mean the seed's bytes.
  const again = await reserialize(r, b);
  if (again.length !== b.length || again.some((x, k) => x !== b[k])) {
    let k = 0; while (k < Math.min(again.length, b.length) && again[k] === b[k]) k++;
    const sec = r.sections.find((s) => k >= s.offset && k < s.offset + s.length)?.name ?? 'end';
    throw new OracleError(`non-canonical pack accepted: ${b.length} bytes, canonical form has ${again.length}; first difference at byte ${k} (${sec})`);
  }
  if (rep.signature === 'valid' && !resigned && (b.length !== seed.bytes.length || b.some((x, k) => x !== seed.bytes[k]))) {
    throw new OracleError(`a modified pack verified with a valid signature (public key ${rep.publicKey})`);
  }
  return done('ok', 'ok');
}

const MUTATOR_NAMES = new Set(MUTATORS.map((m) => m.name));

/** Case c, rebuilt from (FUZZ_SEED, c) alone. */
function makeCase(seeds: Seed[], c: number): Ctx {
  const rng = new FuzzRng(SEED, c);
  const seed = seeds[rng.int(seeds.length)];
  const ctx: Ctx = { rng, seed, b: seed.bytes.slice(), tags: [], resigned: false };
  const muts = Array.from({ length: rng.pick([1, 1, 1, 2, 2, 3]) }, () => pickMutator(rng)).sort((a, b) => a.phase - b.phase);
  for (const m of muts) { ctx.tags.push(m.name); m.run(ctx); }
  if (seed.signed && !ctx.resigned && rng.chance(0.25)) { refresh(ctx.b, { sign: true }); ctx.resigned = true; ctx.tags.push('resign'); }
  return ctx;
}

interface Failure { key: string; message: string; caseIndex: number; seed: string; tags: string[]; hex: string }

describe('weights.v2c-bin reader fuzz', () => {
  it(`mutated packs fail only with typed, located errors (seed 0x${SEED.toString(16)}, ${ONLY_CASE ?? CASES} cases)`, async () => {
    const seeds = await buildSeeds();
    console.log(`[fuzz] FUZZ_SEED=0x${SEED.toString(16)} cases=${ONLY_CASE !== undefined ? `only #${ONLY_CASE}` : CASES} seeds: ${seeds.map((s) => `${s.name}(${s.bytes.length}B)`).join(', ')}`);
    const outcomes = new Map<string, number>();
    const byMutator = new Map<string, number>();
    const failures = new Map<string, Failure>();
    let failCount = 0;
    let maxMs = 0; let maxCase = -1; let maxReadRatio = 0; let accepted = 0;
    const first = ONLY_CASE ?? 0;
    const last = ONLY_CASE !== undefined ? ONLY_CASE + 1 : CASES;
    const t0 = performance.now();
    let mutMs = 0;
    const stageMs = new Map<string, number>();
    for (let c = first; c < last; c++) {
      const tm = performance.now();
      const ctx = makeCase(seeds, c);
      const { rng, seed } = ctx;
      for (const m of ctx.tags) if (MUTATOR_NAMES.has(m)) byMutator.set(m, (byMutator.get(m) ?? 0) + 1);
      const t = performance.now();
      mutMs += t - tm;
      try {
        const out = await runCase(ctx.b, rng, seed, ctx.resigned);
        stageMs.set(out.stage, (stageMs.get(out.stage) ?? 0) + performance.now() - t);
        outcomes.set(`${out.stage}:${out.result}`, (outcomes.get(`${out.stage}:${out.result}`) ?? 0) + 1);
        if (out.result === 'ok') accepted++;
        if (ctx.b.length) maxReadRatio = Math.max(maxReadRatio, out.bytesRead / ctx.b.length);
      } catch (e) {
        failCount++;
        const message = e instanceof Error ? e.message : String(e);
        const key = message.replace(/\d+/g, 'N');
        if (!failures.has(key)) failures.set(key, { key, message, caseIndex: c, seed: seed.name, tags: ctx.tags, hex: toHex(ctx.b.subarray(0, 2048)) });
      }
      const ms = performance.now() - t;
      if (ms > maxMs) { maxMs = ms; maxCase = c; }
      if (ONLY_CASE !== undefined) console.log(`[fuzz] case #${c} seed=${seed.name} mutations=${JSON.stringify(ctx.tags)} ${ctx.b.length}B\n${toHex(ctx.b)}`);
    }
    const secs = (performance.now() - t0) / 1000;
    const n = last - first;
    // Replay the slowest case alone: tells an input that is slow from a GC pause or JIT warm-up.
    let replayMs = Infinity;
    if (maxCase >= 0) {
      for (let k = 0; k < 3; k++) {
        const ctx = makeCase(seeds, maxCase);
        const t = performance.now();
        try { await runCase(ctx.b, ctx.rng, ctx.seed, ctx.resigned); } catch { /* already recorded */ }
        replayMs = Math.min(replayMs, performance.now() - t);
      }
    }
    const top = [...outcomes.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}=${v}`).join(' ');
    console.log(`[fuzz] ${n} cases in ${secs.toFixed(1)} s = ${Math.round(n / secs)} cases/s; max ${maxMs.toFixed(1)} ms/case (case #${maxCase}, ${replayMs.toFixed(1)} ms when replayed alone); max bytes read ${maxReadRatio.toFixed(2)}× file size; accepted ${accepted}; oracle failures ${failCount}`);
    console.log(`[fuzz] outcomes: ${top}`);
    console.log(`[fuzz] time: mutate ${(mutMs / 1000).toFixed(1)} s; ${[...stageMs.entries()].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}`);
    console.log(`[fuzz] mutators: ${[...byMutator.entries()].map(([k, v]) => `${k}=${v}`).join(' ')}`);
    for (const f of failures.values()) {
      console.log(`[fuzz] FAILURE ${f.message}\n  replay: FUZZ_SEED=0x${SEED.toString(16)} FUZZ_CASE=${f.caseIndex} npx vitest run --config vitest.fuzz.config.ts src/core/pack/read.fuzz.test.ts\n  seed=${f.seed} mutations=${JSON.stringify(f.tags)}`);
    }
    expect([...failures.values()].map((f) => `${f.message} [case #${f.caseIndex}, ${f.seed}, ${f.tags.join(' ')}]`)).toEqual([]);
    expect(maxMs).toBeLessThan(MAX_CASE_MS);
    expect(replayMs).toBeLessThan(MAX_REPLAY_MS);
  });
});
