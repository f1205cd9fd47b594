import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { merkleRootFlat, sha256Batch, sha256Into, sha256Pair, sha256PairsLevel } from './sha256.ts';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../bytes/hex.ts';

const ascii = (s: string) => new TextEncoder().encode(s);
const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
function batchHex(msg: Uint8Array): string {
  const out = new Uint8Array(32);
  sha256Batch(msg, 0, msg.length, msg.length, 1, out, 0);
  return toHex(out);
}

describe('batch SHA-256: NIST FIPS 180-4 example vectors', () => {
  it('empty (0 bytes)', () => expect(batchHex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'));
  it('"abc"', () => expect(batchHex(ascii('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'));
  it('448-bit (56 bytes: length spills into a second block)', () => expect(batchHex(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'));
  it('896-bit (112 bytes, two blocks + padding)', () => expect(batchHex(ascii('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu'))).toBe('cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1'));
  it('one million "a" in one call (multi-block)', () => expect(batchHex(new Uint8Array(1_000_000).fill(0x61))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'));
  it('padding boundaries 0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 131 bytes agree with node:crypto', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 127, 128, 131, 1000]) {
      const m = new Uint8Array(n).map((_, i) => (i * 37 + n) & 0xff);
      expect(batchHex(m), `${n} bytes`).toBe(node(m));
    }
  });
});

describe('batch SHA-256 against node:crypto (property)', () => {
  it('many messages at a stride into one buffer, at offsets', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 3 }), (len, gap, count, off, outOff) => {
      const stride = len + gap;
      const data = new Uint8Array(off + stride * count + 1).map((_, i) => (i * 131 + len) & 0xff);
      const out = new Uint8Array(outOff + 32 * count).fill(0xee);
      sha256Batch(data, off, len, stride, count, out, outOff);
      for (let i = 0; i < count; i++) {
        if (toHex(out.subarray(outOff + 32 * i, outOff + 32 * i + 32)) !== node(data.subarray(off + i * stride, off + i * stride + len))) return false;
      }
      return out.subarray(0, outOff).every((b) => b === 0xee);
    }), { numRuns: 300 });
  });
  it('random byte strings one at a time', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1500 }), (b) => {
      const out = new Uint8Array(32);
      sha256Into(b, 0, b.length, out, 0);
      return toHex(out) === node(b);
    }), { numRuns: 300 });
  });
});

describe('merkle levels', () => {
  it('a pair level (even and odd counts, in place) equals sha256(left ‖ right) from node:crypto', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 33 }), fc.boolean(), (n, inPlace) => {
      const level = new Uint8Array(32 * n).map((_, i) => (i * 7 + n) & 0xff);
      const copy = level.slice();
      const out = inPlace ? level : new Uint8Array(32 * ((n + 1) >> 1));
      const m = sha256PairsLevel(level, n, out);
      for (let i = 0; i < m; i++) {
        const l = copy.subarray(64 * i, 64 * i + 32);
        const r = 2 * i + 1 < n ? copy.subarray(64 * i + 32, 64 * i + 64) : l;
        if (toHex(out.subarray(32 * i, 32 * i + 32)) !== createHash('sha256').update(l).update(r).digest('hex')) return false;
      }
      return m === (n + 1) >> 1;
    }), { numRuns: 100 });
  });
  it('merkleRootFlat equals the level-by-level root with @noble', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 31, 100]) {
      const leaves = Array.from({ length: n }, (_, i) => nobleSha256(new Uint8Array([i, n])));
      let level: Uint8Array[] = leaves;
      while (level.length > 1) {
        const next: Uint8Array[] = [];
        for (let i = 0; i < level.length; i += 2) {
          const h = nobleSha256.create();
          h.update(level[i]); h.update(level[i + 1] ?? level[i]);
          next.push(h.digest());
        }
        level = next;
      }
      const flat = new Uint8Array(32 * n);
      leaves.forEach((l, i) => flat.set(l, 32 * i));
      expect(toHex(merkleRootFlat(flat, n)!), `${n} leaves`).toBe(toHex(level[0]));
    }
    expect(merkleRootFlat(new Uint8Array(0), 0)).toBeNull();
  });
  it('sha256Pair of other lengths still hashes the concatenation', () => {
    const a = ascii('left side'), b = ascii('right');
    expect(toHex(sha256Pair(a, b))).toBe(createHash('sha256').update(a).update(b).digest('hex'));
  });
});
