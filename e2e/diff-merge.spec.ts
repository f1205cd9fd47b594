/**
 * Issue 8 item 9 (merge): merged packs are named by mode and inputs, so three merges are told
 * apart in the file list, and the result is announced where the user is: they stay on the
 * diff (to merge again with other settings), the new pack is announced in the merge area with
 * a button that opens it.
 */
import { existsSync } from 'node:fs';
import { expect, snap, test } from './fixtures';

test.skip(!existsSync('public/demo/demo-5kb-b.v2c.bin'), 'needs the bundled demo packs (npm run demo)');

test('three merges get names from mode and inputs, are announced on the diff, and open from there', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('demo-list').getByRole('button').nth(1).click();
  await expect(page.locator('[data-testid="file-item"][data-name="demo-5kb-b.v2c.bin"]')).toBeVisible();
  await page.getByTestId('tab-diff').click();
  await expect(page.getByTestId('diff-similarity')).toHaveText(/^0\.\d{4}$/);
  await page.getByTestId('merge-panel').scrollIntoViewIfNeeded();

  const runs: Array<{ mode: 'overlay' | 'blend' | 'union'; lambda?: string; name: string }> = [
    { mode: 'overlay', name: 'overlay demo-5kb × demo-5kb-b.v2c.bin' },
    { mode: 'blend', lambda: '0.3', name: 'blend(0.30) demo-5kb × demo-5kb-b.v2c.bin' },
    { mode: 'union', name: 'union demo-5kb × demo-5kb-b.v2c.bin' },
  ];
  for (const r of runs) {
    // The radio is drawn as a segmented button: click its label, as a user does.
    await page.getByTestId(`merge-${r.mode}`).locator('xpath=..').click();
    await expect(page.getByTestId(`merge-${r.mode}`)).toBeChecked();
    if (r.lambda) await page.getByTestId('merge-lambda').fill(r.lambda);
    await page.getByTestId('merge-run').click();
    const result = page.getByTestId('merge-result');
    // Announced here, in the panel the user is looking at; the app did not leave the diff.
    await expect(result).toHaveAttribute('data-file', r.name);
    await expect(result).toContainText(`Merged into ${r.name}`);
    await expect(result).toContainText('48 lanes × 16 dims');
    await expect(result).toBeInViewport();
    await expect(page.getByTestId('diff-panel')).toBeVisible();
    await expect(page.locator(`[data-testid="file-item"][data-name="${r.name}"]`)).toBeVisible();
  }
  // Earlier merges stay listed (newest first), each with its own name.
  await expect(page.getByTestId('merge-earlier')).toHaveCount(2);
  const names = await page.getByTestId('file-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
  expect(names).toEqual(expect.arrayContaining(runs.map((r) => r.name)));
  expect(new Set(names).size).toBe(names.length);
  await snap(page, 'merge-announced');

  await page.getByTestId('merge-result').getByTestId('merge-open').click();
  await expect(page.locator('[data-testid="pack-view"]')).toHaveAttribute('data-file', runs[2].name);
  await expect(page.getByTestId('unsaved-tag')).toBeVisible();
});
