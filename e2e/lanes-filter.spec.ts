/**
 * Issue 8 item 9 (lanes): a filter that matches nothing says so and the class chips count
 * the filtered set; a bad regex shows its error instead of a lane count; an exported proof is
 * named after the lane id (made safe for a file name), not its symbol.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, snap, test } from './fixtures';

test.skip(!existsSync('public/demo/demo-wide.v2c.bin'), 'needs the bundled demo packs (npm run demo)');

async function openWide(page: Page) {
  await page.goto('/');
  await page.getByTestId('demo-list').getByRole('button').nth(2).click();
  await page.getByTestId('tab-lanes').click();
  await expect(page.locator('[data-testid="lanes-panel"][data-file="demo-wide.v2c.bin"]')).toBeVisible();
}

const chipCounts = (page: Page): Promise<Record<string, number>> => page.getByTestId('class-chip').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-class') ?? '', Number(e.getAttribute('data-count'))])));

test('a filter that matches nothing says so; class chips count the filtered lanes', async ({ page }) => {
  await openWide(page);
  const all = await chipCounts(page);
  expect(Object.values(all).reduce((a, b) => a + b, 0)).toBe(320);
  const filter = page.getByTestId('lane-filter');

  await filter.fill('feature01');
  await expect(page.getByTestId('lane-count')).toContainText('10 of 320');
  const some = await chipCounts(page);
  expect(Object.values(some).reduce((a, b) => a + b, 0)).toBe(10);
  await expect(page.getByTestId('class-chip').filter({ hasText: /10 of \d+/ })).toHaveCount(1);

  await filter.fill('no-such-lane-anywhere');
  await expect(page.getByTestId('lane-count')).toContainText('0 of 320');
  const empty = page.getByTestId('lanes-empty');
  await expect(empty).toBeVisible();
  await expect(empty).toContainText('No lane matches');
  await expect(empty).toContainText('“no-such-lane-anywhere”');
  await expect(page.getByTestId('heatmap')).toHaveCount(0);
  expect(Object.values(await chipCounts(page)).every((n) => n === 0)).toBe(true);
  await snap(page, 'filter-empty');

  await page.getByTestId('lanes-clear-filters').click();
  await expect(filter).toHaveValue('');
  await expect(page.getByTestId('lane-count')).toContainText('320 of 320');
  await expect(page.getByTestId('heatmap')).toBeVisible();
  expect(await chipCounts(page)).toEqual(all);
});

test('a bad regex shows its error, not a lane count', async ({ page }) => {
  await openWide(page);
  await page.getByTestId('lane-filter').fill('/feature(0/');
  const err = page.getByTestId('lane-filter-error');
  await expect(err).toBeVisible();
  await expect(err).toContainText('Bad pattern');
  await expect(err).toContainText('not applied');
  await expect(page.getByTestId('lane-count')).toHaveCount(0);
  await expect(page.getByText(/320 of 320/)).toHaveCount(0);
  await expect(page.getByTestId('lane-filter')).toHaveAttribute('aria-invalid', 'true');
  await snap(page, 'filter-bad-regex');
  await page.getByTestId('lane-filter').fill('/^feature01\\d$/');
  await expect(page.getByTestId('lane-count')).toContainText('10 of 320');
  await expect(err).toHaveCount(0);
});

test('the exported proof file is named after the lane id', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('tab-lanes').click();
  const box = (await page.locator('[data-testid="heatmap"] .heatmap-scroll').boundingBox())!;
  await page.mouse.click(box.x + 300, box.y + 14 * 3 + 7); // fourth row
  const detail = page.getByTestId('lane-detail');
  await expect(detail).toBeVisible();
  const id = (await detail.getAttribute('data-lane'))!;
  expect(id).toContain('@'); // a real id (policy@t0__x__attention@t…), not a symbol
  await page.getByTestId('proof-lane').click();
  await expect(page.getByTestId('proof-state')).toHaveAttribute('data-ok', 'true');
  const download = page.waitForEvent('download');
  await page.getByTestId('export-proof').click();
  const dl = await download;
  expect(dl.suggestedFilename()).toBe(`${id}.proof.json`);
  const proof = JSON.parse(readFileSync(await dl.path(), 'utf8')) as { lane_id: string };
  expect(proof.lane_id).toBe(id);
});
