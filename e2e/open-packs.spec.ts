import type {} from '../src/ui/testHooks';
import { expect, snap, test } from './fixtures';
import { bigPack } from './placeholder';

test('opening a large signed pack reads only the header, DICT, INDEX and tail sections', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();

  const bytes = bigPack({ lanes: 300, dims: 256, signKey: new Uint8Array(32).fill(7) });
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open-button').click();
  await (await chooser).setFiles([{ name: 'big-signed.v2c.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) }]);

  const view = page.locator('[data-testid="pack-view"][data-file="big-signed.v2c.bin"]');
  await expect(view).toBeVisible();
  await expect(page.getByTestId('fact-lanes')).toHaveText('300');
  await expect(page.getByTestId('fact-dims')).toHaveText('256');
  await expect(page.getByTestId('fact-flags')).toContainText('SIGNATURE');
  await expect(page.getByTestId('fact-size')).toContainText(bytes.length.toLocaleString('en-US'));

  const facts = await page.evaluate(() => {
    const s = window.__asx!.store.getState();
    const f = s.files.find((x) => x.id === s.activeId)!;
    return { bytesRead: f.pack!.bytesRead, fileSize: f.pack!.fileSize, dataBytes: f.pack!.header.dataBytes };
  });
  expect(facts.fileSize).toBe(bytes.length);
  expect(facts.dataBytes).toBeGreaterThan(300 * 256); // i16 lanes
  // No DATA byte was needed to open the pack and build its manifest.
  expect(facts.bytesRead).toBeLessThanOrEqual(facts.fileSize - facts.dataBytes);
  await expect(page.getByTestId('status-bytes')).toContainText(`read ${facts.bytesRead.toLocaleString('en-US')} of ${facts.fileSize.toLocaleString('en-US')} bytes`);
  await snap(page, 'big-signed');

  // Both packs stay open and can be switched between.
  await expect(page.getByTestId('file-item')).toHaveCount(2);
  await page.getByTestId('file-select').first().click();
  await expect(page.getByTestId('pack-view')).not.toHaveAttribute('data-file', 'big-signed.v2c.bin');
});

test('closing every file shows the empty state, and a demo can be reopened from the list', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();
  const name = (await page.getByTestId('pack-view').getAttribute('data-file'))!;
  await page.getByRole('button', { name: `Close ${name}` }).click();
  await expect(page.getByTestId('main-empty')).toBeVisible();
  await expect(page.getByTestId('status-bytes')).toHaveText('No file');
  await page.getByTestId('demo-list').getByRole('button').first().click();
  await expect(page.getByTestId('pack-view')).toBeVisible();
});
