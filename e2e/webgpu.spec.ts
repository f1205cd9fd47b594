import type {} from '../src/ui/testHooks';
import { expect, snap, test } from './fixtures';

test('WebGPU gives an adapter and a device on the app page', async ({ page }) => {
  await page.goto('/');
  const probe = await page.evaluate(async () => {
    if (!('gpu' in navigator) || !navigator.gpu) return { gpu: false };
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return { gpu: true, adapter: false };
    const device = await adapter.requestDevice();
    const result = {
      gpu: true,
      adapter: true,
      device: !!device,
      vendor: adapter.info.vendor,
      architecture: adapter.info.architecture,
      maxStorage: device.limits.maxStorageBufferBindingSize,
    };
    device.destroy();
    return result;
  });
  test.info().annotations.push({ type: 'adapter', description: JSON.stringify(probe) });
  expect(probe).toMatchObject({ gpu: true, adapter: true, device: true });
});

test('the start-up compute smoke test passes and the GPU chip says so', async ({ page }) => {
  await page.goto('/');
  const chip = page.getByTestId('gpu-chip');
  await expect(chip).toHaveAttribute('data-state', 'ready');
  await expect(chip).toContainText(/^WebGPU: .+ ✓$/);
  const info = await page.evaluate(() => window.__asx!.gpuInfo());
  expect(info).not.toBeNull();
  await expect(chip).toContainText(info!.label);
  await snap(page, 'gpu-ready');
});

test('the doubling kernel returns exactly the CPU result, including u32 wrap-around', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('gpu-chip')).toHaveAttribute('data-state', 'ready');

  const fixed = [0, 1, 2, 3, 7, 1000, 65535, 65536, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
  const got = await page.evaluate((v) => window.__asx!.gpuDouble(v), fixed);
  expect(got).toEqual(fixed.map((x) => (x * 2) >>> 0));

  // Sizes around the workgroup size (64) and a larger array with pseudo-random values.
  for (const n of [1, 63, 64, 65, 1000, 4099]) {
    const input = Array.from({ length: n }, (_, i) => (Math.imul(i + 1, 2654435761) ^ (i << 7)) >>> 0);
    const out = await page.evaluate((v) => window.__asx!.gpuDouble(v), input);
    expect(out.length, `n=${n}`).toBe(n);
    expect(out, `n=${n}`).toEqual(input.map((x) => (x * 2) >>> 0));
  }
});

test('a lost device is reported in the UI, not thrown', async ({ page }) => {
  await page.goto('/');
  const chip = page.getByTestId('gpu-chip');
  await expect(chip).toHaveAttribute('data-state', 'ready');
  await page.evaluate(() => window.__asx!.loseGpu());
  await expect(chip).toHaveAttribute('data-state', 'lost');
  await expect(chip).toContainText('WebGPU: device lost');
  await expect(page.getByTestId('status-gpu')).toContainText('Reload the page');
  await snap(page, 'gpu-lost');
});

test('a browser without navigator.gpu gets a clear message, not an exception', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'gpu', { configurable: true, get: () => undefined });
  });
  await page.goto('/');
  const chip = page.getByTestId('gpu-chip');
  await expect(chip).toHaveAttribute('data-state', 'unavailable');
  await expect(chip).toHaveText('WebGPU: unavailable');
  await expect(page.getByTestId('status-gpu')).toContainText('navigator.gpu is missing');
  // The rest of the workbench still works.
  await expect(page.getByTestId('file-item').first()).toBeVisible();
  await snap(page, 'gpu-unavailable');
});
