/**
 * Issue 8 item 8: heatmaps that say something. The colour scale is chosen from the data
 * (sequential for one-signed values, diverging around 0 otherwise; A − B on its own symmetric
 * scale), the legend names its kind and range, lanes missing from a pack are hatched instead
 * of drawn as zeros, lane ids are written in the gutter when rows are tall enough and shown on
 * hover over the gutter, and the visible row range sits under the map, not over the labels.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { bytesSource } from '../src/core/bytes/source.ts';
import { downFold } from '../src/core/pack/compat.ts';
import { openPack } from '../src/core/pack/read.ts';
import { expect, snap, test } from './fixtures';
import { canvasFacts, canvasRow } from './heatmap-pixels';

test.skip(!existsSync('public/demo/demo-wide.v2c.bin'), 'needs the bundled demo packs (npm run demo)');

const openDemo = (f: string) => openPack(bytesSource(new Uint8Array(readFileSync(`public/demo/${f}`)), f));

async function openSecond(page: Page, nth: number, file: string) {
  await page.getByTestId('demo-list').getByRole('button').nth(nth).click();
  await expect(page.locator(`[data-testid="file-item"][data-name="${file}"]`)).toBeVisible();
}

const attr = async (page: Page, testId: string, name: string) => Number(await page.getByTestId(testId).getAttribute(name));

test('lanes heatmap: scale from the data with a legend, lane ids in the gutter and on hover, row range under the map', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('tab-lanes').click();
  const legend = page.getByTestId('heat-legend');
  // Demo A is all positive: a sequential scale from 0 to its largest value, not ±range.
  await expect(legend).toHaveAttribute('data-kind', 'sequential');
  await expect(legend).toHaveAttribute('data-lo', '0');
  await expect(legend).toContainText('sequential');
  await expect.poll(() => attr(page, 'heat-legend', 'data-hi')).toBeGreaterThan(0.07);
  expect(await attr(page, 'heat-legend', 'data-hi')).toBeLessThan(0.0801);
  await expect.poll(async () => (await canvasFacts(page, 'heatmap')).distinct).toBeGreaterThan(8);

  // 48 lanes at 14 px: every row's id is written in the gutter.
  await expect.poll(async () => (await canvasFacts(page, 'heatmap')).labels).toBe('ids');
  expect((await canvasFacts(page, 'heatmap')).firstLabel).toBe('policy@t0');
  // The visible row range is under the map, outside the canvas (it used to cover a label).
  const scroller = page.locator('[data-testid="heatmap"] .heatmap-scroll');
  const box = (await scroller.boundingBox())!;
  const rows = page.getByTestId('heatmap-rows');
  await expect(rows).toHaveText(/^rows 1–\d+ of 48$/);
  expect((await rows.boundingBox())!.y).toBeGreaterThanOrEqual(box.y + box.height - 0.5);
  // Hovering the gutter names the lane.
  await page.mouse.move(box.x + 30, box.y + 14 * 2 + 7);
  await expect(page.getByTestId('heat-tooltip')).toBeVisible();
  await expect(page.getByTestId('heat-tooltip').locator('.mono').first()).toHaveText(/^policy@t0__x__attention@t/);
  await snap(page, 'lanes-sequential-ids');

  // The wide demo has both signs: diverging, centred on 0, symmetric.
  await openSecond(page, 2, 'demo-wide.v2c.bin');
  await expect(page.locator('[data-testid="lanes-panel"][data-file="demo-wide.v2c.bin"]')).toBeVisible();
  await expect(legend).toHaveAttribute('data-kind', 'diverging');
  await expect.poll(() => attr(page, 'heat-legend', 'data-hi')).toBeGreaterThan(0.5);
  expect(await attr(page, 'heat-legend', 'data-lo')).toBe(-(await attr(page, 'heat-legend', 'data-hi')));
  // 320 lanes at 6 px: group labels; zoomed to ≥ 12 px: ids; sorted by id at 6 px: every few ids.
  await expect.poll(async () => (await canvasFacts(page, 'heatmap')).labels).toBe('groups');
  await page.getByTestId('zoom-in').click();
  await page.getByTestId('zoom-in').click();
  await expect.poll(async () => (await canvasFacts(page, 'heatmap')).labels).toBe('ids');
  await snap(page, 'lanes-diverging-ids');
  await page.getByTestId('zoom-out').click();
  await page.getByTestId('zoom-out').click();
  await page.getByTestId('lane-sort').selectOption('id');
  await expect.poll(async () => (await canvasFacts(page, 'heatmap')).labels).toBe('sparse');
  expect((await canvasFacts(page, 'heatmap')).firstLabel).toBe((await page.evaluate(() => {
    const s = window.__asx!.store.getState();
    return s.files.find((f) => f.id === s.activeId)!.pack!.laneIds[0];
  })));
});

test('diff heatmaps: A and B share a scale from their values; A − B has its own ±max|A − B| scale', async ({ page }) => {
  // Expected ranges from the core in Node: the down-folded common lanes and their differences.
  const [ra, rb] = await Promise.all([openDemo('demo-5kb.v2c.bin'), openDemo('demo-5kb-b.v2c.bin')]);
  const dimsN = Math.min(ra.header.dims, rb.header.dims);
  let max = -Infinity, min = Infinity, dmax = 0;
  for (const id of ra.ids) {
    const va = downFold((await ra.getLane(id)).W, dimsN);
    const vb = downFold((await rb.getLane(id)).W, dimsN);
    for (let k = 0; k < dimsN; k++) {
      max = Math.max(max, va[k], vb[k]);
      min = Math.min(min, va[k], vb[k]);
      dmax = Math.max(dmax, Math.abs(va[k] - vb[k]));
    }
  }
  expect(min).toBeGreaterThan(0);

  await page.goto('/');
  await openSecond(page, 1, 'demo-5kb-b.v2c.bin');
  await page.getByTestId('tab-diff').click();
  await expect(page.getByTestId('diff-similarity')).toHaveText(/^0\.\d{4}$/);
  await page.getByTestId('diff-heatmaps').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('legend-ab')).toHaveAttribute('data-kind', 'sequential');
  await expect(page.getByTestId('legend-ab')).toHaveAttribute('data-lo', '0');
  await expect.poll(() => attr(page, 'legend-ab', 'data-hi')).toBeCloseTo(max, 12);
  await expect(page.getByTestId('legend-diff')).toHaveAttribute('data-kind', 'diverging');
  await expect.poll(() => attr(page, 'legend-diff', 'data-hi')).toBeCloseTo(dmax, 12);
  expect(await attr(page, 'legend-diff', 'data-lo')).toBeCloseTo(-dmax, 12);
  expect(dmax).toBeLessThan(max / 4); // far tighter than the shared scale, so A − B is not flat grey
  await expect.poll(async () => (await canvasFacts(page, 'heat-diff')).distinct).toBeGreaterThan(8);
  // The id column names the rows.
  await expect.poll(async () => (await canvasFacts(page, 'heat-ids')).labels).toBe('ids');
  expect((await canvasFacts(page, 'heat-ids')).firstLabel).toBe([...ra.ids].sort()[0]);
  const ids = (await page.locator('[data-testid="heat-ids"] .heatmap-scroll').boundingBox())!;
  await page.mouse.move(ids.x + 20, ids.y + 6);
  await expect(page.getByTestId('diff-tooltip')).toContainText('in A and B');
  await snap(page, 'diff-scales');
});

test('diff heatmaps: a lane missing from one pack is hatched in that pack and in A − B, not drawn as zeros', async ({ page }) => {
  const [ra, rb] = await Promise.all([openDemo('demo-5kb.v2c.bin'), openDemo('demo-wide.v2c.bin')]);
  const union = [...new Set([...ra.ids, ...rb.ids])].sort();
  const onlyA = union.findIndex((id) => !rb.ids.includes(id));
  const onlyB = union.findIndex((id) => !ra.ids.includes(id));
  expect(onlyA).toBeGreaterThanOrEqual(0);
  expect(onlyB).toBeGreaterThanOrEqual(0);

  await page.goto('/');
  await openSecond(page, 2, 'demo-wide.v2c.bin');
  await page.getByTestId('tab-diff').click();
  await expect(page.getByTestId('diff-a')).toHaveValue(await page.evaluate(() => window.__asx!.store.getState().files.find((f) => f.name === 'demo-5kb.v2c.bin')!.id));
  await page.getByTestId('diff-heatmaps').scrollIntoViewIfNeeded();
  await expect(page.getByTestId('legend-ab')).toContainText('missing lane');
  const rowPx = Number(await page.getByTestId('heat-a').getAttribute('data-row-px'));

  const hatched = (px: string[]) => px.length > 0 && px.every((c) => c === '#6b7482' || c === '#1a1e25') && px.includes('#6b7482') && px.includes('#1a1e25');
  for (const [row, missingIn, presentIn] of [[onlyA, 'heat-b', 'heat-a'], [onlyB, 'heat-a', 'heat-b']] as const) {
    // Scroll the row into view (the maps scroll together) and read the middle pixel row of it.
    await page.locator('[data-testid="heat-a"] .heatmap-scroll').evaluate((el, top) => { el.scrollTop = top; }, row * rowPx);
    await expect.poll(async () => {
      const top = await page.locator(`[data-testid="${missingIn}"] .heatmap-scroll`).evaluate((el) => el.scrollTop);
      const y = Math.floor(row * rowPx - top + rowPx / 2);
      const width = await page.locator(`[data-testid="${missingIn}"] canvas`).evaluate((c: HTMLCanvasElement) => c.width);
      const miss = await canvasRow(page, missingIn, y, 0, width - 2);
      const diff = await canvasRow(page, 'heat-diff', y, 0, width - 2);
      const here = await canvasRow(page, presentIn, y, 0, width - 2);
      return hatched(miss) && hatched(diff) && !hatched(here) && !here.includes('#262b33') ? 'hatched' : `${miss.slice(0, 12).join(',')} | ${here.slice(0, 6).join(',')}`;
    }, { message: `row ${row} (${union[row]}) is hatched in ${missingIn} and A − B` }).toBe('hatched');
  }
  await snap(page, 'diff-missing-hatched');
});
