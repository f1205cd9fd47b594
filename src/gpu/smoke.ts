/**
 * WebGPU smoke test: acquire an adapter and device, run `shaders/smoke.wgsl` (double every
 * u32 in a storage buffer) and read the result back through a MAP_READ staging buffer.
 * Nothing here throws to the caller for an expected condition (no WebGPU, no adapter, lost
 * device): those come back as a `GpuFailure` with a sentence a person can act on.
 */
import smokeWgsl from '../../shaders/smoke.wgsl?raw';

// GPUBufferUsage / GPUMapMode values (WebGPU spec); the DOM lib types them only as numbers.
const USAGE_MAP_READ = 0x0001;
const USAGE_COPY_SRC = 0x0004;
const USAGE_COPY_DST = 0x0008;
const USAGE_STORAGE = 0x0080;
const MAP_MODE_READ = 0x0001;
const WORKGROUP_SIZE = 64;

export type GpuFailureReason = 'no-webgpu' | 'no-adapter' | 'no-device' | 'device-lost' | 'mismatch' | 'error';

export interface GpuFailure {
  ok: false;
  reason: GpuFailureReason;
  message: string;
}

export interface GpuAdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  /** One short line: `google swiftshader (fallback)`. */
  label: string;
}

export interface GpuContext {
  ok: true;
  adapter: GpuAdapterSummary;
  device: GPUDevice;
}

/** What the host page offers: `navigator.gpu` if the browser exposes WebGPU. */
export function browserGpu(): GPU | undefined {
  if (typeof navigator === 'undefined') return undefined;
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  return gpu ?? undefined;
}

export function summarizeAdapter(info: Partial<GPUAdapterInfo> | undefined): GpuAdapterSummary {
  const vendor = info?.vendor ?? '';
  const architecture = info?.architecture ?? '';
  const device = info?.device ?? '';
  const description = info?.description ?? '';
  const isFallbackAdapter = info?.isFallbackAdapter ?? false;
  const words = [vendor, architecture, device].filter((w) => w !== '');
  let label = words.length ? words.join(' ') : description || 'unknown adapter';
  if (isFallbackAdapter) label += ' (fallback)';
  return { vendor, architecture, device, description, isFallbackAdapter, label };
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * Acquire a device. `onLost` is called once if the device is later lost (driver reset,
 * `device.destroy()`, tab backgrounded on some platforms) with a human sentence.
 */
export async function acquireGpu(
  gpu: GPU | undefined,
  onLost?: (message: string, reason: string, adapter: GpuAdapterSummary) => void,
): Promise<GpuContext | GpuFailure> {
  if (!gpu) {
    return {
      ok: false,
      reason: 'no-webgpu',
      message: 'WebGPU is not available in this browser (navigator.gpu is missing). Use a Chromium-based browser with WebGPU enabled, on http://localhost or https.',
    };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { ok: false, reason: 'no-adapter', message: `WebGPU adapter request failed: ${messageOf(e)}` };
  }
  if (!adapter) {
    return { ok: false, reason: 'no-adapter', message: 'WebGPU is present but no adapter is available (no GPU and no software fallback).' };
  }
  const summary = summarizeAdapter(adapter.info);
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice();
  } catch (e) {
    return { ok: false, reason: 'no-device', message: `WebGPU device request failed on ${summary.label}: ${messageOf(e)}` };
  }
  void device.lost.then((info) => {
    const why = info.message ? `: ${info.message}` : '';
    onLost?.(`WebGPU device lost (${info.reason ?? 'unknown'})${why}`, String(info.reason ?? 'unknown'), summary);
  });
  return { ok: true, adapter: summary, device };
}

/** CPU mirror of the kernel: the authority the GPU result is compared against. */
export function doubleU32(input: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = (input[i] * 2) >>> 0;
  return out;
}

/** Run the doubling kernel on `device`; resolves to the read-back values. */
export async function runDoubling(device: GPUDevice, input: Uint32Array): Promise<Uint32Array> {
  const n = input.length;
  if (n === 0) return new Uint32Array(0);
  const byteLength = n * 4;

  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  const module = device.createShaderModule({ label: 'smoke.wgsl', code: smokeWgsl });
  const pipeline = device.createComputePipeline({
    label: 'smoke-double',
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  });
  const storage = device.createBuffer({
    label: 'smoke-storage',
    size: byteLength,
    usage: USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST,
  });
  const staging = device.createBuffer({
    label: 'smoke-staging',
    size: byteLength,
    usage: USAGE_MAP_READ | USAGE_COPY_DST,
  });
  try {
    device.queue.writeBuffer(storage, 0, input.buffer, input.byteOffset, byteLength);
    const bindGroup = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer: storage } }],
    });
    const encoder = device.createCommandEncoder({ label: 'smoke' });
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(Math.ceil(n / WORKGROUP_SIZE));
    pass.end();
    encoder.copyBufferToBuffer(storage, 0, staging, 0, byteLength);
    device.queue.submit([encoder.finish()]);

    const oom = await device.popErrorScope();
    const validation = await device.popErrorScope();
    const scoped = validation ?? oom;
    if (scoped) throw new Error(`WebGPU ${validation ? 'validation' : 'out-of-memory'} error: ${scoped.message}`);

    await staging.mapAsync(MAP_MODE_READ, 0, byteLength);
    const out = new Uint32Array(staging.getMappedRange(0, byteLength).slice(0));
    staging.unmap();
    return out;
  } finally {
    storage.destroy();
    staging.destroy();
  }
}

/** The fixed input the start-up check uses: small, odd-sized, and with values that wrap. */
export function smokeInput(): Uint32Array {
  const values = [0, 1, 2, 3, 7, 100, 65535, 65536, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
  const out = new Uint32Array(131);
  for (let i = 0; i < out.length; i++) out[i] = i < values.length ? values[i] : (i * 2654435761) >>> 0;
  return out;
}

export interface SmokeReport {
  ok: boolean;
  count: number;
  /** First index where GPU and CPU disagree, or -1. */
  firstMismatch: number;
  message: string;
}

/** Run the kernel on `input` and compare with the CPU mirror, value by value. */
export async function smokeCheck(device: GPUDevice, input: Uint32Array = smokeInput()): Promise<SmokeReport> {
  const got = await runDoubling(device, input);
  const want = doubleU32(input);
  let firstMismatch = got.length === want.length ? -1 : Math.min(got.length, want.length);
  for (let i = 0; firstMismatch < 0 && i < want.length; i++) if (got[i] !== want[i]) firstMismatch = i;
  const ok = firstMismatch < 0;
  const message = ok
    ? `compute smoke test passed (${input.length} values doubled exactly)`
    : `compute smoke test mismatch at index ${firstMismatch}: got ${got[firstMismatch]}, expected ${want[firstMismatch]}`;
  return { ok, count: input.length, firstMismatch, message };
}
