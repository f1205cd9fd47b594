/**
 * Pack manifest view `asx.pack.manifest.v1` (packs spec "Human-Readable Pack Manifest View
 * v1.0"). Derived only from the binary's header, DICT, INDEX, QSCALE, AUDIT, MERKLE and
 * SIGNATURE (no DATA read), with a fixed key order and deterministic number formatting, so
 * the same pack gives byte-identical text on every platform. Decisions where the spec's
 * example is not derivable are in docs/laws.md (L-MANIFEST).
 */
import { toHex } from '../bytes/hex.ts';
import { compareUtf8 } from '../bytes/utf8.ts';
import { CLASS_ORDER, CLASS_QSCALE, CLASS_WEIGHT, type LaneClass } from './classes.ts';
import { T_HIGH, T_LOW } from './autotune.ts';
import { symbolIndex } from './base62.ts';
import { f32, f32ToShortest } from './quant.ts';
import { laneTier } from './tiers.ts';
import { FLAG_AUDIT, FLAG_MERKLE, FLAG_QSCALE, FLAG_SIGNATURE } from './layout.ts';
import type { PackReader } from './read.ts';
import { keyFingerprint } from './sign.ts';

export const MANIFEST_LANES_MAX = 256;
export const PACK_BUDGET_BYTES = 5120;
export const DIMS_LADDER = [64, 48, 32, 24, 16];

/** Six decimals, no exponent, trailing zeros trimmed (same style as the canonical SVG law). */
export function round6(x: number): number {
  return Number(x.toFixed(6));
}

/** The temporal part of a lane id: after the last `@` of the part before `__x__` (null: no `@`). */
function temporalOf(id: string): string | null {
  const x = id.indexOf('__x__');
  const base = x < 0 ? id : id.slice(0, x);
  const at = base.lastIndexOf('@');
  if (at < 0) return null;
  return base.slice(at + 1);
}

/**
 * The distinct `t<digits>` windows of the lane ids, in numeric order: what sorting them in
 * first-seen order with the stable comparator `(a, b) => Number(a.slice(1)) − Number(b.slice(1))`
 * gives. A pack of 65,535 `…@t<i>` lanes has 65,535 windows, so no string is built or hashed
 * for the common form: a canonical window (no leading zero, at most 15 digits, value below a
 * bound proportional to the lane count) is recorded by value in a typed array, and when every
 * window is canonical the order is the values ascending (distinct strings, distinct numbers).
 * Others go through a map and the full stable sort by (number, first seen).
 */
class WindowSet {
  /** seq + 1 of canonical window v (0: not seen). */
  private readonly byValue: Int32Array;
  private readonly others = new Map<string, number>();
  private seq = 0;
  private maxValue = -1;

  constructor(laneCount: number) {
    this.byValue = new Int32Array(4 * laneCount + 64);
  }

  /** The window id[start, end) (`t` and one or more digits). */
  add(id: string, start: number, end: number): void {
    const nd = end - start - 1;
    if (nd <= 15 && (nd === 1 || id.charCodeAt(start + 1) !== 0x30)) {
      let v = 0;
      for (let k = start + 1; k < end; k++) v = v * 10 + (id.charCodeAt(k) - 0x30);
      if (v < this.byValue.length) {
        if (this.byValue[v] === 0) { this.byValue[v] = ++this.seq; if (v > this.maxValue) this.maxValue = v; }
        return;
      }
    }
    const w = id.slice(start, end);
    if (!this.others.has(w)) this.others.set(w, this.seq++);
  }

  sorted(): string[] {
    const out: string[] = [];
    if (this.others.size === 0) {
      for (let v = 0; v <= this.maxValue; v++) if (this.byValue[v] !== 0) out.push('t' + v);
      return out;
    }
    const ws: string[] = [];
    const seqs: number[] = [];
    for (let v = 0; v <= this.maxValue; v++) if (this.byValue[v] !== 0) { ws.push('t' + v); seqs.push(this.byValue[v] - 1); }
    for (const [w, q] of this.others) { ws.push(w); seqs.push(q); }
    const key = ws.map((w) => Number(w.slice(1)));
    const idx = ws.map((_, i) => i);
    idx.sort((a, b) => key[a] - key[b] || seqs[a] - seqs[b]);
    for (const i of idx) out.push(ws[i]);
    return out;
  }
}

export interface Manifest {
  schema: 'asx.pack.manifest.v1';
  [k: string]: unknown;
}

export function packManifest(r: PackReader): Manifest {
  const h = r.header;
  const ids = r.ids;
  const computedRoot = r.computedRoot(); // shared with verifyPack: computed once per reader

  // One classification per lane (memoized by the reader, which checked AUDIT with it),
  // reused for the counts and the lane order below.
  const clsOf = r.classIndices();
  const perClass = new Int32Array(CLASS_ORDER.length);
  for (let i = 0; i < clsOf.length; i++) perClass[clsOf[i]]++;
  const counts = {} as Record<LaneClass, number>;
  CLASS_ORDER.forEach((c, k) => { counts[c] = perClass[k]; });

  const laneClasses: Record<string, unknown> = {};
  for (const c of CLASS_ORDER) {
    laneClasses[c] = {
      count: counts[c],
      fold_weight: CLASS_WEIGHT[c],
      qscale: f32ToShortest(r.scales[c]),
      auto_tuned: r.hasQscale && r.scales[c] !== f32(CLASS_QSCALE[c]),
    };
  }

  // Temporal layout as present in the lane ids.
  const windows = new Set<string>();
  let decay = false;
  const tWindows = new WindowSet(ids.length);
  let matrix = 0;
  let upper = true;
  for (const id of ids) {
    // temporalOf(id) without building the string unless it is a window: the part after the
    // last `@` before `__x__`, in [at + 1, end).
    const x = id.indexOf('__x__');
    const end = x < 0 ? id.length : x;
    const at = end === 0 ? -1 : id.lastIndexOf('@', end - 1);
    if (at >= 0) {
      const tl = end - at - 1;
      const c0 = id.charCodeAt(at + 1);
      if (c0 === 0x74) { // t
        if (tl === 2 && id.charCodeAt(at + 2) === 0x2a) decay = true; // t*
        else if (tl >= 2) {
          let digits = true;
          for (let k = at + 2; k < end; k++) { const c = id.charCodeAt(k); if (c < 0x30 || c > 0x39) { digits = false; break; } }
          if (digits) tWindows.add(id, at + 1, end);
        }
      } else if ((tl === 5 && id.startsWith('early', at + 1)) || (tl === 3 && id.startsWith('mid', at + 1)) || (tl === 4 && id.startsWith('late', at + 1))) windows.add(id.slice(at + 1, end));
    }
    const m = x >= 0 ? /^[^@]+@t(\d+)__x__[^@]+@t(\d+)$/.exec(id) : null;
    if (m) { matrix++; if (Number(m[2]) < Number(m[1])) upper = false; }
  }
  const shape = matrix === 0 ? 'none' : upper && matrix === 10 ? 'upper-triangular' : matrix === 16 ? 'full-4x4' : upper ? 'upper-triangular-partial' : 'partial';

  const saturation: Record<string, unknown> = {};
  if (r.audit) {
    for (const c of CLASS_ORDER) {
      const a = r.audit.classes[c];
      saturation[c] = { samples: a.total, clipped: a.clipped, clip_ratio: round6(a.ratioQ16 / 65535) };
    }
  }
  const laneSat = new Map<string, number>();
  for (const l of r.audit?.lanes ?? []) laneSat.set(l.sym, round6(l.ratioQ16 / 65535));

  // Class priority, then id: the reader's ids are in strict UTF-8 order already (the DICT
  // law), so the first MANIFEST_LANES_MAX of each class in index order is that order.
  const order: number[] = [];
  for (let c = 0; c < CLASS_ORDER.length && order.length < MANIFEST_LANES_MAX; c++) {
    for (let i = 0; i < ids.length && order.length < MANIFEST_LANES_MAX; i++) if (clsOf[i] === c) order.push(i);
  }
  for (let i = 1; i < order.length; i++) {
    if (clsOf[order[i - 1]] === clsOf[order[i]] && compareUtf8(ids[order[i - 1]], ids[order[i]]) >= 0) throw new Error('reader ids are not in UTF-8 order');
  }
  const lanes = order.map((i) => {
    const sym = r.symOf(i);
    const e: Record<string, unknown> = {
      id: ids[i], sym, class: CLASS_ORDER[clsOf[i]], tier: laneTier(ids[i]), temporal: temporalOf(ids[i]), dims: h.dims, hash: toHex(r.leafHashOf(i)),
    };
    if (laneSat.has(sym)) e.saturation = laneSat.get(sym);
    return e;
  });

  const notes: string[] = [];
  if (r.hasQscale && r.audit) {
    for (const c of CLASS_ORDER) {
      const a = r.audit.classes[c];
      const ratio = a.total ? a.clipped / a.total : 0;
      const s0 = f32ToShortest(CLASS_QSCALE[c]);
      const s1 = f32ToShortest(r.scales[c]);
      if (s1 < s0 && ratio > T_HIGH) notes.push(`Auto-tuning reduced ${c} qscale ${s0} → ${s1}: clip ratio ${round6(ratio)} > ${T_HIGH}`);
      else if (s1 > s0 && ratio < T_LOW) notes.push(`Auto-tuning raised ${c} qscale ${s0} → ${s1}: clip ratio ${round6(ratio)} < ${T_LOW}`);
    }
  }
  if (ids.length > MANIFEST_LANES_MAX) notes.push(`Lane list truncated to ${MANIFEST_LANES_MAX} of ${ids.length} lanes (class priority, then id).`);
  if (r.merkleRoot && computedRoot && toHex(r.merkleRoot) !== toHex(computedRoot)) notes.push('The stored MERKLE root does not match the INDEX leaf hashes.');

  return {
    schema: 'asx.pack.manifest.v1',
    derived_from: {
      binary_format: 'weights.v2c-bin',
      file_bytes: r.fileSize,
      merkle_root: r.merkleRoot ? toHex(r.merkleRoot) : null,
      leaves_root: computedRoot ? toHex(computedRoot) : null,
      signature: r.signature ? toHex(r.signature) : null,
      public_key: r.publicKey ? toHex(r.publicKey) : null,
      key_fingerprint: r.publicKey ? keyFingerprint(r.publicKey) : null,
      hash_alg: 'sha256',
    },
    core: {
      version: `${h.version >> 8}.${h.version & 0xff}`,
      dims: h.dims,
      lane_count: h.laneCount,
      lane_budget_bytes: r.fileSize <= PACK_BUDGET_BYTES ? PACK_BUDGET_BYTES : null,
      adaptive_dims: DIMS_LADDER.includes(h.dims),
      quant_format: 'int16',
      endianness: 'little',
      flags: {
        quant_i16: true,
        merkle: !!(h.flags & FLAG_MERKLE),
        signature: !!(h.flags & FLAG_SIGNATURE),
        qscale: !!(h.flags & FLAG_QSCALE),
        audit: !!(h.flags & FLAG_AUDIT),
      },
      sections: r.sections.map((s) => ({ name: s.name, offset: s.offset, length: s.length })),
    },
    lane_classes: laneClasses,
    temporal_layout: {
      windows: ['early', 'mid', 'late'].filter((w) => windows.has(w)),
      temporal_windows: tWindows.sorted(),
      decay: decay ? 'exponential' : 'none',
      interaction_matrix: { shape, effective_lanes: matrix },
    },
    saturation_audit: r.audit ? saturation : null,
    lanes,
    lanes_total: ids.length,
    lanes_truncated: ids.length > MANIFEST_LANES_MAX,
    compatibility: { lane_law: 'v1', fold_law: 'v1', quant_law: 'v1', rounding_law: 'half-away-from-zero', merge_allowed: true },
    notes,
  };
}

/** Manifest text: 2-space JSON in the fixed key order above, LF, trailing newline. */
export function manifestJson(m: Manifest): string {
  return JSON.stringify(m, null, 2) + '\n';
}

