/**
 * π-GCCP conformance in real Chromium WebGPU (SwiftShader here). The harness
 * (src/ui/gccp/harness.ts) is bundled with Vite in the test process and served on the
 * app's own origin, so the levels run in the page's WebGPU whatever tab layout the app has.
 * The lab panel test runs when the app shows a "π-GCCP" tab.
 */
import type {} from '../src/ui/gccp/harness';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { expect, snap, test } from './fixtures';

let harnessJs = '';

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const out = await build({
    configFile: false,
    root: fileURLToPath(new URL('..', import.meta.url)),
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry: fileURLToPath(new URL('../src/ui/gccp/harness.ts', import.meta.url)), formats: ['es'], fileName: 'gccp-harness' },
      rolldownOptions: { output: { codeSplitting: false } },
    },
  });
  const outputs = (Array.isArray(out) ? out : [out]) as Array<{ output: Array<{ type: string; code?: string }> }>;
  harnessJs = outputs.flatMap((o) => o.output).filter((c) => c.type === 'chunk').map((c) => c.code ?? '').join('\n');
  expect(harnessJs.length).toBeGreaterThan(1000);
});

test.beforeEach(async ({ page }) => {
  await page.route('**/__gccp/harness.js', (route) => route.fulfill({ contentType: 'text/javascript', body: harnessJs }));
  await page.goto('/');
  await page.addScriptTag({ url: '/__gccp/harness.js', type: 'module' });
  await page.waitForFunction(() => !!window.__gccpHarness);
});

test('π-GCCP conformance levels CORE, FULL, MIRROR pass on Chromium WebGPU', async ({ page }) => {
  test.setTimeout(240_000);
  const r = await page.evaluate(() => window.__gccpHarness!.conformance());
  test.info().annotations.push({ type: 'adapter', description: String(r.adapter) });
  await test.info().attach('conformance.txt', { body: r.text, contentType: 'text/plain' });
  expect(r.gpuMessage, 'WebGPU adapter in Chromium').toBeNull();
  expect(r.adapter).toBeTruthy();
  for (const level of ['CORE', 'FULL', 'MIRROR']) {
    const failing = r.gpu![level].tests.filter((t) => !t.pass).map((t) => `${t.name}: ${t.detail}`);
    expect(failing, `${level} on WebGPU`).toEqual([]);
    expect(r.gpu![level].pass, level).toBe(true);
    expect(r.cpu[level].pass, `${level} on the CPU mirror`).toBe(true);
  }
  const names = r.gpu!.CORE.tests.map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(['Test A — perfect alignment', 'Test B — orthogonal rejection', 'Test C — boundary tolerance']));
  expect(r.gpu!.FULL.tests.map((t) => t.name).join('\n')).toContain('traversal');
  expect(r.text).toContain('max |Δcollapse|');
});

test('traversal on WebGPU equals the CPU mirror; a lost device is a typed error', async ({ page }) => {
  expect(await page.evaluate(() => window.__gccpHarness!.traversalMatches(12))).toBe(true);
  expect(await page.evaluate(() => window.__gccpHarness!.lostDevice())).toMatch(/^gpu_error: WebGPU device lost/);
});

test('the π-GCCP lab panel runs CPU and GPU side by side and shows passing badges', async ({ page }) => {
  test.setTimeout(240_000);
  const tab = page.getByRole('tab', { name: /π-GCCP/ }).or(page.getByRole('button', { name: /^π-GCCP$/ }));
  if ((await tab.count()) === 0) test.skip(true, 'the app does not show a "π-GCCP" tab yet (the lab is mounted by the UI shell)');
  await tab.first().click();
  const lab = page.getByTestId('gccp-lab');
  await expect(lab).toBeVisible();
  await expect(lab.getByTestId('gccp-gpu-state')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(lab.getByTestId('gccp-monaco').locator('.monaco-editor')).toBeVisible({ timeout: 30_000 });
  await lab.getByLabel('plain text editor').check();
  const text = lab.getByLabel('π-profile JSON');
  const original = await text.inputValue();
  await text.fill('{"@pi_profile": "x", "epsilom": 0.2}');
  await expect(lab.getByTestId('gccp-profile-error')).toContainText('unknown π-profile field "epsilom"');
  await expect(lab.getByRole('button', { name: 'Run CPU + GPU' })).toBeDisabled();
  await text.fill(original);
  await lab.getByLabel('plain text editor').uncheck();
  await lab.getByRole('button', { name: 'Run CPU + GPU' }).click();
  await expect(lab.getByTestId('gccp-parity')).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await lab.getByRole('button', { name: 'Run conformance' }).click();
  for (const level of ['CORE', 'FULL', 'MIRROR']) {
    await expect(lab.getByTestId(`gccp-badge-gpu-${level}`)).toHaveAttribute('data-pass', 'true', { timeout: 180_000 });
  }
  await lab.getByRole('button', { name: 'Superpose on current vectors' }).click();
  await expect(lab.getByTestId('gccp-super')).toContainText('S = Σ wᵢ·sᵢ');
  await lab.getByRole('button', { name: 'Traverse' }).click();
  await expect(lab.getByTestId('gccp-traverse-match')).toHaveText('GPU = CPU mirror, bit for bit ✓');
  await lab.getByRole('slider', { name: 'step' }).fill('2');
  await expect(lab.getByText('step 2 / 8: node set {2, 8}')).toBeVisible();
  // An SVG-tensor from a file: imported and mapped by src/core/svg, traversed on GPU and CPU.
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><g transform="scale(2)"><path d="M10 10 L40 10 L40 40 Z" stroke-width="2"/></g><polyline points="5,90 50,60 95,90"/></svg>';
  await lab.locator('input[type=file]').setInputFiles({ name: 'tri.svg', mimeType: 'image/svg+xml', buffer: Buffer.from(svg) });
  await expect(lab.getByText(/tri\.svg \(sha256 [0-9a-f]{12}…, 2 primitives\): 6 nodes, 5 edges/)).toBeVisible();
  await lab.getByRole('button', { name: 'Traverse' }).click();
  await expect(lab.getByTestId('gccp-traverse-match')).toHaveText('GPU = CPU mirror, bit for bit ✓');
  await snap(page, 'gccp-lab');
  await lab.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await snap(page, 'gccp-lab-bottom');
});

test('the lab shows a lost device and the CPU mirror still runs', async ({ page }) => {
  const tab = page.getByRole('tab', { name: /π-GCCP/ }).or(page.getByRole('button', { name: /^π-GCCP$/ }));
  if ((await tab.count()) === 0) test.skip(true, 'the app does not show a "π-GCCP" tab yet');
  await tab.first().click();
  const lab = page.getByTestId('gccp-lab');
  await expect(lab.getByTestId('gccp-gpu-state')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await page.evaluate(() => (window as Window & { __asxGccpLab?: { loseDevice(): void } }).__asxGccpLab!.loseDevice());
  await expect(lab.getByTestId('gccp-gpu-state')).toHaveAttribute('data-state', 'lost');
  await expect(lab.getByTestId('gccp-gpu-state')).toContainText('device lost');
  await lab.getByRole('button', { name: 'Run CPU + GPU' }).click();
  await expect(lab.getByTestId('gccp-collapse-cpu')).toBeVisible();
  await expect(lab.getByTestId('gccp-gpu-error')).toContainText('device lost');
});

test('the lab derives vector pairs from a dropped SVG icon and runs them on CPU and GPU', async ({ page }) => {
  test.setTimeout(120_000);
  const tab = page.getByRole('tab', { name: /π-GCCP/ }).or(page.getByRole('button', { name: /^π-GCCP$/ }));
  if ((await tab.count()) === 0) test.skip(true, 'the app does not show a "π-GCCP" tab yet');
  await tab.first().click();
  const lab = page.getByTestId('gccp-lab');
  await expect(lab.getByTestId('gccp-gpu-state')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  const vectors = lab.getByTestId('gccp-vectors');
  // The svg source with nothing loaded is a hint, not a failure.
  await vectors.getByRole('combobox').selectOption('svg');
  await expect(vectors.getByTestId('gccp-svg-hint')).toContainText('No SVG loaded');
  await expect(lab.getByRole('button', { name: 'Run CPU + GPU' })).toBeDisabled();
  // Drop a real Material Design icon on the card, with a real DataTransfer.
  const icon = readFileSync(fileURLToPath(new URL('../node_modules/@mdi/svg/svg/account.svg', import.meta.url)));
  const dataTransfer = await page.evaluateHandle((b64) => {
    const bin = atob(b64);
    const u8 = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([u8], 'account.svg', { type: 'image/svg+xml' }));
    return dt;
  }, icon.toString('base64'));
  await vectors.dispatchEvent('dragover', { dataTransfer });
  await vectors.dispatchEvent('drop', { dataTransfer });
  await expect(vectors.getByTestId('gccp-svg-source')).toContainText(/account\.svg \(sha256 [0-9a-f]{12}…/);
  const pairs = Number((await vectors.getByTestId('gccp-svg-pairs').textContent())?.replace(/,/g, ''));
  expect(pairs).toBeGreaterThan(0);
  await lab.getByRole('button', { name: 'Run CPU + GPU' }).click();
  await expect(lab.getByTestId('gccp-parity')).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  expect(Number((await lab.getByTestId('gccp-run-pairs').textContent())?.replace(/,/g, ''))).toBe(pairs);
  const delta = Number(/= (\S+)/.exec((await lab.getByTestId('gccp-parity').textContent()) ?? '')?.[1]);
  expect(delta).toBeGreaterThanOrEqual(0);
  expect(delta).toBeLessThanOrEqual(1e-6);
  test.info().annotations.push({ type: 'account.svg', description: `${pairs} pairs, parity ${delta}` });
  await expect(lab.getByTestId('gccp-parity')).toContainText('≤ 1e-6 ✓');
  // The same SVG is now the traversal's tensor.
  await expect(lab.getByText(/account\.svg \(sha256 [0-9a-f]{12}…, 1 primitives\): \d+ nodes, \d+ edges/)).toBeVisible();
});

test.describe('without WebGPU', () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'gpu', { configurable: true, get: () => undefined });
    });
  });
  test('the lab says navigator.gpu is missing and runs the CPU mirror and conformance on the CPU', async ({ page }) => {
    await page.reload();
    const tab = page.getByRole('tab', { name: /π-GCCP/ }).or(page.getByRole('button', { name: /^π-GCCP$/ }));
    if ((await tab.count()) === 0) test.skip(true, 'the app does not show a "π-GCCP" tab yet');
    await tab.first().click();
    const lab = page.getByTestId('gccp-lab');
    await expect(lab.getByTestId('gccp-gpu-state')).toHaveAttribute('data-state', 'unavailable');
    await expect(lab.getByTestId('gccp-gpu-state')).toContainText('navigator.gpu is missing');
    await lab.getByRole('button', { name: 'Run CPU + GPU' }).click();
    await expect(lab.getByTestId('gccp-collapse-cpu')).toBeVisible();
    await expect(lab.getByTestId('gccp-gpu-error')).toContainText('navigator.gpu is missing');
    await lab.getByRole('button', { name: 'Run conformance' }).click();
    await expect(lab.getByTestId('gccp-badge-cpu-MIRROR')).toHaveAttribute('data-pass', 'true', { timeout: 60_000 });
    await expect(lab.getByText(/GPU not run: WebGPU is not available/)).toBeVisible();
  });
});
