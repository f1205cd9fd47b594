/**
 * Issue 8 on the π-GCCP lab: CPU runs go through a worker with progress and Cancel, the
 * previous result is marked stale meanwhile and comes back on Cancel (item 7); the phase and
 * weight heatmaps have legends with their range, and at 1M pairs aggregate into bins
 * instead of painting a uniform block (item 8); counts carry thousands separators (item 9).
 */
import type { Locator, Page } from '@playwright/test';
import { expect, snap, test } from './fixtures';
import { installLongTaskProbe, noteLongTasks, expectGrouped } from './svg-helpers';

async function openLab(page: Page): Promise<Locator> {
  await page.goto('/');
  await page.getByTestId('tab-gccp').click();
  const lab = page.getByTestId('gccp-lab');
  await expect(lab).toBeVisible();
  await expect(lab.getByTestId('gccp-gpu-state')).not.toHaveAttribute('data-state', 'checking', { timeout: 30_000 });
  return lab;
}

/** Distinct colours in a heatmap's canvas (a uniform block has one or two). */
async function distinctColours(heat: Locator): Promise<number> {
  return heat.locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) if (d[i + 3]) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
}

test('a π-GCCP run goes through a worker with progress and Cancel; the previous result is stale meanwhile and Cancel brings it back', async ({ page }) => {
  test.setTimeout(240_000);
  await installLongTaskProbe(page);
  const lab = await openLab(page);
  const run = lab.getByRole('button', { name: 'Run CPU + GPU' });
  await run.click();
  await expect(lab.getByTestId('gccp-run-pairs')).toHaveText('2,048', { timeout: 60_000 });
  const collapse = await lab.getByTestId('gccp-collapse-cpu').textContent();
  await expect(lab.getByTestId('gccp-result')).toHaveAttribute('data-stale', 'false');

  // 4,000,000 pairs (the maximum): progress, Cancel, and the 2,048-pair result marked stale.
  await lab.getByLabel('pairs', { exact: true }).fill('4000000');
  await run.click();
  await expect(lab.getByTestId('gccp-progress')).toBeVisible();
  await expect(lab.getByTestId('gccp-progress-bar')).toBeVisible();
  await expect(lab.getByTestId('gccp-result')).toHaveAttribute('data-stale', 'true');
  await expect(lab.getByTestId('gccp-stale-note')).toContainText('2,048 pairs');
  await lab.getByTestId('gccp-cancel').click();
  await expect(lab.getByTestId('gccp-progress')).toBeHidden();
  await expect(lab.getByTestId('gccp-result')).toHaveAttribute('data-stale', 'false');
  await expect(lab.getByTestId('gccp-run-pairs')).toHaveText('2,048');
  await expect(lab.getByTestId('gccp-collapse-cpu')).toHaveText(collapse!);
  await expect(run).toBeEnabled();
  await noteLongTasks(page, test.info(), '2,048 pairs, then 4,000,000 started and cancelled');

  // After a cancel the next run works (a fresh worker).
  await lab.getByLabel('pairs', { exact: true }).fill('4096');
  await run.click();
  await expect(lab.getByTestId('gccp-run-pairs')).toHaveText('4,096', { timeout: 60_000 });
  await expect(lab.getByTestId('gccp-progress')).toBeHidden();
});

test('π-GCCP heatmaps have legends with their range, and at 1M pairs aggregate into bins instead of a uniform block', async ({ page }) => {
  test.setTimeout(300_000);
  await installLongTaskProbe(page);
  const lab = await openLab(page);
  const run = lab.getByRole('button', { name: 'Run CPU + GPU' });
  await run.click();
  await expect(lab.getByTestId('gccp-run-pairs')).toHaveText('2,048', { timeout: 60_000 });
  // one cell per pair: phase on 0…π with ε marked, weight as rejected/aligned
  const phase = lab.getByTestId('gccp-heat-cpu-phase');
  const weight = lab.getByTestId('gccp-heat-cpu-weight');
  await expect(phase).toHaveAttribute('data-mode', 'cells');
  await expect(phase.getByTestId('gccp-legend')).toContainText('0π/2π rad');
  await expect(phase.getByTestId('gccp-legend')).toContainText('one cell per pair, 2,048 pairs');
  await expect(phase.getByTestId('gccp-legend')).toContainText('ε = 0.1745329');
  await expect(weight.getByTestId('gccp-legend')).toContainText('0 rejected');
  await expect(weight.getByTestId('gccp-legend')).toContainText('1 aligned');

  await lab.getByLabel('pairs', { exact: true }).fill('1000000');
  await run.click();
  await expect(lab.getByTestId('gccp-run-pairs')).toHaveText('1,000,000', { timeout: 180_000 });
  await expect(lab.getByTestId('gccp-progress')).toBeHidden({ timeout: 180_000 });
  await expect(phase).toHaveAttribute('data-mode', 'density');
  await expect(phase).toHaveAttribute('data-n', '1000000');
  const pl = phase.getByTestId('gccp-legend');
  await expect(pl).toContainText('pairs per bin (log scale)');
  await expect(pl).toContainText('x: pairs 1–1,000,000 in 128 bins of 7,813');
  await expect(pl).toContainText('y: phase 0 (bottom) to π rad (top)');
  await expect(weight).toHaveAttribute('data-mode', 'mean');
  const wl = weight.getByTestId('gccp-legend');
  await expect(wl).toContainText('mean weight per bin of 489 pairs (= fraction aligned)');
  await expect(wl).toContainText(/aligned: [\d,]+ of 1,000,000/);
  // not a uniform block: the phase density has many shades
  expect(await distinctColours(phase)).toBeGreaterThan(20);
  if (await lab.getByTestId('gccp-heat-gpu-phase').count()) {
    await expect(lab.getByTestId('gccp-heat-gpu-phase')).toHaveAttribute('data-mode', 'density');
    expect(await distinctColours(lab.getByTestId('gccp-heat-gpu-phase'))).toBeGreaterThan(20);
  }
  // item 9: counts are grouped
  await expectGrouped(page, ['[data-testid="gccp-run-pairs"]', '[data-testid="gccp-legend"]', '[data-testid="gccp-heat-cpu-phase"] figcaption', '[data-testid="gccp-cpu-ms"]', '[data-testid="gccp-gpu-timings"]']);
  await expect(lab.getByLabel('pairs', { exact: true })).toHaveValue('1,000,000');
  await noteLongTasks(page, test.info(), '2,048 then 1,000,000 pairs');
  await snap(page, 'gccp-1m-heatmaps');
});
