import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildTraversal, fixtureTensor, gridTensor, initialMass, mulQ16, traverseCpu, traverseCpuFinal, traverseFinalFromMass, type TraversalBuffers } from './traverse.ts';

/** The traversal law written out directly with mulQ16 (the reference the fast loop must equal). */
function reference(t: TraversalBuffers, start: number[], K: number): Uint32Array[] {
  return referenceFrom(t, initialMass(t.nodeCount, start), K);
}

function referenceFrom(t: TraversalBuffers, mass0: Uint32Array, K: number): Uint32Array[] {
  let mass = mass0;
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
      for (const kernel of ['js', 'wasm'] as const) expect(Array.from(traverseFinalFromMass(t, initialMass(t.nodeCount, start), 12, kernel))).toEqual(Array.from(want[12]));
    }
  });
  it('the JS and WebAssembly loops agree on the 256×256 benchmark grid (40 steps, 4 start nodes)', () => {
    const t = buildTraversal(gridTensor(256, 256));
    const m0 = initialMass(t.nodeCount, [0, 257, 514, 32768]);
    const js = traverseFinalFromMass(t, m0, 40, 'js');
    expect(Array.from(traverseFinalFromMass(t, m0, 40, 'wasm'))).toEqual(Array.from(js));
    expect(Array.from(traverseCpu(t, [0, 257, 514, 32768], 40)[40].mass)).toEqual(Array.from(js));
  });
  it('the int32 formula (Math.imul(m>>>16, q) + (Math.imul(m&0xffff, q)>>>16)) is mulQ16 for every u32 mass and q ≤ 65536', () => {
    const f = (m: number, q: number): number => (Math.imul(m >>> 16, q) + (Math.imul(m & 0xffff, q) >>> 16)) >>> 0;
    for (const m of [0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffeffff, 0xffffffff]) for (const q of [0, 1, 32768, 65535, 65536]) expect(f(m | 0, q)).toBe(mulQ16(m, q));
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 65536 }), (m, q) => f(m | 0, q) === mulQ16(m, q)), { numRuns: 5000 });
  });
  it('coefficients above 65536 take the mulQ16 path', () => {
    const t = buildTraversal(fixtureTensor());
    const c = { ...t, coef: t.coef.map((q, e) => (e === 0 ? 0xfffff : q)) };
    expect(Array.from(traverseCpuFinal(c, [0], 5))).toEqual(Array.from(reference(c, [0], 5)[5]));
    expect(() => traverseFinalFromMass(c, initialMass(c.nodeCount, [0]), 5, 'wasm')).toThrow(/65536/);
  });
  it('equals the mulQ16 reference on random graphs, masses up to 2^32 − 1 and q up to 65536', () => {
    const node = (n: number) => fc.integer({ min: 0, max: n - 1 });
    const q = fc.oneof(fc.constant(0), fc.constant(65536), fc.constant(65535), fc.integer({ min: 0, max: 65536 }));
    const mass = fc.oneof(fc.constant(0), fc.constant(0xffffffff), fc.integer({ min: 0xffffffff - 200000, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }));
    const graph = fc.integer({ min: 1, max: 24 }).chain((n) => fc.record({
      masses: fc.array(mass, { minLength: n, maxLength: n }),
      edges: fc.array(fc.tuple(node(n), node(n), q), { maxLength: 70 }),
      K: fc.integer({ min: 0, max: 6 }),
    }));
    fc.assert(fc.property(graph, ({ masses, edges, K }) => {
      const t = randomBuffers(masses.length, edges);
      const m0 = Uint32Array.from(masses);
      const want = Array.from(referenceFrom(t, Uint32Array.from(masses), K)[K]);
      for (const kernel of ['js', 'wasm'] as const) {
        expect(Array.from(traverseFinalFromMass(t, m0, K, kernel))).toEqual(want);
        expect(Array.from(m0)).toEqual(masses); // the start masses are not touched
      }
    }), { numRuns: 400 });
  });
  it('start sets on random graphs: the history loop and the final-only loop equal the reference', () => {
    const graph = fc.integer({ min: 1, max: 30 }).chain((n) => fc.record({
      n: fc.constant(n),
      edges: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: 65536 })), { maxLength: 90 }),
      start: fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 5 }),
    }));
    fc.assert(fc.property(graph, ({ n, edges, start }) => {
      const t = randomBuffers(n, edges);
      const want = reference(t, start, 7).map((m) => Array.from(m));
      const got = traverseCpu(t, start, 7);
      expect(got.map((s) => Array.from(s.mass))).toEqual(want);
      // flows: step k+1 carries ⌊mass_k(from)·q/65536⌋ per edge (step 0 none)
      expect(got.map((s) => Array.from(s.flow))).toEqual(want.map((_m, k) => edges.map(([a, , q]) => (k === 0 ? 0 : mulQ16(want[k - 1][a], q)))));
      expect(Array.from(traverseCpuFinal(t, start, 7))).toEqual(want[7]);
    }), { numRuns: 200 });
  });
  it('an edge naming a node outside the graph is rejected', () => {
    const t = randomBuffers(3, [[0, 1, 65536]]);
    t.edges[1] = 3;
    expect(() => traverseCpuFinal(t, [0], 1)).toThrow(/outside/);
    expect(() => traverseCpu(t, [0], 1)).toThrow(/outside/);
  });
});

/** Traversal buffers for arbitrary edges (from, to, q): only what the step reads is filled in. */
function randomBuffers(N: number, edges: Array<[number, number, number]>): TraversalBuffers {
  const E = edges.length, outDegree = new Uint32Array(N);
  for (const [a] of edges) outDegree[a]++;
  return {
    nodeCount: N, edgeCount: E, nodes: new Float32Array(4 * N), edges: Uint32Array.from(edges.flatMap(([a, b]) => [a, b])),
    weights: new Float32Array(3 * E), scales: new Float32Array(E).fill(1), meta: Uint32Array.from([N, E, 1, 0]),
    coef: Uint32Array.from(edges.map((e) => e[2])), outDegree, edgePath: edges.map(() => ''),
  };
}
