/**
 * e2e harness (bundled by e2e/gccp.spec.ts with Vite, served on the app's own origin): runs
 * the π-GCCP conformance levels in the page's real WebGPU, independent of where the app
 * mounts the lab panel.
 */
import { acquireLabGpu, labConformance, verdicts } from './labGpu';
import { buildTraversal, fixtureTensor, traverseCpu } from '../../core/gccp';
import { traverseGpu } from '../../gpu/traverse';

declare global {
  interface Window { __gccpHarness?: GccpHarness }
}

export interface GccpHarness {
  conformance(): Promise<{ adapter: string | null; gpuMessage: string | null; cpu: ReturnType<typeof verdicts>; gpu: ReturnType<typeof verdicts> | null; stats: unknown; text: string }>;
  traversalMatches(K: number): Promise<boolean>;
  lostDevice(): Promise<string>;
}

window.__gccpHarness = {
  async conformance() {
    const gpu = await acquireLabGpu(() => {});
    const r = await labConformance(gpu);
    const { formatConformance } = await import('../../core/gccp');
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
