import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { verify as nodeVerify, createPublicKey } from 'node:crypto';
import { encodePack } from './write.ts';
import { openPack } from './read.ts';
import { verifyPack } from './verify.ts';
import { bytesSource, CountingSource } from '../bytes/source.ts';
import { AsxError } from '../errors.ts';
import { quantizeLane } from './quant.ts';
import { classifyLane } from './classes.ts';
import { merkleProof, verifyProof, merkleRoot } from './merkle.ts';
import { toHex } from '../bytes/hex.ts';
import { decodeToV2c, parseV2c, v2cHash, makeV2c } from './v2c-json.ts';
import { signatureMessage } from './sign.ts';
import { sampleLanes } from './testkit.ts';
import { FLAG_AUDIT, FLAG_MERKLE, FLAG_QSCALE, FLAG_SIGNATURE, HEADER_BYTES } from './layout.ts';
import { exactPackSize } from './layout.ts';
import { selectAuditLanes } from './tiers.ts';

const SEED = new Uint8Array(32).map((_, i) => i * 7 + 1);
const open = (b: Uint8Array) => openPack(bytesSource(b, 't.bin'));
async function code(p: Promise<unknown>): Promise<string> {
  try { await p; return 'ok'; } catch (e) { if (e instanceof AsxError) return e.code; throw e; }
}

describe('weights.v2c-bin writer/reader', () => {
  it('header and sections follow addenda 1 and 2', async () => {
    const lanes = sampleLanes(11, 16);
    const { bytes, ids } = encodePack(lanes, 16, { laneAudits: 3, signKey: SEED });
    const dv = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('ASXW2CBN');
    expect(dv.getUint16(8, true)).toBe(0x0100);
    expect(dv.getUint16(10, true)).toBe(1 | FLAG_MERKLE | FLAG_SIGNATURE | FLAG_QSCALE | FLAG_AUDIT);
    expect(dv.getUint16(12, true)).toBe(16);
    expect(dv.getUint16(14, true)).toBe(11);
    expect(dv.getUint32(24, true)).toBe(11 * 35);
    expect(dv.getUint32(28, true)).toBe(32);
    expect(dv.getUint32(32, true)).toBe(96);
    const r = await open(bytes);
    expect(r.sections.map((s) => s.name)).toEqual(['HEADER', 'DICT', 'INDEX', 'DATA', 'QSCALE', 'AUDIT', 'MERKLE', 'SIGNATURE']);
    expect(r.sections.find((s) => s.name === 'AUDIT')!.length).toBe(61 + 2 + 3 * 9);
    expect(r.ids).toEqual(ids);
    expect(bytes.length).toBe(exactPackSize({ ids, dims: 16, qscale: true, audit: true, laneAudits: 3, merkle: true, signed: true }));
    // Part B holds the first 3 lanes by tier, then id, listed in symbol order.
    expect(r.audit!.lanes.map((l) => r.ids[Number(r.find(l.sym))])).toEqual(selectAuditLanes(ids, 3).map((i) => ids[i]));
  });

  it('lanes decode to the quantized inputs with the stored float32 scales', async () => {
    const lanes = sampleLanes(20, 24, 5, 1.2);
    const res = encodePack(lanes, 24);
    const r = await open(res.bytes);
    for (const lane of lanes) {
      const got = await r.getLane(lane.id);
      const s = res.scales[classifyLane(lane.id)];
      expect(Math.fround(s)).toBe(s);
      expect(Array.from(got.q)).toEqual(Array.from(quantizeLane(lane.W, s)));
    }
  });

  it('opening reads header, DICT, INDEX and the tail only; a lane read adds one payload', async () => {
    const { bytes } = encodePack(sampleLanes(40, 64), 64, { signKey: SEED });
    const src = new CountingSource(bytesSource(bytes));
    const r = await openPack(src);
    expect(src.bytesRead).toBe(bytes.length - r.header.dataBytes);
    await r.getLane(7);
    expect(src.bytesRead).toBe(bytes.length - r.header.dataBytes + 131);
  });

  it('no lanes: no MERKLE section, flag bit1 clear; one lane: root is its leaf', async () => {
    const empty = encodePack([], 8);
    const dv = new DataView(empty.bytes.buffer);
    expect(dv.getUint16(10, true) & FLAG_MERKLE).toBe(0);
    const r0 = await open(empty.bytes);
    expect(r0.ids).toEqual([]);
    expect((await verifyPack(r0)).ok).toBe(true);
    const one = encodePack([{ id: 'policy', W: [0.1, 0.2] }], 2);
    const r1 = await open(one.bytes);
    expect(toHex(r1.merkleRoot!)).toBe(toHex(r1.index[0].leafHash));
  });

  it('more than 62 lanes round-trip with symbols @z and @10', async () => {
    const lanes = sampleLanes(130, 4, 9);
    const r = await open(encodePack(lanes, 4).bytes);
    expect(r.index[61].sym).toBe('@z');
    expect(r.index[62].sym).toBe('@10');
    expect((await verifyPack(r)).ok).toBe(true);
  });

  it('decode → encode reproduces DICT, INDEX, DATA, QSCALE and MERKLE (whole bytes without AUDIT)', async () => {
    const lanes = sampleLanes(30, 16, 3, 1.0);
    for (const audit of [false, true]) {
      const a = encodePack(lanes, 16, { audit });
      const doc = await decodeToV2c(await open(a.bytes));
      const { doc: parsed, lanes: back } = parseV2c(JSON.parse(JSON.stringify(doc)));
      const b = encodePack(back, parsed.dims, { scales: parsed.qscale, audit });
      const ra = await open(a.bytes), rb = await open(b.bytes);
      expect(toHex(rb.head)).toBe(toHex(ra.head));
      expect(toHex(b.bytes.subarray(rb.dataStart, rb.dataStart + rb.header.dataBytes))).toBe(toHex(a.bytes.subarray(ra.dataStart, ra.dataStart + ra.header.dataBytes)));
      expect(toHex(rb.merkleRoot!)).toBe(toHex(ra.merkleRoot!));
      expect(rb.scales).toEqual(ra.scales);
      if (!audit) expect(toHex(b.bytes)).toBe(toHex(a.bytes));
    }
  });

  it('round trip over random lane sets (fast-check): encode → open → verify → decode, proofs verify', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }), { minLength: 0, maxLength: 80 }),
      fc.constantFrom(1, 2, 16, 24, 64),
      fc.integer({ min: 1, max: 1 << 30 }),
      fc.record({ qscale: fc.boolean(), audit: fc.boolean(), merkle: fc.boolean(), laneAudits: fc.nat(10), sign: fc.boolean() }),
      async (ids, dims, seed, o) => {
        const lanes = sampleLanes(ids.length, dims, seed, 1.5).map((l, i) => ({ ...l, id: ids[i] }));
        const res = encodePack(lanes, dims, { qscale: o.qscale, audit: o.audit, merkle: o.merkle, laneAudits: o.laneAudits, signKey: o.sign ? SEED : undefined });
        const r = await open(res.bytes);
        const rep = await verifyPack(r);
        if (!rep.ok) return false;
        if (o.sign !== (rep.signature === 'valid')) return false;
        const leaves = r.index.map((e) => e.leafHash);
        for (const lane of lanes) {
          const got = await r.getLane(lane.id);
          const want = quantizeLane(lane.W, res.scales[classifyLane(lane.id)]);
          if (toHex(new Uint8Array(got.q.buffer)) !== toHex(new Uint8Array(want.buffer))) return false;
          if (o.merkle && !verifyProof(merkleProof(leaves, got.index, got.sym), toHex(r.merkleRoot!)).ok) return false;
        }
        return true;
      }), { numRuns: 120 });
  });

  it('same input, byte-identical output', () => {
    const lanes = sampleLanes(25, 32, 11);
    expect(toHex(encodePack(lanes, 32, { signKey: SEED }).bytes)).toBe(toHex(encodePack([...lanes].reverse(), 32, { signKey: SEED }).bytes));
  });

  it('signature message is domain ‖ bytes before DATA ‖ bytes after DATA up to SIGNATURE (node:crypto agrees)', async () => {
    const { bytes } = encodePack(sampleLanes(12, 16), 16, { signKey: SEED, laneAudits: 2 });
    const r = await open(bytes);
    const dataEnd = r.dataStart + r.header.dataBytes;
    const msg = signatureMessage(bytes.subarray(0, r.dataStart), bytes.subarray(dataEnd, bytes.length - 96));
    expect(new TextDecoder().decode(msg.subarray(0, 15))).toBe('ASXW2CBN-SIG-v1');
    const pub = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(bytes.subarray(bytes.length - 96, bytes.length - 64))]), format: 'der', type: 'spki' });
    expect(nodeVerify(null, msg, pub, bytes.subarray(bytes.length - 64))).toBe(true);
  });

  it('weights.v2c canonical hash covers dict, lanes, dims, bias and meta', () => {
    const doc = makeV2c([{ id: 'policy', W: [0.5, -0.25] }, { id: 'attention', W: [0, 1] }], 2, 0.05, { law: 'lane-dict-scxq2' });
    expect(doc.dict).toEqual({ '@0': 'attention', '@1': 'policy' });
    const h = v2cHash(doc);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(v2cHash({ ...doc, bias: 0.06 })).not.toBe(h);
    expect(v2cHash({ ...doc, meta: { law: 'x' } })).not.toBe(h);
    expect(v2cHash(JSON.parse(JSON.stringify(doc)))).toBe(h);
  });
});

describe('reader errors (addendum 8)', () => {
  const good = encodePack(sampleLanes(9, 8), 8, { signKey: SEED, laneAudits: 2 }).bytes;
  const mutate = (f: (b: Uint8Array, dv: DataView) => void) => { const b = good.slice(); f(b, new DataView(b.buffer)); return b; };

  it('bad_magic from the first bytes', async () => {
    expect(await code(open(mutate((b) => { b[0] = 0x50; })))).toBe('bad_magic');
    expect(await code(open(new TextEncoder().encode('{"not":"a pack"}')))).toBe('bad_magic');
  });
  it('bad_version, unknown_flags', async () => {
    expect(await code(open(mutate((_, dv) => dv.setUint16(8, 0x0200, true))))).toBe('bad_version');
    expect(await code(open(mutate((_, dv) => dv.setUint16(10, dv.getUint16(10, true) | 0x20, true))))).toBe('unknown_flags');
    expect(await code(open(mutate((_, dv) => dv.setUint16(10, dv.getUint16(10, true) & ~1, true))))).toBe('unknown_flags');
  });
  it('truncated and lying length fields', async () => {
    expect(await code(open(good.subarray(0, 20)))).toBe('truncated');
    expect(await code(open(good.subarray(0, good.length - 1)))).toMatch(/section_overflow|truncated|bad_audit/);
    expect(await code(open(mutate((_, dv) => dv.setUint32(16, 0xffffffff, true))))).toBe('section_overflow');
    expect(await code(open(mutate((_, dv) => dv.setUint16(14, 65535, true))))).toBe('section_overflow');
    expect(await code(open(mutate((_, dv) => dv.setUint16(12, 9, true))))).toBe('section_overflow');
  });
  it('leaf_mismatch on a lane read, root_mismatch and bad_signature in the report', async () => {
    const r = await open(good);
    const dataAt = r.dataStart + 3;
    const flipped = mutate((b) => { b[dataAt] ^= 1; });
    const rf = await open(flipped);
    let err: unknown;
    try { await rf.getLane(0); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(AsxError);
    expect((err as AsxError).code).toBe('leaf_mismatch');
    expect((err as AsxError).where.offset).toBe(r.dataStart);
    const rep = await verifyPack(rf);
    expect(rep.ok).toBe(false);
    expect(rep.leaves).toBe('failed');
    expect(rep.signature).toBe('valid'); // DATA is bound through the leaves, not the signature
    const merkleAt = r.sections.find((s) => s.name === 'MERKLE')!.offset;
    const rm = await verifyPack(await open(mutate((b) => { b[merkleAt] ^= 0x80; })));
    expect(rm.root).toBe('failed');
    expect(rm.signature).toBe('invalid');
    expect(rm.issues.map((i) => i.code).sort()).toEqual(['bad_signature', 'root_mismatch']);
  });
  it('trusted keys: another key is untrusted, a missing signature fails when required', async () => {
    const r = await open(good);
    expect((await verifyPack(r, { trustedKeys: ['00'.repeat(32)] })).signature).toBe('untrusted');
    expect((await verifyPack(r, { trustedKeys: [toHex(r.publicKey!)] })).ok).toBe(true);
    const unsigned = await open(encodePack(sampleLanes(3, 4), 4).bytes);
    expect((await verifyPack(unsigned, { requireSignature: true })).issues[0].code).toBe('unsigned');
    expect(merkleRoot([])).toBeNull();
    expect(HEADER_BYTES).toBe(36);
  });
});

describe('regressions found by the fuzz suite', () => {
  const base = encodePack(sampleLanes(5, 4), 4, { signKey: SEED, laneAudits: 2 }).bytes;
  it('an all-zero SIGNATURE (small-order key) never verifies; nor does a forged one on an unsigned pack', async () => {
    const b = base.slice();
    b.fill(0, b.length - 96);
    expect((await verifyPack(await open(b))).signature).toBe('invalid');
    const u = encodePack(sampleLanes(5, 4), 4).bytes;
    const forged = new Uint8Array(u.length + 96);
    forged.set(u);
    const dv = new DataView(forged.buffer);
    dv.setUint16(10, dv.getUint16(10, true) | FLAG_SIGNATURE, true);
    dv.setUint32(32, 96, true);
    expect((await verifyPack(await open(forged))).signature).toBe('invalid');
  });
  it('a BOM before the DICT and a lone-surrogate escape are bad_dict with an offset', async () => {
    const r = await open(base);
    const dictText = new TextDecoder().decode(base.subarray(36, 36 + r.header.dictBytes));
    const rebuild = (text: string) => {
      const d = new TextEncoder().encode(text);
      const out = new Uint8Array(base.length - r.header.dictBytes + d.length);
      out.set(base.subarray(0, 36));
      out.set(d, 36);
      out.set(base.subarray(36 + r.header.dictBytes), 36 + d.length);
      new DataView(out.buffer).setUint32(16, d.length, true);
      return out;
    };
    for (const text of ['\uFEFF' + dictText, dictText.replace(/"policy"/, '"\\ud800"')]) {
      let err: unknown;
      try { await open(rebuild(text)); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(AsxError);
      expect((err as AsxError).code).toBe('bad_dict');
      expect((err as AsxError).where.offset).toBe(36);
    }
  });
  it('AUDIT class totals must match the lane classes; −32768 is not a lane value', async () => {
    const r = await open(base);
    const auditAt = r.sections.find((s) => s.name === 'AUDIT')!.offset;
    const b = base.slice();
    new DataView(b.buffer).setUint32(auditAt + 1, 1_000_000, true);
    expect(await code(open(b))).toBe('bad_audit');
    const u = encodePack([{ id: 'x', W: [-1, 0] }], 2, { qscale: false, audit: false, merkle: false }).bytes;
    const ru = await open(u);
    const m = u.slice();
    new DataView(m.buffer).setInt16(ru.dataStart + 3, -32768, true);
    const leaf = new Uint8Array(await crypto.subtle.digest('SHA-256', m.subarray(ru.dataStart, ru.dataStart + 7)));
    m.set(leaf, ru.dataStart - 32);
    expect(await code((await open(m)).getLane(0))).toBe('bad_lane');
  });
});
