import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildTraversal, fixtureTensor, gridTensor, initialMass, mulQ16, traverseCpu, traverseCpuFinal, type TraversalBuffers } from './traverse.ts';

/** The traversal law written out directly with mulQ16 (the reference the fast loop must equal). */
function reference(t: TraversalBuffers, start: number[], K: number): Uint32Array[] {
  let mass = initialMass(t.nodeCount, start);
  const out = [mass];
  for (let k = 0; k < K; k++) {
    const next = new Uint32Array(t.nodeCount);
    for (let e = 0; e < t.edgeCount; e++) next[t.edges[2 * e + 1]] += mulQ16(mass[t.edges[2 * e]], t.coef[e]);
    for (let i = 0; i < t.nodeCount; i++) if (t.outDegree[i] === 0) next[i] += mass[i];
    mass = next;
    out.push(mass);
  }
  return out;
}

describe('typed-array traversal loop', () => {
  it('equals the mulQ16 reference, and the final-only loop equals the last step', () => {
    for (const t of [buildTraversal(fixtureTensor()), buildTraversal(gridTensor(17, 11))]) {
      const start = [0, Math.floor(t.nodeCount / 2)];
      const want = reference(t, start, 12);
      const got = traverseCpu(t, start, 12);
      expect(got.map((s) => Array.from(s.mass))).toEqual(want.map((m) => Array.from(m)));
      expect(Array.from(traverseCpuFinal(t, start, 12))).toEqual(Array.from(want[12]));
    }
  });
  it('float64 product then truncation is mulQ16 for every u32 mass and q ≤ 65536', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 65536 }), (m, q) => ((m * q * (1 / 65536)) >>> 0) === mulQ16(m, q)), { numRuns: 5000 });
  });
  it('coefficients above 65536 take the mulQ16 path', () => {
    const t = buildTraversal(fixtureTensor());
    const c = { ...t, coef: t.coef.map((q, e) => (e === 0 ? 0xfffff : q)) };
    expect(Array.from(traverseCpuFinal(c, [0], 5))).toEqual(Array.from(reference(c, [0], 5)[5]));
  });
});
