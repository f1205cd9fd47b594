/**
 * Issue 10, safetensors in the workbench: a .safetensors file dropped anywhere opens in the
 * Tensors tab with every tensor listed; a tensor shows as a heatmap with statistics computed in
 * a worker (checked against values computed here); two files diff tensor by tensor; a corrupt
 * file gets a typed error card while the other files stay open; the demo pair opens in one click.
 */
import type { Page } from '@playwright/test';
import { encodeFloats } from '../src/core/tensors/safetensors.ts';
import { saveSafetensors } from '../src/core/tensors/write.ts';
import { fmtNum } from '../src/ui/tensors/view.ts';
import { dropFiles } from './dropFiles';
import { expect, snap, test } from './fixtures';

const W = Array.from({ length: 6 * 8 }, (_, i) => Math.round(Math.sin(i / 3) * 1000) / 1024 + (i % 7 === 0 ? 0 : 0.125));
const W2 = W.map((v, i) => (i % 5 === 0 ? v + 0.25 : v));
const BIAS = Array.from({ length: 8 }, (_, i) => (i - 4) / 8);
const i64 = (vals: number[]) => { const b = new Uint8Array(8 * vals.length); vals.forEach((v, k) => new DataView(b.buffer).setBigInt64(8 * k, BigInt(v), true)); return b; };

const A = saveSafetensors([
  { name: 'layer.w', dtype: 'F32', shape: [6, 8], data: encodeFloats(W, 'F32') },
  { name: 'layer.b', dtype: 'F32', shape: [8], data: encodeFloats(BIAS, 'F32') },
  { name: 'ids', dtype: 'I64', shape: [3], data: i64([1, 2, 3]) },
], { format: 'pt', note: 'file A' });
const B = saveSafetensors([
  { name: 'layer.w', dtype: 'F32', shape: [6, 8], data: encodeFloats(W2, 'F32') },
  { name: 'layer.b', dtype: 'F32', shape: [8], data: encodeFloats(BIAS, 'F32') },
  { name: 'extra', dtype: 'BF16', shape: [2, 2], data: encodeFloats([1, 2, 3, 4], 'BF16') },
]);

function moments(v: number[]) {
  const f = v.map((x) => Math.fround(x));
  const mean = f.reduce((a, b) => a + b, 0) / f.length;
  const std = Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / f.length);
  return { min: Math.min(...f), max: Math.max(...f), mean, std, zeros: f.filter((x) => x === 0).length };
}

async function canvasValuePixels(page: Page): Promise<{ total: number; value: number; distinct: number }> {
  return page.evaluate(() => {
    const cv = document.querySelector('[data-testid="tensor-canvas"]') as HTMLCanvasElement;
    const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
    const seen = new Set<number>();
    let value = 0;
    for (let i = 0; i < d.length; i += 4) {
      const bg = Math.abs(d[i] - 0x16) + Math.abs(d[i + 1] - 0x1a) + Math.abs(d[i + 2] - 0x20) <= 12;
      if (d[i + 3] === 0 || bg) continue;
      value++;
      seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    }
    return { total: d.length / 4, value, distinct: seen.size };
  });
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();
});

test('a dropped safetensors file lists its tensors, shows a heatmap and exact statistics; diff; a corrupt file gets a typed error', async ({ page }) => {
  await dropFiles(page, [{ name: 'a.safetensors', bytes: A }]);
  await expect(page.getByTestId('tab-tensors')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tensor-row')).toHaveCount(3);
  await expect(page.getByTestId('file-item')).toHaveCount(1); // not opened as a pack
  await expect(page.locator('[data-testid="tensor-row"][data-name="layer.w"]')).toContainText('[6, 8]');
  await expect(page.locator('[data-testid="tensors-meta-entry"][data-key="note"]')).toContainText('file A');

  // Filter.
  await page.getByTestId('tensors-filter').fill('layer');
  await expect(page.getByTestId('tensor-row')).toHaveCount(2);
  await page.getByTestId('tensors-filter').fill('');

  // Heatmap and statistics of layer.w.
  await page.locator('[data-testid="tensor-row"][data-name="layer.w"]').click();
  await expect(page.getByTestId('tensor-title')).toHaveText('layer.w');
  await expect(page.getByTestId('tensor-grid')).toHaveText('6 × 8');
  await expect.poll(async () => (await canvasValuePixels(page)).value).toBeGreaterThan(0);
  const px = await canvasValuePixels(page);
  expect(px.value).toBe(px.total); // every cell has a finite value
  expect(px.distinct).toBeGreaterThan(10);
  const maxAbs = Math.max(...W.map((v) => Math.abs(Math.fround(v))));
  await expect(page.getByTestId('tensor-legend')).toHaveAttribute('data-hi', String(Math.fround(maxAbs))); // diverging ±max|v|
  // Values read from the page: hover the last cell, and the text grid.
  const box = (await page.getByTestId('tensor-canvas').boundingBox())!;
  await page.getByTestId('tensor-canvas').hover({ position: { x: box.width - 2, y: box.height - 2 } });
  await expect(page.getByTestId('tensor-hover')).toHaveText(`[5, 7] = ${fmtNum(Math.fround(W[47]))}`);
  await page.getByTestId('tensor-values').locator('xpath=..').locator('summary').click();
  await expect(page.getByTestId('tensor-values').locator('tr').first().locator('td').first()).toHaveText(fmtNum(Math.fround(W[0])));
  const m = moments(W);
  await expect(page.getByTestId('tensor-stats')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('stat-min')).toHaveText(fmtNum(m.min));
  await expect(page.getByTestId('stat-max')).toHaveText(fmtNum(m.max));
  await expect(page.getByTestId('stat-mean')).toHaveText(fmtNum(m.mean));
  await expect(page.getByTestId('stat-std')).toHaveText(fmtNum(m.std));
  await expect(page.getByTestId('stat-zeros')).toHaveText(String(m.zeros));
  await expect(page.getByTestId('stat-nan')).toHaveText('0');
  await expect(page.getByTestId('tensor-histogram')).toHaveAttribute('data-total', '48');
  // Integer tensors keep exact extremes.
  await page.locator('[data-testid="tensor-row"][data-name="ids"]').click();
  await expect(page.getByTestId('stat-max')).toHaveText('3');

  // A second file, and the diff.
  await dropFiles(page, [{ name: 'b.safetensors', bytes: B }]);
  await expect(page.getByTestId('tensors-file')).toHaveCount(2);
  await expect(page.getByTestId('tensor-row')).toHaveCount(3);
  await page.getByTestId('tensors-diff-run').click();
  const row = (n: string) => page.locator(`[data-testid="tensors-diff-row"][data-name="${n}"]`);
  await expect(row('layer.w')).toHaveAttribute('data-status', 'differs');
  await expect(row('layer.b')).toHaveAttribute('data-status', 'identical');
  await expect(row('ids')).toHaveAttribute('data-status', 'onlyA');
  await expect(row('extra')).toHaveAttribute('data-status', 'onlyB');
  const a = W.map(Math.fround), b = W2.map(Math.fround);
  const dot = a.reduce((s, x, i) => s + x * b[i], 0);
  const na = Math.sqrt(a.reduce((s, x) => s + x * x, 0)), nb = Math.sqrt(b.reduce((s, x) => s + x * x, 0));
  const nd = Math.sqrt(a.reduce((s, x, i) => s + (b[i] - x) ** 2, 0));
  await expect(row('layer.w').getByTestId('diff-cosine')).toHaveText(fmtNum(dot / (na * nb)));
  await expect(row('layer.w').getByTestId('diff-rel')).toHaveText(fmtNum(nd / na));
  await expect(row('layer.w').getByTestId('diff-max')).toHaveText(fmtNum(0.25));
  await expect(row('layer.b').getByTestId('diff-cosine')).toHaveText('1');
  await expect(page.getByTestId('tensors-diff-summary')).toContainText('1 identical, 1 differ, 0 shape changed, 1 only in A, 1 only in B');
  await snap(page, 'tensors-diff');

  // A corrupt file (the data buffer is short): a typed error card; the others stay open.
  await dropFiles(page, [{ name: 'broken.safetensors', bytes: A.subarray(0, A.length - 4) }]);
  await expect(page.getByTestId('error-card')).toBeVisible();
  await expect(page.getByTestId('error-code')).toHaveText('bad_safetensors');
  await expect(page.getByTestId('error-file')).toHaveText('broken.safetensors');
  await expect(page.getByTestId('error-card')).not.toContainText(/at .*\.(ts|js):\d+/); // no stack trace
  await expect(page.getByTestId('tensors-file')).toHaveCount(3);
  await expect(page.locator('[data-testid="tensors-file"][data-name="a.safetensors"]')).toHaveAttribute('data-status', 'ready');
  await snap(page, 'tensors-error');
  await page.locator('[data-testid="tensors-file"][data-name="a.safetensors"] .tensors-file-open').click();
  await expect(page.getByTestId('tensor-row')).toHaveCount(3);
  await page.getByTestId('tab-overview').click();
  await page.getByTestId('tab-tensors').click();
  await expect(page.getByTestId('tensors-file')).toHaveCount(3); // kept across tab switches
});

test('the demo pair opens in one click and diffs', async ({ page }) => {
  await page.getByTestId('tab-tensors').click();
  await expect(page.getByTestId('tensors-empty')).toBeVisible();
  await page.getByTestId('tensors-demo').click();
  await expect(page.getByTestId('tensors-file')).toHaveCount(2);
  await expect(page.getByTestId('tensor-row')).toHaveCount(8);
  await expect.poll(async () => (await canvasValuePixels(page)).distinct).toBeGreaterThan(10);
  await expect(page.getByTestId('tensor-stats')).toHaveAttribute('data-state', 'done');
  await page.getByTestId('tensors-diff-run').click();
  await expect(page.getByTestId('tensors-diff-summary')).toContainText('1 shape changed, 1 only in A, 1 only in B');
  await expect(page.locator('[data-testid="tensors-diff-row"][data-name="model.layers.0.mlp.up_proj.bias"]')).toContainText('F64 → F32');
  await snap(page, 'tensors-demo');
});

test('a sharded model: the index dropped with its shards opens as one model; a missing shard is a typed error', async ({ page }) => {
  const s1 = saveSafetensors([{ name: 'emb', dtype: 'F32', shape: [4, 4], data: encodeFloats(Array.from({ length: 16 }, (_, i) => i / 4), 'F32') }]);
  const s2 = saveSafetensors([
    { name: 'head', dtype: 'BF16', shape: [2, 8], data: encodeFloats(Array.from({ length: 16 }, (_, i) => -i), 'BF16') },
    { name: 'norm', dtype: 'F32', shape: [4], data: encodeFloats([1, 1, 1, 1], 'F32') },
  ]);
  const index = new TextEncoder().encode(JSON.stringify({
    metadata: { total_size: s1.length + s2.length },
    weight_map: { emb: 'model-00001-of-00002.safetensors', head: 'model-00002-of-00002.safetensors', norm: 'model-00002-of-00002.safetensors' },
  }));
  await dropFiles(page, [
    { name: 'model-00001-of-00002.safetensors', bytes: s1 },
    { name: 'model.safetensors.index.json', bytes: index },
    { name: 'model-00002-of-00002.safetensors', bytes: s2 },
  ]);
  await expect(page.getByTestId('tab-tensors')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('tensors-file')).toHaveCount(1);
  await expect(page.getByTestId('tensors-file')).toContainText('2 shards');
  await expect(page.getByTestId('tensor-row')).toHaveCount(3);
  await page.locator('[data-testid="tensor-row"][data-name="head"]').click();
  await expect(page.getByTestId('stat-min')).toHaveText('-15');
  await expect(page.getByTestId('stat-mean')).toHaveText('-7.5');
  await expect.poll(async () => (await canvasValuePixels(page)).distinct).toBeGreaterThan(5);
  // The index alone (its shards not dropped with it): a typed error naming the missing shard.
  await dropFiles(page, [{ name: 'other/model.safetensors.index.json', bytes: index, lastModified: 1 }]);
  await expect(page.getByTestId('tensors-file')).toHaveCount(2);
  await expect(page.getByTestId('error-code')).toHaveText('bad_input');
  await expect(page.getByTestId('error-card')).toContainText('model-00001-of-00002.safetensors');
  await expect(page.locator('[data-testid="tensors-file"]').first()).toHaveAttribute('data-status', 'ready');
});

test('a large tensor: the heatmap pages, statistics run in the worker with progress and can be cancelled', async ({ page }) => {
  // 256 MiB of F32 built in the page from one repeated 4 MiB chunk, dropped as a real File.
  await page.evaluate(() => {
    const rows = 16384, cols = 4096;
    const json = JSON.stringify({ big: { dtype: 'F32', shape: [rows, cols], data_offsets: [0, rows * cols * 4] } });
    const padded = json + ' '.repeat((8 - (json.length % 8)) % 8);
    const head = new Uint8Array(8 + padded.length);
    new DataView(head.buffer).setUint32(0, padded.length, true);
    head.set(new TextEncoder().encode(padded), 8);
    const chunk = new Float32Array(1 << 20);
    for (let i = 0; i < chunk.length; i++) chunk[i] = Math.sin(i / 97) * ((i % cols) / cols);
    const parts: BlobPart[] = [head];
    for (let k = 0; k < (rows * cols) / chunk.length; k++) parts.push(chunk);
    const dt = new DataTransfer();
    dt.items.add(new File(parts, 'big.safetensors'));
    for (const type of ['dragenter', 'dragover', 'drop']) document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await expect(page.getByTestId('tensor-title')).toHaveText('big');
  await expect(page.getByTestId('tensor-pager')).toContainText('rows 0–255 of 16,384');
  await expect.poll(async () => (await canvasValuePixels(page)).distinct).toBeGreaterThan(10);
  await expect(page.getByTestId('tensor-stats-progress')).toBeVisible();
  await expect(page.getByTestId('tensor-stats-progress')).toContainText('of 512.0 MiB'); // two passes over 256 MiB
  // Off the page's thread: the statistics worker is running.
  expect(page.workers().map((w) => w.url()).some((u) => u.includes('tensors.worker'))).toBe(true);
  await page.getByTestId('tensor-stats-progress-cancel').click();
  await expect(page.getByTestId('tensor-stats')).toHaveAttribute('data-state', 'cancelled');
  await page.getByTestId('tensor-pager').getByRole('button', { name: '›' }).click();
  await expect(page.getByTestId('tensor-pager')).toContainText('rows 256–511');
  await snap(page, 'tensors-large');
});

test('the Tensors tab at 1024 and 1440 px: no sideways scroll, the top bar chips inside the window', async ({ page }) => {
  await page.getByTestId('tab-tensors').click();
  await page.getByTestId('tensors-demo').click();
  await expect(page.getByTestId('tensors-file')).toHaveCount(2);
  await page.getByTestId('tensors-diff-run').click();
  await expect(page.getByTestId('tensors-diff-summary')).toBeVisible();
  for (const width of [1024, 1440]) {
    await page.setViewportSize({ width, height: width === 1024 ? 768 : 900 });
    await expect(page.getByTestId('tensor-stats')).toHaveAttribute('data-state', 'done');
    const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, bw: document.body.scrollWidth, w: window.innerWidth }));
    expect(m.sw, 'page scroll width').toBeLessThanOrEqual(m.w);
    expect(m.bw, 'body scroll width').toBeLessThanOrEqual(m.w);
    for (const id of ['gpu-chip', 'open-button', 'tensors-face', 'tensors-diff-table', 'tensor-canvas']) {
      const box = (await page.getByTestId(id).first().boundingBox())!;
      expect(box.x, `${id} left edge`).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, `${id} right edge at ${width}`).toBeLessThanOrEqual(width + 0.5);
    }
    await snap(page, `tensors-layout-${width}`);
  }
});
