/**
 * Issue 8 item 5: the workbench works from 1024 px up. Every face is rendered at 1024 and at
 * 1440 px wide: the page never scrolls sideways, the top bar wraps instead of cutting off the
 * GPU chip and Download, the lane detail moves below the heatmap when narrow, the sidebar
 * collapses; a screenshot of each face at each width is written.
 */
import type { Page } from '@playwright/test';
import type {} from '../src/ui/testHooks';
import { expect, snap, test } from './fixtures';

const WIDTHS = [1024, 1440] as const;
const FACES = ['overview', 'lanes', 'trust', 'diff', 'compile', 'svg', 'gccp', 'objects'] as const;

async function noSidewaysScroll(page: Page) {
  const m = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, bw: document.body.scrollWidth, w: window.innerWidth }));
  expect(m.sw, 'page scroll width').toBeLessThanOrEqual(m.w);
  expect(m.bw, 'body scroll width').toBeLessThanOrEqual(m.w);
}

async function fullyInside(page: Page, testId: string) {
  const el = page.getByTestId(testId).first();
  await expect(el).toBeVisible();
  const box = (await el.boundingBox())!;
  const w = page.viewportSize()!.width;
  expect(box.x, `${testId} left edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${testId} right edge`).toBeLessThanOrEqual(w + 0.5);
}

test('every face at 1024 and 1440 px: no sideways scroll, chips and buttons inside the window; screenshots', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();
  // A second pack so the diff face has something to compare.
  await page.locator('.demo-item').nth(1).click();
  await expect(page.getByTestId('file-item')).toHaveCount(2);
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 1024 ? 768 : 900 });
    for (const face of FACES) {
      await page.getByTestId(`tab-${face}`).click();
      await expect(page.getByTestId(`tab-${face}`)).toHaveAttribute('aria-selected', 'true');
      if (face === 'diff') await expect(page.getByTestId('diff-summary')).toBeVisible();
      if (face === 'compile') await expect(page.locator('.monaco-editor').first()).toBeVisible();
      if (face === 'svg') await expect(page.getByTestId('svg-drop')).toBeVisible();
      if (face === 'lanes') await expect(page.getByTestId('heatmap').first()).toBeVisible();
      if (face === 'objects') await expect(page.getByTestId('projection-match')).toHaveAttribute('data-state', 'same');
      await noSidewaysScroll(page);
      await fullyInside(page, 'gpu-chip');
      await fullyInside(page, 'open-button');
      if (face === 'overview' || face === 'lanes' || face === 'trust') await fullyInside(page, 'download-pack');
      if (face === 'diff') {
        const reasons = (await page.locator('.reasons').boundingBox())!;
        expect(reasons.width, 'diff checklist width').toBeGreaterThanOrEqual(280);
      }
      await snap(page, `${face}-${width}`);
    }
  }
});

test('lane detail sits beside the heatmap at 1440 px and below it at 1024 px', async ({ page }) => {
  await page.goto('/#panel=lanes');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await expect(page.getByTestId('heatmap').first()).toBeVisible();
    const scroller = page.locator('[data-testid="heatmap"] .heatmap-scroll').first();
    const hb = (await scroller.boundingBox())!;
    await page.mouse.click(hb.x + hb.width - 40, hb.y + 4);
    const detail = page.getByTestId('lane-detail');
    await expect(detail).toBeVisible();
    await noSidewaysScroll(page);
    const d = (await detail.boundingBox())!;
    const h = (await scroller.boundingBox())!;
    if (width === 1024) expect(d.y, 'detail below the heatmap').toBeGreaterThanOrEqual(h.y + h.height - 1);
    else expect(d.x, 'detail beside the heatmap').toBeGreaterThanOrEqual(h.x + h.width - 1);
    expect(d.x + d.width).toBeLessThanOrEqual(width + 0.5);
    await snap(page, `lane-detail-${width}`);
  }
});

test('the sidebar collapses and comes back; the main panel takes the room', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();
  const before = (await page.locator('main.main').boundingBox())!;
  await page.getByTestId('sidebar-toggle').click();
  await expect(page.locator('#sidebar')).toBeHidden();
  const after = (await page.locator('main.main').boundingBox())!;
  expect(after.width).toBeGreaterThan(before.width + 200);
  await noSidewaysScroll(page);
  await page.getByTestId('sidebar-toggle').click();
  await expect(page.locator('#sidebar')).toBeVisible();
});

test('opening a demo does not move the demo list under the pointer', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();
  const items = page.locator('.demo-item');
  const before = (await items.nth(2).boundingBox())!;
  await items.nth(2).click();
  await items.nth(1).click();
  await expect(page.getByTestId('file-item')).toHaveCount(3);
  const after = (await items.nth(2).boundingBox())!;
  expect(after.y).toBe(before.y);
});

test('a deep link to #panel=lanes alone lands on Lanes', async ({ page }) => {
  await page.goto('/#panel=lanes');
  await expect(page.getByTestId('tab-lanes')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('heatmap').first()).toBeVisible();
  await page.waitForTimeout(300);
  await expect(page.getByTestId('tab-lanes')).toHaveAttribute('aria-selected', 'true');
  expect(new URL(page.url()).hash).toContain('panel=lanes');
});

test('the hex view says its offsets are hexadecimal and its range in both bases', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('section-DICT').click();
  await expect(page.getByTestId('hex-range')).toHaveText(/^0x00000024–0x[0-9a-f]{8}$/);
  await expect(page.getByTestId('hex-view')).toContainText('offset(h) 00 01 02');
  await expect(page.getByTestId('hex-view')).toContainText('bytes 36–');
});
