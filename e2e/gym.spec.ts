/**
 * Issue 11, the Gym tab: a user's own base model, tokenizer and text train in a Web Worker with
 * live charts, pause / resume / checkpoint, and folds listed for download; the browser worker's
 * final fold is byte-identical to the same run in Node; cancel keeps a final fold; a malformed
 * fold document and a diverging run get clear messages.
 */
import type { Page } from '@playwright/test';
import { expect, snap, test } from './fixtures';
import { foldDoc, gymFixture, nodeCompileHash, nodeFinalFold, nodeFoldBytes } from './gym-fixtures';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dropFiles } from './dropFiles';

const fx = gymFixture();

async function openGym(page: Page, fold: string, opts: { steps: number; evalEvery: number; exportEvery: number; batch?: number }) {
  await page.goto('/#panel=gym');
  await expect(page.getByTestId('gym')).toBeVisible();
  await page.getByTestId('gym-base-file').setInputFiles({ name: 'tiny.safetensors', mimeType: 'application/octet-stream', buffer: Buffer.from(fx.base) });
  await page.getByTestId('gym-tokenizer-file').setInputFiles({ name: 'tokenizer.json', mimeType: 'application/json', buffer: Buffer.from(fx.tokenizer) });
  await page.getByTestId('gym-text-files').setInputFiles({ name: 'gym.txt', mimeType: 'text/plain', buffer: Buffer.from(fx.text) });
  await page.getByTestId('gym-fold-file').setInputFiles({ name: 'e2e.fold.json', mimeType: 'application/json', buffer: Buffer.from(fold) });
  await expect(page.locator('[data-testid="gym-fold-editor"] .monaco-editor')).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('[data-testid="gym-fold-editor"] .view-lines')).toContainText('e2e_fold');
  await page.getByTestId('gym-steps').fill(String(opts.steps));
  await page.getByTestId('gym-batch').fill(String(opts.batch ?? 16));
  await page.getByTestId('gym-eval-every').fill(String(opts.evalEvery));
  await page.getByTestId('gym-export-every').fill(String(opts.exportEvery));
  await page.getByTestId('gym-eval-tokens').fill('2000');
}

test('train in a worker: live charts, pause and resume, a checkpoint; the final fold and its compiled model byte-identical to Node', async ({ page }) => {
  test.setTimeout(120_000);
  const fold = foldDoc();
  await openGym(page, fold, { steps: 6000, evalEvery: 500, exportEvery: 2000 });
  // The tiny model trains at hundreds of steps a second: Pause is clicked by the page the moment it is enabled.
  await page.evaluate(() => {
    const pause = document.querySelector<HTMLButtonElement>('[data-testid="gym-pause"]')!;
    const obs = new MutationObserver(() => { if (!pause.disabled) { obs.disconnect(); pause.click(); } });
    obs.observe(pause, { attributes: true });
  });
  await page.getByTestId('gym-train').click();
  await expect(page.getByTestId('gym-prepared')).toContainText('parameters');
  const basePpl = Number(await page.getByTestId('gym-base-ppl').textContent());
  expect(basePpl).toBeGreaterThan(10);
  // Pause as soon as the run is under way; the step count then stays put.
  await expect(page.getByTestId('gym-status')).toHaveText('paused');
  const pausedAt = Number(await page.getByTestId('gym-progress').getAttribute('data-step'));
  await page.waitForTimeout(700);
  expect(Number(await page.getByTestId('gym-progress').getAttribute('data-step'))).toBe(pausedAt);
  await page.getByTestId('gym-checkpoint').click();
  await expect(page.locator('[data-testid="gym-fold-row"][data-reason="checkpoint"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="gym-fold-row"][data-reason="checkpoint"]')).toHaveAttribute('data-step', String(pausedAt));
  await page.getByTestId('gym-resume').click();
  await expect(page.getByTestId('gym-status')).toHaveText('done', { timeout: 90_000 });
  // Charts filled from the worker's reports.
  expect(Number(await page.getByTestId('gym-loss-chart').getAttribute('data-points'))).toBeGreaterThan(8);
  expect(Number(await page.getByTestId('gym-ppl-chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(8);
  await expect(page.getByTestId('gym-grad-bars').locator('[data-name="out.weight"]')).toHaveCount(1);
  expect(Number(await page.getByTestId('gym-delta-hist').getAttribute('data-total'))).toBeGreaterThan(100);
  await expect(page.locator('[data-testid^="gym-heat-out_weight"] canvas')).toBeVisible();
  // Training helped: the last validation perplexity is well below the base model's.
  const lastPpl = await page.locator('[data-testid="gym-fold-row"][data-reason="final"] td').nth(3).textContent();
  expect(Number(lastPpl)).toBeLessThan(basePpl / 2);
  // Folds: every 2,000 steps (2,000 and 4,000) and the final one (6,000), plus the checkpoint.
  await expect(page.locator('[data-testid="gym-fold-row"][data-reason="every"]')).toHaveCount(2);
  const finalRow = page.locator('[data-testid="gym-fold-row"][data-reason="final"]');
  await expect(finalRow).toHaveAttribute('data-step', '6000');
  const browserHash = await finalRow.locator('td').nth(5).getAttribute('title');
  const nodeHash = await nodeFinalFold(fx, fold, { steps: 6000, batchSize: 16, seed: 1, evalEvery: 500, evalTokens: 2000 });
  expect(browserHash).toBe(nodeHash);
  const download = page.waitForEvent('download');
  await finalRow.getByTestId('gym-fold-download').click();
  expect((await download).suggestedFilename()).toBe('e2e_fold.step-6000.fold');
  // The final fold is in the library, verified; compiled onto the base, it beats the base.
  const lib = page.locator(`[data-testid="gym-library-row"][data-name="e2e_fold.step-6000.fold"]`);
  await expect(lib).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await lib.getByTestId('gym-library-choose').check();
  await page.getByTestId('gym-compile').click();
  await expect(page.getByTestId('gym-compile-result')).toBeVisible({ timeout: 60_000 });
  const merged = Number(await page.locator('[data-testid="gym-ppl-row"][data-model="merged"] td').nth(1).textContent());
  const base0 = Number(await page.locator('[data-testid="gym-ppl-row"][data-model="base"] td').nth(1).textContent());
  expect(merged).toBeLessThan(base0 / 2);
  expect(base0).toBeCloseTo(basePpl, 1);
  // The compiled model is byte-identical to compile.safetensors of the same fold in Node.
  const dl = page.waitForEvent('download');
  await page.getByTestId('gym-download-model').click();
  const modelPath = await (await dl).path();
  const nodeFold = await nodeFoldBytes(fx, fold, { steps: 6000, batchSize: 16, seed: 1, evalEvery: 500, evalTokens: 2000 });
  expect(createHash('sha256').update(readFileSync(modelPath!)).digest('hex')).toBe(await nodeCompileHash(fx, [nodeFold]));
  await snap(page, 'gym');
});

test('cancel stops after the current step and keeps a final fold; the tab can be left and the run goes on', async ({ page }) => {
  test.setTimeout(90_000);
  await openGym(page, foldDoc(), { steps: 10_000_000, evalEvery: 100, exportEvery: 0 });
  await page.getByTestId('gym-train').click();
  await expect.poll(async () => Number(await page.getByTestId('gym-progress').getAttribute('data-step')), { timeout: 30_000 }).toBeGreaterThan(0);
  await page.getByTestId('tab-overview').click();
  await page.waitForTimeout(500);
  await page.getByTestId('tab-gym').click();
  await expect(page.getByTestId('gym-status')).toHaveText('running');
  await page.getByTestId('gym-cancel').click();
  await expect(page.getByTestId('gym-status')).toHaveText('cancelled', { timeout: 20_000 });
  const row = page.locator('[data-testid="gym-fold-row"][data-reason="final"]');
  await expect(row).toHaveCount(1);
  expect(Number(await row.getAttribute('data-step'))).toBeGreaterThan(0);
  await expect(page.getByTestId('gym-train')).toBeEnabled();
});

test('a malformed fold names its JSON path; a diverging run stops with a message and keeps the last good fold', async ({ page }) => {
  test.setTimeout(90_000);
  await openGym(page, foldDoc({ control: { mode: 'subtract' } }), { steps: 50, evalEvery: 10, exportEvery: 0 });
  await page.getByTestId('gym-train').click();
  await expect(page.getByTestId('gym-error')).toHaveAttribute('data-code', 'bad_fold');
  await expect(page.getByTestId('gym-error')).toContainText('$["@control"].mode');
  await expect(page.getByTestId('gym-train')).toBeEnabled();
  await page.getByTestId('gym-fold-file').setInputFiles({ name: 'wild.fold.json', mimeType: 'application/json', buffer: Buffer.from(foldDoc({ optimizer: { type: 'rmsprop', lr: 1000 } })) });
  await expect(page.locator('[data-testid="gym-fold-editor"] .view-lines')).toContainText('rmsprop');
  await page.getByTestId('gym-steps').fill('500');
  await page.getByTestId('gym-train').click();
  await expect(page.getByTestId('gym-status')).toHaveText('diverged', { timeout: 60_000 });
  await expect(page.getByTestId('gym-message')).toContainText(/diverged at step \d+/);
  await expect(page.locator('[data-testid="gym-fold-row"][data-reason="final"]')).toHaveCount(1);
});

test('fold bundles opened from disk are verified: a good one shows its deltas, a flipped byte is refused with its code', async ({ page }) => {
  test.setTimeout(60_000);
  const bytes = await nodeFoldBytes(fx, foldDoc(), { steps: 50, batchSize: 16, seed: 1, evalEvery: 50, evalTokens: 2000 });
  const bad = Buffer.from(bytes);
  bad[bad.length - 100] ^= 0x01;
  await page.goto('/#panel=gym');
  await page.getByTestId('gym-open-folds').setInputFiles([
    { name: 'good.fold', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) },
    { name: 'bad.fold', mimeType: 'application/octet-stream', buffer: bad },
  ]);
  await expect(page.locator('[data-testid="gym-library-row"][data-name="good.fold"]')).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  const badRow = page.locator('[data-testid="gym-library-row"][data-name="bad.fold"]');
  await expect(badRow).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  await expect(badRow.getByTestId('gym-library-error')).toHaveAttribute('data-code', 'hash_mismatch');
  await page.locator('[data-testid="gym-library-row"][data-name="good.fold"]').getByTestId('gym-library-show').click();
  await expect(page.getByTestId('gym-fold-detail')).toContainText('out.weight');
  await expect(page.locator('[data-testid="gym-lib-heat-out_weight"] canvas')).toBeVisible();
  // A fold document dropped on the window goes to the Gym's editor.
  await page.getByTestId('tab-overview').click();
  await dropFiles(page, [{ name: 'doc.json', bytes: new TextEncoder().encode(foldDoc({ foldId: 'dropped_doc' })) }]);
  await expect(page.getByTestId('gym')).toBeVisible();
  await expect(page.locator('[data-testid="gym-fold-editor"] .view-lines')).toContainText('dropped_doc', { timeout: 30_000 });
  // Text files dropped on the corpus box become the corpus (not a bad pack on the window).
  await dropFiles(page, [{ name: 'mine.txt', bytes: new TextEncoder().encode(fx.text) }], '[data-testid="gym-text-drop"]');
  await expect(page.getByTestId('gym-corpus-source')).toContainText('1 text file');
  await expect(page.getByTestId('gym-text-drop')).toContainText('mine.txt');
  await expect(page.locator('[data-testid="error-card"]')).toHaveCount(0);
});

test('the bundled MX2LM: Train with no files given trains the Brown base from the object server (verified inputs)', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/#panel=gym');
  await expect(page.getByTestId('gym-base-source')).toContainText('object://ai/weights/mx2lm-brown-base');
  await expect(page.locator('[data-testid="gym-fold-editor"] .monaco-editor')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('gym-steps').fill('12');
  await page.getByTestId('gym-eval-every').fill('6');
  await page.getByTestId('gym-eval-tokens').fill('400');
  await page.getByTestId('gym-train').click();
  await expect(page.getByTestId('gym-prepared')).toContainText('vocab 8,693', { timeout: 120_000 });
  await expect(page.getByTestId('gym-status')).toHaveText('done', { timeout: 60_000 });
  await expect(page.locator('[data-testid="gym-fold-row"][data-reason="final"]')).toHaveAttribute('data-step', '12');
  expect(Number(await page.getByTestId('gym-ppl-chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
});

test('the demo fold served as an object: verified entry by entry in the Objects tab, opened in the Gym library', async ({ page }) => {
  test.setTimeout(60_000);
  await page.goto('/#panel=objects');
  await page.locator('[data-testid="object-item"][data-id="object://ai/fold/mx2lm-demo-v1"]').click();
  await expect(page.getByTestId('object-verdict')).toHaveAttribute('data-state', 'verified', { timeout: 30_000 });
  await expect(page.locator('[data-testid="object-step"][data-check="fold.bundle"]')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('projection-body')).toContainText('"mx2lm_demo_v1"');
  await page.getByTestId('object-open').click();
  await expect(page.getByTestId('tab-gym')).toHaveAttribute('aria-selected', 'true');
  const row = page.locator('[data-testid="gym-library-row"][data-name="mx2lm_demo_v1.fold"]');
  await expect(row).toHaveAttribute('data-status', 'ok', { timeout: 30_000 });
  await expect(row).toContainText('int8');
});
