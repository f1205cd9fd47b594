/**
 * DESIGN addendum 6: "Flipping any byte of a signed pack must make verification fail."
 * For a signed pack carrying every section (QSCALE, AUDIT with per-lane entries, MERKLE,
 * SIGNATURE) each byte is flipped in turn — one pass with xor 0x01, one with xor 0x80 — and
 * verification (openPack, then verifyPack with lanes) must fail: either open throws an
 * AsxError or the report is not ok. The unmodified pack must verify.
 */
import { describe, expect, it } from 'vitest';
import { AsxError } from '../errors.ts';
import { bytesSource } from '../bytes/source.ts';
import { encodePack } from './write.ts';
import { openPack, type SectionName } from './read.ts';
import { verifyPack } from './verify.ts';

const KEY = new Uint8Array(32).map((_, i) => (i * 13 + 5) & 0xff);
const IDS = [
  'policy', 'policy@t0', 'attention', 'attention@t1', 'value@early', 'policy@t0__x__attention@t1',
  'policy@row', 'value', 'zeta-\u00fc', 'emoji-\u{1F600}', 'policy@t*', 'attention@late',
];

function makePack(): Uint8Array {
  let s = 0x1234567;
  const rnd = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 4294967296; };
  const lanes = IDS.map((id) => ({ id, W: Array.from({ length: 8 }, () => (rnd() * 2 - 1) * 1.3) }));
  return encodePack(lanes, 8, { qscale: true, audit: true, laneAudits: 5, merkle: true, signKey: KEY }).bytes;
}

type Verdict = { failed: boolean; how: string };

async function verdict(b: Uint8Array): Promise<Verdict> {
  let r;
  try {
    r = await openPack(bytesSource(b, 'tampered.bin'));
  } catch (e) {
    if (!(e instanceof AsxError)) throw new Error(`openPack threw a non-AsxError: ${(e as Error).message}`);
    return { failed: true, how: `open:${e.code}` };
  }
  const rep = await verifyPack(r, { lanes: true });
  return { failed: !rep.ok, how: rep.ok ? 'ok' : `verify:${rep.issues.map((i) => i.code).sort().join('+')}` };
}

describe('signed pack tamper evidence (addendum 6)', () => {
  const pack = makePack();

  it('the unmodified pack has every section and verifies with a valid signature', async () => {
    const r = await openPack(bytesSource(pack));
    expect(r.sections.map((s) => s.name)).toEqual(['HEADER', 'DICT', 'INDEX', 'DATA', 'QSCALE', 'AUDIT', 'MERKLE', 'SIGNATURE']);
    expect(r.audit!.lanes.length).toBe(5);
    const rep = await verifyPack(r, { lanes: true });
    expect(rep).toMatchObject({ ok: true, signature: 'valid', root: 'ok', leaves: 'ok', leavesChecked: IDS.length, issues: [] });
  });

  for (const mask of [0x01, 0x80]) {
    it(`flipping any single byte (xor 0x${mask.toString(16).padStart(2, '0')}) makes verification fail`, async () => {
      const r = await openPack(bytesSource(pack));
      const sectionAt = (k: number): SectionName => r.sections.find((s) => k >= s.offset && k < s.offset + s.length)!.name;
      const passed: string[] = [];
      const how = new Map<string, Map<string, number>>();
      for (let k = 0; k < pack.length; k++) {
        const b = pack.slice();
        b[k] ^= mask;
        const v = await verdict(b);
        const sec = sectionAt(k);
        if (!v.failed) passed.push(`byte ${k} (${sec})`);
        const m = how.get(sec) ?? new Map<string, number>();
        m.set(v.how, (m.get(v.how) ?? 0) + 1);
        how.set(sec, m);
      }
      expect(passed).toEqual([]);
      // DATA is outside the signed message: it must be caught by the leaf hashes alone.
      expect([...how.get('DATA')!.keys()].every((h) => h.includes('leaf_mismatch') && !h.includes('bad_signature'))).toBe(true);
      // The signature section itself can only be caught by the signature check.
      expect([...how.get('SIGNATURE')!.keys()]).toEqual(['verify:bad_signature']);
    });
  }
});
