/**
 * π-GCCP v1 conformance runner (§12.1, §12.5) for CORE, FULL and MIRROR, against any
 * backend (CPU exact mirror, CPU f32 mirror, WebGPU). Each level has a verdict and the list
 * of tests with a one-line detail. FULL and MIRROR include CORE's verdict (a level passes
 * only if the levels it builds on pass).
 */
import { DEFAULT_PROFILE, profileHash, type PiProfile } from './profile.ts';
import { gccpExact, gccpReference, gccpCollapse } from './mirror.ts';
import { randomPairs, adversarialPairs, randomVectors, ulpStep, type AdversarialKind } from './random.ts';
import { superpose } from './superpose.ts';
import { encodeLanes, indexHash, decodeLanes, concatLanes, cacheLegal, type GccpIndex } from './lanes.ts';
import { projectSemantic } from './projection.ts';
import { buildTraversal, fixtureTensor, traverseCpu } from './traverse.ts';
import type { GccpBackend, BackendRun } from './backend.ts';
import { f32Bits } from './exact.ts';

export type Level = 'CORE' | 'FULL' | 'MIRROR';
export interface TestResult { name: string; pass: boolean; detail: string; ms: number }
export interface LevelVerdict { level: Level; pass: boolean; tests: TestResult[] }
export interface ConformanceReport { backend: string; pass: boolean; levels: LevelVerdict[]; stats: { pairs: number; uncertain: number; collapseSettled: number; maxParity: number; maxPhaseDelta: number } }

export const PARITY_TOL = 1e-6;
/** Phase arrays: GPU (polynomial atan2 in f32) vs CPU acos in f64. */
export const PHASE_TOL = 2e-6;
export const SPEC_EPSILON = 0.1745329;

export interface ConformanceOptions {
  /** Runs for the determinism test (default 5). */
  determinismRuns?: number;
  /** Scale for randomized sizes (1 = full list). */
  sizes?: number[];
  adversarialSize?: number;
  onProgress?: (msg: string) => void;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** The f32 vector closest to angle ε at or inside the boundary, per the authority (Test C on f32 backends). */
export function testCVector(epsilon: number): [number, number] {
  let bx = Math.fround(Math.cos(epsilon)), by = Math.fround(Math.sin(epsilon));
  for (let k = 0; k < 64; k++) {
    const e = gccpExact([1, 0], [bx, by], { epsilon, rotation: 0 });
    if (e.weight[0] === 1) return [bx, by];
    by = ulpStep(by, -1);
    if (k % 2) bx = ulpStep(bx, 1);
  }
  return [bx, by];
}

function sameBits(x: number, y: number): boolean {
  return (Number.isNaN(x) && Number.isNaN(y)) || Object.is(x, y) || (x === y && x !== 0);
}

interface Ctx { backend: GccpBackend; stats: ConformanceReport['stats']; progress: (m: string) => void }

async function test(out: TestResult[], name: string, fn: () => Promise<string> | string): Promise<void> {
  const t0 = now();
  try {
    const detail = await fn();
    out.push({ name, pass: true, detail, ms: now() - t0 });
  } catch (e) {
    out.push({ name, pass: false, detail: e instanceof Error ? e.message : String(e), ms: now() - t0 });
  }
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new Error(msg);
}

function profileWith(epsilon: number, rotation = 0, name = 'conformance.v1'): PiProfile {
  return { '@pi_profile': name, epsilon, suppress_k: DEFAULT_PROFILE.suppress_k, rotation };
}

/** Compare a backend run with the authority on the same inputs; returns the parity delta. */
function compare(ctx: Ctx, label: string, a: ArrayLike<number>, b: ArrayLike<number>, profile: PiProfile, r: BackendRun): number {
  const ex = gccpExact(a, b, profile);
  const n = ex.weight.length;
  check(r.weight.length === n && r.phase.length === n, `${label}: ${r.weight.length} weights for ${n} pairs`);
  let mismatchW = 0, first = -1, phaseDelta = 0, certainWrong = 0;
  for (let i = 0; i < n; i++) {
    if (r.weight[i] !== ex.weight[i]) { mismatchW++; if (first < 0) first = i; }
    const pe = ex.phase[i], pg = r.phase[i];
    if (Number.isNaN(pe) !== Number.isNaN(pg)) throw new Error(`${label}: phase[${i}] NaN on one side only (cpu ${pe}, backend ${pg})`);
    if (!Number.isNaN(pe)) phaseDelta = Math.max(phaseDelta, Math.abs(pe - pg));
  }
  if (r.rawWeight && r.uncertain) {
    const unc = new Set(r.uncertain);
    for (let i = 0; i < n; i++) if (!unc.has(i) && r.rawWeight[i] !== ex.weight[i]) certainWrong++;
    ctx.stats.uncertain += r.uncertain.length;
  }
  if (r.certified === false) ctx.stats.collapseSettled++;
  ctx.stats.pairs += n;
  const delta = Math.abs(r.collapse - ex.collapse);
  ctx.stats.maxParity = Math.max(ctx.stats.maxParity, delta);
  ctx.stats.maxPhaseDelta = Math.max(ctx.stats.maxPhaseDelta, phaseDelta);
  check(certainWrong === 0, `${label}: ${certainWrong} certain ALIGN decisions disagree with the CPU`);
  check(mismatchW === 0, `${label}: ${mismatchW} weights differ from the CPU (first at ${first})`);
  check(phaseDelta <= PHASE_TOL, `${label}: phase differs by ${phaseDelta.toExponential(2)} > ${PHASE_TOL}`);
  check(delta <= PARITY_TOL, `${label}: |collapse − cpu| = ${delta.toExponential(3)} > 1e-6 (backend ${r.collapse}, cpu ${ex.collapse})`);
  return delta;
}

async function coreLevel(ctx: Ctx, opts: ConformanceOptions): Promise<LevelVerdict> {
  const tests: TestResult[] = [];
  const be = ctx.backend;
  const prof = profileWith(SPEC_EPSILON);
  const f32 = be.precision === 'f32';
  const phaseTol = f32 ? PHASE_TOL : 0;
  await test(tests, 'Test A — perfect alignment', async () => {
    const r = await be.run([1, 0], [1, 0], prof);
    check(Math.abs(r.phase[0]) <= phaseTol, `phase ${r.phase[0]} ≠ 0`);
    check(r.weight[0] === 1, `weight ${r.weight[0]} ≠ 1`);
    check(r.collapse === 1, `collapse ${r.collapse} ≠ 1`);
    return `phase=${r.phase[0]} weight=1 collapse=1`;
  });
  await test(tests, 'Test B — orthogonal rejection', async () => {
    const r = await be.run([1, 0], [0, 1], prof);
    check(Math.abs(r.phase[0] - Math.PI / 2) <= Math.max(phaseTol, 1e-15), `phase ${r.phase[0]} ≠ π/2`);
    check(r.weight[0] === 0, `weight ${r.weight[0]} ≠ 0`);
    check(r.collapse === 0, `collapse ${r.collapse} ≠ 0`);
    return `phase=${r.phase[0]} weight=0 collapse=0`;
  });
  await test(tests, 'Test C — boundary tolerance', async () => {
    const bv = f32 ? testCVector(SPEC_EPSILON) : [Math.cos(SPEC_EPSILON), Math.sin(SPEC_EPSILON)];
    const r = await be.run([1, 0], bv, prof);
    const cpu = gccpExact([1, 0], bv, prof);
    check(cpu.phase[0] <= SPEC_EPSILON, `authority phase ${cpu.phase[0]} > ε`);
    check(Math.abs(r.phase[0]) <= SPEC_EPSILON + phaseTol, `|phase| ${r.phase[0]} > ε`);
    check(r.weight[0] === 1, `weight ${r.weight[0]} ≠ 1`);
    return `vecB=[${bv[0]}, ${bv[1]}] phase=${r.phase[0]} (ε−phase=${(SPEC_EPSILON - cpu.phase[0]).toExponential(2)}) weight=1${r.uncertain?.length ? ' (settled on the CPU)' : ''}`;
  });
  await test(tests, 'zero accumulator collapses to 0; zero vectors have NaN phase and weight 0', async () => {
    const r = await be.run([0, 0, 1, 0, 3, 4], [1, 0, 0, 0, -3, -4], prof);
    check(Number.isNaN(r.phase[0]) && Number.isNaN(r.phase[1]), `zero-vector phases ${r.phase[0]}, ${r.phase[1]}`);
    check(r.weight[0] === 0 && r.weight[1] === 0 && r.weight[2] === 0, 'weights not 0');
    check(r.collapse === 0 && !Number.isNaN(r.collapse), `collapse ${r.collapse}`);
    return 'collapse=0 (not NaN)';
  });
  const runs = opts.determinismRuns ?? 5;
  await test(tests, `determinism — ${runs} runs identical (bits)`, async () => {
    const { a, b } = randomPairs(20011, 42, SPEC_EPSILON);
    const first = await be.run(a, b, prof);
    for (let k = 1; k < runs; k++) {
      const r = await be.run(a, b, prof);
      check(sameBits(r.collapse, first.collapse), `run ${k}: collapse ${r.collapse} ≠ ${first.collapse}`);
      for (let i = 0; i < first.weight.length; i++) {
        if (!sameBits(r.weight[i], first.weight[i]) || !sameBits(r.phase[i], first.phase[i])) throw new Error(`run ${k}: pair ${i} differs`);
      }
    }
    return `20011 pairs, collapse ${first.collapse} (bits ${f32 ? f32Bits(first.collapse).toString(16) : 'f64'})`;
  });
  return { level: 'CORE', pass: tests.every((t) => t.pass), tests };
}

/** A small fixed index for the lane-layout tests. */
export function laneFixture(): GccpIndex {
  return {
    nodes: ['n0', 'n1', 'n2'],
    paths: ['p0'],
    vectors: Float32Array.from([1, 0, 0.5, 0.25, -1, 2]),
    edges: Uint32Array.from([0, 1, 1, 2]),
    nodeCount: 3,
  };
}

async function fullLevel(ctx: Ctx, core: LevelVerdict): Promise<LevelVerdict> {
  const tests: TestResult[] = [];
  tests.push({ name: 'CORE passes', pass: core.pass, detail: core.pass ? 'yes' : 'CORE failed', ms: 0 });
  await test(tests, 'superposition algebra vectors', () => {
    const h = (c: string) => `sha256:${c.repeat(64)}`;
    const one = superpose([{ name: 'p', hash: h('a'), scalar: 0.7 }]);
    check(one.S === 0.7, `single profile S=${one.S}`);
    const two = superpose([{ name: 'p', hash: h('a'), scalar: 0.9 }, { name: 'q', hash: h('b'), scalar: -0.8 }]);
    check(two.conflicts.length === 1 && Math.abs(two.S - 0.05) < 1e-15, `two conflicting: S=${two.S}`);
    const three = superpose([{ name: 'p', hash: h('a'), scalar: 1 }, { name: 'q', hash: h('b'), scalar: 0.2 }, { name: 'r', hash: h('c'), scalar: -0.9 }]);
    check(Math.abs(three.S - 0.125) < 1e-15, `three: S=${three.S} ≠ 0.125`);
    check(Math.abs(three.terms.reduce((s, t) => s + t.weight, 0) - 1) < 1e-15, 'weights do not sum to 1');
    const perm = superpose([three.terms[2], three.terms[0], three.terms[1]].map((t) => ({ name: t.name, hash: t.hash, scalar: t.scalar })));
    check(Object.is(perm.S, three.S), 'order of profiles changed S (profile privilege)');
    return 'S(0.7)=0.7; S(0.9,−0.8)=0.05 (conflict renormalized away); S(1,0.2,−0.9)=0.125; permutation-invariant';
  });
  await test(tests, 'multi-profile run on the backend matches the authority', async () => {
    const { a, b } = randomPairs(4099, 7, SPEC_EPSILON);
    const profiles = [profileWith(SPEC_EPSILON, 0, 'semantic.hybrid.v1'), profileWith(0.5, 0.2, 'wide.rotated.v1'), profileWith(0.05, -0.1, 'narrow.v1')];
    const terms: Array<{ name: string; hash: string; scalar: number }> = [];
    for (const p of profiles) {
      const r = await ctx.backend.run(a, b, p);
      compare(ctx, p['@pi_profile'], a, b, p, r);
      terms.push({ name: p['@pi_profile'], hash: profileHash(p), scalar: r.collapse });
    }
    const cpuTerms = profiles.map((p, i) => ({ ...terms[i], scalar: gccpExact(a, b, p).collapse }));
    const S = superpose(terms).S, Sc = superpose(cpuTerms).S;
    check(Math.abs(S - Sc) <= PARITY_TOL, `S=${S} vs cpu ${Sc}`);
    return `scalars ${terms.map((t) => t.scalar.toFixed(6)).join(', ')} → S=${S.toFixed(7)} (cpu ${Sc.toFixed(7)})`;
  });
  await test(tests, 'SCXQ2 lane layout (DICT FIELD LANE EDGE QUANTUM), index_hash excludes QUANTUM', () => {
    const idx = laneFixture();
    const lanes = encodeLanes(idx);
    const h = indexHash(lanes);
    const q = { phase: Float32Array.from([0, 1, 2]), weight: Float32Array.from([1, 0, 1]) };
    const lanes2 = encodeLanes(idx, q);
    check(indexHash(lanes2) === h, 'QUANTUM changed the index hash');
    const back = decodeLanes(concatLanes(lanes2));
    check(back.quantum.phase[2] === 2 && back.index.vectors[5] === 2 && back.index.edges[3] === 2, 'round trip lost data');
    check(lanes.LANE.length === 8 + 8 * 3 && lanes.QUANTUM.length === 8 + 8 * 3 && lanes.EDGE.length === 8 + 8 * 2, 'lane sizes');
    const moved = { ...idx, vectors: Float32Array.from([1, 0, 0.5, 0.25, -1, 2.5]) };
    check(indexHash(encodeLanes(moved)) !== h, 'LANE change kept the hash');
    const ph = profileHash(DEFAULT_PROFILE);
    check(cacheLegal({ index_hash: h, profile_hash: ph }, { index_hash: indexHash(lanes2), profile_hash: ph }).legal, 'cache after QUANTUM recompute must be legal');
    check(!cacheLegal({ index_hash: h, profile_hash: ph }, { index_hash: h, profile_hash: profileHash({ ...DEFAULT_PROFILE, epsilon: 0.2 }) }).legal, 'profile swap must invalidate');
    const proj = projectSemantic(0.913, h, DEFAULT_PROFILE['@pi_profile'], ph);
    check(proj['@intent'] === 'retrieve.semantic.v1' && proj.index_hash === h, 'projection object');
    return `index_hash ${h.slice(0, 23)}…; QUANTUM excluded; cache legality; projection object`;
  });
  if (ctx.backend.traverse) {
    await test(tests, 'SVG-tensor traversal (§20.7), 8 steps, bit-exact vs CPU mirror', async () => {
      const t = buildTraversal(fixtureTensor());
      const got = await ctx.backend.traverse!(t, [0], 8);
      const want = traverseCpu(t, [0], 8);
      for (let k = 0; k < want.length; k++) {
        for (let i = 0; i < t.nodeCount; i++) check(got[k].mass[i] === want[k].mass[i], `step ${k} node ${i}: ${got[k].mass[i]} ≠ ${want[k].mass[i]}`);
        for (let e = 0; e < t.edgeCount; e++) check(got[k].flow[e] === want[k].flow[e], `step ${k} edge ${e} flow differs`);
      }
      return `${t.nodeCount} nodes, ${t.edgeCount} edges; final set {${want[8].nodeSet.join(',')}}`;
    });
  }
  return { level: 'FULL', pass: tests.every((t) => t.pass), tests };
}

async function mirrorLevel(ctx: Ctx, core: LevelVerdict, opts: ConformanceOptions): Promise<LevelVerdict> {
  const tests: TestResult[] = [];
  tests.push({ name: 'CORE passes', pass: core.pass, detail: core.pass ? 'yes' : 'CORE failed', ms: 0 });
  await test(tests, 'CPU mirror reproduces §12.4 bit for bit', () => {
    for (const n of [1, 7, 1000]) {
      const a = randomVectors(n, n), b = randomVectors(n, n + 1);
      const objA = Array.from({ length: n }, (_, i) => ({ x: a[2 * i], y: a[2 * i + 1] }));
      const objB = Array.from({ length: n }, (_, i) => ({ x: b[2 * i], y: b[2 * i + 1] }));
      for (const eps of [SPEC_EPSILON, 1, 2.5]) {
        const ref = gccpReference(objA, objB, eps);
        check(Object.is(gccpExact(a, b, { epsilon: eps, rotation: 0 }).collapse, ref), `n=${n} ε=${eps}`);
        check(Object.is(gccpCollapse(a, b, eps), ref), `tight loop n=${n} ε=${eps}`);
      }
    }
    return 'n ∈ {1, 7, 1000}, ε ∈ {0.1745329, 1, 2.5}';
  });
  const sizes = opts.sizes ?? [1, 2, 63, 64, 65, 257, 1000, 4097, 65537];
  await test(tests, `parity ≤ 1e-6 on randomized inputs (${sizes.length} sizes × 3 profiles)`, async () => {
    let worst = 0;
    for (const n of sizes) {
      for (const p of [profileWith(SPEC_EPSILON), profileWith(0.9, 0.35), profileWith(0.01, -1.2)]) {
        const { a, b } = randomPairs(n, 1000 + n, p.epsilon, 0.6);
        ctx.progress(`parity n=${n} ε=${p.epsilon}`);
        worst = Math.max(worst, compare(ctx, `n=${n} ε=${p.epsilon} rot=${p.rotation}`, a, b, p, await ctx.backend.run(a, b, p)));
      }
    }
    return `sizes ${sizes.join(', ')}; max |Δcollapse| = ${worst.toExponential(2)}`;
  });
  const kinds: AdversarialKind[] = ['boundary', 'zero', 'magnitude', 'cancel', 'subnormal', 'axis', 'mixed'];
  const m = opts.adversarialSize ?? 2048;
  await test(tests, `parity on adversarial inputs (${kinds.join(', ')})`, async () => {
    let worst = 0;
    for (const kind of kinds) {
      for (const p of [profileWith(SPEC_EPSILON), profileWith(0.001), profileWith(1.2, 0.7), profileWith(Math.PI), profileWith(0)]) {
        const { a, b } = adversarialPairs(kind, m, 77 + kind.length, p.epsilon);
        ctx.progress(`adversarial ${kind} ε=${p.epsilon}`);
        worst = Math.max(worst, compare(ctx, `${kind} ε=${p.epsilon}`, a, b, p, await ctx.backend.run(a, b, p)));
      }
    }
    return `${kinds.length} kinds × 5 profiles × ${m} pairs; max |Δcollapse| = ${worst.toExponential(2)}`;
  });
  await test(tests, 'ε boundary: vectors at ±0…6 ULP of the boundary, both rotation senses', async () => {
    const p = profileWith(SPEC_EPSILON);
    const a: number[] = [], b: number[] = [];
    for (const sgn of [1, -1]) for (let u = -6; u <= 6; u++) for (let v = -6; v <= 6; v++) {
      a.push(1, 0);
      b.push(ulpStep(Math.cos(SPEC_EPSILON), u), ulpStep(sgn * Math.sin(SPEC_EPSILON), v));
    }
    const r = await ctx.backend.run(Float32Array.from(a), Float32Array.from(b), p);
    compare(ctx, 'boundary grid', Float32Array.from(a), Float32Array.from(b), p, r);
    const accepted = Array.from(r.weight).filter((w) => w === 1).length;
    return `${a.length / 2} vectors, ${accepted} accepted, all decisions equal the CPU's${r.uncertain ? ` (${r.uncertain.length} settled on the CPU)` : ''}`;
  });
  return { level: 'MIRROR', pass: tests.every((t) => t.pass), tests };
}

export async function runConformance(backend: GccpBackend, opts: ConformanceOptions = {}): Promise<ConformanceReport> {
  const ctx: Ctx = { backend, stats: { pairs: 0, uncertain: 0, collapseSettled: 0, maxParity: 0, maxPhaseDelta: 0 }, progress: opts.onProgress ?? (() => {}) };
  ctx.progress('CORE');
  const core = await coreLevel(ctx, opts);
  ctx.progress('FULL');
  const full = await fullLevel(ctx, core);
  ctx.progress('MIRROR');
  const mirror = await mirrorLevel(ctx, core, opts);
  const levels = [core, full, mirror];
  return { backend: backend.name, pass: levels.every((l) => l.pass), levels, stats: ctx.stats };
}

/** Plain-text report: one verdict line per level, then its tests. */
export function formatConformance(r: ConformanceReport): string {
  const lines = [`π-GCCP v1 conformance — backend: ${r.backend}`];
  for (const l of r.levels) {
    lines.push(`${l.level.padEnd(6)} ${l.pass ? 'PASS' : 'FAIL'}`);
    for (const t of l.tests) lines.push(`  ${t.pass ? '✓' : '✗'} ${t.name}: ${t.detail} (${t.ms.toFixed(0)} ms)`);
  }
  const s = r.stats;
  lines.push(`pairs compared ${s.pairs}; settled on the CPU: ${s.uncertain} ALIGN decisions, ${s.collapseSettled} collapses; max |Δcollapse| ${s.maxParity.toExponential(2)}; max |Δphase| ${s.maxPhaseDelta.toExponential(2)}`);
  lines.push(`verdict: ${r.pass ? 'COMPLIANT (CORE, FULL, MIRROR pass)' : 'NOT COMPLIANT'}`);
  return lines.join('\n') + '\n';
}
