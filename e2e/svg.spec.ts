/**
 * SVG tab (issue 4): drop a real icon and see the reports, lanes and a verified chunk proof;
 * a hostile SVG (script, event attributes) is reported and never executes; a dropped .scxq2
 * envelope opens lazily, verifies and inflates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, snap, test } from './fixtures';
import { dropOnZone, openSvgTab } from './svg-helpers';
import { importSvg } from '../src/core/svg/canonical';
import { encodeScxq2 } from '../src/core/scxq2/envelope';

const ICON = readFileSync(join(process.cwd(), 'node_modules/@mdi/svg/svg/account-circle.svg'), 'utf8');

test('dropping an @mdi/svg icon shows legality, import report, render, lanes, and a chunk proof verifies', async ({ page }) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await openSvgTab(page);
  await dropOnZone(page, 'account-circle.svg', ICON, 'image/svg+xml');
  await expect(page.getByTestId('svg-file-name')).toHaveText('account-circle.svg');
  await expect(page.getByTestId('svg-legal')).toHaveText('legal SVG-tensor');
  await expect(page.getByTestId('svg-changes')).toContainText('normalize-path');
  expect(workers.some((u) => /svg/i.test(u)), `analysis ran in a worker (${workers.join(', ')})`).toBe(true);
  await expect(page.getByTestId('svg-hash')).toHaveText(importSvg(ICON).hashHex);
  // the canonical form is an <img> of a Blob (an image never runs script) and it loaded
  const img = page.getByTestId('svg-canonical-img');
  await expect(img).toHaveAttribute('src', /^blob:/);
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
  const overlay = page.getByTestId('svg-overlay');
  expect(Number(await overlay.getAttribute('data-nodes'))).toBeGreaterThan(4);
  for (const l of ['M', 'T', 'G', 'X', 'W', 'D']) await expect(page.getByTestId(`svg-lane-${l}`)).toBeVisible();
  await page.getByTestId('svg-proof-G-0').click();
  await expect(page.getByTestId('svg-proof-G-0')).toHaveAttribute('data-result', 'verified');
  // the buffers go to a real WebGPU device (SwiftShader here) and come back identical
  await page.getByTestId('svg-gpu-upload').click();
  await expect(page.getByTestId('svg-gpu-result')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('svg-gpu-result')).toContainText('read back identical');
  // SVG → lane streams → pack, in the page
  await expect(page.getByTestId('svg-streams')).toContainText('tensor');
  await page.getByTestId('svg-build-pack').click();
  expect(Number(await page.getByTestId('svg-pack-result').getAttribute('data-lanes'))).toBeGreaterThan(1);
  // the global drop overlay for packs never took the file
  await expect(page.getByTestId('drop-overlay')).toBeHidden();
  await snap(page, 'svg-icon');
});

test('a <script>/onload SVG is reported and never executes', async ({ page }) => {
  await openSvgTab(page);
  const evil = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="window.__pwned='onload'">
<script>window.__pwned='script'</script>
<path d="M0 0 L10 10" onclick="window.__pwned='click'"/>
<image href="data:image/png;base64,xx" onerror="window.__pwned='onerror'"/>
<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="x" onerror="window.__pwned='fo'"/></foreignObject>
<animate attributeName="d" begin="0s" onbegin="window.__pwned='anim'"/></svg>`;
  await dropOnZone(page, 'evil.svg', evil, 'image/svg+xml');
  await expect(page.getByTestId('svg-legal')).toContainText('illegal');
  const rules = await page.getByTestId('svg-violations').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')));
  expect(rules).toEqual(expect.arrayContaining(['event-attribute', 'forbidden-element']));
  await expect(page.getByTestId('svg-canonical-text')).toHaveText('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"><path d="M0 0 L10 10"></path></svg>');
  // a violation links to its source line, shown as text, and to what the import kept of it
  await page.getByTestId('svg-violations').locator('li').first().getByRole('button').click();
  await expect(page.getByTestId('svg-excerpt')).toContainText('onload');
  await page.getByTestId('svg-violations').locator('li[data-rule="event-attribute"]', { hasText: '/svg/path[1]' }).getByRole('button').click();
  await expect(page.getByTestId('svg-link-status')).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('svg-overlay')).toHaveAttribute('data-highlight', '1');
  await page.getByTestId('svg-violations').locator('li', { hasText: '/svg/script[1]' }).getByRole('button').click();
  await expect(page.getByTestId('svg-link-status')).toContainText('the import dropped this element');
  await page.getByTestId('svg-render').click({ force: true });
  await page.waitForTimeout(500);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  // none of the user's markup became DOM
  expect(await page.evaluate(() => document.querySelectorAll('[onload],[onerror],[onclick],[onbegin],foreignObject,animate').length)).toBe(0);
  expect(await page.evaluate(() => Array.from(document.scripts).filter((s) => !s.src).map((s) => s.textContent).join(''))).not.toContain('__pwned');
  await snap(page, 'svg-hostile');
});

test('hostile XML gets a clear error card', async ({ page }) => {
  await openSvgTab(page);
  await dropOnZone(page, 'lol.svg', '<!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><svg>&b;</svg>', 'image/svg+xml');
  await expect(page.getByTestId('svg-error')).toHaveAttribute('data-code', 'xml_entity');
  await dropOnZone(page, 'deep.svg', '<svg>' + '<g>'.repeat(10_000) + '</g>'.repeat(10_000) + '</svg>', 'image/svg+xml');
  await expect(page.getByTestId('svg-error')).toHaveAttribute('data-code', 'xml_limit');
  // 10,000 violations: all reported, the page lists the first 500
  await dropOnZone(page, 'many.svg', `<svg viewBox="0 0 1 1">${'<rect onclick="x()"/>'.repeat(10_000)}<line x2="1"/></svg>`, 'image/svg+xml');
  await expect(page.getByTestId('svg-legal')).toHaveText('illegal: 10,000 violations');
  await expect(page.getByTestId('svg-violations').locator('li')).toHaveCount(500);
  await expect(page.getByTestId('svg-violations-more')).toContainText('9,500 more');
});

test('a dropped .scxq2 envelope opens lazily, verifies and inflates', async ({ page }) => {
  await openSvgTab(page);
  const imp = importSvg(ICON);
  const env = encodeScxq2(imp.model, imp.hash);
  await dropOnZone(page, 'icon.scxq2', Array.from(env), 'application/octet-stream');
  await expect(page.getByTestId('svg-lane-G')).toBeVisible();
  await page.getByTestId('svg-env-verify').click();
  await expect(page.getByTestId('svg-env-verified')).toHaveText('all lanes verified, round trip ok');
  await page.getByTestId('svg-env-inflate').click();
  await expect(page.getByTestId('svg-hash')).toHaveText(imp.hashHex);
  await expect(page.getByTestId('svg-legal')).toHaveText('legal SVG-tensor');
});
