import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sha256, sha256Stream } from './sha256.ts';
import { toHex } from '../bytes/hex.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('SHA-256 (FIPS 180-4 / NIST CAVP example vectors, verbatim)', () => {
  it('"abc"', () => expect(toHex(sha256(ascii('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'));
  it('empty message', () => expect(toHex(sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'));
  it('448-bit message', () => expect(toHex(sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'));
  it('one million "a"', () => {
    const h = sha256Stream();
    const chunk = new Uint8Array(1000).fill(0x61);
    for (let i = 0; i < 1000; i++) h.update(chunk);
    expect(toHex(h.digest())).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });
  it('agrees with node:crypto on random inputs', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => toHex(sha256(b)) === createHash('sha256').update(b).digest('hex')), { numRuns: 300 });
    const big = randomBytes(1 << 20);
    expect(toHex(sha256(big))).toBe(createHash('sha256').update(big).digest('hex'));
  });
});
