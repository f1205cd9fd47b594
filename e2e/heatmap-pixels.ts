/**
 * Reading what a heatmap canvas really shows (for the heatmap-*, lanes-* and diff-* specs):
 * its backing size against its box, and how many pixels carry a value colour rather than
 * the background or a no-value pattern (hatched = missing lane, dotted = not decoded yet).
 */
import type { Page } from '@playwright/test';

export interface CanvasFacts {
  /** Backing store size (device px). */
  width: number;
  height: number;
  /** The scroll box the canvas must fill (CSS px × devicePixelRatio, rounded). */
  boxWidth: number;
  boxHeight: number;
  /** Pixels examined, and those whose colour is not background nor a no-value pattern. */
  total: number;
  value: number;
  /** Distinct value colours (rgb) among them. */
  distinct: number;
  /** Gutter label mode drawn in the last frame (ids | groups | sparse | none), and its first label. */
  labels: string | undefined;
  firstLabel: string | undefined;
}

/**
 * Facts about the canvas of the heatmap `testId`, over device-pixel columns [x0, x1) and rows
 * [y0, y1) (defaults: the whole canvas).
 */
export async function canvasFacts(page: Page, testId: string, region: { x0?: number; x1?: number; y0?: number; y1?: number } = {}): Promise<CanvasFacts> {
  return page.evaluate(({ testId, region }) => {
    const root = document.querySelector(`[data-testid="${testId}"]`);
    const cv = root?.querySelector('canvas');
    const box = root?.querySelector('.heatmap-scroll');
    if (!cv || !box) throw new Error(`no heatmap canvas for ${testId}`);
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    const facts = {
      width: cv.width, height: cv.height,
      boxWidth: Math.round(box.clientWidth * dpr), boxHeight: Math.round(box.clientHeight * dpr),
      total: 0, value: 0, distinct: 0,
      labels: cv.dataset.labels, firstLabel: cv.dataset.firstLabel,
    };
    const x0 = Math.max(0, region.x0 ?? 0);
    const x1 = Math.min(cv.width, region.x1 ?? cv.width);
    const y0 = Math.max(0, region.y0 ?? 0);
    const y1 = Math.min(cv.height, region.y1 ?? cv.height);
    if (x1 <= x0 || y1 <= y0) return facts;
    const data = cv.getContext('2d')!.getImageData(x0, y0, x1 - x0, y1 - y0).data;
    // Background and no-value colours (lib/color.ts NO_VALUE and the panel background).
    const none = ['#161a20', '#111418', '#262b33', '#7d8694', '#6b7482', '#1a1e25', '#6b2a3a']
      .map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i], g = data[i + 1], b = data[i + 2];
      facts.total++;
      if (none.some(([R, G, B]) => Math.abs(r - R) + Math.abs(g - G) + Math.abs(b - B) <= 12)) continue;
      facts.value++;
      colours.add((r << 16) | (g << 8) | b);
    }
    facts.distinct = colours.size;
    return facts;
  }, { testId, region });
}

/** RGB colours of one device-pixel row of the canvas between columns x0 and x1. */
export async function canvasRow(page: Page, testId: string, y: number, x0 = 0, x1?: number): Promise<string[]> {
  return page.evaluate(({ testId, y, x0, x1 }) => {
    const cv = document.querySelector(`[data-testid="${testId}"] canvas`) as HTMLCanvasElement | null;
    if (!cv) throw new Error(`no heatmap canvas for ${testId}`);
    const end = Math.min(cv.width, x1 ?? cv.width);
    const d = cv.getContext('2d')!.getImageData(x0, y, Math.max(1, end - x0), 1).data;
    const out: string[] = [];
    for (let i = 0; i < d.length; i += 4) out.push(`#${[d[i], d[i + 1], d[i + 2]].map((v) => v.toString(16).padStart(2, '0')).join('')}`);
    return out;
  }, { testId, y, x0, x1 });
}
