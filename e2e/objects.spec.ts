/**
 * Issue 10: the Objects tab against the object server `npm start` runs beside the workbench
 * (the same host in the dev server and in `vite preview`), over the bundled demo store.
 */
import { readdirSync } from 'node:fs';
import { expect, snap, test } from './fixtures';
import { DEMO_AI_IDS } from '../src/cli/demo-ai-objects.ts';

/** The bundled demo store's ids (committed in demo-objects/). */
const DEMO_IDS = (readdirSync('demo-objects/objects', { recursive: true }) as string[])
  .filter((f) => f.endsWith('.json'))
  .map((f) => `object://${f.replaceAll('\\', '/').replace(/\.json$/, '')}`);

/** npm start serves the demo folder plus the §15.14 compliance fixtures (in memory). */
let SERVED = 0;

async function openObjects(page: import('@playwright/test').Page) {
  await page.goto('/');
  if (!SERVED) {
    const r = await page.request.get('/objects');
    const ids = ((await r.json()) as { objects: string[] }).objects;
    for (const id of DEMO_IDS) expect(ids).toContain(id);
    expect(ids).toContain('object://compliance/tampered');
    SERVED = ids.length;
  }
  await page.getByTestId('tab-objects').click();
  await expect(page.getByTestId('objects-count')).toHaveText(`${SERVED} of ${SERVED}`);
}

test('lists the demo objects, verifies one in the browser, renders projections identical to the server\'s, shows live events', async ({ page }) => {
  await openObjects(page);
  await expect(page.getByTestId('object-item')).toHaveCount(SERVED);
  await page.getByTestId('objects-filter').fill('object://demo/');
  await expect(page.getByTestId('object-item')).toHaveCount(DEMO_IDS.filter((i) => i.startsWith('object://demo/')).length);
  await page.locator('[data-testid="object-item"][data-id="object://demo/packs/demo-5kb"]').click();
  const detail = page.getByTestId('object-detail');
  await expect(detail).toHaveAttribute('data-id', 'object://demo/packs/demo-5kb');
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'verified');
  for (const check of ['size', 'hash', 'authority', 'invariant:immutable_payload', 'invariant:auditable', 'forbidden_patterns']) {
    await expect(page.locator(`[data-testid="object-step"][data-check="${check}"]`)).toHaveAttribute('data-ok', 'true');
  }
  await expect(page.locator('[data-testid="object-step"][data-check="hash"]')).toContainText('sha256:');
  await expect(page.getByTestId('projection-body')).toContainText('"merkle_root"');
  await expect(page.getByTestId('projection-match')).toHaveAttribute('data-state', 'same');
  await page.getByTestId('projection-lane_policy').click();
  await expect(page.getByTestId('projection-body')).toContainText('"leaf_hash"');
  await expect(page.getByTestId('projection-match')).toHaveAttribute('data-state', 'same');
  await page.getByTestId('projection-payload').click();
  await expect(page.getByTestId('projection-body')).toContainText('looks like pack');
  await expect(page.getByTestId('projection-match')).toHaveAttribute('data-state', 'same');
  // The browser's own lifecycle events and the server's live stream.
  await expect(page.getByTestId('objects-live')).toHaveAttribute('data-state', 'live');
  await expect(page.locator('[data-testid="object-event"][data-source="browser"][data-type="object.verified"]').first()).toBeAttached();
  await expect(page.locator('[data-testid="object-event"][data-source="server"][data-type="object.projected"]').first()).toBeAttached();
  await expect(page.getByTestId('objects-cache')).toContainText('payloads');
  await expect(page.getByTestId('objects-server-cache')).toContainText('server cache: payloads');
  await snap(page, 'objects-pack');
});

test('"Open payload" hands verified bytes to their face: a pack to Inspect, an SCXQ2 envelope to SVG', async ({ page }) => {
  await openObjects(page);
  await page.locator('[data-testid="object-item"][data-id="object://demo/packs/demo-wide"]').click();
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'verified');
  await page.getByTestId('object-open').click();
  await expect(page.getByTestId('tab-overview')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('pack-view')).toHaveAttribute('data-file', 'demo-wide.v2c.bin');
  await page.getByTestId('tab-objects').click();
  await page.locator('[data-testid="object-item"][data-id="object://demo/scxq2/atom"]').click();
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'verified');
  await page.getByTestId('projection-svg').click();
  await expect(page.getByTestId('projection-body')).toContainText('canonical_svg');
  await page.getByTestId('object-open').click();
  await expect(page.getByTestId('tab-svg')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('svg-file-name')).toContainText('atom.scxq2');
  await page.getByTestId('svg-env-verify').click();
  await expect(page.getByTestId('svg-env-verified')).toBeVisible({ timeout: 30_000 });
  // The canonical SVG-tensor object itself opens as an SVG.
  await page.getByTestId('tab-objects').click();
  await page.locator('[data-testid="object-item"][data-id="object://demo/svg/graph-outline"]').click();
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'verified');
  await page.getByTestId('object-open').click();
  await expect(page.getByTestId('tab-svg')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('svg-legal')).toBeVisible({ timeout: 30_000 });
  // A safetensors object: its header projected here, its payload opened in Tensors.
  await page.getByTestId('tab-objects').click();
  await page.locator('[data-testid="object-item"][data-id="object://demo/tensors/demo-tensors-b"]').click();
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'verified');
  await expect(page.locator('[data-testid="object-step"][data-check="safetensors.header"]')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('projection-body')).toContainText('"lm_head.weight"');
  await page.getByTestId('object-open').click();
  await expect(page.getByTestId('tab-tensors')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('[data-testid="tensors-file"][data-name="demo-tensors-b.safetensors"]')).toHaveAttribute('data-status', 'ready');
});

test('"Open by range": a safetensors object opens in Tensors reading its header and tensors by HTTP Range from the server', async ({ page }) => {
  await openObjects(page);
  await page.locator('[data-testid="object-item"][data-id="object://demo/tensors/demo-tensors-a"]').click();
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'verified');
  const ranges: string[] = [];
  page.on('request', (r) => { const h = r.headers().range; if (h && r.url().includes('/objects/demo/tensors/demo-tensors-a')) ranges.push(h); });
  await page.getByTestId('object-open-range').click();
  await expect(page.getByTestId('tab-tensors')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('[data-testid="tensors-file"][data-name="demo-tensors-a.safetensors"]')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('tensor-stats')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await expect(page.getByTestId('stat-elements')).not.toBeEmpty();
  expect(ranges.length).toBeGreaterThan(1); // the header first, then tensor ranges: never the whole payload in one go
  expect(ranges[0]).toMatch(/^bytes=0-\d+$/);
});

test('"Open by range": a pack object opens in Inspect read by HTTP Range, verifies in the worker over HTTP, and its lanes draw', async ({ page }) => {
  await openObjects(page);
  await page.locator('[data-testid="object-item"][data-id="object://demo/packs/demo-wide"]').click();
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'verified');
  await page.getByTestId('object-open-range').click();
  await expect(page.getByTestId('tab-overview')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('pack-view')).toHaveAttribute('data-file', 'demo-wide.v2c.bin');
  await expect(page.getByTestId('file-remote')).toBeVisible();
  await expect(page.getByTestId('integrity')).toHaveAttribute('data-state', 'verified', { timeout: 30_000 });
  await page.getByTestId('tab-lanes').click();
  await expect(page.getByTestId('heatmap').first()).toBeVisible();
  await snap(page, 'objects-pack-by-range');
});

test('the MX2LM demo objects (§16) verify in the browser, legality included', async ({ page }) => {
  await openObjects(page);
  // The seven §16 objects of the demo set (the Brown set and the demo fold are listed under object://ai/ too).
  await page.getByTestId('objects-filter').fill('mx2lm-demo');
  const listed = await page.getByTestId('object-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
  const ids = Object.values(DEMO_AI_IDS);
  expect(ids.length).toBe(7);
  for (const id of ids) expect(listed).toContain(id);
  for (const id of ids) {
    await page.locator(`[data-testid="object-item"][data-id="${id}"]`).click();
    await expect(page.getByTestId('object-detail')).toHaveAttribute('data-id', id);
    await expect(page.getByTestId('object-verdict'), id).toHaveAttribute('data-state', 'verified', { timeout: 30_000 });
    await expect(page.locator('[data-testid="object-step"][data-check="ai.legality"]'), id).toHaveAttribute('data-ok', 'true');
  }
  await expect(page.getByTestId('projection-match')).toHaveAttribute('data-state', 'same');
  await snap(page, 'objects-ai');
});

test('an edited descriptor is checked against object.v1 and verified here: a wrong size fails, a bad field names its path', async ({ page }) => {
  await openObjects(page);
  await page.locator('[data-testid="object-item"][data-id="object://demo/streams/a"]').click();
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'verified');
  const original = await page.getByTestId('object-descriptor').textContent();
  await page.getByTestId('object-edit').click();
  const editor = page.locator('[data-testid="descriptor-editor"] .monaco-editor');
  await expect(editor).toBeVisible({ timeout: 30_000 });
  const size = /"size": (\d+)/.exec(original!)![1]!;
  // One line, typed as one input: monaco's auto-indent and auto-closing apply to typed newlines and brackets.
  const edited = (from: string, to: string) => JSON.stringify(JSON.parse(original!.replace(from, to)));
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(edited(`"size": ${size}`, `"size": ${Number(size) + 1}`));
  await page.getByTestId('descriptor-verify').click();
  await expect(page.getByTestId('descriptor-verdict')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('descriptor-verdict')).toContainText('size_mismatch');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(edited('"authority": "none"', '"authority": "root"'));
  await page.getByTestId('descriptor-verify').click();
  await expect(page.getByTestId('descriptor-check').getByTestId('objects-error')).toContainText('authority');
  await expect(page.getByTestId('descriptor-verdict')).toHaveAttribute('data-state', 'failed');
  // The server's object is untouched: it still verifies.
  await page.getByTestId('object-reverify').click();
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'verified');
  await snap(page, 'objects-editor');
});

test('an ai.* descriptor is edited against its §16 schema: monaco marks a bad enum, and the local verify refuses it', async ({ page }) => {
  await openObjects(page);
  await page.locator('[data-testid="object-item"][data-id="object://ai/tokenizer/mx2lm-demo"]').click();
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'verified');
  const original = (await page.getByTestId('object-descriptor').textContent())!;
  expect(original).toContain('"tokenizer_type": "wordlevel"');
  await page.getByTestId('object-edit').click();
  const editor = page.locator('[data-testid="descriptor-editor"] .monaco-editor');
  await expect(editor).toBeVisible({ timeout: 30_000 });
  await expect(editor.locator('.squiggly-error, .squiggly-warning')).toHaveCount(0);
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // One line (typed newlines would auto-indent), the bad member first so its squiggle is in view.
  await page.keyboard.insertText(JSON.stringify(Object.assign({ tokenizer_type: '' }, JSON.parse(original), { tokenizer_type: 'sentencepiece-ish' })));
  // monaco reports schema problems as warnings. The mark is the enum's: the same text with the
  // valid tokenizer_type has none (the control below), the bad one is refused by verify too.
  const marks = editor.locator('.squiggly-error, .squiggly-warning');
  await expect(marks.first()).toBeAttached({ timeout: 15_000 });
  await page.getByTestId('descriptor-verify').click();
  await expect(page.getByTestId('descriptor-verdict')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('descriptor-check')).toContainText('tokenizer_type');
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify(Object.assign({ tokenizer_type: '' }, JSON.parse(original), { tokenizer_type: 'wordlevel' })));
  await expect(marks).toHaveCount(0, { timeout: 15_000 });
  await page.getByTestId('descriptor-verify').click();
  await expect(page.getByTestId('descriptor-verdict')).toHaveAttribute('data-state', 'verified');
});

test('a tampered payload: the server refuses to serve it (422), the browser shows why, nothing is projected or opened', async ({ page, guard }) => {
  await openObjects(page);
  await page.locator('[data-testid="object-item"][data-id="object://compliance/tampered"]').click();
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('object-verdict')).toContainText('payload_unavailable');
  await expect(page.getByTestId('object-unavailable')).toContainText('422 verification_error hash_mismatch');
  await expect(page.getByTestId('object-projections')).toHaveCount(0);
  await expect(page.getByTestId('object-open')).toHaveCount(0);
  await expect(page.locator('[data-testid="object-event"][data-source="browser"][data-type="object.error"]').first()).toBeAttached();
  await expect(page.locator('[data-testid="object-event"][data-source="server"][data-type="object.error"]').first()).toBeAttached();
  await snap(page, 'objects-tampered');
  // Chromium logs every non-2xx fetch as a console error; this one (the refused payload) is the point of the test.
  const expected = (e: string) => /status of 422/.test(e) && e.includes('/objects/compliance/tampered');
  expect(guard.consoleErrors.filter(expected).length).toBeGreaterThan(0);
  guard.consoleErrors.splice(0, guard.consoleErrors.length, ...guard.consoleErrors.filter((e) => !expected(e)));
});

test('a URL that is not an object server gives a typed error; connecting back works and other tabs keep their files', async ({ page }) => {
  await openObjects(page);
  await page.getByTestId('objects-url').fill(new URL('/not-an-object-server/', page.url()).href);
  await page.getByTestId('objects-connect').click();
  await expect(page.getByTestId('objects-error')).toHaveAttribute('data-code', 'bad_json');
  await page.getByTestId('objects-url').fill('ftp://example.com/');
  await page.getByTestId('objects-connect').click();
  await expect(page.getByRole('alert').filter({ hasText: 'http://' })).toBeVisible();
  await page.getByTestId('objects-url').fill(new URL('/', page.url()).href);
  await page.getByTestId('objects-connect').click();
  await expect(page.getByTestId('objects-count')).toHaveText(`${SERVED} of ${SERVED}`);
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('pack-view')).toBeVisible();
});
