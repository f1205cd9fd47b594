/**
 * Issue 8, item 6 (the SVG tab's part): an SVG dropped anywhere in the window, outside the
 * SVG tab's own zone, is routed by its content to the SVG tab, which opens it exactly as a
 * file dropped on its zone. The window's router sniffs and posts (src/ui/inbox.ts); the tab
 * takes what is waiting when it mounts and what arrives while it is open.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { dropFiles } from './dropFiles';
import { importSvg } from '../src/core/svg/canonical';
import { openSvgTab } from './svg-helpers';

const ICON = readFileSync(join(process.cwd(), 'node_modules/@mdi/svg/svg/account-circle.svg'), 'utf8');
const bytes = (s: string) => new TextEncoder().encode(s);

test('an SVG dropped on the window outside the zone opens in the SVG tab, from the SVG tab and from another tab', async ({ page }) => {
  await openSvgTab(page);
  // no type hint: application/octet-stream, named .bin — the content decides
  await dropFiles(page, [{ name: 'icon-on-body.bin', bytes: bytes(ICON) }]);
  await expect(page.getByTestId('svg-file-name')).toHaveText('icon-on-body.bin');
  await expect(page.getByTestId('svg-hash')).toHaveText(importSvg(ICON).hashHex);
  await expect(page.getByTestId('svg-legal')).toHaveText('legal SVG-tensor');
  // it did not become a (bad) pack
  expect(await page.evaluate(() => window.__asx!.store.getState().files.some((f) => f.name === 'icon-on-body.bin'))).toBe(false);

  // From another tab: the router switches to the SVG tab, which takes the file when it mounts.
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('svg-panel')).toBeHidden();
  const evil = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>window.__pwned=1</script><path d="M0 0 L10 10"/></svg>';
  await dropFiles(page, [{ name: 'second.svg', bytes: bytes(evil) }]);
  await expect(page.getByTestId('svg-panel')).toBeVisible();
  await expect(page.getByTestId('svg-file-name')).toHaveText('second.svg');
  await expect(page.getByTestId('svg-legal')).toContainText('illegal');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

  // The zone still takes its own drops (and the window does not take them as well).
  await page.getByTestId('svg-drop').dispatchEvent('drop', { dataTransfer: await page.evaluateHandle((t) => { const dt = new DataTransfer(); dt.items.add(new File([t], 'zone.svg', { type: 'image/svg+xml' })); return dt; }, ICON) });
  await expect(page.getByTestId('svg-file-name')).toHaveText('zone.svg');
  expect(await page.evaluate(() => window.__asx!.store.getState().files.some((f) => f.name === 'zone.svg'))).toBe(false);
});
