/**
 * The exact int8 × int8 → i32 matrix product on WebGPU for MX2LM inference (issue 12;
 * shaders/intmatmul.wgsl; law MX2LM-INTMATMUL in docs/laws.md). Integer addition is exact and
 * associative, so the GPU's result equals `cpuIntMatmulReference` bit for bit whatever order it
 * sums in, as long as no partial sum overflows: |Σ| ≤ cols · 128 · 128 < 2^31, i.e. cols ≤
 * 131,071 (checked; more is AsxError('bad_input')).
 *
 * Takes a GPUDevice, so it runs in the browser, a worker and Node alike. The WGSL text is
 * registered once by the host (`setIntMatmulWgsl`: intmatmul-node.ts reads the file,
 * intmatmul-vite.ts imports it with `?raw`) or passed as `opts.wgsl`. Two variants of the one
 * kernel: 'software' (unpack with shifts and sign extension; always) and 'dot4' (the WGSL
 * built-in dot4I8Packed; only when the WGSL language feature packed_4x8_integer_dot_product is
 * present). Buffers grow with the largest call and are reused; calls are serialized. A lost
 * device, a failed mapping or a validation / out-of-memory error is AsxError('gpu_error') —
 * the read-back races the device's `lost` promise, so a loss never hangs a call.
 */
import { AsxError } from '../core/errors.ts';

/**
 * The interface the inference engine (src/core/infer/intmatmul.ts) consumes, mirrored here
 * (structurally identical) until that file is committed; then import it from there.
 */
export interface IntMatmul {
  /** A short name for traces and benches ("cpu", "webgpu", …). */
  readonly name?: string;
  /** out[b*rows + r] = Σ_c a[r*cols + c] · x[b*cols + c]; a is rows×cols, x batch×cols, row-major. */
  matmul(a: Int8Array, rows: number, cols: number, x: Int8Array, batch: number): Promise<Int32Array>;
}

export type IntMatmulVariant = 'software' | 'dot4';

export interface GpuIntMatmul extends IntMatmul {
  readonly name: 'webgpu';
  /** Which kernel body runs. */
  readonly variant: IntMatmulVariant;
  /** Release the buffers; later calls are a gpu_error. The device is the caller's. */
  destroy(): void;
}

/** The largest cols for which no partial sum can overflow i32: cols · 2^14 ≤ 2^31 − 1. */
export const INTMATMUL_MAX_COLS = 131_071;
export const PACKED_DOT4_FEATURE = 'packed_4x8_integer_dot_product';

const U = { MAP_READ: 0x0001, COPY_SRC: 0x0004, COPY_DST: 0x0008, UNIFORM: 0x0040, STORAGE: 0x0080 } as const;
const MAP_MODE_READ = 0x0001;
const WG = 64;
const BEGIN = '// @dot4-software-begin';
const END = '// @dot4-software-end';

let wgslSource: string | null = null;

/** Register the text of shaders/intmatmul.wgsl (once per realm). */
export function setIntMatmulWgsl(code: string): void {
  wgslSource = code;
}

export function hasIntMatmulWgsl(): boolean {
  return wgslSource !== null;
}

/**
 * The shader text of a variant: 'software' is the file as it is; 'dot4' prepends
 * `requires packed_4x8_integer_dot_product;` and replaces the body of dot4_i8 (between the
 * markers) with dot4I8Packed.
 */
export function intMatmulWgsl(variant: IntMatmulVariant, code: string): string {
  if (variant === 'software') return code;
  const i = code.indexOf(BEGIN), j = code.indexOf(END);
  if (i < 0 || j < i) throw new AsxError('bad_input', 'shaders/intmatmul.wgsl has no dot4 markers');
  return `requires ${PACKED_DOT4_FEATURE};\n${code.slice(0, i)}return dot4I8Packed(p, q);${code.slice(j + END.length)}`;
}

/** Whether a GPU object (navigator.gpu, Dawn's GPU) offers dot4I8Packed. */
export function hasPackedDot4(gpu: { wgslLanguageFeatures?: ReadonlySet<string> } | null | undefined): boolean {
  return !!gpu?.wgslLanguageFeatures?.has(PACKED_DOT4_FEATURE);
}

function checkArgs(a: Int8Array, rows: number, cols: number, x: Int8Array, batch: number): void {
  for (const [name, v] of [['rows', rows], ['cols', cols], ['batch', batch]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new AsxError('bad_input', `${name} ${v} is not a non-negative integer`);
  }
  if (!(a instanceof Int8Array) || !(x instanceof Int8Array)) throw new AsxError('bad_input', 'a and x must be Int8Arrays');
  if (a.length < rows * cols) throw new AsxError('bad_input', `a is ${rows}×${cols} = ${rows * cols} values, the array has ${a.length}`);
  if (x.length < batch * cols) throw new AsxError('bad_input', `x is ${batch}×${cols} = ${batch * cols} values, the array has ${x.length}`);
  if (cols > INTMATMUL_MAX_COLS) throw new AsxError('bad_input', `cols ${cols} > ${INTMATMUL_MAX_COLS}: a sum of ${cols} products of int8 values could overflow i32`);
}

/** The CPU mirror: a plain loop in index order (sums stay below 2^31, so `| 0` is exact). */
export function cpuIntMatmulReference(a: Int8Array, rows: number, cols: number, x: Int8Array, batch: number): Int32Array {
  checkArgs(a, rows, cols, x, batch);
  const out = new Int32Array(batch * rows);
  for (let b = 0; b < batch; b++) {
    const xb = b * cols;
    for (let r = 0; r < rows; r++) {
      const ar = r * cols;
      let s = 0;
      for (let c = 0; c < cols; c++) s += a[ar + c] * x[xb + c];
      out[b * rows + r] = s | 0;
    }
  }
  return out;
}

/**
 * Rows of int8 values as the kernel reads them: each row padded with zero bytes to
 * `words` u32 (4·words bytes). Returns the source bytes themselves when no padding is
 * needed and they are 4-byte aligned.
 */
export function packInt8Rows(src: Int8Array, n: number, cols: number, words: number): Uint8Array {
  const stride = words * 4;
  if (stride === cols && src.byteOffset % 4 === 0) return new Uint8Array(src.buffer, src.byteOffset, n * cols);
  const out = new Uint8Array(n * stride);
  const bytes = new Uint8Array(src.buffer, src.byteOffset, n * cols);
  for (let i = 0; i < n; i++) out.set(bytes.subarray(i * cols, (i + 1) * cols), i * stride);
  return out;
}

export interface GpuIntMatmulOptions {
  /** Use dot4I8Packed: true, false, or (default) when `languageFeatures`/navigator.gpu has the feature. */
  dot4?: boolean;
  /** The GPU's wgslLanguageFeatures (Node: Dawn's GPU object); default navigator.gpu's. */
  languageFeatures?: ReadonlySet<string>;
  /** The shader text; default the registered one. */
  wgsl?: string;
}

function navigatorFeatures(): ReadonlySet<string> | undefined {
  const nav = (globalThis as { navigator?: { gpu?: { wgslLanguageFeatures?: ReadonlySet<string> } } }).navigator;
  return nav?.gpu?.wgslLanguageFeatures;
}

interface Buffers { a: GPUBuffer | null; x: GPUBuffer | null; out: GPUBuffer | null; staging: GPUBuffer | null; params: GPUBuffer }

/**
 * An IntMatmul on `device`. Limits: every buffer (A: rows·⌈cols/4⌉·4 bytes, X: batch·⌈cols/4⌉·4,
 * out: batch·rows·4) within maxStorageBufferBindingSize and maxBufferSize, ⌈rows/64⌉ and batch
 * within maxComputeWorkgroupsPerDimension; beyond: AsxError('bad_input') naming the limit.
 */
export function createGpuIntMatmul(device: GPUDevice, opts: GpuIntMatmulOptions = {}): GpuIntMatmul {
  const code = opts.wgsl ?? wgslSource;
  if (code === null) throw new Error('shaders/intmatmul.wgsl is not registered (import src/gpu/intmatmul-vite.ts in the browser, call loadIntMatmulWgsl() from intmatmul-node.ts in Node, or pass opts.wgsl)');
  const variant: IntMatmulVariant = (opts.dot4 ?? hasPackedDot4({ wgslLanguageFeatures: opts.languageFeatures ?? navigatorFeatures() })) ? 'dot4' : 'software';
  let lost: string | null = null;
  let destroyed = false;
  const lostSignal = device.lost.then((info) => {
    lost = `WebGPU device lost (${info.reason ?? 'unknown'})${info.message ? `: ${info.message}` : ''}`;
    return lost;
  });
  let pipeline: Promise<GPUComputePipeline> | null = null;
  const bufs: Buffers = { a: null, x: null, out: null, staging: null, params: device.createBuffer({ label: 'intmatmul-params', size: 16, usage: U.UNIFORM | U.COPY_DST }) };
  let chain: Promise<unknown> = Promise.resolve();

  const fail = (): never => { throw new AsxError('gpu_error', lost ?? 'this IntMatmul was destroyed'); };

  function getPipeline(): Promise<GPUComputePipeline> {
    pipeline ??= (async () => {
      const module = device.createShaderModule({ label: `intmatmul.wgsl (${variant})`, code: intMatmulWgsl(variant, code!) });
      try {
        return await device.createComputePipelineAsync({ label: `intmatmul-${variant}`, layout: 'auto', compute: { module, entryPoint: 'intmatmul' } });
      } catch (e) {
        pipeline = null;
        throw new AsxError('gpu_error', `intmatmul (${variant}) pipeline: ${e instanceof Error ? e.message : String(e)}`);
      }
    })();
    return pipeline;
  }

  /** A buffer of at least `size` bytes with `usage`, grown (never shrunk) as calls need. */
  function sized(key: 'a' | 'x' | 'out' | 'staging', size: number, usage: number): GPUBuffer {
    const have = bufs[key];
    if (have && have.size >= size) return have;
    have?.destroy();
    const b = device.createBuffer({ label: `intmatmul-${key}`, size: Math.max(16, Math.ceil(size / 16) * 16), usage });
    bufs[key] = b;
    return b;
  }

  /** Upload, bind, dispatch and copy to the staging buffer (one submission); returns the staging buffer. */
  function encode(pipe: GPUComputePipeline, a: Int8Array, rows: number, cols: number, x: Int8Array, batch: number, words: number, aBytes: number, xBytes: number, outBytes: number, groupsX: number): GPUBuffer {
    const aBuf = sized('a', aBytes, U.STORAGE | U.COPY_DST);
    const xBuf = sized('x', xBytes, U.STORAGE | U.COPY_DST);
    const outBuf = sized('out', outBytes, U.STORAGE | U.COPY_SRC);
    const staging = sized('staging', outBytes, U.MAP_READ | U.COPY_DST);
    const pa = packInt8Rows(a, rows, cols, words), px = packInt8Rows(x, batch, cols, words);
    device.queue.writeBuffer(aBuf, 0, pa.buffer, pa.byteOffset, aBytes);
    device.queue.writeBuffer(xBuf, 0, px.buffer, px.byteOffset, xBytes);
    device.queue.writeBuffer(bufs.params, 0, new Uint32Array([rows, batch, words, 0]));
    const group = device.createBindGroup({
      layout: pipe.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: aBuf, size: aBytes } },
        { binding: 1, resource: { buffer: xBuf, size: xBytes } },
        { binding: 2, resource: { buffer: outBuf, size: outBytes } },
        { binding: 3, resource: { buffer: bufs.params } },
      ],
    });
    const enc = device.createCommandEncoder({ label: 'intmatmul' });
    const pass = enc.beginComputePass();
    pass.setPipeline(pipe);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(groupsX, batch);
    pass.end();
    enc.copyBufferToBuffer(outBuf, 0, staging, 0, outBytes);
    device.queue.submit([enc.finish()]);
    return staging;
  }

  async function run(a: Int8Array, rows: number, cols: number, x: Int8Array, batch: number): Promise<Int32Array> {
    checkArgs(a, rows, cols, x, batch);
    if (lost || destroyed) fail();
    const result = new Int32Array(batch * rows);
    if (result.length === 0 || cols === 0) return result;
    const words = Math.ceil(cols / 4);
    const aBytes = rows * words * 4, xBytes = batch * words * 4, outBytes = batch * rows * 4;
    const lim = device.limits;
    const maxBinding = Math.min(lim.maxStorageBufferBindingSize, lim.maxBufferSize);
    for (const [what, n] of [['a (rows × ⌈cols/4⌉ words)', aBytes], ['x (batch × ⌈cols/4⌉ words)', xBytes], ['the output (batch × rows i32)', outBytes]] as const) {
      if (n > maxBinding) throw new AsxError('bad_input', `${what} needs ${n} bytes, over this device's ${maxBinding}-byte storage buffer limit`);
    }
    const groupsX = Math.ceil(rows / WG);
    if (groupsX > lim.maxComputeWorkgroupsPerDimension || batch > lim.maxComputeWorkgroupsPerDimension) {
      throw new AsxError('bad_input', `${rows} rows × batch ${batch} needs ${groupsX} × ${batch} workgroups, over this device's ${lim.maxComputeWorkgroupsPerDimension} per dimension`);
    }
    const pipe = await getPipeline();
    if (lost || destroyed) fail();
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let staging: GPUBuffer | null = null;
    let thrown: unknown = null;
    try {
      staging = encode(pipe, a, rows, cols, x, batch, words, aBytes, xBytes, outBytes, groupsX);
    } catch (e) {
      thrown = e;
    }
    const validation = await device.popErrorScope().catch(() => null);
    const oom = await device.popErrorScope().catch(() => null);
    if (lost || destroyed) fail();
    if (validation || oom) throw new AsxError('gpu_error', `WebGPU ${validation ? 'validation' : 'out-of-memory'} error: ${(validation ?? oom)!.message}`);
    if (thrown !== null || staging === null) throw new AsxError('gpu_error', `intmatmul dispatch failed: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    try {
      const mapped = await Promise.race([staging.mapAsync(MAP_MODE_READ, 0, outBytes).then(() => null), lostSignal]);
      if (mapped !== null) fail();
      result.set(new Int32Array(staging.getMappedRange(0, outBytes)));
      staging.unmap();
    } catch (e) {
      if (e instanceof AsxError) throw e;
      if (lost || destroyed) fail();
      throw new AsxError('gpu_error', `intmatmul read-back failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    return result;
  }

  return {
    name: 'webgpu',
    variant,
    matmul(a, rows, cols, x, batch) {
      const next = chain.then(() => run(a, rows, cols, x, batch));
      chain = next.catch(() => undefined);
      return next;
    },
    destroy() {
      destroyed = true;
      for (const k of ['a', 'x', 'out', 'staging'] as const) { bufs[k]?.destroy(); bufs[k] = null; }
      bufs.params.destroy();
    },
  };
}

/**
 * Deterministic int8 values for tests and benchmarks (xorshift32 from `seed`): the low byte of
 * each step, with every 16th value forced to an extreme (−128, 127 alternately), so products
 * at the overflow bound's corners are always present.
 */
export function seededInt8(n: number, seed: number): Int8Array {
  const out = new Int8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = i % 16 === 15 ? ((i >> 4) & 1 ? 127 : -128) : (s & 0xff) << 24 >> 24;
  }
  return out;
}
