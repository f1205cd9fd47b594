/**
 * π-GCCP on real WebGPU in Node (Dawn via the `webgpu` package; SwiftShader here). Runs
 * when an adapter is available; otherwise every test is skipped and the reason printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { acquireNodeGpu } from './gccp-node.ts';
import { GccpGpu, gpuBackend } from './gccp.ts';
import { traverseGpu } from './traverse.ts';
import { runConformance, formatConformance } from '../core/gccp/conformance.ts';
import { collapseFromExact, f32Bits } from '../core/gccp/exact.ts';
import { gccpF32 } from '../core/gccp/f32mirror.ts';
import { gccpExact } from '../core/gccp/mirror.ts';
import { DEFAULT_PROFILE, type PiProfile } from '../core/gccp/profile.ts';
import { randomPairs, adversarialPairs } from '../core/gccp/random.ts';
import { buildTraversal, fixtureTensor, gridTensor, traverseCpu } from '../core/gccp/traverse.ts';

const gpu = await acquireNodeGpu();
if (!gpu.ok) console.warn(`[gccp.gpu.test] skipped: ${gpu.message}`);
else console.info(`[gccp.gpu.test] adapter: ${gpu.adapter.label}`);
const g = gpu.ok ? new GccpGpu(gpu.device) : null;
afterAll(() => { if (gpu.ok) gpu.destroy(); });

const P = (epsilon = 0.1745329, rotation = 0): PiProfile => ({ '@pi_profile': 'gpu.test', epsilon, suppress_k: 0.25, rotation });

describe.skipIf(!gpu.ok)('π-GCCP on WebGPU (Node, Dawn)', () => {
  it('passes CORE, FULL and MIRROR', async () => {
    const r = await runConformance(gpuBackend(g!, 'node'));
    if (!r.pass) console.log(formatConformance(r));
    expect(r.levels.map((l) => [l.level, l.pass])).toEqual([['CORE', true], ['FULL', true], ['MIRROR', true]]);
  });

  it('matches the f32 mirror bit for bit (phases, weights, uncertain set, kernel collapse)', async () => {
    for (const [kind, p] of [['mixed', P()], ['boundary', P(0.5, 0.3)], ['subnormal', P(1)], ['magnitude', P(0.01)]] as const) {
      const { a, b } = adversarialPairs(kind, 3001, 5, p.epsilon);
      const got = await g!.run(a, b, p);
      const want = gccpF32(a, b, p);
      expect(Array.from(got.weight), kind).toEqual(Array.from(want.weight));
      expect(got.uncertain, kind).toEqual(want.uncertain);
      expect(got.kernelCollapse, kind).toBe(want.kernelCollapse);
      expect(got.record, kind).toEqual(want.record);
      let maxd = 0;
      for (let i = 0; i < got.phase.length; i++) if (!Number.isNaN(want.phase[i])) maxd = Math.max(maxd, Math.abs(got.phase[i] - want.phase[i]));
      expect(maxd, kind).toBeLessThan(1e-6);
    }
  });

  it('integer COLLAPSE equals the TS model on tiny and huge exact sums', async () => {
    const cases: Array<[number[], number[]]> = [
      [[2 ** -149, 2 ** -149], [1, 1]],
      [[-(2 ** -149), -(2 ** -149)], [-1, -1]],
      [[3 * 2 ** -140, 4 * 2 ** -140], [3, 4]],
      [[3e38, 3e38, 3e38, -3e38], [1, 1, 1, -1]],
      [[2 ** 100, 0, 1, 0, -(2 ** 100), 0, 0, 1], [1, 0, 1, 0, -1, 0, 0, 1]],
    ];
    for (const [a, b] of cases) {
      const r = await g!.run(Float32Array.from(a), Float32Array.from(b), P());
      expect(r.kernelCollapse, JSON.stringify(a)).toBe(collapseFromExact(r.record.X, r.record.Y));
      expect(Math.abs(r.collapse - gccpExact(Float32Array.from(a), Float32Array.from(b), P()).collapse)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('is deterministic across runs and scales to a million pairs', async () => {
    const { a, b } = randomPairs(1_000_003, 77);
    const r1 = await g!.run(a, b, DEFAULT_PROFILE, { readArrays: false });
    const r2 = await g!.run(a, b, DEFAULT_PROFILE, { readArrays: false });
    expect(f32Bits(r1.collapse)).toBe(f32Bits(r2.collapse));
    expect(r1.record).toEqual(r2.record);
    const cpu = gccpExact(a, b, DEFAULT_PROFILE);
    expect(Math.abs(r1.collapse - cpu.collapse)).toBeLessThanOrEqual(1e-6);
  });

  it('dispatches past 65,535 workgroups (2-D grid) and still matches the mirror', async () => {
    const n = 65535 * 64 + 65; // 4,194,305 pairs: the per-pair stages need a second grid row
    const { a, b } = randomPairs(n, 99);
    const r = await g!.run(a, b, DEFAULT_PROFILE, { readArrays: false });
    const cpu = gccpExact(a, b, DEFAULT_PROFILE);
    let sel = 0;
    for (let i = 0; i < n; i++) sel += cpu.weight[i];
    expect(r.record.count).toBe(sel);
    expect(Math.abs(r.collapse - cpu.collapse)).toBeLessThanOrEqual(1e-6);
  });

  it('rejects inputs that do not fit in f32 (bad_vectors)', async () => {
    await expect(g!.run([1e39, 0], [1, 0], DEFAULT_PROFILE)).rejects.toMatchObject({ code: 'bad_vectors' });
  });

  it('traversal is bit-exact against the CPU mirror (fixture and a 64×64 grid)', async () => {
    for (const [fx, start, K] of [[fixtureTensor(), [0], 10], [gridTensor(64, 64), [0, 65, 130], 40]] as const) {
      const t = buildTraversal(fx);
      const got = await traverseGpu(gpu.ok ? gpu.device : (null as never), t, [...start], K);
      const want = traverseCpu(t, [...start], K);
      expect(got.map((s) => Array.from(s.mass))).toEqual(want.map((s) => Array.from(s.mass)));
      expect(got.map((s) => Array.from(s.flow))).toEqual(want.map((s) => Array.from(s.flow)));
    }
  });

  it('a lost device turns into a gpu_error, not a hang', async () => {
    const other = await acquireNodeGpu();
    if (!other.ok) return;
    const g2 = new GccpGpu(other.device);
    other.device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    await expect(g2.run([1, 0], [1, 0], DEFAULT_PROFILE)).rejects.toMatchObject({ code: 'gpu_error' });
  });
});

describe('buffer usages (§17.2)', () => {
  it('no MAP_WRITE, no INDIRECT in the π-GCCP and traversal pipelines', async () => {
    const { readFileSync } = await import('node:fs');
    for (const f of ['gccp.ts', 'traverse.ts']) {
      const src = readFileSync(new URL(`./${f}`, import.meta.url), 'utf8');
      expect(src, f).not.toMatch(/MAP_WRITE|INDIRECT|0x0002\b|0x0100\b|mappedAtCreation/);
    }
  });
});

describe('no adapter', () => {
  it('prints why GPU tests are skipped (always runs)', () => {
    expect(gpu.ok || gpu.message.length > 10).toBe(true);
  });
});
