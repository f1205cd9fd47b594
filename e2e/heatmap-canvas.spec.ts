/**
 * Issue 8 item 1: every heatmap canvas draws, on the production build and on the dev server
 * (StrictMode's double effect once left a stale rAF id and a blank 300×150 canvas there).
 * Each canvas must fill its box and show value pixels, read back with getImageData.
 */
import { existsSync } from 'node:fs';
import { expect, snap, test } from './fixtures';
import { canvasFacts } from './heatmap-pixels';

test.skip(!existsSync('public/demo/demo-5kb-b.v2c.bin'), 'needs the bundled demo packs (npm run demo)');

async function expectDrawn(page: import('@playwright/test').Page, testId: string) {
  await expect.poll(async () => {
    const f = await canvasFacts(page, testId);
    // A real size (the box it sits in, never the default 300×150), and most of it drawn
    // with value colours (not background, not the "not decoded yet" pattern).
    const sized = f.width === f.boxWidth && f.height === f.boxHeight && f.width > 0 && f.height > 0 && !(f.width === 300 && f.height === 150);
    return sized && f.value / Math.max(1, f.total) > 0.3 && f.distinct > 8 ? 'drawn' : JSON.stringify(f);
  }, { message: `${testId} draws`, timeout: 15_000 }).toBe('drawn');
}

test('every heatmap canvas (lanes, diff A, B, A − B) has its real size and value pixels', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();
  await page.getByTestId('tab-lanes').click();
  await expect(page.getByTestId('heatmap')).toBeVisible();
  await expectDrawn(page, 'heatmap');
  // After a resize the canvas follows its box.
  await page.setViewportSize({ width: page.viewportSize()!.width - 100, height: page.viewportSize()!.height });
  await expectDrawn(page, 'heatmap');
  await snap(page, 'lanes-drawn');

  await page.getByTestId('demo-list').getByRole('button').nth(1).click();
  await expect(page.locator('[data-testid="lanes-panel"][data-file="demo-5kb-b.v2c.bin"]')).toBeVisible();
  await page.getByTestId('tab-diff').click();
  await expect(page.getByTestId('diff-panel')).toBeVisible();
  await page.getByTestId('diff-heatmaps').scrollIntoViewIfNeeded();
  for (const id of ['heat-a', 'heat-b', 'heat-diff']) await expectDrawn(page, id);
  await snap(page, 'diff-drawn');
});
