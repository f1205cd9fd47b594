/**
 * WebGPU batch SHA-256 in Chromium (SwiftShader here): the real host module
 * (src/gpu/sha256.ts, bundled here with esbuild into one script and injected into the app
 * page; the app itself is not changed) runs shaders/sha256.wgsl, whose text is read from
 * disk in Node and handed to the page. Every digest is compared with node:crypto computed
 * in this process. No network: the bundle and the shader travel inline.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Page } from '@playwright/test';
import type * as Sha256Module from '../src/gpu/sha256';
import { calibrationBytes } from '../src/gpu/sha256';
import { expect, test } from './fixtures';

declare global {
  interface Window { AsxSha256?: typeof Sha256Module; asxShaDevice?: GPUDevice }
}

const WGSL = readFileSync(fileURLToPath(new URL('../shaders/sha256.wgsl', import.meta.url)), 'utf8');
let bundle: Promise<string> | null = null;
function moduleBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [fileURLToPath(new URL('../src/gpu/sha256.ts', import.meta.url))],
    bundle: true, format: 'iife', globalName: 'AsxSha256', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent',
  }).then((r) => r.outputFiles[0].text);
  return bundle;
}

/** Open the app page, inject the module, register the WGSL and acquire a device. */
async function setUp(page: Page): Promise<string> {
  await page.goto('/');
  await page.addScriptTag({ content: await moduleBundle() });
  return page.evaluate(async (wgsl) => {
    const M = window.AsxSha256!;
    M.setSha256Wgsl(wgsl);
    const adapter = await navigator.gpu.requestAdapter();
    window.asxShaDevice = await M.requestSha256Device(navigator.gpu);
    return `${adapter?.info.vendor ?? '?'} ${adapter?.info.architecture ?? '?'}`;
  }, WGSL);
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const nodeBatch = (b: Uint8Array, count: number, length: number) => Array.from({ length: count }, (_, i) => sha(b.subarray(i * length, (i + 1) * length)));
function nodeMerkle(leaves: Uint8Array): string {
  let level = Array.from({ length: leaves.length / 32 }, (_, i) => leaves.subarray(i * 32, i * 32 + 32));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(createHash('sha256').update(level[i]).update(level[i + 1] ?? level[i]).digest());
    level = next;
  }
  return Buffer.from(level[0]).toString('hex');
}

test('NIST SHA-256 vectors through the WebGPU kernel in the page', async ({ page }) => {
  const adapter = await setUp(page);
  test.info().annotations.push({ type: 'adapter', description: adapter });
  const msgs = ['', 'abc', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu'];
  const got = await page.evaluate(async (list) => {
    const M = window.AsxSha256!, dev = window.asxShaDevice!;
    const hex = (d: Uint8Array) => Array.from(d, (x) => x.toString(16).padStart(2, '0')).join('');
    const out: string[] = [];
    for (const s of list) { const b = new TextEncoder().encode(s); out.push(hex(await M.gpuLeafHashes(dev, b, 1, b.length))); }
    out.push(hex(await M.gpuLeafHashes(dev, new Uint8Array(1_000_000).fill(0x61), 1, 1_000_000)));
    return out;
  }, msgs);
  expect(got).toEqual([
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1',
    'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0',
  ]);
});

test('seeded random batches of lane-payload and padding-edge lengths equal node:crypto', async ({ page }) => {
  await setUp(page);
  const cases: Array<[number, number, number]> = [
    [3 + 2 * 16, 500, 1], [3 + 2 * 64, 777, 2], [55, 129, 3], [56, 129, 4], [64, 65, 5], [119, 65, 6], [0, 3, 7], [63, 64, 8], [131_073, 4, 9],
  ];
  const got = await page.evaluate(async (list) => {
    const M = window.AsxSha256!, dev = window.asxShaDevice!;
    const out: string[][] = [];
    for (const [length, count, seed] of list) {
      const d = await M.gpuLeafHashes(dev, M.calibrationBytes(count * length, seed), count, length);
      out.push(Array.from({ length: count }, (_, i) => Array.from(d.subarray(i * 32, i * 32 + 32), (x) => x.toString(16).padStart(2, '0')).join('')));
    }
    return out;
  }, cases);
  cases.forEach(([length, count, seed], k) => {
    expect(got[k], `length ${length} × ${count}`).toEqual(nodeBatch(calibrationBytes(count * length, seed), count, length));
  });
});

test('merkle roots of 1, 2, 3, 7, 1000 and 65,535 leaves equal node:crypto pairs (odd levels duplicate)', async ({ page }) => {
  await setUp(page);
  const sizes = [1, 2, 3, 7, 1000, 65_535];
  const got = await page.evaluate(async (ns) => {
    const M = window.AsxSha256!, dev = window.asxShaDevice!;
    const out: string[] = [];
    for (const n of ns) out.push(Array.from(await M.gpuMerkleRoot(dev, M.calibrationBytes(n * 32, 500 + n)), (x) => x.toString(16).padStart(2, '0')).join(''));
    return out;
  }, sizes);
  expect(got).toEqual(sizes.map((n) => nodeMerkle(calibrationBytes(n * 32, 500 + n))));
});

test('the selector measures, checks the bytes and says which backend wins here; a lost device is a gpu_error', async ({ page }) => {
  await setUp(page);
  const r = await page.evaluate(async () => {
    const M = window.AsxSha256!, dev = window.asxShaDevice!;
    const c = await M.chooseLeafHasher(dev);
    dev.destroy();
    await new Promise((res) => setTimeout(res, 50));
    let code = '';
    try { await M.gpuLeafHashes(dev, new Uint8Array(3), 1, 3); } catch (e) { code = (e as { code?: string }).code ?? String(e); }
    let noAdapter = '';
    try { await M.requestSha256Device(undefined); } catch (e) { noAdapter = (e as { code?: string }).code ?? String(e); }
    return { backend: c.backend, reason: c.reason, cpuMs: c.cpuMs, gpuMs: c.gpuMs, speedup: c.speedup, code, noAdapter };
  });
  test.info().annotations.push({ type: 'calibration 4096 × 131 B', description: `cpu ${r.cpuMs.toFixed(2)} ms, gpu ${r.gpuMs.toFixed(2)} ms, GPU ×${r.speedup.toFixed(3)} → ${r.backend}` });
  console.log(`[gpu-sha256] calibration 4096 × 131 B in Chromium: cpu ${r.cpuMs.toFixed(2)} ms, gpu ${r.gpuMs.toFixed(2)} ms, GPU ×${r.speedup.toFixed(3)} → ${r.backend} (${r.reason})`);
  expect(['gpu-faster', 'cpu-faster']).toContain(r.reason);
  expect(r.backend).toBe(r.reason === 'gpu-faster' ? 'gpu' : 'cpu');
  expect(r.code).toBe('gpu_error');
  expect(r.noAdapter).toBe('no_gpu');
});
