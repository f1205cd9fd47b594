/**
 * SVG-tensor traversal on WebGPU (shaders/svg_traverse.wgsl). K steps in one submission:
 * masses ping-pong between two buffers, each step's masses are copied into a history
 * buffer and each step's edge flows land in their own slice, so the caller can step
 * through every state. Usage flags: STORAGE, UNIFORM, COPY_SRC, COPY_DST (+ MAP_READ staging).
 */
import { AsxError } from '../core/errors.ts';
import { initialMass, nodeSet, type TraversalBuffers, type TraversalStep } from '../core/gccp/traverse.ts';
import { wgsl } from './wgsl.ts';

const U = { MAP_READ: 0x0001, COPY_SRC: 0x0004, COPY_DST: 0x0008, UNIFORM: 0x0040, STORAGE: 0x0080 };
const STAGE_COMPUTE = 0x4;
const SLOT = 256;

export const TRAVERSE_BINDINGS = [
  { binding: 0, name: 'edges', type: 'read-only-storage' },
  { binding: 1, name: 'coef', type: 'read-only-storage' },
  { binding: 2, name: 'outDegree', type: 'read-only-storage' },
  { binding: 3, name: 'cur', type: 'read-only-storage' },
  { binding: 4, name: 'next', type: 'storage' },
  { binding: 5, name: 'flow', type: 'storage' },
] as const;

interface Cached { layout0: GPUBindGroupLayout; layout1: GPUBindGroupLayout; edges: GPUComputePipeline; sinks: GPUComputePipeline }
const cache = new WeakMap<GPUDevice, Cached>();

function pipelines(device: GPUDevice): Cached {
  const hit = cache.get(device);
  if (hit) return hit;
  const module = device.createShaderModule({ label: 'svg_traverse.wgsl', code: wgsl('svg_traverse') });
  const layout0 = device.createBindGroupLayout({ label: 'traverse-group0', entries: TRAVERSE_BINDINGS.map((b) => ({ binding: b.binding, visibility: STAGE_COMPUTE, buffer: { type: b.type } })) });
  const layout1 = device.createBindGroupLayout({ label: 'traverse-params', entries: [{ binding: 0, visibility: STAGE_COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 16 } }] });
  const layout = device.createPipelineLayout({ bindGroupLayouts: [layout0, layout1] });
  const c: Cached = {
    layout0, layout1,
    edges: device.createComputePipeline({ label: 'traverse-edges', layout, compute: { module, entryPoint: 'step_edges' } }),
    sinks: device.createComputePipeline({ label: 'traverse-sinks', layout, compute: { module, entryPoint: 'step_sinks' } }),
  };
  cache.set(device, c);
  return c;
}

function dispatch(pass: GPUComputePassEncoder, count: number): void {
  const groups = Math.max(1, Math.ceil(count / 64));
  const x = Math.min(groups, 65535);
  pass.dispatchWorkgroups(x, Math.ceil(groups / x));
}

/** K traversal steps from `start`; returns K+1 states (the start state first), like traverseCpu. */
export async function traverseGpu(device: GPUDevice, t: TraversalBuffers, start: number[], K: number): Promise<TraversalStep[]> {
  const mass0 = initialMass(t.nodeCount, start);
  if (K < 0 || !Number.isInteger(K)) throw new AsxError('bad_input', 'K must be a whole number ≥ 0');
  const N = t.nodeCount, E = t.edgeCount;
  const p = pipelines(device);
  const bufs: GPUBuffer[] = [];
  const mk = (label: string, bytes: number, usage: number) => { const b = device.createBuffer({ label, size: Math.max(16, Math.ceil(bytes / 4) * 4), usage }); bufs.push(b); return b; };
  device.pushErrorScope('validation');
  try {
    const edges = mk('edges', 8 * E, U.STORAGE | U.COPY_DST);
    const coef = mk('coef', 4 * E, U.STORAGE | U.COPY_DST);
    const outDeg = mk('outDegree', 4 * N, U.STORAGE | U.COPY_DST);
    const m0 = mk('massA', 4 * N, U.STORAGE | U.COPY_DST | U.COPY_SRC);
    const m1 = mk('massB', 4 * N, U.STORAGE | U.COPY_DST | U.COPY_SRC);
    const history = mk('history', 4 * N * (K + 1), U.COPY_DST | U.COPY_SRC);
    const flow = mk('flow', 4 * E * Math.max(K, 1), U.STORAGE | U.COPY_SRC);
    const params = mk('params', SLOT * Math.max(K, 1), U.UNIFORM | U.COPY_DST);
    device.queue.writeBuffer(edges, 0, t.edges);
    device.queue.writeBuffer(coef, 0, t.coef);
    device.queue.writeBuffer(outDeg, 0, t.outDegree);
    device.queue.writeBuffer(m0, 0, mass0);
    for (let k = 0; k < K; k++) device.queue.writeBuffer(params, k * SLOT, Uint32Array.from([N, E, k, 0]));
    const group = (cur: GPUBuffer, next: GPUBuffer) => device.createBindGroup({ layout: p.layout0, entries: [edges, coef, outDeg, cur, next, flow].map((buffer, binding) => ({ binding, resource: { buffer } })) });
    const gA = group(m0, m1), gB = group(m1, m0);
    const g1 = device.createBindGroup({ layout: p.layout1, entries: [{ binding: 0, resource: { buffer: params, size: 16 } }] });
    const enc = device.createCommandEncoder({ label: 'traverse' });
    enc.copyBufferToBuffer(m0, 0, history, 0, 4 * N);
    for (let k = 0; k < K; k++) {
      const next = k % 2 === 0 ? m1 : m0;
      enc.clearBuffer(next);
      const pass = enc.beginComputePass();
      pass.setBindGroup(0, k % 2 === 0 ? gA : gB);
      pass.setBindGroup(1, g1, [k * SLOT]);
      pass.setPipeline(p.edges);
      dispatch(pass, E);
      pass.setPipeline(p.sinks);
      dispatch(pass, N);
      pass.end();
      enc.copyBufferToBuffer(next, 0, history, 4 * N * (k + 1), 4 * N);
    }
    const hBytes = 4 * N * (K + 1), fBytes = 4 * E * K;
    const staging = mk('staging', hBytes + fBytes, U.MAP_READ | U.COPY_DST);
    enc.copyBufferToBuffer(history, 0, staging, 0, hBytes);
    if (fBytes) enc.copyBufferToBuffer(flow, 0, staging, hBytes, fBytes);
    device.queue.submit([enc.finish()]);
    const err = await device.popErrorScope();
    if (err) throw new AsxError('gpu_error', `traversal: ${err.message}`);
    await staging.mapAsync(0x0001, 0, hBytes + fBytes);
    const all = new Uint32Array(staging.getMappedRange(0, hBytes + fBytes).slice(0));
    staging.unmap();
    const steps: TraversalStep[] = [];
    for (let k = 0; k <= K; k++) {
      const mass = all.slice(N * k, N * (k + 1));
      const flowK = k === 0 ? new Uint32Array(E) : all.slice(N * (K + 1) + E * (k - 1), N * (K + 1) + E * k);
      steps.push({ mass, flow: flowK, nodeSet: nodeSet(mass) });
    }
    return steps;
  } catch (e) {
    if (e instanceof AsxError) throw e;
    throw new AsxError('gpu_error', e instanceof Error ? e.message : String(e));
  } finally {
    for (const b of bufs) b.destroy();
  }
}
