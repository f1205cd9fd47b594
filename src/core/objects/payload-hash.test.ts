/** §15.5 payload hashing: streamed in chunks through the installed backend's sha256Stream when it has one; same digest either way. */
import { afterEach, describe, expect, it } from 'vitest';
import { hashPayload } from './payload.ts';
import { pureBackend, setHashBackend } from '../hash/backend.ts';
import { sha256Stream } from '../hash/sha256.ts';
import { bytesSource } from '../bytes/source.ts';

afterEach(() => { setHashBackend(null); });

function bytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; b[i] = x & 0xff; }
  return b;
}

describe('hashPayload', () => {
  it('a ByteSource is hashed through the backend stream, chunk by chunk, to the same digest as the pure hasher', async () => {
    const data = bytes(300_001);
    const pure = await hashPayload(bytesSource(data), 65_536);
    const chunks: number[] = [];
    setHashBackend({
      ...pureBackend,
      name: 'counting',
      sha256Stream() {
        const h = sha256Stream();
        return { update: (b: Uint8Array) => { chunks.push(b.length); h.update(b); }, digest: () => h.digest() };
      },
    });
    expect(await hashPayload(bytesSource(data), 65_536)).toBe(pure);
    expect(chunks).toEqual([65_536, 65_536, 65_536, 65_536, 37_857]);
    // NIST: SHA-256("abc")
    expect(await hashPayload(bytesSource(new TextEncoder().encode('abc')))).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
