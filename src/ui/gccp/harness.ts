/**
 * e2e harness (bundled by e2e/gccp.spec.ts with Vite, served on the app's own origin): runs
 * the π-GCCP conformance levels in the page's real WebGPU, independent of where the app
 * mounts the lab panel.
 */
import { acquireLabGpu, labConformance, verdicts } from './labGpu';
import { gccpCollapse } from '../../core/gccp/mirror';
import { DEFAULT_PROFILE } from '../../core/gccp/profile';
import { randomPairs } from '../../core/gccp/random';
import { buildTraversal, fixtureTensor, gridTensor, traverseCpu } from '../../core/gccp/traverse';
import { traverseGpu } from '../../gpu/traverse';

declare global {
  interface Window { __gccpHarness?: GccpHarness }
}

export interface GccpHarness {
  conformance(): Promise<{ adapter: string | null; gpuMessage: string | null; cpu: ReturnType<typeof verdicts>; gpu: ReturnType<typeof verdicts> | null; stats: unknown; text: string }>;
  traversalMatches(K: number): Promise<boolean>;
  lostDevice(): Promise<string>;
  /** GPU vs CPU in this browser: vector pairs/s and traversal edge-steps/s (medians). */
  bench(n: number, reps: number): Promise<BrowserBench>;
}

export interface BrowserBench {
  adapter: string | null;
  n: number;
  cpuPairsPerSec: number;
  gpuPairsPerSec: number | null;
  collapseDelta: number | null;
  edges: number;
  steps: number;
  cpuEdgeStepsPerSec: number;
  gpuEdgeStepsPerSec: number | null;
  userAgent: string;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

window.__gccpHarness = {
  async conformance() {
    const gpu = await acquireLabGpu(() => {});
    const r = await labConformance(gpu);
    const { formatConformance } = await import('../../core/gccp/conformance');
    return {
      adapter: gpu.state === 'ready' ? gpu.label : null,
      gpuMessage: r.gpuMessage,
      cpu: verdicts(r.cpu),
      gpu: r.gpu ? verdicts(r.gpu) : null,
      stats: r.gpu?.stats ?? null,
      text: (r.gpu ? formatConformance(r.gpu) : '') + formatConformance(r.cpu),
    };
  },
  async traversalMatches(K: number) {
    const gpu = await acquireLabGpu(() => {});
    if (gpu.state !== 'ready') throw new Error('no WebGPU');
    const t = buildTraversal(fixtureTensor());
    const got = await traverseGpu(gpu.gpu.device, t, [0], K);
    const want = traverseCpu(t, [0], K);
    return JSON.stringify(got.map((s) => Array.from(s.mass))) === JSON.stringify(want.map((s) => Array.from(s.mass)));
  },
  async bench(n: number, reps: number) {
    const gpu = await acquireLabGpu(() => {});
    const { a, b } = randomPairs(n, 2026, DEFAULT_PROFILE.epsilon, 0.5);
    let cpuCollapse = 0;
    gccpCollapse(a, b, DEFAULT_PROFILE.epsilon);
    const tc: number[] = [];
    for (let k = 0; k < reps; k++) { const t0 = performance.now(); cpuCollapse = gccpCollapse(a, b, DEFAULT_PROFILE.epsilon); tc.push(performance.now() - t0); }
    const t = buildTraversal(gridTensor(256, 256));
    const start = [0, 257, 514, 32768], K = 40;
    const tt: number[] = [];
    for (let k = 0; k < reps; k++) { const t0 = performance.now(); traverseCpu(t, start, K); tt.push(performance.now() - t0); }
    const out: BrowserBench = {
      adapter: gpu.state === 'ready' ? gpu.label : null, n, cpuPairsPerSec: n / (median(tc) / 1000), gpuPairsPerSec: null, collapseDelta: null,
      edges: t.edgeCount, steps: K, cpuEdgeStepsPerSec: (t.edgeCount * K) / (median(tt) / 1000), gpuEdgeStepsPerSec: null, userAgent: navigator.userAgent,
    };
    if (gpu.state === 'ready') {
      await gpu.gpu.run(a, b, DEFAULT_PROFILE, { readArrays: false });
      const tg: number[] = [];
      let col = 0;
      for (let k = 0; k < reps; k++) { const t0 = performance.now(); col = (await gpu.gpu.run(a, b, DEFAULT_PROFILE, { readArrays: false })).collapse; tg.push(performance.now() - t0); }
      out.gpuPairsPerSec = n / (median(tg) / 1000);
      out.collapseDelta = Math.abs(col - cpuCollapse);
      await traverseGpu(gpu.gpu.device, t, start, 2);
      const tgt: number[] = [];
      for (let k = 0; k < reps; k++) { const t0 = performance.now(); await traverseGpu(gpu.gpu.device, t, start, K); tgt.push(performance.now() - t0); }
      out.gpuEdgeStepsPerSec = (t.edgeCount * K) / (median(tgt) / 1000);
      gpu.gpu.device.destroy();
    }
    return out;
  },
  async lostDevice() {
    const gpu = await acquireLabGpu(() => {});
    if (gpu.state !== 'ready') throw new Error('no WebGPU');
    gpu.gpu.device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    try {
      await gpu.gpu.run([1, 0], [1, 0], { '@pi_profile': 'x', epsilon: 0.1, suppress_k: 0.25, rotation: 0 });
      return 'no error';
    } catch (e) {
      return `${(e as { code?: string }).code}: ${(e as Error).message}`;
    }
  },
};
