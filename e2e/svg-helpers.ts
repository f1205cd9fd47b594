/** Shared steps of the SVG-tab specs (svg.spec.ts, svg-jobs.spec.ts, svg-inbox.spec.ts). */
import type { Page, TestInfo } from '@playwright/test';
import { expect } from './fixtures';

/** Drop a file on the SVG tab's own zone with a real DataTransfer. */
export async function dropOnZone(page: Page, name: string, content: string | number[], type = 'image/svg+xml', target = '[data-testid="svg-drop"]'): Promise<void> {
  const dataTransfer = await page.evaluateHandle(({ name, content, type }) => {
    const dt = new DataTransfer();
    const body = typeof content === 'string' ? content : new Uint8Array(content);
    dt.items.add(new File([body], name, { type }));
    return dt;
  }, { name, content, type });
  for (const ev of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent(target, ev, { dataTransfer });
}

export async function openSvgTab(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('tab-svg').click();
  await expect(page.getByTestId('svg-panel')).toBeVisible();
}

/**
 * Record main-thread long tasks (PerformanceObserver 'longtask') from page start. Tests only
 * report them (annotations); the benchmark (bench/ui.ts) is where timings are judged.
 */
export async function installLongTaskProbe(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    try {
      new PerformanceObserver((l) => { for (const e of l.getEntries()) w.__longTasks.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: true });
    } catch { /* not supported: nothing recorded */ }
  });
}

/** Take the long tasks recorded so far and note them on the test. */
export async function noteLongTasks(page: Page, info: TestInfo, what: string): Promise<number[]> {
  const tasks = await page.evaluate(() => { const w = window as unknown as { __longTasks: number[] }; const t = w.__longTasks; w.__longTasks = []; return t; });
  info.annotations.push({ type: `long tasks: ${what}`, description: tasks.length ? `${tasks.length}, longest ${Math.max(...tasks)} ms` : 'none' });
  return tasks;
}

/** Every number shown in these elements has en-US thousands separators (no run of 4+ bare digits). */
export async function expectGrouped(page: Page, selectors: string[]): Promise<void> {
  // each text node on its own: adjacent elements ("1" "900 pairs") are not one number
  const texts = await page.evaluate((sel) => sel.flatMap((s) => Array.from(document.querySelectorAll(s)).flatMap((e) => {
    const out: string[] = [];
    const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) out.push(n.textContent ?? '');
    return out;
  })), selectors);
  expect(texts.length).toBeGreaterThan(0);
  const bare = texts.flatMap((t) => t.match(/(?<![\d.,])\d{4,}(?![\d])/g) ?? []);
  expect(bare, `numbers without separators in ${texts.join(' | ').slice(0, 400)}`).toEqual([]);
}
