/**
 * π-GCCP on WebGPU (shaders/gccp.wgsl): pipelines, buffer layouts, bind groups and the
 * host side of parity engineering (settling ALIGN's uncertain band and, when the exact
 * sums cannot be certified, the collapse on the CPU). Takes a GPUDevice, so the same
 * module runs in the browser and in Node (Dawn through the `webgpu` package).
 *
 * Buffers use STORAGE, UNIFORM, COPY_SRC and COPY_DST only (§17.2), plus one MAP_READ
 * staging buffer per read-back. A lost device turns every later call into an
 * AsxError('gpu_error') with the loss reason; nothing hangs.
 */
import { AsxError } from '../core/errors.ts';
import { type GccpBackend, type BackendRun } from '../core/gccp/backend.ts';
import { decodeRecord, bitsToF32, RECORD_U32, type ExactRecord } from '../core/gccp/exact.ts';
import { settle, finishCollapse } from '../core/gccp/f32mirror.ts';
import { checkPairs } from '../core/gccp/mirror.ts';
import { kernelConstants, profileHash, type PiProfile } from '../core/gccp/profile.ts';
import { wgsl } from './wgsl.ts';
import { traverseGpu } from './traverse.ts';

export const USAGE = { MAP_READ: 0x0001, COPY_SRC: 0x0004, COPY_DST: 0x0008, UNIFORM: 0x0040, STORAGE: 0x0080 } as const;
const MAP_MODE_READ = 0x0001;
const STAGE_COMPUTE = 0x4;
const WG = 64;
const PARAM_SLOT = 256;
const REDUCE_PER = 64;

export const GCCP_ENTRY_POINTS = ['rotate', 'measure', 'align', 'suppress', 'settle', 'accumulate', 'reduce', 'collapse'] as const;
type Entry = (typeof GCCP_ENTRY_POINTS)[number];

/** Binding table of group 0 (one bind group serves every stage). */
export const GCCP_BINDINGS = [
  { binding: 0, name: 'vecA', type: 'read-only-storage', bytesPerPair: 8 },
  { binding: 1, name: 'vecB', type: 'read-only-storage', bytesPerPair: 8 },
  { binding: 2, name: 'phase', type: 'storage', bytesPerPair: 4 },
  { binding: 3, name: 'weight', type: 'storage', bytesPerPair: 4 },
  { binding: 4, name: 'accum', type: 'storage', bytesPerPair: 0 },
  { binding: 5, name: 'rotB', type: 'storage', bytesPerPair: 8 },
  { binding: 6, name: 'ctl', type: 'storage', bytesPerPair: 4 },
  { binding: 7, name: 'result', type: 'storage', bytesPerPair: 0 },
] as const;

export interface GpuRunOptions {
  /** Read back the phase and weight arrays (default true). */
  readArrays?: boolean;
}

export interface GpuRun extends BackendRun {
  rawWeight: Float32Array;
  uncertain: number[];
  certified: boolean;
  kernelCollapse: number;
  record: ExactRecord;
  timings: { uploadMs: number; pass1Ms: number; settleMs: number; pass2Ms: number; totalMs: number };
}

function dispatch(pass: GPUComputePassEncoder, count: number): void {
  const groups = Math.max(1, Math.ceil(count / WG));
  const x = Math.min(groups, 65535);
  pass.dispatchWorkgroups(x, Math.ceil(groups / x));
}

const now = () => performance.now();

export class GccpGpu {
  readonly device: GPUDevice;
  private lostReason: string | null = null;
  private module: GPUShaderModule;
  private layout0: GPUBindGroupLayout;
  private layout1: GPUBindGroupLayout;
  private pipelineLayout: GPUPipelineLayout;
  private pipelines = new Map<string, Map<Entry, GPUComputePipeline>>();

  constructor(device: GPUDevice) {
    this.device = device;
    void device.lost.then((info) => { this.lostReason = `WebGPU device lost (${info.reason ?? 'unknown'})${info.message ? `: ${info.message}` : ''}`; });
    this.module = device.createShaderModule({ label: 'gccp.wgsl', code: wgsl('gccp') });
    this.layout0 = device.createBindGroupLayout({
      label: 'gccp-group0',
      entries: GCCP_BINDINGS.map((b) => ({ binding: b.binding, visibility: STAGE_COMPUTE, buffer: { type: b.type } })),
    });
    this.layout1 = device.createBindGroupLayout({
      label: 'gccp-params',
      entries: [{ binding: 0, visibility: STAGE_COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 32 } }],
    });
    this.pipelineLayout = device.createPipelineLayout({ bindGroupLayouts: [this.layout0, this.layout1] });
  }

  get lost(): string | null { return this.lostReason; }

  private alive(): void {
    if (this.lostReason) throw new AsxError('gpu_error', this.lostReason);
  }

  /** Pipelines for a profile: its fields bound as `override` constants (§11.2), cached by profile hash. */
  async pipelinesFor(profile: PiProfile): Promise<Map<Entry, GPUComputePipeline>> {
    const key = profileHash(profile);
    const cached = this.pipelines.get(key);
    if (cached) return cached;
    const k = kernelConstants(profile);
    const constants: Record<string, number> = {
      EPSILON: k.EPSILON, SUPPRESS_K: k.SUPPRESS_K, ROTATION: k.ROTATION,
      SIN_EPS: k.SIN_EPS, COS_EPS: k.COS_EPS, SIN_ROT: k.SIN_ROT, COS_ROT: k.COS_ROT, TAU: k.TAU,
    };
    this.device.pushErrorScope('validation');
    const map = new Map<Entry, GPUComputePipeline>();
    for (const entry of GCCP_ENTRY_POINTS) {
      map.set(entry, await this.device.createComputePipelineAsync({
        label: `gccp-${entry}`,
        layout: this.pipelineLayout,
        compute: { module: this.module, entryPoint: entry, constants },
      }));
    }
    const err = await this.device.popErrorScope();
    if (err) throw new AsxError('gpu_error', `pipeline creation failed: ${err.message}`);
    this.pipelines.set(key, map);
    return map;
  }

  private async readBack(src: GPUBuffer, offset: number, size: number): Promise<ArrayBuffer> {
    const staging = this.device.createBuffer({ label: 'gccp-staging', size, usage: USAGE.MAP_READ | USAGE.COPY_DST });
    try {
      const enc = this.device.createCommandEncoder();
      enc.copyBufferToBuffer(src, offset, staging, 0, size);
      this.device.queue.submit([enc.finish()]);
      await staging.mapAsync(MAP_MODE_READ, 0, size);
      const out = staging.getMappedRange(0, size).slice(0);
      staging.unmap();
      return out;
    } finally {
      staging.destroy();
    }
  }

  /** Run the π-GCCP stages on paired vectors (interleaved [x, y, …], rounded to f32). */
  async run(a: ArrayLike<number>, b: ArrayLike<number>, profile: PiProfile, opts: GpuRunOptions = {}): Promise<GpuRun> {
    this.alive();
    const t0 = now();
    const n = checkPairs(a, b);
    const a32 = a instanceof Float32Array ? a : Float32Array.from(a);
    const b32 = b instanceof Float32Array ? b : Float32Array.from(b);
    for (let i = 0; i < a32.length; i++) {
      if (!Number.isFinite(a32[i]) || !Number.isFinite(b32[i])) throw new AsxError('bad_vectors', `pair ${i >> 1} does not fit in f32`, { path: `vec[${i >> 1}]` });
    }
    if (n === 0) {
      const empty = new Float32Array(0);
      return { phase: empty, weight: empty, rawWeight: empty, uncertain: [], collapse: 0, accX: 0, accY: 0, certified: true, kernelCollapse: 0, record: { X: 0n, Y: 0n, ABS: 0n, count: 0 }, ms: 0, timings: { uploadMs: 0, pass1Ms: 0, settleMs: 0, pass2Ms: 0, totalMs: 0 } };
    }
    const readArrays = opts.readArrays ?? true;
    const pipes = await this.pipelinesFor(profile);
    const dev = this.device;

    const threads = Math.max(1, Math.min(Math.ceil(n / 32), 32768));
    const levels: Array<{ src: number; dst: number; count: number; outputs: number }> = [];
    let count = threads, src = 0, dst = threads;
    while (count > 1) {
      const outputs = Math.ceil(count / REDUCE_PER);
      levels.push({ src, dst, count, outputs });
      count = outputs;
      [src, dst] = [dst, src === 0 ? threads : 0];
    }
    const finalRecord = src;
    const accumRecords = threads + Math.max(1, Math.ceil(threads / REDUCE_PER));
    const slots = 3 + levels.length;

    const buffers: GPUBuffer[] = [];
    const mk = (label: string, size: number, usage: number) => { const buf = dev.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage }); buffers.push(buf); return buf; };
    dev.pushErrorScope('out-of-memory');
    dev.pushErrorScope('validation');
    let scopesOpen = true;
    try {
      const vecA = mk('vecA', 8 * n, USAGE.STORAGE | USAGE.COPY_DST);
      const vecB = mk('vecB', 8 * n, USAGE.STORAGE | USAGE.COPY_DST);
      const phase = mk('phase', 4 * n, USAGE.STORAGE | USAGE.COPY_SRC);
      const weight = mk('weight', 4 * n, USAGE.STORAGE | USAGE.COPY_SRC);
      const accum = mk('accum', 4 * RECORD_U32 * accumRecords, USAGE.STORAGE);
      const rotB = mk('rotB', 8 * n, USAGE.STORAGE);
      const ctl = mk('ctl', 16 + 4 * n, USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST);
      const result = mk('result', 4 * (1 + RECORD_U32), USAGE.STORAGE | USAGE.COPY_SRC);
      const params = mk('params', PARAM_SLOT * slots, USAGE.UNIFORM | USAGE.COPY_DST);

      dev.queue.writeBuffer(vecA, 0, a32.buffer, a32.byteOffset, 8 * n);
      dev.queue.writeBuffer(vecB, 0, b32.buffer, b32.byteOffset, 8 * n);
      dev.queue.writeBuffer(ctl, 0, new Uint32Array(4));
      const slot = (s: number, v: Partial<Record<'n' | 'threads' | 'src' | 'dst' | 'count' | 'per' | 'settle', number>>) => {
        const u = Uint32Array.from([v.n ?? n, v.threads ?? threads, v.src ?? 0, v.dst ?? 0, v.count ?? 0, v.per ?? REDUCE_PER, v.settle ?? 0, 0]);
        dev.queue.writeBuffer(params, s * PARAM_SLOT, u);
      };
      slot(0, {});
      levels.forEach((l, i) => slot(3 + i, { threads: l.outputs, src: l.src, dst: l.dst, count: l.count }));
      slot(2, { src: finalRecord });

      const group0 = dev.createBindGroup({
        layout: this.layout0,
        entries: [vecA, vecB, phase, weight, accum, rotB, ctl, result].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      const group1 = dev.createBindGroup({ layout: this.layout1, entries: [{ binding: 0, resource: { buffer: params, size: 32 } }] });
      const tUpload = now();

      // Pass 1: ROTATE, MEASURE, ALIGN, SUPPRESS.
      const enc1 = dev.createCommandEncoder({ label: 'gccp-pass1' });
      const p1 = enc1.beginComputePass();
      p1.setBindGroup(0, group0);
      p1.setBindGroup(1, group1, [0]);
      for (const e of ['rotate', 'measure', 'align', 'suppress'] as const) { p1.setPipeline(pipes.get(e)!); dispatch(p1, n); }
      p1.end();
      dev.queue.submit([enc1.finish()]);
      const head = new Uint32Array(await this.readBack(ctl, 0, 16));
      const k = head[0];
      const tPass1 = now();
      let uncertain: number[] = [];
      let settledW: Uint8Array = new Uint8Array(0);
      if (k > 0) {
        uncertain = Array.from(new Uint32Array(await this.readBack(ctl, 16, 4 * k))).sort((x, y) => x - y);
        settledW = settle(a32, b32, uncertain, profile);
        const enc = new Uint32Array(k);
        for (let j = 0; j < k; j++) enc[j] = (uncertain[j] | (settledW[j] << 31)) >>> 0;
        dev.queue.writeBuffer(ctl, 16, enc);
        slot(1, { settle: k });
      }
      const tSettle = now();

      // Pass 2: SETTLE, ACCUMULATE, REDUCE…, COLLAPSE.
      const enc2 = dev.createCommandEncoder({ label: 'gccp-pass2' });
      const p2 = enc2.beginComputePass();
      p2.setBindGroup(0, group0);
      if (k > 0) { p2.setBindGroup(1, group1, [PARAM_SLOT]); p2.setPipeline(pipes.get('settle')!); dispatch(p2, k); }
      p2.setBindGroup(1, group1, [0]);
      p2.setPipeline(pipes.get('accumulate')!);
      dispatch(p2, threads);
      p2.setPipeline(pipes.get('reduce')!);
      levels.forEach((l, i) => { p2.setBindGroup(1, group1, [(3 + i) * PARAM_SLOT]); dispatch(p2, l.outputs); });
      p2.setBindGroup(1, group1, [2 * PARAM_SLOT]);
      p2.setPipeline(pipes.get('collapse')!);
      p2.dispatchWorkgroups(1);
      p2.end();
      dev.queue.submit([enc2.finish()]);
      const res = new Uint32Array(await this.readBack(result, 0, 4 * (1 + RECORD_U32)));
      const tPass2 = now();

      const kernelCollapse = bitsToF32(res[0]);
      const record = decodeRecord(res, 1);
      let phaseArr = new Float32Array(0), weightArr = new Float32Array(0);
      const needWeights = readArrays;
      if (readArrays) phaseArr = new Float32Array(await this.readBack(phase, 0, 4 * n));
      if (needWeights) weightArr = new Float32Array(await this.readBack(weight, 0, 4 * n));
      let fin = finishCollapse(a32, weightArr, record, kernelCollapse);
      if (!fin.certified && !needWeights) {
        weightArr = new Float32Array(await this.readBack(weight, 0, 4 * n));
        fin = finishCollapse(a32, weightArr, record, kernelCollapse);
      }
      const validation = await dev.popErrorScope();
      const oom = await dev.popErrorScope();
      scopesOpen = false;
      if (validation || oom) throw new AsxError('gpu_error', `WebGPU ${validation ? 'validation' : 'out-of-memory'} error: ${(validation ?? oom)!.message}`);
      this.alive();
      const rawWeight = weightArr.slice();
      for (let j = 0; j < uncertain.length; j++) if (rawWeight.length) rawWeight[uncertain[j]] = 0;
      const tEnd = now();
      return {
        phase: phaseArr, weight: weightArr, rawWeight, uncertain, record, kernelCollapse,
        collapse: fin.collapse, accX: fin.accX, accY: fin.accY, certified: fin.certified,
        ms: tEnd - t0,
        timings: { uploadMs: tUpload - t0, pass1Ms: tPass1 - tUpload, settleMs: tSettle - tPass1, pass2Ms: tPass2 - tSettle, totalMs: tEnd - t0 },
      };
    } catch (e) {
      // Leave the error scopes balanced whatever happened.
      if (scopesOpen) {
        await dev.popErrorScope().catch(() => null);
        await dev.popErrorScope().catch(() => null);
      }
      if (this.lostReason) throw new AsxError('gpu_error', this.lostReason);
      if (e instanceof AsxError) throw e;
      throw new AsxError('gpu_error', e instanceof Error ? e.message : String(e));
    } finally {
      for (const buf of buffers) buf.destroy();
    }
  }
}

/** The WebGPU backend for the conformance runner and the lab. */
export function gpuBackend(g: GccpGpu, label = 'webgpu'): GccpBackend {
  return {
    name: `webgpu (${label})`,
    precision: 'f32',
    run: (a, b, profile) => g.run(a, b, profile),
    traverse: (t, start, K) => traverseGpu(g.device, t, start, K),
  };
}
