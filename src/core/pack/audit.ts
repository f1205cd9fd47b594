/**
 * Class-aware saturation audit (packs spec "Class-Aware Saturation Auditing v1.0").
 * A sample saturates when |w · s| ≥ 1 before the clamp. Part A (per class, 61 bytes) is
 * always written; Part B (per lane) holds the first N lanes by tier then id, listed in
 * ascending UTF-8 order of the symbol (§3). Readers also accept the index order that
 * writers before this rule used (docs/laws.md "L-AUDIT").
 */
import { AsxError } from '../errors.ts';
import { CLASS_ORDER, classifyLane, type LaneClass } from './classes.ts';
import { roundHalfAwayFromZero } from './quant.ts';
import { symbolFor, symbolIndex } from './base62.ts';
import { utf8, decodeUtf8Strict, compareUtf8 } from '../bytes/utf8.ts';
import { AUDIT_CLASS_BYTES } from './layout.ts';

export interface ClassAudit { total: number; clipped: number; ratioQ16: number }
export interface LaneAudit { sym: string; total: number; clipped: number; ratioQ16: number }
export interface PackAudit { classes: Record<LaneClass, ClassAudit>; lanes: LaneAudit[] }

export function ratioQ16(clipped: number, total: number): number {
  if (!total) return 0;
  return roundHalfAwayFromZero((clipped / total) * 65535);
}

export function countClipped(W: ArrayLike<number>, s: number): number {
  let c = 0;
  for (let i = 0; i < W.length; i++) {
    const v = W[i] * s;
    if (v >= 1 || v <= -1) c++;
  }
  return c;
}

/**
 * The audit one lane at a time (the streaming writer sees each lane once per pass and never
 * holds them all). `add` takes lanes by DICT index in any order; `result` gives the same audit
 * as `auditLanes` over the whole list.
 */
export class AuditAccumulator {
  private readonly classes = {} as Record<LaneClass, ClassAudit>;
  private readonly laneTotal: Uint32Array;
  private readonly laneClipped: Uint32Array;

  constructor(private readonly scales: Readonly<Record<LaneClass, number>>, laneCount: number, private readonly laneAuditIndices: readonly number[] = []) {
    for (const c of CLASS_ORDER) this.classes[c] = { total: 0, clipped: 0, ratioQ16: 0 };
    this.laneTotal = new Uint32Array(laneCount);
    this.laneClipped = new Uint32Array(laneCount);
  }

  add(i: number, id: string, W: ArrayLike<number>): void {
    const cls = classifyLane(id);
    const clipped = countClipped(W, this.scales[cls]);
    this.classes[cls].total += W.length;
    this.classes[cls].clipped += clipped;
    this.laneTotal[i] = W.length;
    this.laneClipped[i] = clipped;
  }

  result(): PackAudit {
    const classes = {} as Record<LaneClass, ClassAudit>;
    for (const c of CLASS_ORDER) {
      const a = this.classes[c];
      classes[c] = { total: a.total, clipped: a.clipped, ratioQ16: ratioQ16(a.clipped, a.total) };
    }
    const lanes = this.laneAuditIndices.map((i) => {
      const total = this.laneTotal[i];
      const clipped = this.laneClipped[i];
      return { sym: symbolFor(i), total, clipped, ratioQ16: ratioQ16(clipped, total) };
    });
    return { classes, lanes };
  }
}

/**
 * Audit lanes (in DICT order) against `scales`. `laneAuditIndices` are the DICT indices
 * that get a Part B entry, in the order Part B lists them (`selectAuditLanes` gives
 * symbol order).
 */
export function auditLanes(
  lanes: ReadonlyArray<{ id: string; W: ArrayLike<number> }>,
  scales: Readonly<Record<LaneClass, number>>,
  laneAuditIndices: readonly number[] = [],
): PackAudit {
  const acc = new AuditAccumulator(scales, lanes.length, laneAuditIndices);
  lanes.forEach((lane, i) => acc.add(i, lane.id, lane.W));
  return acc.result();
}

export function encodeAudit(a: PackAudit): Uint8Array {
  let n = AUDIT_CLASS_BYTES;
  const syms = a.lanes.map((l) => utf8(l.sym));
  if (a.lanes.length) n += 2 + syms.reduce((s, b) => s + 1 + b.length + 6, 0);
  const out = new Uint8Array(n);
  const dv = new DataView(out.buffer);
  let o = 0;
  out[o++] = CLASS_ORDER.length;
  for (const c of CLASS_ORDER) {
    const x = a.classes[c];
    dv.setUint32(o, x.total, true); o += 4;
    dv.setUint32(o, x.clipped, true); o += 4;
    dv.setUint16(o, x.ratioQ16, true); o += 2;
  }
  if (a.lanes.length) {
    dv.setUint16(o, a.lanes.length, true); o += 2;
    a.lanes.forEach((l, k) => {
      out[o++] = syms[k].length;
      out.set(syms[k], o); o += syms[k].length;
      dv.setUint16(o, l.total, true); o += 2;
      dv.setUint16(o, l.clipped, true); o += 2;
      dv.setUint16(o, l.ratioQ16, true); o += 2;
    });
  }
  return out;
}

/** Parse AUDIT bytes found at file offset `base`; strict, every field checked. */
export function decodeAudit(b: Uint8Array, base: number, laneCount: number, dims: number): PackAudit {
  const fail = (msg: string, at: number): never => { throw new AsxError('bad_audit', msg, { offset: base + at }); };
  if (b.length < AUDIT_CLASS_BYTES) fail(`AUDIT is ${b.length} bytes, needs at least ${AUDIT_CLASS_BYTES}`, 0);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b[0] !== CLASS_ORDER.length) fail(`AUDIT class_count is ${b[0]}, must be 6`, 0);
  let o = 1;
  const classes = {} as Record<LaneClass, ClassAudit>;
  for (const c of CLASS_ORDER) {
    const total = dv.getUint32(o, true);
    const clipped = dv.getUint32(o + 4, true);
    const rq = dv.getUint16(o + 8, true);
    if (clipped > total) fail(`AUDIT ${c}: clipped ${clipped} > total ${total}`, o + 4);
    if (rq !== ratioQ16(clipped, total)) fail(`AUDIT ${c}: ratio_q16 ${rq} disagrees with ${clipped}/${total}`, o + 8);
    classes[c] = { total, clipped, ratioQ16: rq };
    o += 10;
  }
  const lanes: LaneAudit[] = [];
  if (b.length > AUDIT_CLASS_BYTES) {
    if (b.length < o + 2) fail('AUDIT Part B is missing its count', o);
    const count = dv.getUint16(o, true); o += 2;
    if (count === 0 || count > laneCount) fail(`AUDIT Part B count ${count} is not in 1..${laneCount}`, o - 2);
    // Entries are strictly ascending by symbol bytes (the spec) or, in packs written before
    // that rule was followed, strictly ascending by index. Every entry names its lane, so
    // both are recognisable: each entry must keep at least one of the two orders going,
    // and the whole list must be in one of them (no mixing).
    let prevIdx = -1;
    let prevSym = '';
    let symOrder = true;
    let idxOrder = true;
    for (let k = 0; k < count; k++) {
      if (o + 1 > b.length) fail('AUDIT Part B entry is truncated', o);
      const len = b[o];
      if (len < 2 || o + 1 + len + 6 > b.length) fail('AUDIT Part B entry is truncated or has a bad symbol length', o);
      let sym = '';
      try { sym = decodeUtf8Strict(b.subarray(o + 1, o + 1 + len)); } catch { fail('AUDIT Part B symbol is not UTF-8', o + 1); }
      const idx = symbolIndex(sym);
      if (idx < 0 || idx >= laneCount) fail(`AUDIT Part B symbol ${JSON.stringify(sym)} names no lane`, o + 1);
      if (k > 0) {
        if (compareUtf8(sym, prevSym) <= 0) symOrder = false;
        if (idx <= prevIdx) idxOrder = false;
        if (!symOrder && !idxOrder) fail('AUDIT Part B entries are neither in symbol (UTF-8) order nor in index order', o + 1);
      }
      prevIdx = idx;
      prevSym = sym;
      o += 1 + len;
      const total = dv.getUint16(o, true);
      const clipped = dv.getUint16(o + 2, true);
      const rq = dv.getUint16(o + 4, true);
      if (total !== dims) fail(`AUDIT Part B ${sym}: total ${total} must equal dims ${dims}`, o);
      if (clipped > total) fail(`AUDIT Part B ${sym}: clipped > total`, o + 2);
      if (rq !== ratioQ16(clipped, total)) fail(`AUDIT Part B ${sym}: ratio_q16 disagrees`, o + 4);
      lanes.push({ sym, total, clipped, ratioQ16: rq });
      o += 6;
    }
    if (o !== b.length) fail(`AUDIT has ${b.length - o} trailing bytes`, o);
  }
  return { classes, lanes };
}
