import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests in real headless Chromium (Debian's /usr/bin/chromium, never a
 * downloaded browser). There is no GPU here: Chromium's WebGPU runs on SwiftShader
 * (Vulkan on the CPU), which `--enable-unsafe-webgpu` exposes on http://127.0.0.1.
 * `--use-webgpu-adapter=swiftshader` pins that adapter so results do not depend on the
 * machine's GPU; set ASX_E2E_REAL_GPU=1 to let Chromium pick a hardware adapter instead.
 */
const port = Number(process.env.ASX_E2E_PORT ?? 4173);
// The dev server (the README's `npm start`) gets its own run: it differs from the build
// (React StrictMode double effects, unbundled modules), and defects hid there before.
const devPort = port + 1;
const host = '127.0.0.1';
const baseURL = `http://${host}:${port}`;
const devURL = `http://${host}:${devPort}`;
const CI = !!process.env.CI;

export const chromiumArgs = [
  '--enable-unsafe-webgpu',
  ...(process.env.ASX_E2E_REAL_GPU ? [] : ['--use-webgpu-adapter=swiftshader']),
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
];

export default defineConfig({
  testDir: 'e2e',
  // The default port keeps test-results/; other ports (parallel runs) get their own folder.
  outputDir: port === 4173 ? 'test-results' : `test-results-${port}`,
  fullyParallel: false,
  forbidOnly: CI,
  retries: 0,
  workers: CI ? 1 : 2,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: process.env.ASX_CHROMIUM ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
  },
  // Every scenario runs twice: on the production build at 1440 px and on the dev server at
  // 1024 px (the narrowest width the workbench supports).
  projects: [
    {
      name: 'prod-1440',
      use: { baseURL, viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 },
    },
    {
      name: 'dev-1024',
      use: { baseURL: devURL, viewport: { width: 1024, height: 768 }, deviceScaleFactor: 1 },
    },
  ],
  webServer: [
    {
      // Each port builds into its own folder so parallel runs on other ports never share dist/.
      command: `npx vite build --logLevel warn --outDir dist-e2e-${port} && npx vite preview --outDir dist-e2e-${port} --port ${port} --strictPort --host ${host}`,
      url: baseURL,
      reuseExistingServer: !CI,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: `ASX_VITE_CACHE_DIR=node_modules/.vite-e2e-${devPort} npx vite --port ${devPort} --strictPort --host ${host} --open=false`,
      url: devURL,
      reuseExistingServer: !CI,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
