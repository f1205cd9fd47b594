/**
 * The production workbench in real headless Chromium for the browser benchmarks: `vite build`
 * into a scratch folder, `vite preview` on 127.0.0.1, Debian's Chromium through Playwright.
 * Everything is closed and the folder removed when `fn` returns or throws.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { preview } from 'vite';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function withWorkbench<T>(outDirName: string, port: number, fn: (page: Page, chromeVersion: string) => Promise<T>): Promise<T> {
  const outDir = join(ROOT, outDirName);
  const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', outDir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`vite build failed: ${b.stderr}`);
  const server = await preview({ root: ROOT, logLevel: 'silent', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: false } });
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
  const browser = await chromium.launch({
    executablePath: process.env.ASX_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    // tsx (esbuild keepNames) wraps named functions inside page.evaluate bodies in __name().
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(url);
    await page.waitForSelector('[data-testid="pack-view"]');
    return await fn(page, browser.version());
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * Give `path` to the workbench's file input and resolve with the page time from the input's
 * `change` event until the pack view of that file shows a settled integrity line.
 */
export async function openByInput(page: Page, path: string): Promise<{ ms: number; bytesRead: number; state: string }> {
  const name = path.split('/').pop()!;
  await page.evaluate((n) => {
    const store = window.__asx!.store;
    for (const f of store.getState().files) if (f.name === n) store.getState().closeFile(f.id);
    store.getState().setPanel('overview');
    const w = window as unknown as { __done?: Promise<number> };
    const input = document.querySelector<HTMLInputElement>('[data-testid="file-input"]')!;
    w.__done = new Promise<number>((resolve) => {
      input.addEventListener('change', () => {
        const t0 = performance.now();
        const sel = `[data-testid="pack-view"][data-file="${n}"] [data-testid="integrity"]`;
        const ready = () => {
          const el = document.querySelector(sel);
          return el && el.getAttribute('data-state') !== 'checking' ? el : null;
        };
        const mo = new MutationObserver(() => { if (ready()) { mo.disconnect(); resolve(performance.now() - t0); } });
        mo.observe(document.body, { childList: true, subtree: true, attributes: true });
      }, { once: true });
    });
  }, name);
  await page.locator('[data-testid="file-input"]').setInputFiles(path);
  const ms = await page.evaluate(() => (window as unknown as { __done: Promise<number> }).__done);
  const facts = await page.evaluate((n) => {
    const s = window.__asx!.store.getState();
    const f = s.files.find((x) => x.name === n)!;
    return { bytesRead: f.pack!.bytesRead, state: f.integrity?.state ?? 'none' };
  }, name);
  return { ms, ...facts };
}
