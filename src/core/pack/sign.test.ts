import { describe, expect, it } from 'vitest';
import { createPublicKey, verify as nodeVerify, sign as nodeSign, createPrivateKey } from 'node:crypto';
import { fromHex, toHex } from '../bytes/hex.ts';
import { publicKeyOf, signMessage, verifyMessage, parseSeed } from './sign.ts';

// RFC 8032 §7.1 test vectors, verbatim.
const RFC8032 = [
  {
    name: 'TEST 1',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pub: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3',
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    pub: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    msg: 'af82',
    sig: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
];

export function nodePublicKey(pub: Uint8Array) {
  return createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(pub)]), format: 'der', type: 'spki' });
}

describe('Ed25519 (RFC 8032)', () => {
  for (const v of RFC8032) {
    it(v.name, () => {
      const seed = fromHex(v.secret)!;
      const msg = fromHex(v.msg)!;
      expect(toHex(publicKeyOf(seed))).toBe(v.pub);
      expect(toHex(signMessage(seed, msg))).toBe(v.sig);
      expect(verifyMessage(fromHex(v.sig)!, msg, fromHex(v.pub)!)).toBe(true);
      // Cross-check with node:crypto (OpenSSL).
      expect(nodeVerify(null, msg, nodePublicKey(fromHex(v.pub)!), fromHex(v.sig)!)).toBe(true);
      const priv = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed)]), format: 'der', type: 'pkcs8' });
      expect(toHex(nodeSign(null, msg, priv))).toBe(v.sig);
    });
  }
  it('rejects a flipped signature or message', () => {
    const v = RFC8032[2];
    const sig = fromHex(v.sig)!;
    sig[10] ^= 1;
    expect(verifyMessage(sig, fromHex(v.msg)!, fromHex(v.pub)!)).toBe(false);
    expect(verifyMessage(fromHex(v.sig)!, fromHex('af83')!, fromHex(v.pub)!)).toBe(false);
  });
  it('parses seeds from raw bytes and hex text, rejects others', () => {
    const seed = fromHex(RFC8032[0].secret)!;
    expect(parseSeed(seed)).toEqual(seed);
    expect(parseSeed(new TextEncoder().encode(RFC8032[0].secret + '\n'))).toEqual(seed);
    expect(() => parseSeed(new Uint8Array(31))).toThrow(/32-byte/);
  });
});

describe('async verification (Web Crypto SHA-512) agrees with the sync path', () => {
  it('RFC 8032 vectors, flipped bits and small-order keys', async () => {
    const { verifyMessageAsync } = await import('./sign.ts');
    for (const v of RFC8032) {
      const sig = fromHex(v.sig)!, msg = fromHex(v.msg)!, pub = fromHex(v.pub)!;
      expect(await verifyMessageAsync(sig, msg, pub)).toBe(true);
      const bad = sig.slice();
      bad[0] ^= 1;
      expect(await verifyMessageAsync(bad, msg, pub)).toBe(false);
    }
    expect(await verifyMessageAsync(new Uint8Array(64), new Uint8Array(3), new Uint8Array(32))).toBe(false);
  });
});
