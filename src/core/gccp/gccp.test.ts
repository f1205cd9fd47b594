import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpuExactBackend, cpuF32Backend } from './backend.ts';
import { runConformance, laneFixture, testCVector } from './conformance.ts';
import { f32Bits, bitsToF32, exactAccumulate, collapseFromExact, certifyCollapse, decodeRecord, encodeRecord, roundQ31 } from './exact.ts';
import { gccpF32, pairModel, rotateModel, f32Constants, isZeroBits, angleBetween } from './f32mirror.ts';
import { encodeLanes, decodeLanes, concatLanes, indexHash, cacheLegal } from './lanes.ts';
import { gccpReference, gccpExact, gccpCollapse, collapseFromWeights } from './mirror.ts';
import { parseProfile, profileHash, kernelConstants, DEFAULT_PROFILE, ALIGN_TAU, type PiProfile } from './profile.ts';
import { projectSemantic } from './projection.ts';
import { randomPairs, adversarialPairs, ulpStep, Rng } from './random.ts';
import { superpose } from './superpose.ts';
import { buildTraversal, fixtureTensor, traverseCpu, mulQ16, traversalFromMap, initialMass } from './traverse.ts';
import { AsxError } from '../errors.ts';

const EPS = 0.1745329;
const P = (epsilon = EPS, rotation = 0): PiProfile => ({ '@pi_profile': 't.v1', epsilon, suppress_k: 0.25, rotation });
const objs = (v: ArrayLike<number>) => Array.from({ length: v.length / 2 }, (_, i) => ({ x: v[2 * i], y: v[2 * i + 1] }));

describe('§12.1 canonical vectors on the exact mirror', () => {
  it('Test A: perfect alignment', () => {
    const r = gccpExact([1, 0], [1, 0], P());
    expect([r.phase[0], r.weight[0], r.collapse]).toEqual([0, 1, 1]);
  });
  it('Test B: orthogonal rejection', () => {
    const r = gccpExact([1, 0], [0, 1], P());
    expect(r.phase[0]).toBe(Math.PI / 2);
    expect([r.weight[0], r.collapse]).toEqual([0, 0]);
  });
  it('Test C: boundary tolerance in f64 (phase = ε − 7.5e-16)', () => {
    const r = gccpExact([1, 0], [Math.cos(EPS), Math.sin(EPS)], P());
    expect(r.phase[0]).toBeLessThanOrEqual(EPS);
    expect(EPS - r.phase[0]).toBeCloseTo(7.494e-16, 18);
    expect(r.weight[0]).toBe(1);
  });
  it('Test C in f32: the rounded vector is outside; the nearest f32 vector inside is one ULP down in y', () => {
    const bx = Math.fround(Math.cos(EPS)), by = Math.fround(Math.sin(EPS));
    expect(gccpExact([1, 0], [bx, by], P()).weight[0]).toBe(0); // 7.9e-10 outside
    const [cx, cy] = testCVector(EPS);
    expect([cx, cy]).toEqual([bx, ulpStep(by, -1)]);
    expect(gccpExact([1, 0], [cx, cy], P()).weight[0]).toBe(1);
  });
});

describe('exact mirror = §12.4 verbatim', () => {
  it('bit for bit on random inputs, including rotation 0', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 300 }), fc.double({ min: 0, max: 4, noNaN: true }), (seed, n, eps) => {
      const { a, b } = randomPairs(n, seed, eps);
      const ref = gccpReference(objs(a), objs(b), eps);
      expect(Object.is(gccpExact(a, b, P(eps)).collapse, ref)).toBe(true);
      expect(Object.is(gccpCollapse(a, b, eps), ref)).toBe(true);
    }), { numRuns: 200 });
  });
  it('on double inputs that are not f32 (the CLI without --gpu)', () => {
    const a = [0.1, 0.2, 1e200, 1e-200, 3, 4], b = [0.3, 0.7, 1e200, 1e-200, 3.0000001, 4];
    expect(gccpExact(a, b, P(0.5)).collapse).toBe(gccpReference(objs(a), objs(b), 0.5));
  });
  it('defect: a zero vector has NaN phase and weight 0; a zero accumulator collapses to 0, not NaN', () => {
    const r = gccpExact([0, 0, 1, 0], [1, 0, -1, 0], P());
    expect(Number.isNaN(r.phase[0])).toBe(true);
    expect(Array.from(r.weight)).toEqual([0, 0]);
    expect(r.collapse).toBe(0);
    expect(collapseFromExact(0n, 0n)).toBe(0);
  });
  it('rejects unpaired or non-finite vectors with bad_vectors', () => {
    expect(() => gccpExact([1, 0], [1, 0, 1, 0], P())).toThrow(AsxError);
    expect(() => gccpExact([NaN, 0], [1, 0], P())).toThrow(/not finite/);
  });
  it('collapseFromWeights sums in index order like the mirror', () => {
    const { a, b } = randomPairs(500, 3);
    const r = gccpExact(a, b, P());
    expect(collapseFromWeights(a, r.weight).collapse).toBe(r.collapse);
  });
});

describe('ALIGN band (the parity engineering)', () => {
  it('a certain decision never disagrees with the authority (fast-check over adversarial sets)', () => {
    const kinds = ['boundary', 'magnitude', 'subnormal', 'axis', 'mixed', 'zero'] as const;
    fc.assert(fc.property(fc.constantFrom(...kinds), fc.integer({ min: 0, max: 1e9 }), fc.constantFrom(EPS, 1e-3, 0.7, 2.9, Math.PI, 0, -0.5, 5), fc.constantFrom(0, 0.3, -2, Math.PI), (kind, seed, eps, rot) => {
      const { a, b } = adversarialPairs(kind, 200, seed, Math.min(Math.max(eps, 0), Math.PI));
      const ex = gccpExact(a, b, P(eps, rot));
      const c = f32Constants(P(eps, rot));
      for (let i = 0; i < 200; i++) {
        const bx = f32Bits(b[2 * i]), by = f32Bits(b[2 * i + 1]);
        const [rx, ry] = rotateModel(bx, by, c);
        const m = pairModel(f32Bits(a[2 * i]), f32Bits(a[2 * i + 1]), rx, ry, isZeroBits(bx, by), c);
        if (m.decision !== 2) expect(m.decision, `pair ${i}`).toBe(ex.weight[i]);
      }
    }), { numRuns: 300 });
  });
  it('the band is 250× wider than the worst sign error seen without it', () => {
    let worst = 0;
    for (const eps of [EPS, 0.01, 1.5]) for (const seed of [1, 2, 3]) {
      const { a, b } = adversarialPairs('boundary', 4000, seed, eps);
      const ex = gccpExact(a, b, P(eps));
      const c = f32Constants(P(eps));
      for (let i = 0; i < 4000; i++) {
        const m = pairModel(f32Bits(a[2 * i]), f32Bits(a[2 * i + 1]), ...rotateModel(f32Bits(b[2 * i]), f32Bits(b[2 * i + 1]), c), false, c);
        if ((m.g > 0 ? 1 : 0) !== ex.weight[i]) worst = Math.max(worst, Math.abs(m.g) / m.s);
      }
    }
    expect(worst).toBeGreaterThan(0); // the naive sign test does disagree sometimes…
    expect(worst * 250).toBeLessThan(ALIGN_TAU); // …but only far inside the band
  });
  it('random inputs almost never fall into the band', () => {
    const { a, b } = randomPairs(100000, 9);
    const r = gccpF32(a, b, { ...DEFAULT_PROFILE });
    expect(r.uncertain.length).toBeLessThan(20);
  });
  it('phase from the polynomial atan2 is within 1e-6 of acos in f64', () => {
    const { a, b } = randomPairs(20000, 5);
    const ex = gccpExact(a, b, P());
    const m = gccpF32(a, b, P());
    let d = 0;
    for (let i = 0; i < 20000; i++) d = Math.max(d, Math.abs(ex.phase[i] - m.phase[i]));
    expect(d).toBeLessThan(1e-6);
    expect(angleBetween(0, 1)).toBe(0);
    expect(angleBetween(1, 0)).toBe(Math.fround(Math.PI / 2));
    expect(angleBetween(0, -1)).toBe(Math.fround(Math.PI));
  });
});

describe('exact accumulation and integer collapse', () => {
  it('f32 units and record encoding round-trip', () => {
    const r = { X: -(1n << 300n) + 12345n, Y: 42n, ABS: (1n << 310n) + 7n, count: 99 };
    expect(decodeRecord(encodeRecord(r))).toEqual(r);
  });
  it('is exact where f64 summation is not (nearly cancelling sums)', () => {
    const a = Float32Array.from([2 ** 100, 0, 1, 0, -(2 ** 100), 0, 0, 1]);
    const rec = exactAccumulate(a, [1, 1, 1, 1]);
    expect(rec.X).toBe(1n << 149n); // exactly 1.0
    expect(rec.Y).toBe(1n << 149n);
    expect(collapseFromExact(rec.X, rec.Y)).toBe(Math.fround(Math.SQRT1_2));
    // f64 sequential sum loses the 1 and collapses to 0: certification refuses, CPU settles.
    expect(collapseFromWeights(a, [1, 1, 1, 1]).collapse).toBe(0);
    expect(certifyCollapse(rec).certified).toBe(false);
  });
  it('collapse from exact sums is within 6e-8 of X/|(X,Y)| and correctly signed', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(1n << 280n), max: 1n << 280n }), fc.bigInt({ min: -(1n << 280n), max: 1n << 280n }), (X, Y) => {
      const c = collapseFromExact(X, Y);
      const x = Number(X), y = Number(Y);
      const want = x === 0 && y === 0 ? 0 : x / Math.hypot(x, y);
      expect(Math.abs(c - want)).toBeLessThan(6.5e-8);
      expect(Math.fround(c)).toBe(c);
    }), { numRuns: 2000 });
    expect(collapseFromExact(3n, 4n)).toBe(Math.fround(0.6));
    expect(collapseFromExact(-(1n << 200n), 1n)).toBe(-1);
  });
  it('roundQ31 rounds to nearest even', () => {
    expect(roundQ31(2 ** 31)).toBe(1);
    expect(roundQ31(0x7fffffff)).toBe(1); // rounds up to 2^31
    expect(roundQ31(0x40000040)).toBe(0.5); // tie, even mantissa stays
    expect(roundQ31(0x400000c0)).toBe(Math.fround(0.5 + 2 ** -23)); // tie, odd mantissa rounds up
  });
  it('f32 model collapse is within 1e-6 of the authority, deterministic, and certification is honest', () => {
    for (const kind of ['cancel', 'magnitude', 'mixed'] as const) {
      const { a, b } = adversarialPairs(kind, 3000, 4, EPS);
      const ex = gccpExact(a, b, P());
      const m1 = gccpF32(a, b, P()), m2 = gccpF32(a, b, P());
      expect(Math.abs(m1.collapse - ex.collapse), kind).toBeLessThanOrEqual(1e-6);
      expect(Object.is(m1.collapse, m2.collapse)).toBe(true);
      expect(Array.from(m1.weight)).toEqual(Array.from(ex.weight));
      if (m1.certified) expect(Math.abs(m1.kernelCollapse - ex.collapse)).toBeLessThanOrEqual(1e-6);
    }
  });
  it('f32 bit helpers', () => {
    expect(f32Bits(1)).toBe(0x3f800000);
    expect(bitsToF32(1)).toBe(2 ** -149);
    expect(ulpStep(1, 1)).toBe(1 + 2 ** -23);
    expect(ulpStep(0, -1)).toBe(-(2 ** -149));
  });
});

describe('π-profiles', () => {
  it('hash is sha256 over JCS of the normalized profile (defaults filled in)', () => {
    expect(profileHash(DEFAULT_PROFILE)).toBe('sha256:df4da441d62ea00a1ace4c3417739e16d9dcced26c29e6689cccb19e60113f05');
    expect(profileHash(parseProfile({ '@pi_profile': 'semantic.hybrid.v1' }))).toBe(profileHash(DEFAULT_PROFILE));
    expect(profileHash({ ...DEFAULT_PROFILE, epsilon: 0.2 })).not.toBe(profileHash(DEFAULT_PROFILE));
  });
  it('validation: unknown keys, bad types, suppress_k outside [0,1]', () => {
    expect(() => parseProfile({ '@pi_profile': 'x', epsilom: 1 })).toThrow(/unknown π-profile field/);
    expect(() => parseProfile({ '@pi_profile': '' })).toThrow(/non-empty/);
    expect(() => parseProfile({ '@pi_profile': 'x', suppress_k: 1.5 })).toThrow(/\[0, 1\]/);
    expect(() => parseProfile({ '@pi_profile': 'x', epsilon: '0.1' })).toThrow(/finite number/);
    expect(() => parseProfile([1])).toThrow(/JSON object/);
  });
  it('suppress_k changes the hash but never the collapse (SUPPRESS multiplies zeros)', () => {
    const { a, b } = randomPairs(2000, 12);
    const p0 = { ...DEFAULT_PROFILE, suppress_k: 0 }, p1 = { ...DEFAULT_PROFILE, suppress_k: 1 };
    expect(profileHash(p0)).not.toBe(profileHash(p1));
    expect(gccpF32(a, b, p0).collapse).toBe(gccpF32(a, b, p1).collapse);
  });
  it('kernel constants: ε clamped to [0, π] for ALIGN, rotation 0 is exact identity', () => {
    expect(kernelConstants({ ...DEFAULT_PROFILE, epsilon: 7 }).COS_EPS).toBe(-1);
    expect(kernelConstants({ ...DEFAULT_PROFILE, epsilon: -1 }).SIN_EPS).toBe(0);
    expect(kernelConstants(DEFAULT_PROFILE)).toMatchObject({ SIN_ROT: 0, COS_ROT: 1, EPSILON: EPS, SUPPRESS_K: 0.25 });
  });
  it('rotation rotates vecB: a = (1,0), b = (0,1), rotation −π/2 aligns them', () => {
    const r = gccpExact([1, 0], [0, 1], P(EPS, -Math.PI / 2));
    expect(r.weight[0]).toBe(1);
    expect(gccpF32(Float32Array.from([1, 0]), Float32Array.from([0, 1]), P(EPS, -Math.PI / 2)).weight[0]).toBe(1);
  });
});

describe('superposition (§12.3)', () => {
  const h = (c: string) => `sha256:${c.repeat(64)}`;
  it('law vectors', () => {
    expect(superpose([{ name: 'a', hash: h('a'), scalar: 0.7 }]).S).toBe(0.7);
    const two = superpose([{ name: 'a', hash: h('a'), scalar: 0.9 }, { name: 'b', hash: h('b'), scalar: -0.8 }]);
    expect(two.conflicts).toEqual([[0, 1]]);
    expect(two.S).toBeCloseTo(0.05, 15);
    expect(two.terms.map((t) => t.weight)).toEqual([0.5, 0.5]); // equal interference cancels in renormalization
    const three = superpose([{ name: 'a', hash: h('a'), scalar: 1 }, { name: 'b', hash: h('b'), scalar: 0.2 }, { name: 'c', hash: h('c'), scalar: -0.9 }]);
    expect(three.terms.map((t) => t.weight)).toEqual([0.25, 0.5, 0.25]);
    expect(three.S).toBeCloseTo(0.125, 15);
    const weighted = superpose([{ name: 'a', hash: h('a'), scalar: 1, weight: 3 }, { name: 'b', hash: h('b'), scalar: 0, weight: 1 }]);
    expect(weighted.S).toBe(0.75);
    const k = superpose([{ name: 'a', hash: h('a'), scalar: 1 }, { name: 'b', hash: h('b'), scalar: 0.2 }, { name: 'c', hash: h('c'), scalar: -0.9 }], 0.25);
    k.terms.forEach((t, i) => expect(t.weight).toBeCloseTo([1 / 6, 2 / 3, 1 / 6][i], 15));
  });
  it('no profile privilege: permutation-invariant to the bit', () => {
    fc.assert(fc.property(fc.array(fc.record({ s: fc.double({ min: -1, max: 1, noNaN: true }), w: fc.double({ min: 0.01, max: 5, noNaN: true }) }), { minLength: 1, maxLength: 7 }), fc.integer(), (xs, seed) => {
      const terms = xs.map((x, i) => ({ name: `p${i}`, hash: h(((i * 7) % 16).toString(16)), scalar: x.s, weight: x.w }));
      const r = new Rng(seed);
      const shuffled = [...terms].sort(() => r.next() - 0.5);
      const A = superpose(terms), B = superpose(shuffled);
      expect(Object.is(A.S, B.S)).toBe(true);
      expect(Math.abs(A.terms.reduce((s, t) => s + t.weight, 0) - 1)).toBeLessThan(1e-12);
    }), { numRuns: 300 });
  });
  it('rejects κ outside (0,1), negative weights, all-zero weights', () => {
    expect(() => superpose([{ name: 'a', hash: h('a'), scalar: 1 }], 1)).toThrow(/κ/);
    expect(() => superpose([{ name: 'a', hash: h('a'), scalar: 1, weight: -1 }])).toThrow(/≥ 0/);
    expect(() => superpose([{ name: 'a', hash: h('a'), scalar: 1, weight: 0 }])).toThrow(/zero/);
    expect(() => superpose([])).toThrow(/at least one/);
  });
});

describe('SCXQ2 lane layout (§12.2)', () => {
  it('golden bytes and index_hash', () => {
    const lanes = encodeLanes(laneFixture());
    const hex = (u: Uint8Array) => Array.from(u, (x) => x.toString(16).padStart(2, '0')).join('');
    expect(hex(lanes.LANE)).toBe('4c414e45180000000000803f000000000000003f0000803e000080bf00000040');
    expect(hex(lanes.FIELD)).toBe('464c4420140000000300000003000000020000000200000000000000');
    expect(new TextDecoder().decode(lanes.DICT.subarray(8))).toBe('{"nodes":["n0","n1","n2"],"paths":["p0"]}');
    expect(indexHash(lanes)).toBe('sha256:c62a990680af358d86f3299d921118d42ea984739fa9b08145a234f215d87086');
  });
  it('QUANTUM is excluded from index_hash; every other lane is included', () => {
    const idx = laneFixture();
    const h0 = indexHash(encodeLanes(idx));
    expect(indexHash(encodeLanes(idx, { phase: Float32Array.from([1, 2, 3]), weight: Float32Array.from([1, 1, 0]) }))).toBe(h0);
    expect(indexHash(encodeLanes({ ...idx, nodes: ['n0', 'n1', 'nX'] }))).not.toBe(h0);
    expect(indexHash(encodeLanes({ ...idx, edges: Uint32Array.from([0, 1, 0, 2]) }))).not.toBe(h0);
    expect(indexHash(encodeLanes({ ...idx, nodeCount: 4 }))).not.toBe(h0);
  });
  it('round trip and reader errors', () => {
    const q = { phase: Float32Array.from([0.5, NaN, 3]), weight: Float32Array.from([1, 0, 1]) };
    const bytes = concatLanes(encodeLanes(laneFixture(), q));
    const back = decodeLanes(bytes);
    expect(Array.from(back.index.vectors)).toEqual(Array.from(laneFixture().vectors));
    expect(Number.isNaN(back.quantum.phase[1])).toBe(true);
    expect(() => decodeLanes(bytes.subarray(0, 20))).toThrow(AsxError);
    const bad = bytes.slice(); bad[0] = 0x58;
    expect(() => decodeLanes(bad)).toThrow(/lane tag/);
    expect(() => decodeLanes(new Uint8Array([...bytes, 0]))).toThrow(/after the QUANTUM/);
  });
  it('cache legality needs both hashes', () => {
    const a = { index_hash: 'sha256:' + 'a'.repeat(64), profile_hash: 'sha256:' + 'b'.repeat(64) };
    expect(cacheLegal(a, { ...a }).legal).toBe(true);
    expect(cacheLegal(a, { ...a, index_hash: 'sha256:' + 'c'.repeat(64) }).legal).toBe(false);
    expect(cacheLegal(a, { ...a, profile_hash: 'sha256:' + 'c'.repeat(64) }).legal).toBe(false);
  });
  it('projection object (§11.3)', () => {
    const p = projectSemantic(0.5, 'sha256:' + 'a'.repeat(64), 'semantic.hybrid.v1', profileHash(DEFAULT_PROFILE));
    expect(p).toMatchObject({ '@intent': 'retrieve.semantic.v1', score: 0.5, profile: 'semantic.hybrid.v1' });
    expect(p.phase).toBeCloseTo(Math.PI / 3, 15);
    expect(() => projectSemantic(1.5, p.index_hash, 'x', p.profile_hash)).toThrow(/\[-1, 1\]/);
    expect(() => projectSemantic(0, 'sha256:INDEX', 'x', p.profile_hash)).toThrow(/index_hash/);
  });
});

describe('traversal (§20.7)', () => {
  it('fixture buffers follow §17.2 and the coefficient law', () => {
    const t = buildTraversal(fixtureTensor());
    expect(t.nodeCount).toBe(12);
    expect(t.edgeCount).toBe(17);
    expect(Array.from(t.meta)).toEqual([12, 17, 1, 1]);
    expect(Array.from(t.coef)).toEqual([65536, 52545, 26737, 65536, 65536, 38798, 62530, 60494, 61612, 12990, 65536, 65536, 11048, 3005, 5041, 3923, 54487]);
    for (let i = 0; i < t.nodeCount; i++) {
      let s = 0;
      for (let e = 0; e < t.edgeCount; e++) if (t.edges[2 * e] === i) s += t.coef[e];
      expect(s).toBeLessThanOrEqual(65536);
    }
  });
  it('K steps: golden masses and node sets; mass never grows', () => {
    const t = buildTraversal(fixtureTensor());
    const s = traverseCpu(t, [0], 4);
    expect(s.map((x) => x.nodeSet)).toEqual([[0], [1], [2, 8], [3, 5, 9], [4, 6, 10]]);
    expect(Array.from(s[2].mass)).toEqual([0, 0, 860897280, 0, 0, 0, 0, 0, 212828160, 0, 0, 0]);
    const total = (m: Uint32Array) => m.reduce((x, y) => x + y, 0);
    for (let k = 1; k < s.length; k++) expect(total(s[k].mass)).toBeLessThanOrEqual(total(s[k - 1].mass));
    expect(traverseCpu(t, [0], 4)).toEqual(s); // deterministic
  });
  it('mulQ16 is ⌊m·q/65536⌋ exactly for all u32 m', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 65536 }), (m, q) => {
      expect(BigInt(mulQ16(m, q))).toBe((BigInt(m) * BigInt(q)) >> 16n);
    }));
  });
  it('from an SVG-tensor map: world segment length × confidence / (1 + gradient), Q16 per source', () => {
    // Node 0 → 1 (length 3) and 0 → 2 (length 4, gradient 1): raw 3·2/1 = 6 and 4·2/2 = 4 → 0.6, 0.4.
    const nodes = Float32Array.from([0, 0, 0, 0, 3, 0, 0, 1, 0, 4, 0, 1, 9, 9, 0, 0]);
    const edges = Uint32Array.from([0, 1, 0, 2]);
    const w = Float32Array.from([3, 2, 0, 4, 2, 1]);
    const t = traversalFromMap(nodes, edges, w);
    expect(Array.from(t.coef)).toEqual([Math.floor(65536 * 0.6), Math.floor(65536 * 0.4)]);
    expect(Array.from(t.outDegree)).toEqual([2, 0, 0, 0]);
    const s = traverseCpu(t, [0, 3], 1);
    expect(s[1].nodeSet).toEqual([1, 2, 3]); // node 3 has no edges: it keeps its mass
    expect(() => traversalFromMap(nodes, Uint32Array.from([0, 7]), Float32Array.from([1, 1, 0]))).toThrow(/outside/);
  });
  it('rejects empty start sets and disconnected nodes', () => {
    expect(() => initialMass(3, [])).toThrow(/empty/);
    const fx = fixtureTensor();
    fx.nodes.push({ id: 'lonely', x: 0, y: 0, rank: 0 });
    expect(() => buildTraversal(fx)).toThrow(/disconnected/);
  });
});

describe('conformance runner on the CPU backends', () => {
  it('cpu-exact and cpu-f32 pass CORE, FULL and MIRROR', async () => {
    for (const be of [cpuExactBackend, cpuF32Backend]) {
      const r = await runConformance(be, { sizes: [1, 64, 65, 4097], adversarialSize: 512, determinismRuns: 3 });
      expect(r.levels.map((l) => [l.level, l.pass])).toEqual([['CORE', true], ['FULL', true], ['MIRROR', true]]);
      expect(r.pass).toBe(true);
    }
  });
  it('a backend that copies the reference defects fails (NaN collapse, suppress, race-free but wrong)', async () => {
    const broken = {
      ...cpuExactBackend,
      name: 'broken',
      async run(a: ArrayLike<number>, b: ArrayLike<number>, p: PiProfile) {
        const r = await cpuExactBackend.run(a, b, p);
        const mag = Math.hypot(r.accX, r.accY);
        return { ...r, collapse: r.accX / mag }; // normalize(0) → NaN
      },
    };
    const r = await runConformance(broken, { sizes: [1], adversarialSize: 64, determinismRuns: 2 });
    expect(r.levels[0].pass).toBe(false);
    expect(r.levels[0].tests.find((t) => t.name.startsWith('Test B'))!.pass).toBe(false);
  });
});
