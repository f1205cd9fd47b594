/**
 * The pack workbench (issue 3) in real Chromium: drag-and-drop with real files, lazy opening,
 * lane proofs, tamper detection, diff, merge + sign + download + re-open, monaco compile,
 * keyboard and URL hash. Every scenario leaves a screenshot in its output folder.
 */
import { readFileSync } from 'node:fs';
import type {} from '../src/ui/testHooks';
import { activePack, dropFiles } from './dropFiles';
import { emptyCompileEditor } from './editor';
import { expect, snap, test } from './fixtures';

const demo = (f: string) => new Uint8Array(readFileSync(`public/demo/${f}`));
const hasDemos = (() => {
  try {
    readFileSync('public/demo/demo-wide.v2c.bin');
    return true;
  } catch {
    return false;
  }
})();
const SEED_HEX = '11'.repeat(32);

test.beforeEach(async ({ page }) => {
  test.skip(!hasDemos, 'needs the bundled demo packs (npm run demo)');
  await page.goto('/');
  await expect(page.getByTestId('pack-view')).toBeVisible();
});

test('inspect: demo manifest, section map to scale with a hex view, QSCALE and the saturation audit', async ({ page }) => {
  await expect(page.getByTestId('manifest-json')).toContainText('"schema": "asx.pack.manifest.v1"');
  await page.getByTestId('section-DICT').click();
  await expect(page.getByTestId('hex-view')).toHaveAttribute('data-section', 'DICT');
  await expect(page.getByTestId('hex-view')).toContainText('00000024'); // DICT starts right after the 36-byte header
  await expect(page.getByTestId('qscale-policy')).toBeVisible();
  // Every demo pack clips nothing: the audit says so instead of drawing empty bars on a 0–1 % axis (issue 8 item 9).
  await expect(page.getByTestId('audit-none')).toContainText(/No clipping: none of the [\d,]+ audited samples/);
  await expect(page.getByTestId('audit-classes')).toHaveCount(0);
  const download = page.waitForEvent('download');
  await page.getByTestId('manifest-download').click();
  expect((await download).suggestedFilename()).toMatch(/\.manifest\.json$/);
  await snap(page, 'inspect');
});

test('drop: bytes read stay within header+DICT+INDEX+tail until a lane is opened; a lane verifies with its proof', async ({ page }) => {
  const bytes = demo('demo-wide.v2c.bin');
  await dropFiles(page, [{ name: 'wide-dropped.v2c.bin', bytes }]);
  await expect(page.locator('[data-testid="pack-view"][data-file="wide-dropped.v2c.bin"]')).toBeVisible();
  const before = await activePack(page);
  expect(before.fileSize).toBe(bytes.length);
  expect(before.bytesRead).toBeLessThanOrEqual(before.fileSize - before.dataBytes);
  await expect(page.getByTestId('status-bytes')).toContainText(`read ${before.bytesRead.toLocaleString('en-US')} of ${bytes.length.toLocaleString('en-US')}`);
  await snap(page, 'dropped-overview');

  await page.getByTestId('tab-lanes').click();
  await expect(page.getByTestId('heatmap')).toBeVisible();
  await expect.poll(async () => (await activePack(page)).bytesRead).toBeGreaterThan(before.bytesRead);
  // Click the first heatmap row.
  const box = (await page.locator('[data-testid="heatmap"] .heatmap-scroll').boundingBox())!;
  await page.mouse.click(box.x + 200, box.y + 3);
  const detail = page.getByTestId('lane-detail');
  await expect(detail).toBeVisible();
  await expect(page.getByTestId('lane-plot')).toBeVisible();
  await page.getByTestId('verify-lane').click();
  await expect(page.getByTestId('lane-verify')).toHaveAttribute('data-state', 'ok');
  await page.getByTestId('proof-lane').click();
  await expect(page.getByTestId('proof-state')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('merkle-path')).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-proof').click();
  const proof = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { path: unknown[]; merkle_root: string; lane_id: string };
  expect(proof.path.length).toBe(9); // 320 leaves → 9 levels
  expect(proof.merkle_root).toMatch(/^[0-9a-f]{64}$/);
  // Hover shows lane id, dim, float and int16 (when narrow the detail sits below the map and
  // the page has scrolled to it: bring the map back first).
  const scroller = page.locator('[data-testid="heatmap"] .heatmap-scroll');
  await scroller.scrollIntoViewIfNeeded();
  const again = (await scroller.boundingBox())!;
  await page.mouse.move(again.x + Math.min(300, again.width - 20), again.y + 20);
  await expect(page.getByTestId('heat-tooltip')).toContainText('q =');
  await snap(page, 'lane-proof');
});

test('bad input: a tampered lane fails verification with code and offset; a 2 GiB non-pack is refused from its first bytes', async ({ page }) => {
  const bytes = demo('demo-5kb.v2c.bin').slice();
  const dataStart = 36 + new DataView(bytes.buffer).getUint32(16, true) + new DataView(bytes.buffer).getUint32(20, true);
  bytes[dataStart + 40] ^= 0x01; // inside lane @1's payload
  await dropFiles(page, [{ name: 'tampered.v2c.bin', bytes }]);
  await expect(page.locator('[data-testid="pack-view"][data-file="tampered.v2c.bin"]')).toBeVisible();
  await page.getByTestId('tab-trust').click();
  await expect(page.getByTestId('sig-state')).toHaveAttribute('data-state', 'valid'); // DATA is bound by leaf hashes, not the signature
  // A small pack is fully verified on open, in a worker: no click needed.
  await expect(page.getByTestId('verify-report')).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('issue-code').first()).toHaveText('leaf_mismatch');
  const payload = 3 + 2 * 16;
  await expect(page.getByTestId('issue-offset').first()).toHaveText(String(dataStart + payload));
  await snap(page, 'tampered-verify');

  // A flipped byte in the MERKLE root: caught on open (no DATA read), with code and offset.
  const rooted = demo('demo-5kb.v2c.bin').slice();
  const merkleAt = rooted.length - 96 - 32;
  rooted[merkleAt + 3] ^= 0x80;
  await dropFiles(page, [{ name: 'bad-root.v2c.bin', bytes: rooted }]);
  await page.getByTestId('tab-overview').click();
  await expect(page.locator('[data-testid="pack-view"][data-file="bad-root.v2c.bin"]')).toBeVisible();
  const integrity = page.getByTestId('integrity');
  await expect(integrity).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('integrity-code')).toHaveText('bad_signature');
  await expect(integrity).toContainText('MERKLE root does not match');
  await expect(page.getByTestId('integrity-offset').nth(1)).toHaveText(String(merkleAt));
  await snap(page, 'bad-root');

  // A 2 GiB file that is not a pack: refused after reading its first bytes only.
  await page.evaluate(() => {
    const mib = new Blob([new Uint8Array(1 << 20).fill(0x7a)]);
    const big = new File(Array.from({ length: 2048 }, () => mib), 'huge-video.mp4');
    const dt = new DataTransfer();
    dt.items.add(big);
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  const card = page.getByTestId('error-card');
  await expect(card).toHaveAttribute('data-code', 'bad_magic');
  await expect(page.getByTestId('error-file')).toHaveText('huge-video.mp4');
  await expect(page.getByTestId('error-offset')).toContainText('byte 0');
  const read = Number(await page.getByTestId('error-bytes-read').getAttribute('data-bytes'));
  expect(read).toBeLessThanOrEqual(36);
  await expect(page.getByTestId('error-bytes-read')).toContainText('2.00 GiB');
  await snap(page, 'huge-non-pack');
  // The rest of the app keeps working.
  await page.locator('[data-testid="file-item"][data-name="tampered.v2c.bin"]').getByTestId('file-select').click();
  await expect(page.locator('[data-testid="pack-view"][data-file="tampered.v2c.bin"]')).toBeVisible();
});

test('diff: two packs give a compatibility level, a similarity and per-lane cosines; heatmaps A, B, A−B', async ({ page }) => {
  await dropFiles(page, [{ name: 'demo-5kb-b.v2c.bin', bytes: demo('demo-5kb-b.v2c.bin') }]);
  await expect(page.locator('[data-testid="pack-view"][data-file="demo-5kb-b.v2c.bin"]')).toBeVisible();
  await page.keyboard.press('d');
  await expect(page.getByTestId('diff-panel')).toBeVisible();
  await expect(page.getByTestId('diff-level')).toHaveAttribute('data-level', '1');
  await expect(page.getByTestId('diff-level')).toContainText('Level 1');
  await expect(page.getByTestId('diff-similarity')).toHaveText(/^0\.\d{4}$/);
  const row = page.getByTestId('cos-row').first();
  const cos = Number(await row.getAttribute('data-cos'));
  expect(cos).toBeGreaterThanOrEqual(-1);
  expect(cos).toBeLessThan(1);
  await expect(page.getByTestId('heat-diff')).toBeVisible();
  await snap(page, 'diff');
  await page.getByTestId('diff-heatmaps').scrollIntoViewIfNeeded();
  const hb = (await page.locator('[data-testid="heat-diff"] .heatmap-scroll').boundingBox())!;
  await page.mouse.move(hb.x + 40, hb.y + 25);
  await expect(page.getByTestId('diff-tooltip')).toContainText('A−B');
  await snap(page, 'diff-heatmaps');
});

test('merge: blend with λ, sign with a key file, download, re-open the download and verify it', async ({ page }) => {
  await dropFiles(page, [{ name: 'demo-5kb-b.v2c.bin', bytes: demo('demo-5kb-b.v2c.bin') }]);
  await expect(page.locator('[data-testid="pack-view"][data-file="demo-5kb-b.v2c.bin"]')).toBeVisible();
  await page.getByTestId('tab-diff').click();
  await page.getByTestId('merge-panel').scrollIntoViewIfNeeded();
  await page.getByTestId('merge-blend').check({ force: true });
  await page.getByTestId('merge-lambda').fill('0.25');
  await page.getByTestId('merge-key-input').setInputFiles({ name: 'merge.key', mimeType: 'text/plain', buffer: Buffer.from(`${SEED_HEX}\n`) });
  await expect(page.getByTestId('merge-key-button')).toContainText('Key ');
  await page.getByTestId('merge-run').click();
  // The merge is announced on the diff (named by mode and inputs) and opened from there.
  const name = 'blend(0.25) demo-5kb × demo-5kb-b (signed).v2c.bin';
  await expect(page.getByTestId('merge-result')).toHaveAttribute('data-file', name);
  await page.getByTestId('merge-result').getByTestId('merge-open').click();
  const view = page.getByTestId('pack-view');
  await expect(view).toHaveAttribute('data-file', name);
  await expect(page.getByTestId('unsaved-tag')).toBeVisible();
  await snap(page, 'merge-preview');
  const download = page.waitForEvent('download');
  await page.getByTestId('download-pack').click();
  const dl = await download;
  const saved = new Uint8Array(readFileSync(await dl.path()));
  expect(dl.suggestedFilename()).toMatch(/\.v2c\.bin$/);

  await dropFiles(page, [{ name: 'reopened.v2c.bin', bytes: saved }]);
  await expect(page.locator('[data-testid="pack-view"][data-file="reopened.v2c.bin"]')).toBeVisible();
  await page.getByTestId('tab-trust').click();
  await expect(page.getByTestId('sig-state')).toHaveAttribute('data-state', 'valid');
  await page.getByTestId('trust-pack-key').click();
  await page.getByTestId('trust-confirm-yes').click();
  await expect(page.getByTestId('sig-state')).toContainText('trusted key');
  await expect(page.getByTestId('verify-report')).toHaveAttribute('data-ok', 'true');
  await snap(page, 'merge-reopened-verified');
});

test('compile: type a lane-streams document in monaco, build it in a worker, see the new pack', async ({ page }) => {
  const editor = await emptyCompileEditor(page);
  // Monaco auto-closes brackets and quotes: type line by line without them doubling.
  await page.keyboard.insertText('{"streams": {"policy": [0.2, 0.5, 0.9, 0.4, -0.3, -0.6, 0.1, 0.7], "value": [1, 0.5, 0.25, 0, -0.25, -0.5, -1, 0]}, "config": {"windows": 2}}');
  await page.getByTestId('compile-run').click();
  const view = page.getByTestId('pack-view');
  await expect(view).toHaveAttribute('data-file', 'compiled.v2c.bin');
  await expect(page.getByTestId('unsaved-tag')).toBeVisible();
  await expect(page.getByTestId('manifest-json')).toContainText('policy@t0');
  await snap(page, 'compiled-pack');

  // A bad value is reported with its JSON path and underlined in the editor.
  await page.getByTestId('tab-compile').click();
  await expect(editor).toBeVisible();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('{"streams": {"policy": [0.2, "oops", 0.9]}}');
  await page.getByTestId('compile-run').click();
  await expect(page.getByTestId('compile-error-path')).toHaveText('$.streams.policy[1]');
  await expect(page.locator('.monaco-editor .squiggly-error').first()).toBeVisible();
  await snap(page, 'compile-error');

  // The JSON schema drives completion: config keys are suggested.
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('{"streams": {"a": [1]}, "config": {');
  await page.keyboard.press('Control+Space');
  const suggest = page.locator('.monaco-editor .suggest-widget');
  await expect(suggest).toBeVisible();
  await expect(suggest).toContainText('budget');
  await expect(suggest).toContainText('dimsLadder');
  await snap(page, 'compile-completion');
});

test('keyboard and URL hash: / filters lanes, arrows move the cursor, a reload lands on the same panel and lane', async ({ page }) => {
  await page.getByTestId('demo-list').getByRole('button').nth(2).click();
  await expect(page.locator('[data-testid="pack-view"][data-file="demo-wide.v2c.bin"]')).toBeVisible();
  await page.keyboard.press('/');
  await expect(page.getByTestId('lane-filter')).toBeFocused();
  await page.keyboard.type('feature01');
  await expect(page.getByTestId('lane-count')).toContainText('10 of 320');
  await page.keyboard.press('Escape');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('lane-detail')).toHaveAttribute('data-lane', 'feature011');
  await expect(page).toHaveURL(/#panel=lanes&demo=demo-wide\.v2c\.bin&lane=feature011$/);
  await snap(page, 'keyboard-filter');
  // o opens the file dialog.
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('o');
  await chooser;
  await page.reload();
  await expect(page.locator('[data-testid="lanes-panel"][data-file="demo-wide.v2c.bin"]')).toBeVisible();
  await expect(page.getByTestId('lane-detail')).toHaveAttribute('data-lane', 'feature011');
});

test('panel switcher renders the SVG and π-GCCP panels', async ({ page }) => {
  await page.getByTestId('tab-svg').click();
  await expect(page.getByTestId('panel-svg')).toBeVisible();
  await page.getByTestId('tab-gccp').click();
  await expect(page.getByTestId('panel-gccp')).toBeVisible();
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('pack-view')).toBeVisible();
});

test('a pack at the lane limit (65,535 lanes): opens lazily, the heatmap pans and decodes only what is in view', async ({ page }) => {
  test.setTimeout(120_000);
  const { bigPack } = await import('./placeholder');
  const bytes = bigPack({ lanes: 65_535, dims: 16 });
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('o');
  await (await chooser).setFiles([{ name: 'limit-65535.v2c.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) }]);
  await expect(page.locator('[data-testid="pack-view"][data-file="limit-65535.v2c.bin"]')).toBeVisible();
  await expect(page.getByTestId('fact-lanes')).toHaveText('65,535');
  const opened = await activePack(page);
  expect(opened.bytesRead).toBeLessThanOrEqual(opened.fileSize - opened.dataBytes);
  await page.getByTestId('tab-lanes').click();
  const scroller = page.locator('[data-testid="heatmap"] .heatmap-scroll');
  await expect(scroller).toBeVisible();
  for (let i = 0; i < 20; i++) await scroller.evaluate((el) => { el.scrollTop += 4000; });
  await page.waitForTimeout(300);
  const after = await activePack(page);
  const laneBytes = 3 + 2 * 16;
  // Only lanes near the viewport were read: far less than DATA.
  expect(after.bytesRead - opened.bytesRead).toBeLessThan(after.dataBytes / 4);
  expect(after.bytesRead - opened.bytesRead).toBeGreaterThan(laneBytes * 50);
  const box = (await scroller.boundingBox())!;
  await page.mouse.move(box.x + 400, box.y + 120);
  await expect(page.getByTestId('heat-tooltip')).toContainText('q =');
  await snap(page, 'limit-pack-heatmap');
});

test('trust: a public key file makes the signature trusted, and trusted keys survive a reload', async ({ page }) => {
  await page.getByTestId('tab-trust').click();
  await expect(page.getByTestId('sig-state')).toHaveAttribute('data-state', 'valid');
  await expect(page.getByTestId('sig-fingerprint')).toHaveText(/^[0-9a-f]{4}(:[0-9a-f]{4}){3}$/);
  const manifestText = async () => page.evaluate(() => {
    const s = window.__asx!.store.getState();
    return s.files.find((f) => f.id === s.activeId)!.pack!.manifestJson ?? '';
  });
  await expect.poll(manifestText).not.toBe('');
  const manifest = JSON.parse(await manifestText()) as { derived_from: { public_key: string } };
  const pub = manifest.derived_from.public_key;
  await page.getByTestId('trust-key-input').setInputFiles({ name: 'demo.pub.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ public_key: pub })) });
  await expect(page.getByTestId('sig-state')).toContainText('trusted key');
  await expect(page.getByTestId('trusted-keys')).toContainText('demo.pub.json');
  await snap(page, 'trusted-key');
  await page.reload();
  await page.getByTestId('tab-trust').click();
  await expect(page.getByTestId('sig-state')).toContainText('trusted key');
  await page.getByRole('button', { name: 'Remove key demo.pub.json' }).click();
  await expect(page.getByTestId('sig-state')).toHaveText('valid');
});
