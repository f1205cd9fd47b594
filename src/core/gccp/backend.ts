/**
 * What the conformance runner and the lab need from a π-GCCP backend. The CPU backends
 * live here (pure TS); the WebGPU backend is src/gpu/gccp.ts, same interface.
 */
import type { PiProfile } from './profile.ts';
import { gccpExact } from './mirror.ts';
import { gccpF32 } from './f32mirror.ts';
import { traverseCpu, type TraversalBuffers, type TraversalStep } from './traverse.ts';

export interface BackendRun {
  phase: ArrayLike<number>;
  weight: ArrayLike<number>;
  collapse: number;
  accX: number;
  accY: number;
  /** ALIGN's weights before the CPU settled the uncertain band (f32 backends). */
  rawWeight?: ArrayLike<number>;
  /** Pairs the band sent to the CPU. */
  uncertain?: number[];
  /** Whether the collapse came from the exact GPU sums (true) or was settled on the CPU. */
  certified?: boolean;
  /** Collapse computed by the COLLAPSE kernel from the exact sums. */
  kernelCollapse?: number;
  ms: number;
}

export interface GccpBackend {
  name: string;
  /** 'exact' runs on the given numbers in double; 'f32' rounds inputs to f32 first. */
  precision: 'exact' | 'f32';
  run(a: ArrayLike<number>, b: ArrayLike<number>, profile: PiProfile): Promise<BackendRun>;
  traverse?(t: TraversalBuffers, start: number[], K: number): Promise<TraversalStep[]>;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export const cpuExactBackend: GccpBackend = {
  name: 'cpu-exact (§12.4 mirror, f64)',
  precision: 'exact',
  async run(a, b, profile) {
    const t0 = now();
    const r = gccpExact(a, b, profile);
    return { phase: r.phase, weight: r.weight, collapse: r.collapse, accX: r.accX, accY: r.accY, ms: now() - t0 };
  },
  async traverse(t, start, K) { return traverseCpu(t, start, K); },
};

export const cpuF32Backend: GccpBackend = {
  name: 'cpu-f32 (the kernels\' algorithm in f32)',
  precision: 'f32',
  async run(a, b, profile) {
    const t0 = now();
    const r = gccpF32(Float32Array.from(a), Float32Array.from(b), profile);
    return { phase: r.phase, weight: r.weight, rawWeight: r.rawWeight, uncertain: r.uncertain, collapse: r.collapse, accX: r.accX, accY: r.accY, certified: r.certified, kernelCollapse: r.kernelCollapse, ms: now() - t0 };
  },
  async traverse(t, start, K) { return traverseCpu(t, start, K); },
};
