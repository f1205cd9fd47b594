/** verifyPack checks the signature while it hashes: the report keeps check order and the 1,000-issue cap. */
import { describe, expect, it } from 'vitest';
import { encodePack } from './write.ts';
import { openPack } from './read.ts';
import { verifyPack } from './verify.ts';
import { bytesSource } from '../bytes/source.ts';
import { sampleLanes } from './testkit.ts';

const SEED = new Uint8Array(32).map((_, i) => i * 5 + 3);

describe('verify report order', () => {
  it('signature, root, then leaves in lane order, at most 1,000 issues in all', async () => {
    const n = 1100, dims = 2;
    const { bytes } = encodePack(sampleLanes(n, dims), dims, { signKey: SEED });
    const r0 = await openPack(bytesSource(bytes, 'a.bin'));
    const bad = bytes.slice();
    for (let i = 0; i < n; i++) bad[r0.dataStart + i * r0.laneBytes + 3] ^= 1; // every lane's first weight
    const merkle = r0.sections.find((s) => s.name === 'MERKLE')!;
    bad[merkle.offset] ^= 0xff; // root mismatch, and the signature no longer matches
    const rep = await verifyPack(await openPack(bytesSource(bad, 'a.bin')));
    expect(rep.ok).toBe(false);
    expect(rep.signature).toBe('invalid');
    expect(rep.root).toBe('failed');
    expect(rep.leaves).toBe('failed');
    expect(rep.leavesChecked).toBe(n);
    expect(rep.issues.length).toBe(1000);
    expect(rep.issues.slice(0, 2).map((x) => x.code)).toEqual(['bad_signature', 'root_mismatch']);
    expect(rep.issues.slice(2).map((x) => x.offset)).toEqual(Array.from({ length: 998 }, (_, i) => r0.dataStart + i * r0.laneBytes));
    // Unsigned but required: the `unsigned` issue comes first too.
    const { bytes: plain } = encodePack(sampleLanes(4, dims), dims);
    const p = plain.slice();
    const rp = await openPack(bytesSource(p, 'b.bin'));
    p[rp.dataStart + 3] ^= 1;
    const rep2 = await verifyPack(await openPack(bytesSource(p, 'b.bin')), { requireSignature: true });
    expect(rep2.issues.map((x) => x.code)).toEqual(['unsigned', 'leaf_mismatch']);
  });
  it('a read that fails mid-verify rejects with its error (the pending signature check does not leak)', async () => {
    const { bytes } = encodePack(sampleLanes(50, 4), 4, { signKey: SEED });
    const r = await openPack(bytesSource(bytes, 'c.bin'));
    const src = r.source;
    const failing = { ...r, source: { ...src, name: src.name, size: src.size, read: (o: number, l: number) => (o >= r.dataStart ? Promise.reject(new Error('disk gone')) : src.read(o, l)) } };
    await expect(verifyPack(failing)).rejects.toThrow('disk gone');
  });
});
