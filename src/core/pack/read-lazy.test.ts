/**
 * The reader's INDEX without per-entry objects (issue 9): the lazy `index`, symOf, leafHashOf,
 * laneBytes, classIndices and the binary-search find agree with a plain parse of the INDEX
 * bytes and a map lookup, and the manifest's single-pass temporal scan and typed-array window
 * sort give what the regex / comparator-sort code gave, on random packs.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodePack } from './write.ts';
import { openPack, leafHashes, leafHex, type IndexEntry } from './read.ts';
import { packManifest } from './manifest.ts';
import { bytesSource } from '../bytes/source.ts';
import { toHex } from '../bytes/hex.ts';
import { CLASS_ORDER, classIndexOfLane, classifyLane } from './classes.ts';
import { HEADER_BYTES } from './layout.ts';

/** The INDEX as openPack parsed it before issue 9: one object per entry, read from the bytes. */
function plainIndex(bytes: Uint8Array): IndexEntry[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint16(14, true);
  let o = HEADER_BYTES + dv.getUint32(16, true);
  const out: IndexEntry[] = [];
  for (let i = 0; i < n; i++) {
    const len = bytes[o];
    const sym = String.fromCharCode(...bytes.subarray(o + 1, o + 1 + len));
    o += 1 + len;
    out.push({ sym, offset: dv.getUint32(o, true), length: dv.getUint32(o + 4, true), leafHash: bytes.slice(o + 8, o + 40) });
    o += 40;
  }
  return out;
}

/** manifest.temporal_layout as computed before issue 9 (regexes, sliced strings, comparator sort). */
function plainTemporal(ids: readonly string[]): unknown {
  const temporalOf = (id: string): string | null => {
    const x = id.indexOf('__x__');
    const base = x < 0 ? id : id.slice(0, x);
    const at = base.lastIndexOf('@');
    return at < 0 ? null : base.slice(at + 1);
  };
  const windows = new Set<string>();
  let decay = false;
  const tWindows = new Set<string>();
  let matrix = 0;
  let upper = true;
  for (const id of ids) {
    const t = temporalOf(id);
    if (t === 'early' || t === 'mid' || t === 'late') windows.add(t);
    if (t === 't*') decay = true;
    if (t && /^t\d+$/.test(t)) tWindows.add(t);
    const m = /^[^@]+@t(\d+)__x__[^@]+@t(\d+)$/.exec(id);
    if (m) { matrix++; if (Number(m[2]) < Number(m[1])) upper = false; }
  }
  const shape = matrix === 0 ? 'none' : upper && matrix === 10 ? 'upper-triangular' : matrix === 16 ? 'full-4x4' : upper ? 'upper-triangular-partial' : 'partial';
  const ws = [...tWindows];
  return {
    windows: ['early', 'mid', 'late'].filter((w) => windows.has(w)),
    temporal_windows: ws.map((w, i) => [w, i] as const).sort((a, b) => Number(a[0].slice(1)) - Number(b[0].slice(1))).map(([w]) => w),
    decay: decay ? 'exponential' : 'none',
    interaction_matrix: { shape, effective_lanes: matrix },
  };
}

const head = fc.constantFrom('policy', 'attention', 'value', 'a', 'x_y', '', '@', 'b@c');
const tail = fc.oneof(
  fc.constantFrom('t*', 'early', 'mid', 'late', 'late2', 't', 'tx', 't1a', '', 't01', 't001', 't1', 't0', 't4294967295', 't4294967296', 't99999999999999999999', 'T3', 'row', 'all'),
  fc.nat({ max: 5000 }).map((k) => `t${k}`),
);
const part = fc.tuple(head, fc.boolean(), tail).map(([h, at, t]) => (at ? `${h}@${t}` : `${h}${t}`));
const laneId = fc.oneof(part, fc.tuple(part, part).map(([a, b]) => `${a}__x__${b}`), fc.constantFrom('__x__@t3', 'p@t2__x__q@t1', 'p@t1__x__q@t2', 'r@t1__x__', 'ü@t3', 'a@b@t7'))
  .filter((s) => s.length > 0);

describe('reader INDEX without per-entry objects', () => {
  it('index, symOf, leafHashOf, laneBytes, classIndices and find agree with a plain INDEX parse and a map', async () => {
    await fc.assert(fc.asyncProperty(fc.uniqueArray(laneId, { minLength: 1, maxLength: 150 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), async (ids, dims, audit) => {
      const lanes = ids.map((id, i) => ({ id, W: Array.from({ length: dims }, (_, k) => Math.sin(i * 7 + k)) }));
      const { bytes } = encodePack(lanes, dims, { audit, laneAudits: audit ? 3 : 0 });
      const r = await openPack(bytesSource(bytes, 'p.bin'));
      const plain = plainIndex(bytes);
      expect(r.laneBytes).toBe(3 + 2 * dims);
      expect(r.index.map((e) => ({ ...e, leafHash: toHex(e.leafHash) }))).toEqual(plain.map((e) => ({ ...e, leafHash: toHex(e.leafHash) })));
      expect(r.index).toBe(r.index); // built once
      plain.forEach((e, i) => {
        expect(r.symOf(i)).toBe(e.sym);
        expect(toHex(r.leafHashOf(i))).toBe(toHex(e.leafHash));
        expect(leafHex(r, i)).toBe(toHex(e.leafHash));
        expect(e.offset).toBe(i * r.laneBytes);
      });
      expect(leafHashes(r).map(toHex)).toEqual(plain.map((e) => toHex(e.leafHash)));
      expect(Array.from(r.classIndices())).toEqual(r.ids.map((id) => CLASS_ORDER.indexOf(classifyLane(id))));
      const bySymOrId = new Map<string, number>();
      r.ids.forEach((id, i) => { bySymOrId.set(plain[i].sym, i); });
      r.ids.forEach((id, i) => { bySymOrId.set(id, i); });
      for (const key of [...bySymOrId.keys(), 'nope', '@', '@00', `@${r.ids.length + 5}`, '']) expect(r.find(key), key).toBe(bySymOrId.get(key) ?? -1);
      expect(r.dict.rev.size).toBe(r.ids.length);
      for (const [id, sym] of r.dict.rev) expect(r.dict.dict[sym]).toBe(id);
    }), { numRuns: 120 });
  });
});

describe('manifest temporal layout', () => {
  it('equals the regex / comparator-sort computation on random lane ids', async () => {
    await fc.assert(fc.asyncProperty(fc.uniqueArray(laneId, { minLength: 1, maxLength: 120 }), async (ids) => {
      const lanes = ids.map((id) => ({ id, W: [0.5] }));
      const { bytes } = encodePack(lanes, 1, { laneAudits: 2 });
      const r = await openPack(bytesSource(bytes, 'p.bin'));
      expect(packManifest(r).temporal_layout).toEqual(plainTemporal(r.ids));
    }), { numRuns: 300 });
  });
  it('orders thousands of windows with equal numeric keys stably (t01 / t1 / t001)', async () => {
    const ids: string[] = [];
    for (let k = 0; k < 3000; k++) ids.push(`a@t${k}`, `b@t0${k}`);
    for (let k = 0; k < 50; k++) ids.push(`c@t00${k}`);
    ids.push('d@t4294967296', 'e@t4294967295', 'f@t99999999999999999999', `g@t${'9'.repeat(400)}`, `h@t${'8'.repeat(400)}`, 'i@t1000000000000000', 'j@t999999999999999');
    const { bytes } = encodePack(ids.map((id) => ({ id, W: [0.25] })), 1, { audit: false });
    const r = await openPack(bytesSource(bytes, 'p.bin'));
    expect(packManifest(r).temporal_layout).toEqual(plainTemporal(r.ids));
  });
});

describe('classIndexOfLane', () => {
  it('is classIndex(classifyLane(id)) on ids built from the class markers', () => {
    const frag = fc.constantFrom('policy', 'attention', '@early', '@mid', '@late', '@row', '@col', '@all', '__x__', '@', '_', 'x', '@ea', '@t1', 'Policy', 'e', 'm', 'l', 'r', 'c', 'a');
    fc.assert(fc.property(fc.array(frag, { maxLength: 6 }).map((a) => a.join('')), fc.string({ maxLength: 6 }), (s, t) => {
      for (const id of [s, t + s, s + t]) expect(classIndexOfLane(id), id).toBe(CLASS_ORDER.indexOf(classifyLane(id)));
    }), { numRuns: 3000 });
  });
});
