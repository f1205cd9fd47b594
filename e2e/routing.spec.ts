/**
 * Issue 8 item 6: one way in. The whole window is a drop target on every tab; a file's type is
 * sniffed from its content and it goes to the face that handles it; the same file opened twice
 * is focused, not listed twice; a failed file shows its error card once and can be dismissed.
 * Item 4: the compile editor keeps every keystroke of a fast typist.
 */
import { readFileSync } from 'node:fs';
import type {} from '../src/ui/testHooks';
import { dropFiles } from './dropFiles';
import { emptyCompileEditor } from './editor';
import { expect, snap, test } from './fixtures';

const enc = (s: string) => new TextEncoder().encode(s);
const ICON = enc(readFileSync('node_modules/@mdi/svg/svg/home.svg', 'utf8'));
const STREAMS = new Uint8Array(readFileSync('public/demo/demo-streams-b.json'));
const PACK_B = new Uint8Array(readFileSync('public/demo/demo-5kb-b.v2c.bin'));

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();
});

test('an SVG dropped anywhere on the Inspect tab opens in the SVG tab, not as a bad pack', async ({ page }) => {
  await dropFiles(page, [{ name: 'home.svg', bytes: ICON }]);
  await expect(page.getByTestId('tab-svg')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('svg-legal')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('file-item')).toHaveCount(1); // no bad_magic entry
  await snap(page, 'routed-svg');
});

test('a lane-streams JSON given to "Open…" goes to the compile editor; renamed as .bin it still does', async ({ page }) => {
  await page.getByTestId('file-input').setInputFiles({ name: 'streams-b.json', mimeType: 'application/json', buffer: Buffer.from(STREAMS) });
  await expect(page.getByTestId('tab-compile')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('compile-loaded')).toHaveText('from streams-b.json');
  await expect(page.locator('.monaco-editor .view-lines').first()).toContainText('streams', { timeout: 30_000 });
  await expect(page.getByTestId('compile-name')).toHaveValue('streams-b');
  await page.getByTestId('compile-run').click();
  await expect(page.getByTestId('pack-view')).toHaveAttribute('data-file', 'streams-b.v2c.bin');
  await dropFiles(page, [{ name: 'misnamed.bin', bytes: STREAMS }]);
  await expect(page.getByTestId('compile-loaded')).toHaveText('from misnamed.bin');
  expect(await page.locator('[data-testid="file-item"][data-status="error"]').count()).toBe(0);
});

test('a pack dropped on the SVG tab opens as a pack; the same file twice is focused, not duplicated', async ({ page }) => {
  await page.getByTestId('tab-svg').click();
  await dropFiles(page, [{ name: 'b.v2c.bin', bytes: PACK_B, lastModified: 1_750_000_000_000 }]);
  await expect(page.locator('[data-testid="pack-view"][data-file="b.v2c.bin"]')).toBeVisible();
  await expect(page.getByTestId('file-item')).toHaveCount(2);
  await page.locator('[data-testid="file-item"]').first().getByTestId('file-select').click();
  await dropFiles(page, [{ name: 'b.v2c.bin', bytes: PACK_B, lastModified: 1_750_000_000_000 }]);
  await expect(page.locator('[data-testid="pack-view"][data-file="b.v2c.bin"]')).toBeVisible();
  await expect(page.getByTestId('file-item')).toHaveCount(2);
  // A demo opened twice from the list is focused too.
  await page.locator('.demo-item').first().click();
  await expect(page.getByTestId('file-item')).toHaveCount(2);
});

test('a file that is nothing the workbench knows shows its error card once, and Dismiss removes it', async ({ page }) => {
  const junk = enc('just some text, not a pack\n'.repeat(20));
  await dropFiles(page, [{ name: 'notes.txt', bytes: junk, lastModified: 1_750_000_000_000 }]);
  await expect(page.getByTestId('error-card')).toHaveAttribute('data-code', 'bad_magic');
  await dropFiles(page, [{ name: 'notes.txt', bytes: junk, lastModified: 1_750_000_000_000 }]);
  await expect(page.locator('[data-testid="file-item"][data-status="error"]')).toHaveCount(1);
  await expect(page.getByTestId('error-card')).toHaveCount(1);
  await snap(page, 'error-card');
  await page.getByTestId('error-dismiss').click();
  await expect(page.locator('[data-testid="file-item"][data-status="error"]')).toHaveCount(0);
  await expect(page.getByTestId('pack-view')).toBeVisible(); // the demo is still open and shown
});

test('the compile editor keeps every keystroke of a fast typist (0–20 ms between keys, busy page)', async ({ page }) => {
  await emptyCompileEditor(page);
  const text = 'the quick brown fox jumps over the lazy dog and keeps on running past the farm';
  // Keys are sent as the OS sends them: queued 0–20 ms apart whether or not the page has
  // handled the previous one (Playwright's own typing waits for each key), on a busy page
  // (CPU slowed 6× and a 12 ms task every 16 ms), so keys arrive while React is rendering.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
  await page.evaluate(() => {
    (window as unknown as { busy: number }).busy = window.setInterval(() => { const t = performance.now(); while (performance.now() - t < 12); }, 16);
  });
  const sent: Array<Promise<unknown>> = [];
  let seed = 7;
  for (const ch of text) {
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch }));
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch }));
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    await new Promise((r) => setTimeout(r, seed % 21));
  }
  await Promise.all(sent);
  await page.evaluate(() => window.clearInterval((window as unknown as { busy: number }).busy));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await expect(page.locator('.monaco-editor .view-lines').first()).toHaveText(text);
  // A build reads what the editor holds (here: not JSON → bad_json, proving it saw the text).
  await page.getByTestId('compile-run').click();
  await expect(page.getByTestId('compile-error-code')).toHaveText('bad_json');
});

test('the pack name field says which characters it refuses instead of dropping them', async ({ page }) => {
  await page.getByTestId('tab-compile').click();
  await page.getByTestId('compile-name').fill('my pack/v2');
  await expect(page.getByTestId('compile-name')).toHaveValue('my pack/v2');
  await expect(page.getByTestId('compile-name-error')).toContainText('space');
  await expect(page.getByTestId('compile-name-error')).toContainText('“/”');
  await expect(page.getByTestId('compile-run')).toBeDisabled();
  await page.getByTestId('compile-name').fill('my-pack_v2');
  await expect(page.getByTestId('compile-name-error')).toHaveCount(0);
  await expect(page.getByTestId('compile-run')).toBeEnabled();
});
