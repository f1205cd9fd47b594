/**
 * L-AUDIT Part B order (packs spec "Class-Aware Saturation Auditing v1.0" §3, frozen):
 * per-lane entries ascend by the UTF-8 bytes of the lane symbol. With more than 62 lanes
 * that differs from index order (`@10` = 62 sorts before `@y` = 60 and `@z` = 61).
 * Readers keep accepting packs written in index order before the rule was followed.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { encodePack } from './write.ts';
import { openPack } from './read.ts';
import { bytesSource } from '../bytes/source.ts';
import { AsxError } from '../errors.ts';
import { toHex } from '../bytes/hex.ts';
import { selectAuditLanes } from './tiers.ts';
import { symbolFor, symbolIndex } from './base62.ts';
import { AUDIT_CLASS_BYTES } from './layout.ts';

// 70 lanes: 60 tier-1 windows `a@t0..a@t59` (indices 0..59), two tier-0 lanes `a~x`, `a~y`
// (60 = @y, 61 = @z) and eight tier-0 lanes `b00..b07` (62..69 = @10..@17). Twelve lane
// audits pick the ten tier-0 lanes and the first two windows by id (indices 0 and 1).
const LANES = [
  ...Array.from({ length: 60 }, (_, k) => `a@t${k}`),
  'a~x', 'a~y',
  ...Array.from({ length: 8 }, (_, k) => `b0${k}`),
].map((id, i) => ({ id, W: [((i % 7) - 3) / 2.5, ((i * 5) % 11) / 8 - 0.6] }));
const SYMBOL_ORDER = ['@0', '@1', '@10', '@11', '@12', '@13', '@14', '@15', '@16', '@17', '@y', '@z'];
const INDEX_ORDER = ['@0', '@1', '@y', '@z', '@10', '@11', '@12', '@13', '@14', '@15', '@16', '@17'];
// sha256 of the pack as this writer emits it (symbol order), and as writers before the
// fix emitted it (index order, checked against the old writer); they differ only in the
// order of Part B's entries.
const SHA_SYMBOL_ORDER = '588e35b4e684fe3dc0ac7df01593f270fc083161ffcdfc8a931f4170a2a5b935';
const SHA_INDEX_ORDER = 'f3f1c5e575a20fbb46181663c94b30f530d1b336a28a1ddb9448357d072f9c59';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const open = (b: Uint8Array) => openPack(bytesSource(b, 'audit-order.bin'));

/** Part B entries of the AUDIT section at `at`: [sym, bytes of the whole entry]. */
function partB(bytes: Uint8Array, at: number): Array<[string, Uint8Array]> {
  let o = at + AUDIT_CLASS_BYTES;
  const n = bytes[o] | (bytes[o + 1] << 8);
  o += 2;
  const out: Array<[string, Uint8Array]> = [];
  for (let k = 0; k < n; k++) {
    const len = bytes[o];
    out.push([new TextDecoder().decode(bytes.subarray(o + 1, o + 1 + len)), bytes.slice(o, o + 1 + len + 6)]);
    o += 1 + len + 6;
  }
  return out;
}

/** The same pack with Part B's entries rewritten in `order` (unsigned, so nothing else binds them). */
function reorder(bytes: Uint8Array, at: number, order: readonly string[]): Uint8Array {
  const entries = new Map(partB(bytes, at));
  const out = bytes.slice();
  let o = at + AUDIT_CLASS_BYTES + 2;
  for (const s of order) { const e = entries.get(s)!; out.set(e, o); o += e.length; }
  return out;
}

describe('AUDIT Part B order (L-AUDIT)', () => {
  const res = encodePack(LANES, 2, { laneAudits: 12 });

  it('the selection is the first 12 by tier then id, listed by symbol bytes', () => {
    expect(res.ids.slice(58, 64)).toEqual(['a@t8', 'a@t9', 'a~x', 'a~y', 'b00', 'b01']);
    expect(selectAuditLanes(res.ids, 12).map(symbolFor)).toEqual(SYMBOL_ORDER);
    expect(res.audit!.lanes.map((l) => l.sym)).toEqual(SYMBOL_ORDER);
  });

  it('the writer emits symbol order (golden hash)', async () => {
    const r = await open(res.bytes);
    const at = r.sections.find((s) => s.name === 'AUDIT')!.offset;
    expect(partB(res.bytes, at).map(([s]) => s)).toEqual(SYMBOL_ORDER);
    expect(r.audit!.lanes.map((l) => l.sym)).toEqual(SYMBOL_ORDER);
    expect(toHex(partB(res.bytes, at)[2][1])).toBe('03403130020001000080'); // @10 (`b00` = [1.2, −0.35]): 2 samples, 1 clipped, q16 32768
    expect(sha(res.bytes)).toBe(SHA_SYMBOL_ORDER);
  });

  it('a pack written in index order (before the fix) still opens, its entries as written', async () => {
    const r0 = await open(res.bytes);
    const at = r0.sections.find((s) => s.name === 'AUDIT')!.offset;
    const legacy = reorder(res.bytes, at, INDEX_ORDER);
    expect(sha(legacy)).toBe(SHA_INDEX_ORDER);
    const r = await open(legacy);
    expect(r.audit!.lanes.map((l) => l.sym)).toEqual(INDEX_ORDER);
    expect(r.merkleRoot).toEqual(r0.merkleRoot);
  });

  it('a list in neither order, or with a repeated symbol, is bad_audit', async () => {
    const r0 = await open(res.bytes);
    const at = r0.sections.find((s) => s.name === 'AUDIT')!.offset;
    const mixed = ['@0', '@1', '@10', '@y', '@11', '@12', '@13', '@14', '@15', '@16', '@17', '@z'];
    for (const order of [mixed, ['@1', '@0', ...SYMBOL_ORDER.slice(2)]]) {
      const err = await open(reorder(res.bytes, at, order)).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(AsxError);
      expect((err as AsxError).code).toBe('bad_audit');
    }
    // The two orders agree below 62 lanes: nothing changes for small packs.
    const small = encodePack(LANES.slice(0, 62), 2, { laneAudits: 12 });
    expect(small.audit!.lanes.map((l) => l.sym)).toEqual([...small.audit!.lanes.map((l) => l.sym)].sort((a, b) => symbolIndex(a) - symbolIndex(b)));
  });
});

