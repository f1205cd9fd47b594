/** The unrolled compression is the generator's output, and works on views at any byte offset. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { sha256UnrolledSource } from './sha256-gen.ts';
import { sha256Batch, sha256Into, sha256PairsLevel } from './sha256.ts';
import { toHex } from '../bytes/hex.ts';

const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('unrolled SHA-256', () => {
  it('sha256-unrolled.ts is what sha256-gen.ts generates', () => {
    expect(readFileSync(new URL('./sha256-unrolled.ts', import.meta.url), 'utf8')).toBe(sha256UnrolledSource());
  });
  it('messages inside a subarray (non-zero, unaligned byteOffset) hash like node:crypto', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 5 }), (shift, len, count) => {
      const backing = new Uint8Array(shift + len * count + 7).map((_, i) => (i * 53 + len) & 0xff);
      const data = backing.subarray(shift);
      const out = new Uint8Array(32 * count);
      sha256Batch(data, 0, len, len, count, out, 0);
      for (let i = 0; i < count; i++) if (toHex(out.subarray(32 * i, 32 * i + 32)) !== node(data.subarray(i * len, i * len + len))) return false;
      const one = new Uint8Array(32);
      sha256Into(data, 1 % Math.max(1, data.length), Math.max(0, len - 1), one, 0);
      return toHex(one) === node(data.subarray(1 % Math.max(1, data.length), 1 % Math.max(1, data.length) + Math.max(0, len - 1)));
    }), { numRuns: 200 });
  });
  it('a merkle level inside a subarray, odd count, hashes like node:crypto', () => {
    const backing = new Uint8Array(5 + 32 * 7).map((_, i) => (i * 29) & 0xff);
    const level = backing.subarray(5);
    const copy = level.slice();
    const out = new Uint8Array(32 * 4);
    expect(sha256PairsLevel(level, 7, out)).toBe(4);
    for (let i = 0; i < 4; i++) {
      const l = copy.subarray(64 * i, 64 * i + 32);
      const r = 2 * i + 1 < 7 ? copy.subarray(64 * i + 32, 64 * i + 64) : l;
      expect(toHex(out.subarray(32 * i, 32 * i + 32))).toBe(createHash('sha256').update(l).update(r).digest('hex'));
    }
  });
});
