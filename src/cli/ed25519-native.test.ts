/**
 * OpenSSL's Ed25519 (node:crypto) as a faster way to accept: verifyMessageAsync with it gives
 * the core's verdict (noble, RFC 8032 strict, small-order keys rejected) on valid, tampered and
 * crafted signatures, including ones OpenSSL alone accepts (small-order public key).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as ed from '@noble/ed25519';
import { nodeEd25519Verify } from './node-hash.ts';
import { publicKeyOf, signMessage, verifyMessage, verifyMessageAsync } from '../core/pack/sign.ts';

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const le32 = (n: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn));

async function both(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array): Promise<[boolean, boolean, boolean]> {
  return [verifyMessage(sig, msg, pub), await verifyMessageAsync(sig, msg, pub), await verifyMessageAsync(sig, msg, pub, nodeEd25519Verify)];
}

describe('native Ed25519 fast accept', () => {
  it('agrees with the core on valid and tampered signatures', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 300 }), fc.integer({ min: -1, max: 95 }), fc.integer({ min: 1, max: 255 }), async (seed, msg, flip, x) => {
      const pub = publicKeyOf(seed);
      const sig = signMessage(seed, msg);
      if (flip >= 0 && flip < 64) sig[flip] ^= x;
      else if (flip >= 64) pub[flip - 64] ^= x;
      const [sync, asyncCore, withNative] = await both(sig, msg, pub);
      expect(asyncCore).toBe(sync);
      expect(withNative).toBe(sync);
      if (flip < 0) expect(withNative).toBe(true);
    }), { numRuns: 150 });
  });
  it('rejects what OpenSSL alone accepts: small-order public keys', async () => {
    const identity = le32(1n); // y = 1: the neutral point, order 1
    const msg = new TextEncoder().encode('any pack');
    // [S]B − [k]·0 = R: with R = [s]B and S = s OpenSSL's cofactorless equation holds.
    const s = 12345n;
    const R = ed.Point.BASE.multiply(s).toBytes();
    const sig = new Uint8Array(64);
    sig.set(R, 0); sig.set(le32(s), 32);
    expect(nodeEd25519Verify(sig, msg, identity)).toBe(true);
    expect(await both(sig, msg, identity)).toEqual([false, false, false]);
    // All-zero SIGNATURE section (the fuzz finding): key y = 0 is of order 4.
    const zeros = new Uint8Array(64);
    expect(await both(zeros, msg, new Uint8Array(32))).toEqual([false, false, false]);
  });
  it('rejects S ≥ L and non-canonical encodings like the core', async () => {
    const seed = new Uint8Array(32).fill(7);
    const pub = publicKeyOf(seed);
    const msg = new Uint8Array([1, 2, 3]);
    const sig = signMessage(seed, msg);
    let S = 0n;
    for (let i = 63; i >= 32; i--) S = (S << 8n) | BigInt(sig[i]);
    const malleable = sig.slice();
    malleable.set(le32(S + L), 32);
    expect(await both(malleable, msg, pub)).toEqual([false, false, false]);
    const badKey = new Uint8Array(32).fill(0xff); // y ≥ p
    expect(await both(sig, msg, badKey)).toEqual([false, false, false]);
  });
});
