/**
 * The exact int8 × int8 → i32 product on WebGPU (shaders/intmatmul.wgsl, src/gpu/intmatmul.ts;
 * law MX2LM-INTMATMUL) in Node through Dawn (SwiftShader here): seeded random matrices with
 * −128 / 127 extremes, 1×1 to the Brown output layer (8693×128), equal to the CPU mirror element
 * for element, for the software kernel and (when the adapter has the WGSL language feature
 * packed_4x8_integer_dot_product) the dot4I8Packed one. GPU tests are skipped, with the reason
 * printed, when no adapter is available; the CPU mirror's tests always run.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireNodeGpu } from './gccp-node.ts';
import { loadIntMatmulWgsl, nodeGpuLanguageFeatures } from './intmatmul-node.ts';
import {
  INTMATMUL_MAX_COLS, PACKED_DOT4_FEATURE, cpuIntMatmulReference, createGpuIntMatmul, intMatmulWgsl, packInt8Rows, seededInt8,
  type GpuIntMatmul, type IntMatmulVariant,
} from './intmatmul.ts';

const code = loadIntMatmulWgsl();
const gpu = await acquireNodeGpu();
if (!gpu.ok) console.warn(`[intmatmul.test] GPU tests skipped: ${gpu.message}`);
else console.info(`[intmatmul.test] adapter: ${gpu.adapter.label}`);
const device = gpu.ok ? gpu.device : (null as unknown as GPUDevice);
const features = gpu.ok ? await nodeGpuLanguageFeatures() : new Set<string>();
const variants: IntMatmulVariant[] = features.has(PACKED_DOT4_FEATURE) ? ['software', 'dot4'] : ['software'];
if (gpu.ok && variants.length === 1) console.warn(`[intmatmul.test] ${PACKED_DOT4_FEATURE} is missing: the dot4 kernel is not tested`);
const mats = new Map<IntMatmulVariant, GpuIntMatmul>();
const mm = (v: IntMatmulVariant) => {
  let m = mats.get(v);
  if (!m) { m = createGpuIntMatmul(device, { dot4: v === 'dot4' }); mats.set(v, m); }
  return m;
};
afterAll(() => { for (const m of mats.values()) m.destroy(); if (gpu.ok) gpu.destroy(); });

/** First index where two results differ, or −1 (a clearer failure than a 278k-element diff). */
function firstDiff(got: Int32Array, want: Int32Array): number {
  if (got.length !== want.length) return Math.min(got.length, want.length);
  for (let i = 0; i < got.length; i++) if (got[i] !== want[i]) return i;
  return -1;
}
const sha = (r: Int32Array) => createHash('sha256').update(new Uint8Array(r.buffer, r.byteOffset, r.byteLength)).digest('hex');

describe('the CPU mirror (cpuIntMatmulReference)', () => {
  it('a hand-checked 2×3 · 2 product, extremes included', () => {
    const a = Int8Array.from([1, -2, 3, -128, 127, 0]);
    const x = Int8Array.from([4, 5, -6, -128, -128, 127]);
    // row 0: 4 − 10 − 18 = −24; row 1: −512 + 635 + 0 = 123; b=1: row 0: −128 + 256 + 381 = 509; row 1: 16384 − 16256 = 128
    expect(Array.from(cpuIntMatmulReference(a, 2, 3, x, 2))).toEqual([-24, 123, 509, 128]);
  });

  it('the overflow bound: cols = 131,071 of (−128)·(−128) is 2,147,467,264; one more column is refused', () => {
    const big = new Int8Array(INTMATMUL_MAX_COLS).fill(-128);
    expect(cpuIntMatmulReference(big, 1, INTMATMUL_MAX_COLS, big, 1)[0]).toBe(INTMATMUL_MAX_COLS * 16384);
    expect(INTMATMUL_MAX_COLS * 16384).toBeLessThan(2 ** 31);
    expect((INTMATMUL_MAX_COLS + 1) * 16384).toBeGreaterThan(2 ** 31 - 1);
    const over = new Int8Array(INTMATMUL_MAX_COLS + 1);
    expect(() => cpuIntMatmulReference(over, 1, INTMATMUL_MAX_COLS + 1, over, 1)).toThrow(expect.objectContaining({ code: 'bad_input' }));
    expect(() => cpuIntMatmulReference(new Int8Array(5), 2, 3, new Int8Array(3), 1)).toThrow(expect.objectContaining({ code: 'bad_input' }));
    expect(() => cpuIntMatmulReference(new Int8Array(6), 2, 3, new Int8Array(3), 1.5)).toThrow(expect.objectContaining({ code: 'bad_input' }));
  });

  it('packing: rows padded with zeros to ⌈cols/4⌉ little-endian u32 words; aligned multiples of 4 are not copied', () => {
    const src = Int8Array.from([1, -1, 2, -2, 3, -128, 127]);
    expect(Array.from(packInt8Rows(src, 1, 7, 2))).toEqual([1, 255, 2, 254, 3, 128, 127, 0]);
    expect(Array.from(packInt8Rows(src, 2, 3, 1))).toEqual([1, 255, 2, 0, 254, 3, 128, 0]);
    const four = new Int8Array(8);
    expect(packInt8Rows(four, 2, 4, 1).buffer).toBe(four.buffer);
    expect(intMatmulWgsl('dot4', code)).toMatch(/^requires packed_4x8_integer_dot_product;\n[\s\S]*return dot4I8Packed\(p, q\);\n\}/);
    expect(intMatmulWgsl('dot4', code)).not.toContain('bitcast');
  });
});

describe.skipIf(!gpu.ok)('WebGPU integer matmul (Node, Dawn)', () => {
  it.each(variants)('%s: 1×1 over every pair of extremes and zero', async (v) => {
    const vals = [-128, -127, -1, 0, 1, 126, 127];
    for (const p of vals) for (const q of vals) {
      const got = await mm(v).matmul(Int8Array.of(p), 1, 1, Int8Array.of(q), 1);
      expect(got[0], `${p}·${q}`).toBe((p * q) | 0);
    }
  });

  it.each(variants)('%s: 7×13 (batch 1..5) and 256×96 (batch 1..33), seeded, equal to the CPU mirror', async (v) => {
    let seed = 10;
    for (const [rows, cols, batches] of [[7, 13, [1, 2, 3, 4, 5]], [256, 96, Array.from({ length: 33 }, (_, i) => i + 1)]] as const) {
      for (const batch of batches) {
        const a = seededInt8(rows * cols, seed++), x = seededInt8(batch * cols, seed++);
        const got = await mm(v).matmul(a, rows, cols, x, batch);
        expect(firstDiff(got, cpuIntMatmulReference(a, rows, cols, x, batch)), `${rows}×${cols} batch ${batch}`).toBe(-1);
      }
    }
  });

  it.each(variants)('%s: all −128 at cols 256 and at the bound cols = 131,071; odd cols, unaligned views, concurrent calls', async (v) => {
    const m = mm(v);
    const neg = new Int8Array(256 * 64).fill(-128);
    expect(new Set(await m.matmul(neg, 64, 256, neg, 64))).toEqual(new Set([256 * 16384]));
    const edge = new Int8Array(INTMATMUL_MAX_COLS).fill(-128);
    expect((await m.matmul(edge, 1, INTMATMUL_MAX_COLS, edge, 1))[0]).toBe(2_147_467_264);
    await expect(m.matmul(new Int8Array(INTMATMUL_MAX_COLS + 1), 1, INTMATMUL_MAX_COLS + 1, new Int8Array(INTMATMUL_MAX_COLS + 1), 1)).rejects.toMatchObject({ code: 'bad_input' });
    // Views at byte offsets 1 and 3 (not 4-aligned), cols not a multiple of 4.
    const back = seededInt8(3 + 33 * 61, 77), xb = seededInt8(1 + 5 * 61, 78);
    const a = back.subarray(3), x = xb.subarray(1);
    expect(firstDiff(await m.matmul(a, 33, 61, x, 5), cpuIntMatmulReference(a, 33, 61, x, 5))).toBe(-1);
    // Concurrent calls of different shapes (serialized inside; buffers grow and are reused).
    const shapes = [[5, 9, 3], [300, 128, 7], [1, 4, 1], [64, 200, 2]] as const;
    const inputs = shapes.map(([r, c, b], i) => ({ r, c, b, a: seededInt8(r * c, 100 + i), x: seededInt8(b * c, 200 + i) }));
    const outs = await Promise.all(inputs.map((s) => m.matmul(s.a, s.r, s.c, s.x, s.b)));
    inputs.forEach((s, i) => expect(firstDiff(outs[i], cpuIntMatmulReference(s.a, s.r, s.c, s.x, s.b)), `${s.r}×${s.c}·${s.b}`).toBe(-1));
    // Empty shapes: no dispatch.
    expect((await m.matmul(new Int8Array(0), 0, 5, new Int8Array(5), 1)).length).toBe(0);
    expect(Array.from(await m.matmul(new Int8Array(0), 3, 0, new Int8Array(0), 2))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it.each(variants)('%s: the Brown output layer 8693×128, batch 1, 4 and 33: equal to the CPU mirror; timings as a ratio', async (v) => {
    const rows = 8693, cols = 128;
    const a = seededInt8(rows * cols, 8693);
    for (const batch of [1, 4, 33]) {
      const x = seededInt8(batch * cols, 128 + batch);
      const want = cpuIntMatmulReference(a, rows, cols, x, batch);
      const got = await mm(v).matmul(a, rows, cols, x, batch);
      expect(firstDiff(got, want), `batch ${batch}`).toBe(-1);
      // Timed: median of 3 of each, after the warm-up above (wall clock, upload + dispatch + read-back).
      const cpuT: number[] = [], gpuT: number[] = [];
      for (let k = 0; k < 3; k++) {
        let t = performance.now();
        cpuIntMatmulReference(a, rows, cols, x, batch);
        cpuT.push(performance.now() - t);
        t = performance.now();
        await mm(v).matmul(a, rows, cols, x, batch);
        gpuT.push(performance.now() - t);
      }
      const med = (xs: number[]) => [...xs].sort((p, q) => p - q)[1];
      console.info(`[intmatmul.test] ${v} ${rows}×${cols} batch ${batch}: cpu ${med(cpuT).toFixed(2)} ms, gpu ${med(gpuT).toFixed(2)} ms, cpu/gpu ×${(med(cpuT) / med(gpuT)).toFixed(2)} (SwiftShader says nothing about a real GPU); sha256 ${sha(got).slice(0, 16)}…`);
    }
  });

  it('the hash of the big seeded product the e2e spec compares with Chromium (8693×128 · 33, seeds 8693 / 161)', async () => {
    const a = seededInt8(8693 * 128, 8693), x = seededInt8(33 * 128, 161);
    const want = sha(cpuIntMatmulReference(a, 8693, 128, x, 33));
    for (const v of variants) expect(sha(await mm(v).matmul(a, 8693, 128, x, 33)), v).toBe(want);
  });

  it('limits: buffers over the device\'s storage limit or grids over its workgroup limit are bad_input, before any upload', async () => {
    // A stand-in device with small limits (the real one allows 1 GiB bindings here).
    const calls: string[] = [];
    const fake = {
      limits: { maxStorageBufferBindingSize: 4096, maxBufferSize: 1 << 20, maxComputeWorkgroupsPerDimension: 8 },
      lost: new Promise(() => undefined),
      createBuffer: () => { calls.push('createBuffer'); return { destroy() {} }; },
      createShaderModule: () => { calls.push('createShaderModule'); return {}; },
    } as unknown as GPUDevice;
    const m = createGpuIntMatmul(fake, { dot4: false });
    calls.length = 0;
    await expect(m.matmul(new Int8Array(1025 * 4), 1025, 4, new Int8Array(4), 1)).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('4096-byte') });
    await expect(m.matmul(new Int8Array(8), 2, 4, new Int8Array(4 * 1025), 1025)).rejects.toMatchObject({ code: 'bad_input' });
    await expect(m.matmul(new Int8Array(600), 600, 1, new Int8Array(1), 1)).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('per dimension') });
    await expect(m.matmul(new Int8Array(1), 1, 1, new Int8Array(9), 9)).rejects.toMatchObject({ code: 'bad_input', message: expect.stringContaining('per dimension') });
    expect(calls).toEqual([]);
  });

  it('a lost device (and a destroyed IntMatmul) is a gpu_error, not a hang', async () => {
    const other = await acquireNodeGpu();
    if (!other.ok) return;
    const m = createGpuIntMatmul(other.device, { dot4: false });
    expect(Array.from(await m.matmul(Int8Array.of(3), 1, 1, Int8Array.of(-5), 1))).toEqual([-15]);
    // Lost while a big call is queued: whichever step notices first, the call rejects with gpu_error.
    const big = seededInt8(8693 * 128, 1);
    const inFlight = m.matmul(big, 8693, 128, big.subarray(0, 128 * 4), 4);
    other.device.destroy();
    await expect(inFlight).rejects.toMatchObject({ code: 'gpu_error' });
    await new Promise((r) => setTimeout(r, 50));
    await expect(m.matmul(Int8Array.of(1), 1, 1, Int8Array.of(1), 1)).rejects.toMatchObject({ code: 'gpu_error' });
    const n = createGpuIntMatmul(device, { dot4: false });
    n.destroy();
    await expect(n.matmul(Int8Array.of(1), 1, 1, Int8Array.of(1), 1)).rejects.toMatchObject({ code: 'gpu_error' });
  });
});
