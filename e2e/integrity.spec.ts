/**
 * Issue 8 item 2: one integrity state per open pack, shown identically by the Inspect banner,
 * the Trust verdict, the sidebar dot and the status bar; small packs are fully verified on open
 * (off the main thread), large ones say DATA is not checked and offer a check with progress and
 * cancel. Item 10: trusting a pack's own key asks first and shows the fingerprint.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { encodePack } from '../src/core/pack/write';
import type {} from '../src/ui/testHooks';
import { dropFiles } from './dropFiles';
import { expect, snap, test } from './fixtures';

/**
 * 65,535 lanes × 136 dims ≈ 22.7 MB (over the 16 MiB auto-verify limit), every lane the same
 * values: cheap to encode (no QSCALE/AUDIT/tuning), and hashing 65,535 lanes takes long enough
 * to see progress and cancel. Built once and kept in the temp folder for both projects.
 */
function overLimitPack(): Uint8Array {
  const path = join(tmpdir(), 'asx-e2e-over-limit-65535x136-v1.v2c.bin');
  if (existsSync(path)) return new Uint8Array(readFileSync(path));
  const dims = 136;
  const W = Float64Array.from({ length: dims }, (_, i) => Math.cos(i * 0.11) * 0.8);
  const lanes = Array.from({ length: 65_535 }, (_, k) => ({ id: `lane${String(k).padStart(5, '0')}@weight`, W }));
  const bytes = encodePack(lanes, dims, { qscale: false, tune: false, audit: false, signKey: new Uint8Array(32).fill(9) }).bytes;
  writeFileSync(`${path}.part`, bytes);
  renameSync(`${path}.part`, path);
  return bytes;
}

const demoA = () => new Uint8Array(readFileSync('public/demo/demo-5kb.v2c.bin'));

/** Every badge of the file named `name` (sidebar dot) and of the active file (banner, chip). */
async function badges(page: Page, name: string) {
  return {
    dot: await page.locator(`[data-testid="file-item"][data-name="${name}"] [data-testid="file-integrity"]`).getAttribute('data-state'),
    chip: await page.getByTestId('status-integrity').getAttribute('data-state'),
    banner: await page.getByTestId('integrity').getAttribute('data-state'),
  };
}

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();
});

test('a signed pack with one flipped DATA byte is failed on every badge, and stays failed across tabs', async ({ page }) => {
  const bytes = demoA().slice();
  const view = new DataView(bytes.buffer);
  const dataStart = 36 + view.getUint32(16, true) + view.getUint32(20, true);
  bytes[dataStart + 40] ^= 0x01;
  await dropFiles(page, [{ name: 'tampered-a.v2c.bin', bytes }]);
  await expect(page.locator('[data-testid="pack-view"][data-file="tampered-a.v2c.bin"]')).toBeVisible();

  await expect(page.getByTestId('integrity')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('integrity-code')).toHaveText('leaf_mismatch');
  await expect(page.getByTestId('status-integrity')).toContainText(/failed: leaf_mismatch at byte [\d,]+/);
  expect(await badges(page, 'tampered-a.v2c.bin')).toEqual({ dot: 'failed', chip: 'failed', banner: 'failed' });
  await snap(page, 'tampered-inspect');

  await page.getByTestId('tab-trust').click();
  await expect(page.getByTestId('trust-verdict')).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('trust-verdict')).not.toContainText('valid');
  await expect(page.getByTestId('issue-code').first()).toHaveText('leaf_mismatch');
  await snap(page, 'tampered-trust');

  // Changing tab and file and coming back does not forget the result.
  await page.getByTestId('tab-lanes').click();
  await page.locator('[data-testid="file-item"][data-name="demo-5kb.v2c.bin"] [data-testid="file-select"]').click();
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('integrity')).toHaveAttribute('data-state', 'verified');
  await page.locator('[data-testid="file-item"][data-name="tampered-a.v2c.bin"] [data-testid="file-select"]').click();
  await expect(page.getByTestId('integrity')).toHaveAttribute('data-state', 'failed');
  expect(await badges(page, 'tampered-a.v2c.bin')).toEqual({ dot: 'failed', chip: 'failed', banner: 'failed' });
  // The untouched demo is verified on every badge.
  expect(await page.locator('[data-testid="file-item"][data-name="demo-5kb.v2c.bin"] [data-testid="file-integrity"]').getAttribute('data-state')).toBe('verified');
});

test('a pack over 16 MiB says DATA is not checked; the full check shows progress, can be cancelled, and then verifies', async ({ page }) => {
  test.setTimeout(240_000);
  const bytes = overLimitPack();
  expect(bytes.length).toBeGreaterThan(16 << 20);
  await page.getByTestId('file-input').setInputFiles({ name: 'big.v2c.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  await expect(page.locator('[data-testid="pack-view"][data-file="big.v2c.bin"]')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('integrity')).toHaveAttribute('data-state', 'unchecked', { timeout: 60_000 });
  await expect(page.getByTestId('status-integrity')).toHaveText('DATA not checked');
  await expect(page.getByTestId('integrity')).toContainText('signature valid');
  expect(await badges(page, 'big.v2c.bin')).toEqual({ dot: 'unchecked', chip: 'unchecked', banner: 'unchecked' });
  await snap(page, 'big-unchecked');

  // A person's click on Cancel must land while the check runs, on a fast machine too (a quiet
  // CI machine hashes 22 MB before Playwright's next click arrives). So the page itself clicks
  // Cancel the moment it appears, and records that the progress bar was there with it.
  const seen = await page.evaluate(
    () =>
      new Promise<{ progress: boolean; state: string | null }>((resolve) => {
        const observer = new MutationObserver(() => {
          const cancel = document.querySelector<HTMLButtonElement>('[data-testid="verify-cancel"]');
          if (!cancel) return;
          observer.disconnect();
          const progress = document.querySelector('[data-testid="verify-progress"]') !== null;
          const state = document.querySelector('[data-testid="integrity"]')?.getAttribute('data-state') ?? null;
          cancel.click();
          resolve({ progress, state });
        });
        observer.observe(document.body, { childList: true, subtree: true });
        document.querySelector<HTMLButtonElement>('[data-testid="integrity-verify"]')!.click();
      }),
  );
  expect(seen).toEqual({ progress: true, state: 'verifying' });
  await expect(page.getByTestId('integrity')).toHaveAttribute('data-state', 'unchecked');
  await expect(page.getByTestId('integrity')).toContainText('cancelled');

  await page.getByTestId('tab-trust').click();
  await page.getByTestId('verify-full').click();
  await expect(page.getByTestId('verify-report')).toHaveAttribute('data-ok', 'true', { timeout: 120_000 });
  await expect(page.getByTestId('trust-verdict')).toHaveAttribute('data-state', 'verified');
  expect(await page.getByTestId('status-integrity').getAttribute('data-state')).toBe('verified');
  // The worker says which SHA-256 it measured fastest for these 275-byte payloads, and the timings.
  await expect(page.getByTestId('verify-hash')).toContainText('messages of 275 bytes');
  expect(['js', 'webcrypto≥275']).toContain(await page.getByTestId('verify-hash').getAttribute('data-backend'));
  // Bytes read counts distinct bytes: after reading all of DATA it is exactly the file size.
  const read = await page.getByTestId('status-bytes').getAttribute('data-bytes');
  expect(Number(read)).toBeLessThanOrEqual(bytes.length);
});

test("trusting a pack's own key asks first, shows the fingerprint, and can be declined", async ({ page }) => {
  await page.getByTestId('tab-trust').click();
  await expect(page.getByTestId('sig-state')).toHaveAttribute('data-state', 'valid');
  const fp = await page.getByTestId('sig-fingerprint').textContent();
  await page.getByTestId('trust-pack-key').click();
  await expect(page.getByTestId('trust-confirm')).toContainText('whoever made this file');
  await expect(page.getByTestId('trust-confirm-fingerprint')).toHaveText(fp!);
  await snap(page, 'trust-confirm');
  await page.getByTestId('trust-confirm-no').click();
  await expect(page.getByTestId('sig-state')).toHaveText('valid');
  expect(await page.evaluate(() => window.__asx!.store.getState().trustedKeys.length)).toBe(0);
  await page.getByTestId('trust-pack-key').click();
  await page.getByTestId('trust-confirm-yes').click();
  await expect(page.getByTestId('sig-state')).toContainText('trusted key');
  // Adding the same key again from a file says so instead of "Added".
  const pub = await page.evaluate(() => window.__asx!.store.getState().trustedKeys[0].key);
  await page.getByTestId('trust-key-input').setInputFiles({ name: 'again.pub', mimeType: 'text/plain', buffer: Buffer.from(pub) });
  await expect(page.getByTestId('key-message')).toContainText('already trusted');
  expect(await page.evaluate(() => window.__asx!.store.getState().trustedKeys.length)).toBe(1);
});

test('bytes read never exceeds the file: after a diff over all lanes and re-reads it is at most 100 %', async ({ page }) => {
  await page.locator('.demo-item').nth(1).click();
  await expect(page.getByTestId('file-item')).toHaveCount(2);
  await page.getByTestId('tab-diff').click();
  await expect(page.getByTestId('diff-summary')).toBeVisible();
  await expect(page.getByTestId('cos-row').first()).toBeVisible();
  // Read every lane again through the lanes view.
  await page.getByTestId('tab-lanes').click();
  await expect(page.getByTestId('heatmap').first()).toBeVisible();
  for (const id of await page.evaluate(() => window.__asx!.store.getState().files.map((f) => f.id))) {
    await page.evaluate((fid) => window.__asx!.store.getState().selectFile(fid), id);
    const status = page.getByTestId('status-bytes');
    await expect(status).toContainText('read ');
    const text = (await status.textContent())!;
    const m = /read ([\d,]+) of ([\d,]+) bytes \((\d+(?:\.\d+)?)\s*%\)/.exec(text);
    expect(m, text).not.toBeNull();
    const read = Number(m![1].replace(/,/g, ''));
    const size = Number(m![2].replace(/,/g, ''));
    expect(read).toBeLessThanOrEqual(size);
    expect(Number(m![3])).toBeLessThanOrEqual(100);
  }
});
