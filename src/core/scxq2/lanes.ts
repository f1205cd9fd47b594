/**
 * SCXQ2 SVG-tensor lanes (§18.2–§18.7 plus lane D; docs/laws.md L-LANES): byte layouts,
 * encodings and fixed-point precision, each with a writer and a reader.
 *
 *   LaneHeader (12 bytes): u8 lane_id, u8 version_major = 1, u8 version_minor = 0,
 *                          u8 encoding, u32 precision, u32 item_count
 *   M  RAW   item = (u32 id_hash, u16 rank, u16 flags) per element, canonical order
 *   T  RAW   item = (u32 from, i32 delta_to) per edge of the GPU map
 *   G  RAW | DELTA   item_count = command count; [u8 opcode, u8 pairs] × item_count, then
 *                    coord_count = Σ pairs coords (i32 x, i32 y, i32 z = 0); DELTA: the first
 *                    coord of each element is absolute, the others relative to the previous one
 *   X  RAW | DELTA | DICT | DELTA+DICT   item = 6 × i32 matrix, one per element with a transform
 *   W  RAW | DELTA | DICT | DELTA+DICT   item = 3 × i32 (magnitude, confidence, gradient) at
 *                    precision 10^4 … 10^0 (the largest that fits int32), or 0: f32 bits
 *   D  RAW   item = (u32 byte length, UTF-8 bytes) per id, canonical order   (added: L-LANE-D)
 *   E  RAW   item = f64: exact values of "wide" G commands (opcode | 0x80) and of wide
 *            transforms (M flag bit 6) that do not fit int32 at the lane's precision;
 *            present only when needed (added: L-LANE-E)
 */
import { AsxError } from '../errors.ts';
import { sha256 } from '../hash/sha256.ts';
import { utf8, decodeUtf8Strict } from '../bytes/utf8.ts';
import { decimalsOf, toFixedInt, fromFixedInt, canonValue } from '../svg/number.ts';
import { FLAG, OP, KIND_SHIFT, type ElementRecord, type Cmd } from '../svg/records.ts';
import { KINDS } from '../svg/model.ts';
import type { Matrix } from '../svg/transform.ts';
import type { ElementWeight } from '../svg/webgpu.ts';

export const LANE_ORDER = ['M', 'T', 'G', 'X', 'W', 'D', 'E'] as const;
export type LaneId = (typeof LANE_ORDER)[number];
export const ENCODING = { RAW: 0, DELTA: 1, DICT: 2, DELTA_DICT: 3 } as const;
export const ENCODING_NAMES = ['RAW', 'DELTA', 'DICT', 'DELTA+DICT'];
export const LANE_HEADER_BYTES = 12;
/**
 * W lane fixed point (L-LANE-W): 4 decimals when every value fits int32 there, else the
 * largest 10^k (k = 3…0) at which all fit, else precision 0 = the IEEE-754 binary32 bits
 * of each value (the weightBuffer's own f32).
 */
export const W_PRECISION = 10_000;
/** G opcode bit: the command's values are in lane E (its coords in G are zero). */
export const WIDE = 0x80;
/** M flag bit (lane-level, not part of the element record): the transform is in lane E, not X. */
export const M_WIDE_TRANSFORM = 0x40;

export interface LaneHeader { laneId: LaneId; major: number; minor: number; encoding: number; precision: number; itemCount: number }

function bad(msg: string, offset?: number): never {
  throw new AsxError('bad_envelope', msg, offset === undefined ? {} : { offset });
}

class Writer {
  private buf = new Uint8Array(256);
  private dv = new DataView(this.buf.buffer);
  len = 0;
  private ensure(n: number) {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
    this.dv = new DataView(b.buffer);
  }
  u8(v: number) { this.ensure(1); this.dv.setUint8(this.len, v); this.len += 1; }
  u16(v: number) { this.ensure(2); this.dv.setUint16(this.len, v, true); this.len += 2; }
  u32(v: number) { this.ensure(4); this.dv.setUint32(this.len, v, true); this.len += 4; }
  i32(v: number) { this.ensure(4); this.dv.setInt32(this.len, v, true); this.len += 4; }
  f64(v: number) { this.ensure(8); this.dv.setFloat64(this.len, v, true); this.len += 8; }
  bytes(b: Uint8Array) { this.ensure(b.length); this.buf.set(b, this.len); this.len += b.length; }
  done(): Uint8Array { return this.buf.slice(0, this.len); }
}

class Reader {
  private dv: DataView;
  p = 0;
  constructor(readonly b: Uint8Array, readonly lane: string) { this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength); }
  need(n: number) { if (this.p + n > this.b.length) bad(`lane ${this.lane}: truncated at byte ${this.p} (needs ${n} more)`, this.p); }
  u8() { this.need(1); return this.dv.getUint8(this.p++); }
  u16() { this.need(2); const v = this.dv.getUint16(this.p, true); this.p += 2; return v; }
  u32() { this.need(4); const v = this.dv.getUint32(this.p, true); this.p += 4; return v; }
  i32() { this.need(4); const v = this.dv.getInt32(this.p, true); this.p += 4; return v; }
  f64() { this.need(8); const v = this.dv.getFloat64(this.p, true); this.p += 8; return v; }
  bytes(n: number) { this.need(n); const v = this.b.subarray(this.p, this.p + n); this.p += n; return v; }
  end() { if (this.p !== this.b.length) bad(`lane ${this.lane}: ${this.b.length - this.p} trailing bytes`, this.p); }
}

function header(w: Writer, id: LaneId, encoding: number, precision: number, count: number) {
  w.u8(id.charCodeAt(0)); w.u8(1); w.u8(0); w.u8(encoding); w.u32(precision); w.u32(count);
}

export function readLaneHeader(b: Uint8Array, expect?: LaneId): LaneHeader {
  if (b.length < LANE_HEADER_BYTES) bad('lane shorter than its 12-byte header');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const laneId = String.fromCharCode(b[0]) as LaneId;
  if (!LANE_ORDER.includes(laneId)) bad(`unknown lane id byte 0x${b[0].toString(16)}`);
  if (expect && laneId !== expect) bad(`lane header says ${laneId}, the TOC says ${expect}`);
  const h = { laneId, major: b[1], minor: b[2], encoding: b[3], precision: dv.getUint32(4, true), itemCount: dv.getUint32(8, true) };
  if (h.major !== 1 || h.minor !== 0) bad(`lane ${laneId}: version ${h.major}.${h.minor} (only 1.0)`);
  if (h.encoding > 3) bad(`lane ${laneId}: unknown encoding ${h.encoding}`);
  return h;
}

/**
 * Smallest k (0…6) with every value exact at 10^k, and the values as int32 at that scale
 * (null for a value that does not fit int32 at that scale: it goes to lane E).
 */
function fixedPoint(values: number[]): { k: number; ints: (number | null)[] } {
  let k = 0;
  for (const v of values) { const d = decimalsOf(v); if (d > k) k = d; }
  return { k, ints: values.map((v) => toFixedInt(v, k)) };
}

function precisionK(precision: number, lane: string): number {
  const k = [1, 10, 100, 1000, 10000, 100000, 1000000].indexOf(precision);
  if (k < 0) bad(`lane ${lane}: precision ${precision} is not a power of ten ≤ 10^6`);
  return k;
}

const I32_MIN = -2147483648, I32_MAX = 2147483647;
const fitsI32 = (v: number) => v >= I32_MIN && v <= I32_MAX;

// ---- record lanes (X, W): n int32 fields per item, four encodings ----

function encodeRecords(id: LaneId, rows: number[][], n: number, precision: number): Uint8Array {
  const candidates: Uint8Array[] = [];
  for (const enc of [0, 1, 2, 3]) {
    const w = new Writer();
    header(w, id, enc, precision, rows.length);
    let ok = true;
    const deltaRows = (rs: number[][]) => {
      const out: number[][] = [];
      let prev = new Array(n).fill(0);
      for (const r of rs) { const d = r.map((v, j) => v - prev[j]); if (!d.every(fitsI32)) ok = false; out.push(d); prev = r; }
      return out;
    };
    if (enc === 0) for (const r of rows) for (const v of r) w.i32(v);
    else if (enc === 1) { const d = deltaRows(rows); if (ok) for (const r of d) for (const v of r) w.i32(v); }
    else {
      const dict: number[][] = [];
      const index = new Map<string, number>();
      const idx = rows.map((r) => { const key = r.join(','); let i = index.get(key); if (i === undefined) { i = dict.length; index.set(key, i); dict.push(r); } return i; });
      const table = enc === 3 ? deltaRows(dict) : dict;
      if (ok) { w.u32(dict.length); for (const r of table) for (const v of r) w.i32(v); for (const i of idx) w.u32(i); }
    }
    if (ok) candidates.push(w.done());
  }
  let best = candidates[0];
  for (const c of candidates) if (c.length < best.length) best = c;
  return best;
}

function decodeRecords(b: Uint8Array, id: LaneId, n: number): { h: LaneHeader; rows: number[][] } {
  const h = readLaneHeader(b, id);
  const r = new Reader(b, id);
  r.p = LANE_HEADER_BYTES;
  const undelta = (rs: number[][]) => { let prev = new Array(n).fill(0); return rs.map((d) => { const v = d.map((x, j) => x + prev[j]); if (!v.every(fitsI32)) bad(`lane ${id}: delta overflows int32`); prev = v; return v; }); };
  const readRows = (count: number) => {
    r.need(count * n * 4);
    const rows: number[][] = [];
    for (let i = 0; i < count; i++) { const row: number[] = []; for (let j = 0; j < n; j++) row.push(r.i32()); rows.push(row); }
    return rows;
  };
  let rows: number[][];
  if (h.encoding === 0) rows = readRows(h.itemCount);
  else if (h.encoding === 1) rows = undelta(readRows(h.itemCount));
  else {
    const dc = r.u32();
    if (dc > h.itemCount) bad(`lane ${id}: dictionary of ${dc} entries for ${h.itemCount} items`);
    let dict = readRows(dc);
    if (h.encoding === 3) dict = undelta(dict);
    r.need(h.itemCount * 4);
    rows = [];
    for (let i = 0; i < h.itemCount; i++) { const k = r.u32(); if (k >= dc) bad(`lane ${id}: index ${k} outside the dictionary`); rows.push(dict[k]); }
  }
  r.end();
  return { h, rows };
}

// ---- lane writers ----

export function idHash(id: string): number {
  const h = sha256(utf8(id));
  return (h[0] | (h[1] << 8) | (h[2] << 16) | (h[3] << 24)) >>> 0;
}

export function encodeM(recs: ElementRecord[], wideTransform: ReadonlySet<number> = new Set()): Uint8Array {
  const w = new Writer();
  header(w, 'M', ENCODING.RAW, 0, recs.length);
  recs.forEach((r, i) => {
    if (r.rank > 0xffff) throw new AsxError('scxq2_range', `rank ${r.rank} does not fit u16`);
    w.u32(r.id === undefined ? 0 : idHash(r.id)); w.u16(r.rank); w.u16(r.flags | (wideTransform.has(i) ? M_WIDE_TRANSFORM : 0));
  });
  return w.done();
}

export function encodeT(edges: ArrayLike<number>): Uint8Array {
  const w = new Writer();
  header(w, 'T', ENCODING.RAW, 0, edges.length / 2);
  for (let i = 0; i < edges.length; i += 2) {
    const d = edges[i + 1] - edges[i];
    if (d === 0) throw new AsxError('illegal_tensor', `edge ${i / 2} is a self-loop (delta_to must not be zero)`);
    w.u32(edges[i]); w.i32(d);
  }
  return w.done();
}

/** G lane and the exact values of its wide commands (for lane E), in G order. */
export function encodeG(recs: ElementRecord[]): { bytes: Uint8Array; wide: number[] } {
  const cmds: Cmd[] = [];
  for (const r of recs) {
    for (const c of r.cmds) cmds.push(c);
    cmds.push({ op: OP.END, v: [] });
  }
  const all: number[] = [];
  for (const c of cmds) for (const v of c.v) all.push(v);
  const { k, ints } = fixedPoint(all);
  // a command is wide when one of its values does not fit int32 at 10^k
  const wideCmd: boolean[] = [];
  const wide: number[] = [];
  let q = 0;
  for (const c of cmds) {
    let isWide = false;
    for (let j = 0; j < c.v.length; j++) if (ints[q + j] === null) isWide = true;
    wideCmd.push(isWide);
    if (isWide) for (const v of c.v) wide.push(v);
    q += c.v.length;
  }
  const build = (delta: boolean): Uint8Array | null => {
    const w = new Writer();
    header(w, 'G', delta ? ENCODING.DELTA : ENCODING.RAW, 10 ** k, cmds.length);
    cmds.forEach((c, i) => { w.u8(c.op | (wideCmd[i] ? WIDE : 0)); w.u8(c.v.length / 2); });
    let p = 0, px = 0, py = 0, first = true;
    cmds.forEach((c, i) => {
      if (c.op === OP.END) { first = true; return; }
      for (let j = 0; j < c.v.length; j += 2) {
        if (wideCmd[i]) { w.i32(0); w.i32(0); w.i32(0); p += 2; continue; }
        const x = ints[p++]!, y = ints[p++]!;
        const dx = delta && !first ? x - px : x, dy = delta && !first ? y - py : y;
        if (!fitsI32(dx) || !fitsI32(dy)) throw new RangeError('delta');
        w.i32(dx); w.i32(dy); w.i32(0);
        px = x; py = y; first = false;
      }
    });
    return w.done();
  };
  const attempt = (delta: boolean) => { try { return build(delta); } catch (e) { if (e instanceof RangeError) return null; throw e; } };
  // DELTA is the spec's form; RAW only when a delta would overflow int32 (L-LANE-G).
  return { bytes: attempt(true) ?? attempt(false)!, wide };
}

/** X lane, the indices (in element order) of wide transforms and their exact values (for lane E). */
export function encodeX(recs: ElementRecord[]): { bytes: Uint8Array; wideElements: Set<number>; wide: number[] } {
  const idx: number[] = [];
  recs.forEach((r, i) => { if (r.transform) idx.push(i); });
  const ms = idx.map((i) => recs[i].transform!);
  const { k, ints } = fixedPoint(ms.flat());
  const rows: number[][] = [];
  const wideElements = new Set<number>();
  const wide: number[] = [];
  for (let i = 0; i < ms.length; i++) {
    const row = ints.slice(6 * i, 6 * i + 6);
    if (row.some((v) => v === null)) { wideElements.add(idx[i]); wide.push(...ms[i]); } else rows.push(row as number[]);
  }
  return { bytes: encodeRecords('X', rows, 6, 10 ** k), wideElements, wide };
}

const f32Bits = new DataView(new ArrayBuffer(4));
/** The binary32 bits of `v` (rounded to f32) as an int32, and back. */
function toF32Bits(v: number): number { f32Bits.setFloat32(0, v, true); return f32Bits.getInt32(0, true); }
function fromF32Bits(n: number): number { f32Bits.setInt32(0, n, true); return f32Bits.getFloat32(0, true); }

/**
 * The W rows and their precision (L-LANE-W). Before issue 8 the lane was always 10^4 and
 * saturated at the int32 range (a length of 400,000 read 214,748.3647); 10^4 stays whenever
 * it fits, so every envelope without a saturated value keeps its bytes.
 */
export function weightRows(weights: readonly ElementWeight[]): { precision: number; rows: number[][] } {
  const flat = (x: ElementWeight) => [x.magnitude, x.confidence, x.gradient];
  for (let scale = W_PRECISION; scale >= 1; scale /= 10) {
    const rows: number[][] = [];
    let fits = true;
    for (const x of weights) {
      const row = flat(x).map((v) => { const n = Math.round(v * scale); return n === 0 ? 0 : n; });
      if (!row.every(fitsI32)) { fits = false; break; }
      rows.push(row);
    }
    if (fits) return { precision: scale, rows };
  }
  return { precision: 0, rows: weights.map((x) => flat(x).map(toF32Bits)) };
}

export function encodeW(weights: ElementWeight[]): Uint8Array {
  const { precision, rows } = weightRows(weights);
  return encodeRecords('W', rows, 3, precision);
}

export function encodeD(recs: ElementRecord[]): Uint8Array {
  const ids = recs.filter((r) => r.id !== undefined).map((r) => utf8(r.id!));
  const w = new Writer();
  header(w, 'D', ENCODING.RAW, 0, ids.length);
  for (const b of ids) { w.u32(b.length); w.bytes(b); }
  return w.done();
}

export function encodeE(values: number[]): Uint8Array {
  const w = new Writer();
  header(w, 'E', ENCODING.RAW, 0, values.length);
  for (const v of values) w.f64(v);
  return w.done();
}

/** Every lane of a tensor (E only when some value needs it). */
export function encodeLanes(recs: ElementRecord[], edges: ArrayLike<number>, weights: ElementWeight[]): Map<LaneId, Uint8Array> {
  const g = encodeG(recs);
  const x = encodeX(recs);
  const out = new Map<LaneId, Uint8Array>([
    ['M', encodeM(recs, x.wideElements)], ['T', encodeT(edges)], ['G', g.bytes], ['X', x.bytes], ['W', encodeW(weights)], ['D', encodeD(recs)],
  ]);
  if (g.wide.length || x.wide.length) out.set('E', encodeE([...g.wide, ...x.wide]));
  return out;
}

// ---- lane readers ----

export interface MItem { idHash: number; rank: number; flags: number }
export type DecodedLane =
  | { id: 'M'; header: LaneHeader; items: MItem[] }
  | { id: 'T'; header: LaneHeader; edges: Uint32Array }
  | { id: 'G'; header: LaneHeader; cmds: (Cmd & { wide?: boolean })[] /* values are canonical numbers (wide: from lane E); END separates elements */ }
  | { id: 'X'; header: LaneHeader; matrices: Matrix[] }
  | { id: 'W'; header: LaneHeader; weights: number[][] /* the stored ints (fixed point, or f32 bits at precision 0) */; values: number[][] /* magnitude, confidence, gradient */ }
  | { id: 'D'; header: LaneHeader; ids: string[] }
  | { id: 'E'; header: LaneHeader; values: Float64Array };

export function decodeLane(id: LaneId, b: Uint8Array): DecodedLane {
  switch (id) {
    case 'M': {
      const h = readLaneHeader(b, 'M');
      if (h.encoding !== 0) bad('lane M: only RAW');
      const r = new Reader(b, 'M'); r.p = LANE_HEADER_BYTES;
      r.need(h.itemCount * 8);
      const items: MItem[] = [];
      for (let i = 0; i < h.itemCount; i++) items.push({ idHash: r.u32(), rank: r.u16(), flags: r.u16() });
      r.end();
      return { id, header: h, items };
    }
    case 'T': {
      const h = readLaneHeader(b, 'T');
      if (h.encoding !== 0) bad('lane T: only RAW');
      const r = new Reader(b, 'T'); r.p = LANE_HEADER_BYTES;
      r.need(h.itemCount * 8);
      const edges = new Uint32Array(2 * h.itemCount);
      let prevFrom = 0;
      for (let i = 0; i < h.itemCount; i++) {
        const from = r.u32(), d = r.i32();
        if (d === 0) bad(`lane T: edge ${i} has delta_to 0`);
        if (from < prevFrom) bad(`lane T: edge ${i} breaks the monotonic order of from (${from} after ${prevFrom})`);
        prevFrom = from;
        const to = from + d;
        if (to < 0 || to > 0xffffffff) bad(`lane T: edge ${i} points outside the node range`);
        edges[2 * i] = from; edges[2 * i + 1] = to;
      }
      r.end();
      return { id, header: h, edges };
    }
    case 'G': {
      const h = readLaneHeader(b, 'G');
      if (h.encoding > 1) bad('lane G: only RAW or DELTA');
      const k = precisionK(h.precision, 'G');
      const r = new Reader(b, 'G'); r.p = LANE_HEADER_BYTES;
      r.need(h.itemCount * 2);
      const heads: [number, number][] = [];
      let coordCount = 0;
      for (let i = 0; i < h.itemCount; i++) { const op = r.u8(), a = r.u8(); if ((op & ~WIDE) > OP.FILL || op === (OP.END | WIDE)) bad(`lane G: unknown opcode ${op}`); heads.push([op, a]); coordCount += a; }
      r.need(coordCount * 12);
      const cmds: (Cmd & { wide?: boolean })[] = [];
      let px = 0, py = 0, first = true;
      for (const [op, a] of heads) {
        if (op === OP.END) { if (a !== 0) bad('lane G: END with coordinates'); first = true; cmds.push({ op, v: [] }); continue; }
        const v: number[] = [];
        const wide = (op & WIDE) !== 0;
        for (let j = 0; j < a; j++) {
          let x = r.i32(), y = r.i32();
          const z = r.i32();
          if (z !== 0) bad('lane G: dz must be 0 in a 2D tensor');
          if (wide) { if (x !== 0 || y !== 0) bad('lane G: a wide command has non-zero coordinates'); v.push(NaN, NaN); continue; }
          if (h.encoding === 1 && !first) { x += px; y += py; if (!fitsI32(x) || !fitsI32(y)) bad('lane G: delta overflows int32'); }
          px = x; py = y; first = false;
          v.push(fromFixedInt(x, k), fromFixedInt(y, k));
        }
        cmds.push(wide ? { op: op & ~WIDE, v, wide } : { op, v });
      }
      r.end();
      return { id, header: h, cmds };
    }
    case 'X': {
      const { h, rows } = decodeRecords(b, 'X', 6);
      const k = precisionK(h.precision, 'X');
      return { id, header: h, matrices: rows.map((row) => row.map((v) => fromFixedInt(v, k)) as Matrix) };
    }
    case 'W': {
      const { h, rows } = decodeRecords(b, 'W', 3);
      if (h.precision === 0) {
        const values = rows.map((row) => row.map(fromF32Bits));
        if (!values.every((row) => row.every(Number.isFinite))) bad('lane W: a binary32 value is not finite');
        return { id, header: h, weights: rows, values };
      }
      const scale = 10 ** precisionK(h.precision, 'W');
      return { id, header: h, weights: rows, values: rows.map((row) => row.map((v) => v / scale)) };
    }
    case 'D': {
      const h = readLaneHeader(b, 'D');
      if (h.encoding !== 0) bad('lane D: only RAW');
      const r = new Reader(b, 'D'); r.p = LANE_HEADER_BYTES;
      if (h.itemCount * 4 > b.length) bad('lane D: item count larger than the lane');
      const ids: string[] = [];
      for (let i = 0; i < h.itemCount; i++) {
        const len = r.u32();
        try { ids.push(decodeUtf8Strict(r.bytes(len))); } catch (e) { if (e instanceof AsxError) throw e; bad(`lane D: id ${i} is not UTF-8`); }
      }
      r.end();
      return { id, header: h, ids };
    }
    case 'E': {
      const h = readLaneHeader(b, 'E');
      if (h.encoding !== 0) bad('lane E: only RAW');
      const r = new Reader(b, 'E'); r.p = LANE_HEADER_BYTES;
      r.need(h.itemCount * 8);
      const values = new Float64Array(h.itemCount);
      for (let i = 0; i < h.itemCount; i++) {
        const v = r.f64();
        if (!Number.isFinite(v) || canonValue(v) !== v || Object.is(v, -0)) bad(`lane E: value ${i} is not a canonical number`);
        values[i] = v;
      }
      r.end();
      return { id, header: h, values };
    }
  }
}

function rtf(msg: string): never {
  throw new AsxError('round_trip_failure', msg);
}

/** Records from decoded M, G, X, D and E lanes (the inflate direction). */
export function lanesToRecords(m: DecodedLane & { id: 'M' }, g: DecodedLane & { id: 'G' }, x: (DecodedLane & { id: 'X' }) | null, d: (DecodedLane & { id: 'D' }) | null, e: (DecodedLane & { id: 'E' }) | null = null): ElementRecord[] {
  const recs: ElementRecord[] = [];
  let gp = 0, xp = 0, dp = 0;
  // lane E: the wide G values first (in G order), then the wide transforms
  let gWide = 0;
  for (const c of g.cmds) if (c.wide) gWide += c.v.length;
  let ep = 0, exp = gWide;
  const fromE = (n: number, what: string): number[] => {
    if (!e) throw new AsxError('missing_lane', `lane E (exact values) is needed for ${what}`);
    const start = what === 'a transform' ? exp : ep;
    if (start + n > e.values.length || (what !== 'a transform' && start + n > gWide)) rtf(`lane E has fewer values than ${what} needs`);
    const v = Array.from(e.values.subarray(start, start + n));
    if (what === 'a transform') exp += n; else ep += n;
    return v;
  };
  for (let i = 0; i < m.items.length; i++) {
    const it = m.items[i];
    const kind = KINDS[(it.flags >> KIND_SHIFT) & 15];
    if (!kind) rtf(`M item ${i}: unknown kind`);
    const wideT = (it.flags & M_WIDE_TRANSFORM) !== 0;
    if (wideT && !(it.flags & FLAG.HAS_TRANSFORM)) rtf(`M item ${i}: wide transform without a transform`);
    const r: ElementRecord = { kind, rank: it.rank, flags: it.flags & ~M_WIDE_TRANSFORM, cmds: [] };
    if (it.flags & FLAG.HAS_ID) {
      if (!d) throw new AsxError('missing_lane', 'lane D (ids) is needed to inflate this tensor');
      if (dp >= d.ids.length) rtf('lane D has fewer ids than M declares');
      r.id = d.ids[dp++];
      if (idHash(r.id) !== it.idHash) rtf(`M item ${i}: id_hash disagrees with the id in lane D`);
    } else if (it.idHash !== 0) rtf(`M item ${i}: id_hash without an id`);
    if (wideT) r.transform = fromE(6, 'a transform') as Matrix;
    else if (it.flags & FLAG.HAS_TRANSFORM) {
      if (!x) throw new AsxError('missing_lane', 'lane X (transforms) is needed to inflate this tensor');
      if (xp >= x.matrices.length) rtf('lane X has fewer matrices than M declares');
      r.transform = x.matrices[xp++];
    }
    for (;;) {
      const c = g.cmds[gp++];
      if (!c) rtf('lane G ends before every element is closed');
      if (c.op === OP.END) break;
      r.cmds.push(c.wide ? { op: c.op, v: fromE(c.v.length, 'a wide command') } : { op: c.op, v: c.v });
    }
    recs.push(r);
  }
  if (gp !== g.cmds.length) rtf('lane G has commands for more elements than lane M');
  if (x && xp !== x.matrices.length) rtf('lane X has more matrices than M declares');
  if (d && dp !== d.ids.length) rtf('lane D has more ids than M declares');
  if (e && (ep !== gWide || exp !== e.values.length)) rtf('lane E has values nothing uses');
  return recs;
}
