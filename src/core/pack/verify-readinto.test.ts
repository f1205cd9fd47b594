import { describe, expect, it } from 'vitest';
import { bytesSource, CountingSource, type ByteSource } from '../bytes/source.ts';
import { openPack } from './read.ts';
import { verifyPack } from './verify.ts';
import { encodePack } from './write.ts';
import { sampleLanes } from './testkit.ts';

/** bytesSource plus readInto (as the CLI's file source has): the bytes copied into `dst`. */
function intoSource(bytes: Uint8Array): ByteSource & { intoCalls: number } {
  const base = bytesSource(bytes);
  const s = {
    size: base.size,
    intoCalls: 0,
    read: (o: number, l: number) => base.read(o, l),
    async readInto(o: number, l: number, dst: Uint8Array) {
      s.intoCalls++;
      dst.set(await base.read(o, l), 0);
      return dst.subarray(0, l);
    },
  };
  return s;
}

describe('verifyPack over a source with readInto (two reused DATA buffers)', () => {
  const enc = encodePack(sampleLanes(37, 24), 24, { qscale: true, audit: true, merkle: true, signKey: new Uint8Array(32).fill(7) });
  const pl = 3 + 2 * 24;
  const tampered = enc.bytes.slice();
  const hdr = new DataView(enc.bytes.buffer, enc.bytes.byteOffset, 36);
  const dataStart = 36 + hdr.getUint32(16, true) + hdr.getUint32(20, true);
  // Lanes 0, 5 and 36 changed: first chunk, a middle chunk (buffer reused), the short last chunk.
  for (const i of [0, 5, 36]) tampered[dataStart + i * pl + 10] ^= 1;

  for (const [name, bytes] of [['intact', enc.bytes], ['tampered', tampered]] as const) {
    for (const chunkBytes of [pl, 2 * pl, 3 * pl + 7, 1 << 20]) {
      it(`${name}, chunks of ${chunkBytes} bytes: the same report as with read`, async () => {
        const plain = await verifyPack(await openPack(bytesSource(bytes)), { chunkBytes });
        const src = intoSource(bytes);
        const counted = new CountingSource(src);
        const viaInto = await verifyPack(await openPack(counted), { chunkBytes });
        expect(viaInto).toEqual(plain);
        expect(src.intoCalls).toBe(Math.ceil(37 / Math.max(1, Math.floor(chunkBytes / pl))));
        expect(counted.bytesRead).toBe(bytes.length);
        expect(plain.ok).toBe(name === 'intact');
        // DATA is outside the signature: only the three leaves fail.
        if (name === 'tampered') expect(plain.issues.map((x) => x.code)).toEqual(['leaf_mismatch', 'leaf_mismatch', 'leaf_mismatch']);
      });
    }
  }

  it('CountingSource has readInto only when its inner source has it', () => {
    expect(new CountingSource(bytesSource(enc.bytes)).readInto).toBeUndefined();
    expect(typeof new CountingSource(intoSource(enc.bytes)).readInto).toBe('function');
  });
});
