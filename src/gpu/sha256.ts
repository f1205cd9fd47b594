/**
 * Batch SHA-256 on WebGPU (shaders/sha256.wgsl, issue 9): pack leaf hashes (N equal-length
 * lane payloads → N × 32 bytes) and merkle roots (one dispatch per level, addendum 5: an odd
 * level duplicates its last node). Bit-identical to the CPU (src/core/hash/sha256.ts,
 * src/core/pack/merkle.ts); tests: sha256.gpu.test.ts (Node, Dawn) and e2e/gpu-sha256.spec.ts
 * (Chromium).
 *
 * Takes a GPUDevice, so it runs in the browser, a worker and Node alike. The WGSL text is
 * registered once by the host (`setSha256Wgsl`: sha256-node.ts reads shaders/sha256.wgsl,
 * sha256-vite.ts imports it with `?raw`). Buffers: STORAGE, UNIFORM, COPY_SRC, COPY_DST and
 * one MAP_READ staging buffer per read-back (§17.2). A lost device turns every later call
 * (and the one in flight) into AsxError('gpu_error') with the loss reason; no adapter is a
 * `NoGpuAdapterError` (code 'no_gpu').
 *
 * Whether the GPU is used at all is decided by measurement: `chooseLeafHasher` (law
 * L-GPU-SHA in docs/laws.md).
 */
import { AsxError } from '../core/errors.ts';
import { sha256 } from '../core/hash/sha256.ts';

const U = { MAP_READ: 0x0001, COPY_SRC: 0x0004, COPY_DST: 0x0008, UNIFORM: 0x0040, STORAGE: 0x0080 } as const;
const MAP_MODE_READ = 0x0001;
const STAGE_COMPUTE = 0x4;
const WG = 64;
const SLOT = 256;
/** Upper bound for one leaf chunk's message buffer (the device limit may be lower). */
const CHUNK_BYTES = 64 << 20;

/** No WebGPU adapter (or no navigator.gpu): callers fall back to the CPU. */
export class NoGpuAdapterError extends AsxError {
  constructor(message: string) {
    super('no_gpu', message);
    this.name = 'NoGpuAdapterError';
  }
}

let wgslSource: string | null = null;

/** Register the text of shaders/sha256.wgsl (once per realm). */
export function setSha256Wgsl(code: string): void {
  wgslSource = code;
}

export function hasSha256Wgsl(): boolean {
  return wgslSource !== null;
}

/** A device for hashing from a `GPU` (navigator.gpu, or Dawn's in Node); throws NoGpuAdapterError. */
export async function requestSha256Device(gpu: GPU | undefined | null): Promise<GPUDevice> {
  if (!gpu) throw new NoGpuAdapterError('WebGPU is not available here (navigator.gpu is missing)');
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    throw new NoGpuAdapterError(`WebGPU adapter request failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!adapter) throw new NoGpuAdapterError('WebGPU is present but no adapter is available');
  try {
    return await adapter.requestDevice();
  } catch (e) {
    throw new AsxError('gpu_error', `WebGPU device request failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Fewer messages than this run in workgroups of FEW_WG invocations (LEAF_WG override). */
const FEW_MESSAGES = 1024;
const FEW_WG = 4;

interface Pipes {
  leafLayout: GPUBindGroupLayout;
  leaf: GPUComputePipeline;
  /** leaf_hash with LEAF_WG = FEW_WG, created on first use. */
  leafFew: GPUComputePipeline | null;
  module: GPUShaderModule;
  nodeLayout: GPUBindGroupLayout;
  paramLayout: GPUBindGroupLayout;
  level: GPUComputePipeline;
  lost: string | null;
}

const cache = new WeakMap<GPUDevice, Pipes>();

function pipes(device: GPUDevice): Pipes {
  const hit = cache.get(device);
  if (hit) {
    if (hit.lost) throw new AsxError('gpu_error', hit.lost);
    return hit;
  }
  if (wgslSource === null) throw new Error('shaders/sha256.wgsl is not registered (import src/gpu/sha256-vite.ts in the browser or call loadSha256Wgsl() from sha256-node.ts in Node)');
  const module = device.createShaderModule({ label: 'sha256.wgsl', code: wgslSource });
  const leafLayout = device.createBindGroupLayout({
    label: 'sha256-leaf',
    entries: [
      { binding: 0, visibility: STAGE_COMPUTE, buffer: { type: 'read-only-storage' } },
      { binding: 1, visibility: STAGE_COMPUTE, buffer: { type: 'storage' } },
      { binding: 2, visibility: STAGE_COMPUTE, buffer: { type: 'uniform', minBindingSize: 16 } },
    ],
  });
  const nodeLayout = device.createBindGroupLayout({
    label: 'sha256-nodes',
    entries: [{ binding: 3, visibility: STAGE_COMPUTE, buffer: { type: 'storage' } }],
  });
  const paramLayout = device.createBindGroupLayout({
    label: 'sha256-level-params',
    entries: [{ binding: 0, visibility: STAGE_COMPUTE, buffer: { type: 'uniform', hasDynamicOffset: true, minBindingSize: 16 } }],
  });
  const p: Pipes = {
    leafLayout, nodeLayout, paramLayout, lost: null, module, leafFew: null,
    leaf: device.createComputePipeline({
      label: 'sha256-leaf_hash',
      layout: device.createPipelineLayout({ bindGroupLayouts: [leafLayout] }),
      compute: { module, entryPoint: 'leaf_hash' },
    }),
    level: device.createComputePipeline({
      label: 'sha256-merkle_level',
      layout: device.createPipelineLayout({ bindGroupLayouts: [nodeLayout, paramLayout] }),
      compute: { module, entryPoint: 'merkle_level' },
    }),
  };
  void device.lost.then((info) => {
    p.lost = `WebGPU device lost (${info.reason ?? 'unknown'})${info.message ? `: ${info.message}` : ''}`;
  });
  cache.set(device, p);
  return p;
}

function leafPipeline(device: GPUDevice, p: Pipes, count: number): { pipeline: GPUComputePipeline; wg: number } {
  if (count >= FEW_MESSAGES) return { pipeline: p.leaf, wg: WG };
  p.leafFew ??= device.createComputePipeline({
    label: 'sha256-leaf_hash-few',
    layout: device.createPipelineLayout({ bindGroupLayouts: [p.leafLayout] }),
    compute: { module: p.module, entryPoint: 'leaf_hash', constants: { LEAF_WG: FEW_WG } },
  });
  return { pipeline: p.leafFew, wg: FEW_WG };
}

/** Workgroup grid for `threads` invocations of `wg` each (x ≤ 65,535; the shader flattens x and y). */
function grid(threads: number, wg = WG): [number, number] {
  const groups = Math.max(1, Math.ceil(threads / wg));
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x)];
}

/**
 * Run `body` with validation and out-of-memory error scopes, translating every failure
 * (including a device lost mid-flight, when mapAsync rejects) into AsxError('gpu_error').
 */
async function guarded<T>(device: GPUDevice, p: Pipes, body: (track: (b: GPUBuffer) => GPUBuffer) => Promise<T>): Promise<T> {
  const buffers: GPUBuffer[] = [];
  const track = (b: GPUBuffer) => { buffers.push(b); return b; };
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let open = true;
  try {
    const out = await body(track);
    const validation = await device.popErrorScope();
    const oom = await device.popErrorScope();
    open = false;
    if (validation || oom) throw new AsxError('gpu_error', `WebGPU ${validation ? 'validation' : 'out-of-memory'} error: ${(validation ?? oom)!.message}`);
    if (p.lost) throw new AsxError('gpu_error', p.lost);
    return out;
  } catch (e) {
    if (open) {
      await device.popErrorScope().catch(() => null);
      await device.popErrorScope().catch(() => null);
    }
    if (p.lost) throw new AsxError('gpu_error', p.lost);
    if (e instanceof AsxError) throw e;
    throw new AsxError('gpu_error', e instanceof Error ? e.message : String(e));
  } finally {
    for (const b of buffers) b.destroy();
  }
}

async function readBack(device: GPUDevice, staging: GPUBuffer, size: number, into: Uint8Array, at: number): Promise<void> {
  await staging.mapAsync(MAP_MODE_READ, 0, size);
  into.set(new Uint8Array(staging.getMappedRange(0, size)), at);
  staging.unmap();
}

function checkShape(payloads: Uint8Array, count: number, length: number): void {
  if (!Number.isInteger(count) || count < 0) throw new AsxError('bad_input', `count ${count} is not a non-negative integer`);
  if (!Number.isInteger(length) || length < 0) throw new AsxError('bad_input', `length ${length} is not a non-negative integer`);
  if (payloads.length < count * length) throw new AsxError('bad_input', `${count} messages of ${length} bytes need ${count * length} bytes, the buffer has ${payloads.length}`);
}

/**
 * SHA-256 of `count` messages of `length` bytes each, contiguous from payloads[0]
 * (pack DATA: lane payloads of 3 + 2·dims bytes). Returns count × 32 digest bytes in order.
 * Large batches run in chunks that fit the device's storage-buffer limit (`chunkBytes`
 * lowers the chunk size, for tests).
 */
export async function gpuLeafHashes(device: GPUDevice, payloads: Uint8Array, count: number, length: number, opts: { chunkBytes?: number } = {}): Promise<Uint8Array> {
  checkShape(payloads, count, length);
  const out = new Uint8Array(count * 32);
  if (count === 0) return out;
  const p = pipes(device);
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize, opts.chunkBytes ?? CHUNK_BYTES);
  // Messages per chunk: their bytes (+ 8 padding bytes) and their digests fit one binding.
  const per = Math.max(1, Math.min(count, Math.floor((limit - 8) / Math.max(length, 1)), Math.floor(limit / 32)));
  if (length + 8 > limit) throw new AsxError('bad_input', `a ${length}-byte message does not fit one storage buffer (${limit} bytes) on this device`);
  const inBytes = Math.ceil((per * length + 8) / 4) * 4;
  return guarded(device, p, async (track) => {
    const msgs = track(device.createBuffer({ label: 'sha256-msgs', size: inBytes, usage: U.STORAGE | U.COPY_DST }));
    const digests = track(device.createBuffer({ label: 'sha256-digests', size: per * 32, usage: U.STORAGE | U.COPY_SRC }));
    const params = track(device.createBuffer({ label: 'sha256-leaf-params', size: 16, usage: U.UNIFORM | U.COPY_DST }));
    const staging = track(device.createBuffer({ label: 'sha256-staging', size: per * 32, usage: U.MAP_READ | U.COPY_DST }));
    const group = device.createBindGroup({
      layout: p.leafLayout,
      entries: [{ binding: 0, resource: { buffer: msgs } }, { binding: 1, resource: { buffer: digests } }, { binding: 2, resource: { buffer: params } }],
    });
    const scratch = new Uint8Array(inBytes);
    // A handful of (long) messages: small workgroups, so they spread over more cores.
    const leaf = leafPipeline(device, p, per);
    for (let first = 0; first < count; first += per) {
      const n = Math.min(per, count - first);
      const bytes = n * length;
      const start = payloads.byteOffset + first * length;
      // writeBuffer needs a 4-byte multiple; copy unaligned or ragged chunks into a padded scratch.
      const size = Math.ceil((bytes + 8) / 4) * 4;
      if (start % 4 === 0 && payloads.buffer.byteLength >= start + size) {
        device.queue.writeBuffer(msgs, 0, payloads.buffer, start, size);
      } else {
        scratch.set(payloads.subarray(first * length, first * length + bytes));
        scratch.fill(0, bytes, size);
        device.queue.writeBuffer(msgs, 0, scratch.buffer, 0, size);
      }
      device.queue.writeBuffer(params, 0, new Uint32Array([n, length, 0, 0]));
      const enc = device.createCommandEncoder({ label: 'sha256-leaves' });
      const pass = enc.beginComputePass();
      pass.setPipeline(leaf.pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(...grid(n, leaf.wg));
      pass.end();
      enc.copyBufferToBuffer(digests, 0, staging, 0, n * 32);
      device.queue.submit([enc.finish()]);
      await readBack(device, staging, n * 32, out, first * 32);
      if (p.lost) throw new AsxError('gpu_error', p.lost);
    }
    return out;
  });
}

/**
 * Merkle root of 32-byte leaves (concatenated), addendum 5: pairs hash as sha256(left ‖ right),
 * an odd level duplicates its last node, one leaf is its own root. ⌈log2 N⌉ dispatches in one
 * submission; nodes ping-pong between two regions of one buffer. No leaves: AsxError('bad_input')
 * (a pack with no lanes has no MERKLE section).
 */
export async function gpuMerkleRoot(device: GPUDevice, leaves: Uint8Array): Promise<Uint8Array> {
  if (leaves.length % 32 !== 0) throw new AsxError('bad_input', `leaves are ${leaves.length} bytes, not a multiple of 32`);
  const n = leaves.length / 32;
  if (n === 0) throw new AsxError('bad_input', 'no leaves: an empty pack has no merkle root');
  if (n === 1) return leaves.slice(0, 32);
  const p = pipes(device);
  const half = Math.ceil(n / 2);
  const bytes = (n + half) * 32;
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  if (bytes > limit) throw new AsxError('bad_input', `${n} leaves need ${bytes} bytes of nodes, over this device's ${limit}-byte storage limit`);
  // Levels: region A = nodes [0, n), region B = nodes [n, n + ⌈n/2⌉).
  const levels: Array<{ n: number; src: number; dst: number }> = [];
  for (let m = n, src = 0, dst = n; m > 1; m = Math.ceil(m / 2)) {
    levels.push({ n: m, src, dst });
    [src, dst] = [dst, src];
  }
  const rootAt = levels[levels.length - 1].dst;
  return guarded(device, p, async (track) => {
    const nodes = track(device.createBuffer({ label: 'sha256-nodes', size: bytes, usage: U.STORAGE | U.COPY_DST | U.COPY_SRC }));
    const params = track(device.createBuffer({ label: 'sha256-level-params', size: SLOT * levels.length, usage: U.UNIFORM | U.COPY_DST }));
    const staging = track(device.createBuffer({ label: 'sha256-root', size: 32, usage: U.MAP_READ | U.COPY_DST }));
    if (leaves.byteOffset % 4 === 0) device.queue.writeBuffer(nodes, 0, leaves.buffer, leaves.byteOffset, leaves.length);
    else device.queue.writeBuffer(nodes, 0, leaves.slice());
    const slots = new Uint32Array((SLOT / 4) * levels.length);
    levels.forEach((l, i) => slots.set([l.n, l.src, l.dst, 0], (SLOT / 4) * i));
    device.queue.writeBuffer(params, 0, slots);
    const g0 = device.createBindGroup({ layout: p.nodeLayout, entries: [{ binding: 3, resource: { buffer: nodes } }] });
    const g1 = device.createBindGroup({ layout: p.paramLayout, entries: [{ binding: 0, resource: { buffer: params, size: 16 } }] });
    const enc = device.createCommandEncoder({ label: 'sha256-merkle' });
    const pass = enc.beginComputePass();
    pass.setPipeline(p.level);
    pass.setBindGroup(0, g0);
    levels.forEach((l, i) => {
      pass.setBindGroup(1, g1, [i * SLOT]);
      pass.dispatchWorkgroups(...grid(Math.ceil(l.n / 2)));
    });
    pass.end();
    enc.copyBufferToBuffer(nodes, rootAt * 32, staging, 0, 32);
    device.queue.submit([enc.finish()]);
    const root = new Uint8Array(32);
    await readBack(device, staging, 32, root, 0);
    return root;
  });
}

/** Leaf hashes then the root, without reading the leaves back between the two (convenience). */
export async function gpuPackRoot(device: GPUDevice, payloads: Uint8Array, count: number, length: number): Promise<{ leaves: Uint8Array; root: Uint8Array }> {
  const leaves = await gpuLeafHashes(device, payloads, count, length);
  return { leaves, root: await gpuMerkleRoot(device, leaves) };
}

// ---------------------------------------------------------------------------------------
// Choosing the backend (law L-GPU-SHA, docs/laws.md)

export type LeafHasherFn = (payloads: Uint8Array, count: number, length: number) => Uint8Array;

/** The CPU reference: the core's SHA-256 once per message. */
export const cpuLeafHashes: LeafHasherFn = (payloads, count, length) => {
  checkShape(payloads, count, length);
  const out = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) out.set(sha256(payloads.subarray(i * length, (i + 1) * length)), i * 32);
  return out;
};

export interface LeafHasherChoice {
  backend: 'gpu' | 'cpu';
  /** Why: 'no-device', 'gpu-error', 'mismatch', 'cpu-faster' or 'gpu-faster'. */
  reason: 'no-device' | 'gpu-error' | 'mismatch' | 'cpu-faster' | 'gpu-faster';
  /** Calibration timings in ms (NaN when not measured) and cpuMs / gpuMs (> 1: GPU faster). */
  gpuMs: number;
  cpuMs: number;
  speedup: number;
  calibration: { count: number; length: number };
  detail?: string;
  hash(payloads: Uint8Array, count: number, length: number): Promise<Uint8Array>;
}

export interface ChooseOptions {
  /** CPU batch hasher to compare with (default cpuLeafHashes); also the fallback. */
  cpu?: LeafHasherFn;
  /** Calibration batch shape (default 4,096 messages of 131 bytes: 64-dim lanes). */
  count?: number;
  length?: number;
  /** Timed runs of each backend after the warm-up (default 3); medians are compared. */
  rounds?: number;
  now?: () => number;
}

/** Deterministic calibration bytes (xorshift32), so every run hashes the same batch. */
export function calibrationBytes(size: number, seed = 0x9e3779b9): Uint8Array {
  const b = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; b[i] = x & 0xff; }
  return b;
}

/**
 * L-GPU-SHA: hash one calibration batch (default 4,096 × 131 bytes, or the caller's shape)
 * on the CPU and on the GPU: one untimed warm-up of each (pipeline compilation, JIT), then
 * `rounds` (default 3) interleaved timed runs of each; the medians are compared. The GPU is
 * chosen only if its digests equal the CPU's byte for byte AND its median time (upload +
 * dispatch + read-back, wall clock) is strictly lower than the CPU's. Anything else — no
 * device, a GPU error, a mismatch, a tie or a slower GPU — chooses the CPU. Callers measure
 * once and cache the choice (per device and message-size class).
 */
export async function chooseLeafHasher(device: GPUDevice | null | undefined, opts: ChooseOptions = {}): Promise<LeafHasherChoice> {
  const cpu = opts.cpu ?? cpuLeafHashes;
  const count = opts.count ?? 4096, length = opts.length ?? 131, n = Math.max(1, opts.rounds ?? 3);
  const clock = opts.now ?? (() => performance.now());
  const calibration = { count, length };
  const cpuHash = (pl: Uint8Array, c: number, l: number) => Promise.resolve(cpu(pl, c, l));
  const base = { calibration, hash: cpuHash, backend: 'cpu' as const };
  if (!device) return { ...base, reason: 'no-device', gpuMs: NaN, cpuMs: NaN, speedup: NaN };
  const data = calibrationBytes(count * length);
  const want = cpu(data, count, length);
  let got: Uint8Array;
  try {
    got = await gpuLeafHashes(device, data, count, length);
  } catch (e) {
    return { ...base, reason: 'gpu-error', gpuMs: NaN, cpuMs: NaN, speedup: NaN, detail: e instanceof Error ? e.message : String(e) };
  }
  if (got.length !== want.length || got.some((v, i) => v !== want[i])) return { ...base, reason: 'mismatch', gpuMs: NaN, cpuMs: NaN, speedup: NaN };
  const cpuT: number[] = [], gpuT: number[] = [];
  try {
    for (let r = 0; r < n; r++) {
      let t = clock();
      cpu(data, count, length);
      cpuT.push(clock() - t);
      t = clock();
      await gpuLeafHashes(device, data, count, length);
      gpuT.push(clock() - t);
    }
  } catch (e) {
    return { ...base, reason: 'gpu-error', gpuMs: NaN, cpuMs: median(cpuT), speedup: NaN, detail: e instanceof Error ? e.message : String(e) };
  }
  const cpuMs = median(cpuT), gpuMs = median(gpuT), speedup = cpuMs / gpuMs;
  if (!(gpuMs < cpuMs)) return { ...base, reason: 'cpu-faster', gpuMs, cpuMs, speedup };
  return { calibration, backend: 'gpu', reason: 'gpu-faster', gpuMs, cpuMs, speedup, hash: (pl, c, l) => gpuLeafHashes(device, pl, c, l) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The GPU as a hash backend of the shape src/core/hash/backend.ts installs with
 * `setHashBackend` ({ name, sha256Batch(data, off, len, stride, count, out, outOff) }):
 * messages at a stride other than their length are gathered first. Install it only when
 * `chooseLeafHasher` chose the GPU.
 */
export function gpuHashBackend(device: GPUDevice): {
  name: string;
  sha256Batch(data: Uint8Array, off: number, len: number, stride: number, count: number, out: Uint8Array, outOff: number): Promise<void>;
} {
  return {
    name: 'webgpu',
    async sha256Batch(data, off, len, stride, count, out, outOff) {
      let src: Uint8Array;
      if (stride === len) src = data.subarray(off, off + count * len);
      else {
        src = new Uint8Array(count * len);
        for (let i = 0; i < count; i++) src.set(data.subarray(off + i * stride, off + i * stride + len), i * len);
      }
      out.set(await gpuLeafHashes(device, src, count, len), outOff);
    },
  };
}
