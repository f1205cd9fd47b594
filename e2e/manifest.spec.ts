import type {} from '../src/ui/testHooks';
import { expect, snap, test } from './fixtures';

test('the first demo pack opens on start and its manifest is shown', async ({ page, demo }) => {
  await page.goto('/');
  const view = page.getByTestId('pack-view');
  await expect(view).toBeVisible();
  await expect(view).toHaveAttribute('data-file', demo.file);

  // The canonical manifest text is on the <pre>; parse it and check real fields.
  const json = await page.getByTestId('manifest-json').getAttribute('data-json');
  expect(json).toBeTruthy();
  const manifest = JSON.parse(json!) as Record<string, unknown>;
  expect(manifest.schema).toBe('asx.pack.manifest.v1');

  const active = await page.evaluate(() => {
    const s = window.__asx!.store.getState();
    const f = s.files.find((x) => x.id === s.activeId);
    return f?.pack ? { header: f.pack.header, fileSize: f.pack.fileSize, bytesRead: f.pack.bytesRead, lanes: f.pack.laneIds.length } : null;
  });
  expect(active).not.toBeNull();
  const { header, fileSize, bytesRead, lanes } = active!;
  expect(header.laneCount).toBeGreaterThan(0);
  expect(lanes).toBe(header.laneCount);
  // The manifest's dims (wherever the core puts them) equal the header's.
  const manifestDims = findNumber(manifest, 'dims');
  expect(manifestDims, 'manifest has a dims field').toBeDefined();
  expect(manifestDims).toBe(header.dims);

  // The visible facts agree with the header.
  await expect(page.getByTestId('fact-dims')).toHaveText(header.dims.toLocaleString('en-US'));
  await expect(page.getByTestId('fact-lanes')).toHaveText(header.laneCount.toLocaleString('en-US'));
  await expect(page.getByTestId('fact-flags')).toContainText(`0x${header.flags.toString(16).padStart(2, '0')}`);
  // The pretty-printed manifest is visible and shows the schema.
  await expect(page.getByTestId('manifest-json')).toContainText('"schema": "asx.pack.manifest.v1"');
  // Opening is lazy: some bytes were read, never more than the file.
  expect(bytesRead).toBeGreaterThan(0);
  expect(bytesRead).toBeLessThanOrEqual(fileSize);
  await expect(page.getByTestId('status-bytes')).toContainText(`of ${fileSize.toLocaleString('en-US')} bytes`);

  await snap(page, 'manifest');
});

test('dropping a non-pack file shows a bad_magic error card and the demo stays open', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();
  const demoName = await page.getByTestId('pack-view').getAttribute('data-file');

  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    const text = 'hello, this is not a weights.v2c-bin pack\n'.repeat(4);
    dt.items.add(new File([text], 'notes.txt', { type: 'text/plain' }));
    return dt;
  });
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeHidden();

  const card = page.getByTestId('error-card');
  await expect(card).toBeVisible();
  await expect(card).toHaveAttribute('data-code', 'bad_magic');
  await expect(page.getByTestId('error-code')).toHaveText('bad_magic');
  await expect(page.getByTestId('error-file')).toHaveText('notes.txt');
  await expect(page.getByTestId('error-offset')).toContainText(/^byte \d+/);
  await expect(card).not.toContainText(/\bat .+:\d+:\d+/); // no stack frames
  await snap(page, 'bad-magic');

  // Both files are listed; the demo pack is still open and still shows its manifest.
  const items = page.getByTestId('file-item');
  await expect(items).toHaveCount(2);
  await expect(items.nth(1)).toHaveAttribute('data-status', 'error');
  const demoItem = page.locator(`[data-testid="file-item"][data-name="${demoName}"]`);
  await expect(demoItem).toHaveAttribute('data-status', 'ready');
  await demoItem.getByTestId('file-select').click();
  await expect(page.getByTestId('pack-view')).toBeVisible();
  await expect(page.getByTestId('manifest-json')).toContainText('asx.pack.manifest.v1');
});

test('the file picker opens more packs and closing one keeps the others', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();
  const demoName = (await page.getByTestId('pack-view').getAttribute('data-file'))!;
  const demoBytes = await page.evaluate(async (name) => {
    const res = await fetch(`demo/${name}`);
    return Array.from(new Uint8Array(await res.arrayBuffer()));
  }, demoName);

  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('open-button').click();
  await (await chooser).setFiles([
    { name: 'copy.v2c.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(demoBytes) },
    { name: 'short.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(demoBytes.slice(0, 20)) },
  ]);
  const items = page.getByTestId('file-item');
  await expect(items).toHaveCount(3);
  await expect(page.locator('[data-testid="file-item"][data-name="copy.v2c.bin"]')).toHaveAttribute('data-status', 'ready');
  await expect(page.locator('[data-testid="file-item"][data-name="short.bin"]')).toHaveAttribute('data-status', 'error');
  // A truncated pack names its code and offset.
  await expect(page.getByTestId('error-card')).toBeVisible();
  await expect(page.getByTestId('error-code')).toHaveText('truncated');
  await expect(page.getByTestId('error-offset')).toBeVisible();

  await page.getByRole('button', { name: 'Close short.bin' }).click();
  await expect(items).toHaveCount(2);
  await expect(page.getByTestId('pack-view')).toBeVisible();
});

function findNumber(value: unknown, key: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o[key] === 'number') return o[key];
  for (const v of Object.values(o)) {
    const found = findNumber(v, key);
    if (found !== undefined) return found;
  }
  return undefined;
}
