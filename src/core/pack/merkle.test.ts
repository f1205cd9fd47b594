import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { merkleRoot, merkleProof, verifyProof } from './merkle.ts';
import { toHex } from '../bytes/hex.ts';

const H = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());
const leaf = (i: number) => H(new TextEncoder().encode(`leaf ${i}`));

describe('merkle law (addendum 5)', () => {
  it('no leaves: no root; one leaf is its own root', () => {
    expect(merkleRoot([])).toBeNull();
    expect(toHex(merkleRoot([leaf(0)])!)).toBe(toHex(leaf(0)));
  });
  it('two, three (odd level duplicates last) and five leaves, cross-checked with node:crypto', () => {
    const l = [0, 1, 2, 3, 4].map(leaf);
    expect(toHex(merkleRoot(l.slice(0, 2))!)).toBe(toHex(H(l[0], l[1])));
    expect(toHex(merkleRoot(l.slice(0, 3))!)).toBe(toHex(H(H(l[0], l[1]), H(l[2], l[2]))));
    const n01 = H(l[0], l[1]), n23 = H(l[2], l[3]), n44 = H(l[4], l[4]);
    expect(toHex(merkleRoot(l)!)).toBe(toHex(H(H(n01, n23), H(n44, n44))));
  });
  it('vector: leaves sha256("leaf 0".."leaf 2")', () => {
    expect(toHex(merkleRoot([0, 1, 2].map(leaf))!)).toBe(toHex(H(H(leaf(0), leaf(1)), H(leaf(2), leaf(2)))));
  });
  it('proofs verify for every leaf of trees of 1..40 leaves, and fail when anything changes', () => {
    for (let n = 1; n <= 40; n++) {
      const l = Array.from({ length: n }, (_, i) => leaf(i));
      const root = toHex(merkleRoot(l)!);
      for (let i = 0; i < n; i++) {
        const p = merkleProof(l, i, `@${i}`);
        expect(verifyProof(p, root)).toEqual({ ok: true, root });
        if (p.path.length) {
          const bad = { ...p, path: p.path.map((s, k) => (k === 0 ? { ...s, dir: (1 - s.dir) as 0 | 1 } : s)) };
          // Flipping a direction changes the path unless both siblings are equal (duplicated last node).
          if (p.path[0].sibling_hash !== p.leaf_hash) expect(verifyProof(bad, root).ok).toBe(false);
        }
        expect(verifyProof({ ...p, leaf_hash: toHex(leaf(n + 1)) }, root).ok).toBe(false);
      }
    }
  });
  it('proof create → verify round trip (fast-check)', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 100 }), fc.nat(), (leaves, k) => {
      const i = k % leaves.length;
      return verifyProof(merkleProof(leaves, i, '@x'), toHex(merkleRoot(leaves)!)).ok;
    }), { numRuns: 300 });
  });
  it('hostile proof objects get a typed result, never an exception', () => {
    const root = toHex(leaf(0));
    for (const p of [null, 1, 'x', {}, { lane_sym: '@0' }, { lane_sym: '@0', leaf_hash: 'zz' }, { lane_sym: '@0', leaf_hash: root, path: 'no' }, { lane_sym: '@0', leaf_hash: root, path: [{ dir: 2, sibling_hash: root }] }, { lane_sym: '@0', leaf_hash: root, path: new Array(65).fill({ dir: 0, sibling_hash: root }) }]) {
      const r = verifyProof(p, root);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe('bad_proof');
    }
  });
});
