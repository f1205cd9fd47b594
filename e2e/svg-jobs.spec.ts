/**
 * Issue 8 on the SVG tab: a large import runs in a worker with a progress bar and Cancel
 * (item 7), the previous result is marked stale meanwhile and comes back on Cancel, the
 * result of the finished job is the core's own, numbers carry thousands separators (item 9),
 * and the original is shown next to the canonical form, both as images that run no script.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, snap, test } from './fixtures';
import { importSvg } from '../src/core/svg/canonical';
import { checkLegality } from '../src/core/svg/tensor';
import { largeSvg } from './svg-large';
import { dropOnZone, expectGrouped, installLongTaskProbe, noteLongTasks, openSvgTab } from './svg-helpers';

const ICON = readFileSync(join(process.cwd(), 'node_modules/@mdi/svg/svg/account-circle.svg'), 'utf8');

test('a 60,000-path SVG is analysed in a worker with progress and Cancel; the previous result is stale meanwhile and Cancel brings it back', async ({ page }) => {
  test.setTimeout(300_000);
  const big = largeSvg();
  expect(big.length).toBeGreaterThan(2_700_000);
  await installLongTaskProbe(page);
  await openSvgTab(page);
  await dropOnZone(page, 'account-circle.svg', ICON);
  await expect(page.getByTestId('svg-file-name')).toHaveText('account-circle.svg');
  await expect(page.getByTestId('svg-result')).toHaveAttribute('data-stale', 'false');

  // Start the large job: progress, Cancel, and the previous result visibly stale.
  await dropOnZone(page, 'map-60000.svg', big);
  await expect(page.getByTestId('svg-progress')).toBeVisible();
  await expect(page.getByTestId('svg-progress-bar')).toBeVisible();
  await expect(page.getByTestId('svg-cancel')).toBeVisible();
  await expect(page.getByTestId('svg-progress')).toContainText('map-60000.svg');
  await expect(page.getByTestId('svg-result')).toHaveAttribute('data-stale', 'true');
  await expect(page.getByTestId('svg-stale-note')).toContainText('account-circle.svg');
  // the job moves through its stages (the worker reports each one)
  await expect(page.getByTestId('svg-progress')).toHaveAttribute('data-stage', 'import', { timeout: 60_000 });
  await snap(page, 'svg-large-progress');

  // Cancel: back to the previous input, idle, interactive.
  await page.getByTestId('svg-cancel').click();
  await expect(page.getByTestId('svg-progress')).toBeHidden();
  await expect(page.getByTestId('svg-panel')).toHaveAttribute('data-busy', 'false');
  await expect(page.getByTestId('svg-result')).toHaveAttribute('data-stale', 'false');
  await expect(page.getByTestId('svg-file-name')).toHaveText('account-circle.svg');
  await expect(page.getByTestId('svg-hash')).toHaveText(importSvg(ICON).hashHex);
  await page.getByTestId('svg-proof-G-0').click();
  await expect(page.getByTestId('svg-proof-G-0')).toHaveAttribute('data-result', 'verified');
  await noteLongTasks(page, test.info(), 'icon, then the large file started and cancelled');

  // The same file again, to the end: the result is the core's.
  const want = importSvg(big);
  const legality = checkLegality(big);
  await dropOnZone(page, 'map-60000.svg', big);
  await expect(page.getByTestId('svg-progress')).toBeVisible();
  await expect(page.getByTestId('svg-file-name')).toHaveText('map-60000.svg', { timeout: 240_000 });
  await expect(page.getByTestId('svg-progress')).toBeHidden();
  await expect(page.getByTestId('svg-hash')).toHaveText(want.hashHex);
  await expect(page.getByTestId('svg-legal')).toHaveText(`illegal: ${legality.violations.length.toLocaleString('en-US')} violations`);
  await expect(page.getByTestId('svg-change-count')).toHaveText(`${want.changes.length.toLocaleString('en-US')} changes`);
  await expect(page.getByTestId('svg-changes').locator('[role=row]:not(.svgp-change-head)')).toHaveCount(500);
  await expect(page.getByTestId('svg-changes-more')).toContainText(`${(want.changes.length - 500).toLocaleString('en-US')} more`);
  await expect(page.getByTestId('svg-bytes')).toHaveText(`${Buffer.byteLength(big).toLocaleString('en-US')} → ${want.bytes.length.toLocaleString('en-US')} canonical`);
  await expect(page.getByTestId('svg-canonical-more')).toContainText(`of ${want.text.length.toLocaleString('en-US')} characters`);
  for (const l of ['M', 'T', 'G', 'X', 'W']) await expect(page.getByTestId(`svg-lane-${l}`)).toBeVisible();
  // the overlay was drawn off the main thread; the two large images wait for a click
  await expect(page.getByTestId('svg-overlay')).toHaveAttribute('data-offthread', 'true');
  await expect(page.getByTestId('svg-render-deferred')).toBeVisible();
  // Item 9: every count, byte size, offset and item number is grouped.
  await expectGrouped(page, ['[data-testid="svg-bytes"]', '[data-testid="svg-envelope-bytes"]', '[data-testid="svg-change-count"]', '[data-testid="svg-changes-more"]', '[data-testid="svg-map-facts"]', '[data-testid="svg-lanes"] td.num', '[data-testid="svg-streams"] td.num', '[data-testid="svg-canonical-more"]', '[data-testid="svg-legal"]']);
  await page.getByTestId('svg-proof-G-0').click();
  await expect(page.getByTestId('svg-proof-G-0')).toHaveAttribute('data-result', 'verified');
  await page.getByTestId('svg-build-pack').click();
  await expect(page.getByTestId('svg-pack-result')).toContainText('lanes');
  await expectGrouped(page, ['[data-testid="svg-pack-result"]']);
  await noteLongTasks(page, test.info(), 'the large file to the end');
  await snap(page, 'svg-large-done');
});

test('the original is shown next to the canonical form, both as images that run no script', async ({ page }) => {
  await openSvgTab(page);
  // A red square with a script and an onload: the original keeps its colour, the canonical
  // tensor keeps the geometry only.
  const coloured = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="window.__pwned='onload'">
<script>window.__pwned='script'</script>
<rect x="1" y="1" width="8" height="8" fill="#ff0000" onclick="window.__pwned='click'"/></svg>`;
  await dropOnZone(page, 'red.svg', coloured);
  await expect(page.getByTestId('svg-file-name')).toHaveText('red.svg');
  const original = page.getByTestId('svg-original-img');
  const canonical = page.getByTestId('svg-canonical-img');
  await expect(original).toHaveAttribute('src', /^blob:/);
  await expect(canonical).toHaveAttribute('src', /^blob:/);
  for (const img of [original, canonical]) await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  // what a person sees: red in the original, none in the canonical form
  const redPixels = (el: HTMLImageElement) => {
    const c = document.createElement('canvas');
    c.width = 40; c.height = 40;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(el, 0, 0, 40, 40);
    const d = ctx.getImageData(0, 0, 40, 40).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] > 200 && d[i + 1] < 80 && d[i + 2] < 80) n++;
    return n;
  };
  expect(await original.evaluate(redPixels)).toBeGreaterThan(100);
  expect(await canonical.evaluate(redPixels)).toBe(0);
  await page.getByTestId('svg-render').click({ force: true });
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  // the user's markup never became DOM: the images are documents of their own
  expect(await page.evaluate(() => document.querySelectorAll('[onload],[onclick],rect[fill="#ff0000"]').length)).toBe(0);
  expect(await page.evaluate(() => Array.from(document.scripts).some((s) => (s.textContent ?? '').includes('__pwned')))).toBe(false);
  await snap(page, 'svg-original-and-canonical');
});
