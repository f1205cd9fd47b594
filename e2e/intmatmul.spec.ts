/**
 * The exact int8 × int8 → i32 product (shaders/intmatmul.wgsl, src/gpu/intmatmul.ts; law
 * MX2LM-INTMATMUL) inside Chromium's WebGPU (SwiftShader here). As e2e/gpu-sha256.spec.ts
 * does: the real host module is bundled with esbuild into one script and injected into the
 * app page (the app itself is not changed); the WGSL text is read from disk here and handed to
 * the page. Every product is compared element for element with the CPU mirror computed in
 * this Node process, for the software kernel and (when Chromium reports the WGSL language
 * feature packed_4x8_integer_dot_product) the dot4I8Packed one; a big seeded product is
 * compared by SHA-256. No network: the bundle and the shader travel inline.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from '@playwright/test';
import type * as IntMatmulModule from '../src/gpu/intmatmul';
import { cpuIntMatmulReference, seededInt8 } from '../src/gpu/intmatmul';
import { expect, test } from './fixtures';

declare global {
  interface Window { AsxIntMatmul?: typeof IntMatmulModule; asxMatDevice?: GPUDevice }
}

const WGSL = readFileSync(fileURLToPath(new URL('../shaders/intmatmul.wgsl', import.meta.url)), 'utf8');
let bundle: Promise<string> | null = null;
function moduleBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [fileURLToPath(new URL('../src/gpu/intmatmul.ts', import.meta.url))],
    bundle: true, format: 'iife', globalName: 'AsxIntMatmul', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent',
  }).then((r) => r.outputFiles[0].text);
  return bundle;
}

/** Open the app page, inject the module, register the WGSL, acquire a device; the variants to test. */
async function setUp(page: Page): Promise<Array<'software' | 'dot4'>> {
  await page.goto('/');
  await page.addScriptTag({ content: await moduleBundle() });
  return page.evaluate(async (wgsl) => {
    const M = window.AsxIntMatmul!;
    M.setIntMatmulWgsl(wgsl);
    const adapter = await navigator.gpu.requestAdapter();
    window.asxMatDevice = await adapter!.requestDevice();
    return M.hasPackedDot4(navigator.gpu) ? ['software', 'dot4'] : ['software'];
  }, WGSL);
}

const sha = (r: Int32Array) => createHash('sha256').update(new Uint8Array(r.buffer, r.byteOffset, r.byteLength)).digest('hex');

/** [rows, cols, batch, seedA, seedX]: the Node test's sizes (1×1 extremes are in the next test). */
const CASES: Array<[number, number, number, number, number]> = [
  [7, 13, 1, 1, 2], [7, 13, 5, 3, 4],
  ...Array.from({ length: 33 }, (_, i) => [256, 96, i + 1, 10 + i, 50 + i] as [number, number, number, number, number]),
  [8693, 128, 1, 8693, 129], [8693, 128, 4, 8693, 132],
];

test('seeded products 7×13, 256×96 (batch 1..33) and 8693×128 (batch 1, 4) in the page equal the CPU mirror', async ({ page }) => {
  const variants = await setUp(page);
  test.info().annotations.push({ type: 'variants', description: variants.join(', ') });
  expect(variants).toContain('software');
  const got = await page.evaluate(async ({ cases, variants }) => {
    const M = window.AsxIntMatmul!, dev = window.asxMatDevice!;
    const out: Record<string, number[][]> = {};
    for (const v of variants) {
      const m = M.createGpuIntMatmul(dev, { dot4: v === 'dot4' });
      out[v] = [];
      for (const [rows, cols, batch, sa, sx] of cases) out[v].push(Array.from(await m.matmul(M.seededInt8(rows * cols, sa), rows, cols, M.seededInt8(batch * cols, sx), batch)));
      // Every pair of extremes and zero, 1×1.
      const vals = [-128, -127, -1, 0, 1, 126, 127];
      const pairs: number[] = [];
      for (const p of vals) for (const q of vals) pairs.push((await m.matmul(Int8Array.of(p), 1, 1, Int8Array.of(q), 1))[0]);
      out[v].push(pairs);
      m.destroy();
    }
    return out;
  }, { cases: CASES, variants });
  const vals = [-128, -127, -1, 0, 1, 126, 127];
  const pairs = vals.flatMap((p) => vals.map((q) => (p * q) | 0));
  for (const v of variants) {
    CASES.forEach(([rows, cols, batch, sa, sx], k) => {
      const want = cpuIntMatmulReference(seededInt8(rows * cols, sa), rows, cols, seededInt8(batch * cols, sx), batch);
      expect(got[v][k].length, `${v} ${rows}×${cols} batch ${batch}`).toBe(want.length);
      const diff = got[v][k].findIndex((g, i) => g !== want[i]);
      expect(diff, `${v} ${rows}×${cols} batch ${batch}: first differing element`).toBe(-1);
    });
    expect(got[v][CASES.length], `${v} 1×1 extremes`).toEqual(pairs);
  }
});

test('a big seeded product (8693×128 · 33) hashes in the page to Node\'s SHA-256; timings against the page\'s CPU loop; a lost device is a gpu_error', async ({ page }) => {
  const variants = await setUp(page);
  const want = sha(cpuIntMatmulReference(seededInt8(8693 * 128, 8693), 8693, 128, seededInt8(33 * 128, 161), 33));
  const r = await page.evaluate(async (variants) => {
    const M = window.AsxIntMatmul!, dev = window.asxMatDevice!;
    const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
    const a = M.seededInt8(8693 * 128, 8693), x = M.seededInt8(33 * 128, 161);
    const hashes: Record<string, string> = {};
    const timing: string[] = [];
    const med = (xs: number[]) => [...xs].sort((p, q) => p - q)[1];
    for (const v of variants) {
      const m = M.createGpuIntMatmul(dev, { dot4: v === 'dot4' });
      const out = await m.matmul(a, 8693, 128, x, 33);
      hashes[v] = hex(await crypto.subtle.digest('SHA-256', new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.byteLength)));
      for (const batch of [1, 4, 33]) {
        const xb = x.subarray(0, batch * 128);
        await m.matmul(a, 8693, 128, xb, batch);
        const cpuT: number[] = [], gpuT: number[] = [];
        for (let k = 0; k < 3; k++) {
          let t = performance.now();
          M.cpuIntMatmulReference(a, 8693, 128, xb, batch);
          cpuT.push(performance.now() - t);
          t = performance.now();
          await m.matmul(a, 8693, 128, xb, batch);
          gpuT.push(performance.now() - t);
        }
        timing.push(`${v} batch ${batch}: cpu ${med(cpuT).toFixed(2)} ms, gpu ${med(gpuT).toFixed(2)} ms, cpu/gpu ×${(med(cpuT) / med(gpuT)).toFixed(2)}`);
      }
      m.destroy();
    }
    const m = M.createGpuIntMatmul(dev, { dot4: false });
    const first = Array.from(await m.matmul(Int8Array.of(3), 1, 1, Int8Array.of(-5), 1));
    const inFlight = m.matmul(a, 8693, 128, x, 33).then(() => 'resolved', (e: { code?: string }) => e.code ?? String(e));
    dev.destroy();
    const lostInFlight = await inFlight;
    await new Promise((res) => setTimeout(res, 50));
    let after = '';
    try { await m.matmul(Int8Array.of(1), 1, 1, Int8Array.of(1), 1); } catch (e) { after = (e as { code?: string }).code ?? String(e); }
    return { hashes, timing, first, lostInFlight, after };
  }, variants);
  for (const line of r.timing) {
    test.info().annotations.push({ type: 'timing 8693×128 (SwiftShader)', description: line });
    console.log(`[intmatmul e2e] 8693×128 in Chromium: ${line}`);
  }
  for (const v of variants) expect(r.hashes[v], v).toBe(want);
  expect(r.first).toEqual([-15]);
  expect(r.lostInFlight).toBe('gpu_error');
  expect(r.after).toBe('gpu_error');
});
