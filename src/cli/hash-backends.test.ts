/**
 * The same pack gives the same report whichever SHA-256 backend hashes the lanes: the pure
 * batch hasher, node:crypto (forced for every length) and Web Crypto (forced for every
 * length). Random packs (dims and lane counts spanning one- and multi-block payloads and
 * node:crypto's threshold), intact and tampered (DATA bytes, leaf hashes, the root, the
 * DICT), through openPack, getLane, verifyPack and the manifest.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AsxError } from '../core/errors.ts';
import { bytesSource } from '../core/bytes/source.ts';
import { encodePack } from '../core/pack/write.ts';
import { openPack } from '../core/pack/read.ts';
import { verifyPack } from '../core/pack/verify.ts';
import { packManifest, manifestJson } from '../core/pack/manifest.ts';
import { sampleLanes } from '../core/pack/testkit.ts';
import { pureBackend, setHashBackend, webCryptoBackend, type HashBackend } from '../core/hash/backend.ts';
import { nodeHashBackend } from './node-hash.ts';

const KEY = new Uint8Array(32).map((_, i) => (i * 7 + 1) & 0xff);
const BACKENDS: HashBackend[] = [pureBackend, nodeHashBackend(0), nodeHashBackend(), webCryptoBackend(0)!];

async function outcome(bytes: Uint8Array, backend: HashBackend): Promise<string> {
  const prev = setHashBackend(backend);
  try {
    const r = await openPack(bytesSource(bytes, 'p.bin'));
    const lanes: string[] = [];
    for (const i of [0, r.header.laneCount - 1]) {
      try { lanes.push((await r.getLane(i)).leafHash.join(',')); } catch (e) { lanes.push(e instanceof AsxError ? `${e.code}@${e.where.offset}` : String(e)); }
    }
    const rep = await verifyPack(r, { lanes: true, chunkBytes: 1000 });
    const rep2 = await verifyPack(r, { lanes: true, hash: backend });
    return JSON.stringify({ rep, rep2, lanes, manifest: manifestJson(packManifest(r)) });
  } catch (e) {
    return e instanceof AsxError ? `open:${e.code}@${e.where.offset}:${e.message}` : `other:${String(e)}`;
  } finally {
    setHashBackend(prev);
  }
}

describe('hash backends give identical results', () => {
  it('on random packs, intact and tampered', async () => {
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 1, max: 9 }), fc.constantFrom(1, 4, 26, 27, 30, 60, 511, 512, 700), fc.integer({ min: 1, max: 1e6 }), fc.boolean(),
      fc.constantFrom('none', 'data', 'leaf', 'root', 'dict'), fc.nat(),
      async (n, dims, seed, signed, tamper, at) => {
        const bytes = encodePack(sampleLanes(n, dims, seed), dims, { qscale: true, audit: true, laneAudits: 2, merkle: true, signKey: signed ? KEY : undefined }).bytes.slice();
        const r = await openPack(bytesSource(bytes));
        const idx = r.sections.find((s) => s.name === 'INDEX')!;
        const data = r.sections.find((s) => s.name === 'DATA')!;
        const dict = r.sections.find((s) => s.name === 'DICT')!;
        const merkle = r.sections.find((s) => s.name === 'MERKLE')!;
        if (tamper === 'data') bytes[data.offset + (at % data.length)] ^= 0x10;
        if (tamper === 'leaf') bytes[idx.offset + idx.length - 1 - (at % 32)] ^= 0x01;
        if (tamper === 'root') bytes[merkle.offset + (at % 32)] ^= 0x04;
        if (tamper === 'dict') bytes[dict.offset + (at % dict.length)] ^= 0x20;
        const results = await Promise.all(BACKENDS.map((b) => outcome(bytes, b)));
        for (let k = 1; k < results.length; k++) expect(results[k], BACKENDS[k].name).toBe(results[0]);
        if (tamper === 'none') expect(results[0]).toContain('"ok":true');
      },
    ), { numRuns: 60 });
  });
});

describe('node:crypto streaming SHA-256 (object payloads)', () => {
  it('equals the pure streaming hasher for random chunkings', async () => {
    const { sha256Stream } = await import('../core/hash/sha256.ts');
    const node = nodeHashBackend();
    fc.assert(fc.property(fc.uint8Array({ maxLength: 5000 }), fc.array(fc.integer({ min: 1, max: 700 }), { maxLength: 12 }), (data, cuts) => {
      const a = sha256Stream();
      const b = node.sha256Stream!();
      let off = 0;
      for (const c of [...cuts, data.length]) {
        const part = data.subarray(off, Math.min(data.length, off + c));
        a.update(part);
        b.update(part);
        off += part.length;
        if (off >= data.length) break;
      }
      expect(Buffer.from(b.digest()).toString('hex')).toBe(Buffer.from(a.digest()).toString('hex'));
    }), { numRuns: 200 });
  });
});
