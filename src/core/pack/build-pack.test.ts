import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildPack } from './build-pack.ts';
import { openPack } from './read.ts';
import { verifyPack } from './verify.ts';
import { bytesSource } from '../bytes/source.ts';
import { decodeToV2c, parseV2c } from './v2c-json.ts';
import { encodePack } from './write.ts';
import { quantizeLane } from './quant.ts';
import { classifyLane } from './classes.ts';
import { toHex } from '../bytes/hex.ts';

const name = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/);
const stream = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 200 });

describe('build → encode → decode (fast-check)', () => {
  it('every built lane decodes to its quantization; the pack verifies; decode → encode keeps the lanes and root', async () => {
    await fc.assert(fc.asyncProperty(
      fc.dictionary(name, stream, { minKeys: 1, maxKeys: 5 }),
      fc.boolean(),
      async (streams, withPolicy) => {
        const doc = { streams: withPolicy ? { ...streams, policy: streams[Object.keys(streams)[0]], attention: [0.5, 0.25, 1, 0] } : streams };
        const built = buildPack(doc, { signKey: new Uint8Array(32).fill(9) });
        expect(built.bytes.length).toBeLessThanOrEqual(5120);
        const r = await openPack(bytesSource(built.bytes));
        const rep = await verifyPack(r);
        expect(rep.ok && rep.signature === 'valid').toBe(true);
        for (const lane of built.v2c ? Object.entries(built.v2c.dict) : []) {
          const [sym, id] = lane;
          const got = await r.getLane(sym);
          expect(got.id).toBe(id);
          expect(Array.from(got.q)).toEqual(Array.from(quantizeLane(built.v2c.lanes[sym].W, built.scales[classifyLane(id)])));
        }
        const { doc: d2, lanes } = parseV2c(JSON.parse(JSON.stringify(await decodeToV2c(r))));
        const again = await openPack(bytesSource(encodePack(lanes, d2.dims, { scales: d2.qscale }).bytes));
        expect(toHex(again.merkleRoot!)).toBe(toHex(r.merkleRoot!));
      }), { numRuns: 60 });
  });
});
