/**
 * The shared fixture's guard really sees (and blocks) what it must fail on. Each test
 * checks the report, then clears it so the fixture's own teardown check passes.
 */
import { expect, test } from './fixtures';

test('a request to another origin is recorded and aborted', async ({ page, guard }) => {
  await page.goto('/');
  const outcome = await page.evaluate(async () => {
    try {
      await fetch('http://198.51.100.7:9/probe.json', { mode: 'no-cors' });
      return 'fetched';
    } catch {
      return 'blocked';
    }
  });
  expect(outcome).toBe('blocked');
  expect(guard.foreignRequests).toContain('http://198.51.100.7:9/probe.json');
  guard.foreignRequests.length = 0;
  guard.consoleErrors.length = 0; // Chromium logs the aborted load as a console error
});

test('console errors and uncaught exceptions are recorded', async ({ page, guard }) => {
  await page.goto('/');
  await page.evaluate(() => {
    console.error('guard-probe console error');
    setTimeout(() => {
      throw new Error('guard-probe uncaught');
    }, 0);
  });
  await expect.poll(() => guard.pageErrors.length).toBe(1);
  expect(guard.consoleErrors.some((m) => m.includes('guard-probe console error'))).toBe(true);
  expect(guard.pageErrors[0]).toContain('guard-probe uncaught');
  guard.consoleErrors.length = 0;
  guard.pageErrors.length = 0;
});

test('the app itself makes only same-origin requests', async ({ page, baseURL }) => {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto('/');
  await expect(page.getByTestId('gpu-chip')).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('pack-view')).toBeVisible();
  const origin = new URL(baseURL!).origin;
  expect(urls.length).toBeGreaterThan(0);
  for (const u of urls) expect(u.startsWith('data:') || new URL(u).origin === origin, u).toBe(true);
});
