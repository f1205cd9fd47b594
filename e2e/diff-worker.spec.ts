/**
 * Issue 8 item 7 (diff): the diff over every lane runs in a Web Worker with a progress bar and
 * a Cancel button. On two generated 50,000-lane packs the progress moves, Cancel stops the job
 * (the worker is gone, no figures appear), "Run again" completes it with the core's figures;
 * the demo diff gives exactly the figures of the core's diffPacks as before.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { bytesSource } from '../src/core/bytes/source.ts';
import { diffPacks } from '../src/core/pack/compat.ts';
import { openPack } from '../src/core/pack/read.ts';
import { encodePack, type LaneInput } from '../src/core/pack/write.ts';
import { expect, snap, test } from './fixtures';

// Big enough that the worker needs seconds (Cancel lands mid-way), small enough to build fast.
const LANES = 50_000;
const DIMS = 16;

/** A generated pack: ids lane00000@w…, a cosine pattern shifted by `phase` (B differs from A). */
function generated(phase: number): Uint8Array {
  const lanes: LaneInput[] = Array.from({ length: LANES }, (_, k) => ({
    id: `lane${String(k).padStart(5, '0')}@w`,
    W: Array.from({ length: DIMS }, (_, i) => Math.cos((k + 1) * 0.37 + i * 0.11 + phase * (k % 7)) * 0.8),
  }));
  return encodePack(lanes, DIMS).bytes;
}

const diffWorkers = (page: Page) => page.workers().filter((w) => /diff\.worker/.test(w.url()));

test('a 50,000-lane diff runs in a worker: progress, Cancel stops it, Run again gives the core figures', async ({ page }) => {
  test.setTimeout(240_000);
  const a = generated(0);
  const b = generated(0.02);
  const core = await diffPacks(await openPack(bytesSource(a)), await openPack(bytesSource(b)));

  await page.goto('/');
  await expect(page.getByTestId('file-item')).toHaveCount(1);
  await page.getByTestId('file-item').getByRole('button', { name: /^Close / }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('o');
  await (await chooser).setFiles([
    { name: 'big-a.v2c.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(a) },
    { name: 'big-b.v2c.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(b) },
  ]);
  await expect(page.locator('[data-testid="file-item"][data-name="big-b.v2c.bin"]')).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.__asx!.store.getState().files.filter((f) => f.status === 'ready').length), { timeout: 60_000 }).toBe(2);

  await page.getByTestId('tab-diff').click();
  const progress = page.getByTestId('diff-progress');
  await expect(progress).toBeVisible();
  // The first report comes after the worker has loaded (unbundled modules on the dev server) and opened both packs.
  await expect(progress).toHaveAttribute('data-total', String(LANES), { timeout: 60_000 });
  await expect.poll(async () => Number(await progress.getAttribute('data-done'))).toBeGreaterThan(0);
  expect(diffWorkers(page).length).toBe(1);
  // Cancel at once (the whole job takes seconds), then check what the page shows.
  await page.getByTestId('diff-cancel').click();

  const cancelled = page.getByTestId('diff-cancelled');
  await expect(cancelled).toBeVisible();
  await expect(cancelled).toContainText(/Diff cancelled after [\d,]+ of 50,000 lanes/);
  const stoppedAt = Number(/after ([\d,]+) of/.exec((await cancelled.textContent())!)![1].replace(/,/g, ''));
  expect(stoppedAt).toBeLessThan(LANES);
  await expect(progress).toHaveCount(0);
  await expect.poll(() => diffWorkers(page).length).toBe(0);
  await page.waitForTimeout(1500);
  // Nothing arrives later: no similarity, no cosines.
  await expect(page.getByTestId('diff-similarity')).toHaveText('—');
  await expect(page.getByTestId('cosine-chart')).toHaveAttribute('data-state', 'cancelled');
  await expect(page.getByTestId('cos-row')).toHaveCount(0);
  await snap(page, 'diff-cancelled');

  await page.getByTestId('diff-rerun').click();
  await expect(progress).toBeVisible();
  await expect(page.getByTestId('diff-similarity')).toHaveText('…');
  // Long main-thread tasks while the diff runs and its result is shown (it must not freeze the page).
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) w.__longTasks.push(e.duration); }).observe({ type: 'longtask' });
  });
  await snap(page, 'diff-progress');
  await expect(page.getByTestId('diff-similarity')).toHaveText(core.similarity.toFixed(4), { timeout: 90_000 });
  const lowest = [...core.lanes].filter((l) => l.inA && l.inB).sort((x, y) => x.cosine - y.cosine || (x.id < y.id ? -1 : 1))[0];
  await expect(page.getByTestId('cos-row').first()).toHaveAttribute('data-id', lowest.id);
  expect(Number(await page.getByTestId('cos-row').first().getAttribute('data-cos'))).toBe(lowest.cosine);
  await expect(page.getByTestId('diff-read')).toContainText('compared in a worker');
  const longest = await page.evaluate(() => Math.max(0, ...(window as unknown as { __longTasks: number[] }).__longTasks));
  test.info().annotations.push({ type: 'longest main-thread task during the diff (ms)', description: longest.toFixed(0) });
  expect(longest).toBeLessThan(1000);
  await snap(page, 'diff-done');
});

test('the demo diff gives the same figures as the core diffPacks', async ({ page }) => {
  test.skip(!existsSync('public/demo/demo-5kb-b.v2c.bin'), 'needs the bundled demo packs (npm run demo)');
  const open = (f: string) => openPack(bytesSource(new Uint8Array(readFileSync(`public/demo/${f}`)), f));
  const core = await diffPacks(await open('demo-5kb.v2c.bin'), await open('demo-5kb-b.v2c.bin'));
  await page.goto('/');
  await page.getByTestId('demo-list').getByRole('button').nth(1).click();
  await expect(page.locator('[data-testid="file-item"][data-name="demo-5kb-b.v2c.bin"]')).toBeVisible();
  await page.getByTestId('tab-diff').click();
  await expect(page.getByTestId('diff-similarity')).toHaveText(core.similarity.toFixed(4));
  await expect(page.getByTestId('diff-level')).toHaveAttribute('data-level', String(core.level));
  const shown = await page.getByTestId('cos-row').evaluateAll((els) => els.map((e) => [e.getAttribute('data-id'), Number(e.getAttribute('data-cos'))]));
  const expected = core.lanes.filter((l) => l.inA && l.inB).sort((x, y) => x.cosine - y.cosine || (x.id < y.id ? -1 : 1)).slice(0, 60).map((l) => [l.id, l.cosine]);
  expect(shown).toEqual(expected);
});
