/**
 * Lanes × dims heatmap on one canvas. Rows are virtual: only the rows in view are drawn and
 * requested (the caller decodes them on demand), each frame fills one ImageData through a
 * colour lookup table and copies repeated pixel rows, so 65,535 lanes pan as smoothly as 50.
 * Native scrollbars pan (and drag-to-pan); the zoom controls change row and column size.
 * The colour scale comes from the caller (chosen from the data, lib/color.ts); rows without
 * values are patterns no scale produces: hatched = lane missing, dotted = not decoded yet.
 * The gutter shows lane ids when rows are tall enough (group labels or every few ids
 * otherwise); the visible row range sits under the map, never over the labels.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { CLASS_COLORS, cssOf, dotAt, formatScaleValue, hatchAt, lutFor, lutIndex, NO_VALUE, type HeatScale } from '../lib/color';
import './heatmap.css';

/** Values of a row; null = not decoded yet; 'missing' = the lane is not in this pack; 'error' = it failed to decode. */
export type RowValues = ArrayLike<number> | null | 'error' | 'missing';

/** Rows at least this tall (CSS px) get their lane id written in the gutter. */
export const ID_LABEL_MIN_PX = 12;

export interface HeatGroup { start: number; count: number; label: string; cls: string }

/** Hovered cell; col is -1 over the label gutter. */
export interface HeatHover { row: number; col: number; clientX: number; clientY: number }

export interface ScrollSync {
  listeners: Set<(top: number, left: number, from: object) => void>;
}

export function createScrollSync(): ScrollSync {
  return { listeners: new Set() };
}

export interface HeatmapProps {
  rows: number;
  cols: number;
  /** Values of a row (decoded), null while not loaded, 'error' when it failed. */
  rowValues: (row: number) => RowValues;
  /** Ask for rows [first, last] to be loaded (called after each frame). */
  request?: (first: number, last: number) => void;
  /** Colour scale (sequential or diverging, with its range). */
  scale: HeatScale;
  /** Bumps when data changes (redraw). */
  version: number;
  groups?: HeatGroup[];
  cursor?: number | null;
  onHover?: (h: HeatHover | null) => void;
  onSelect?: (row: number) => void;
  rowPx: number;
  colPx?: number;
  height?: number;
  sync?: ScrollSync;
  testId?: string;
  label?: string;
  /** Width of the label gutter in CSS px (0 hides it). */
  gutter?: number;
  /** Lane id of a row, written in the gutter when rows are tall enough (and every few rows otherwise, when there are no groups). */
  rowLabel?: (row: number) => string;
  /** Show the visible row range under the map (default: when there is a gutter). */
  footer?: boolean;
  /** Ctrl/⌘ + wheel over the map: +1 zoom in, −1 zoom out. */
  onZoom?: (dir: 1 | -1) => void;
}

/**
 * `text` fitted to `maxW` CSS px in the context's font, cut in the middle when too long:
 * lane ids share prefixes and differ at the end (`policy@t0__x__attention@t1`), so both ends stay.
 */
function fitText(ctx: CanvasRenderingContext2D, text: string, maxW: number): string {
  if (ctx.measureText(text).width <= maxW) return text;
  const cut = (k: number) => `${text.slice(0, Math.ceil(k / 2))}…${text.slice(text.length - Math.floor(k / 2))}`;
  let lo = 0;
  let hi = text.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(cut(mid)).width <= maxW) lo = mid; else hi = mid - 1;
  }
  return cut(lo);
}

/** Frame timings for the benchmark (ms spent drawing), newest last. */
export const heatmapFrameTimes: number[] = [];
/** Per frame: visible rows not decoded yet when the frame was drawn (same order). */
export const heatmapFrameMissing: number[] = [];

export function Heatmap(props: HeatmapProps) {
  const { rows, cols, rowPx, scale, version, groups, cursor, sync, testId, label } = props;
  const gutter = props.gutter ?? 128;
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const foot = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ w: 600, h: props.height ?? 420 });
  const colPx = props.colPx ?? Math.max(2, (size.w - gutter - 2) / Math.max(1, cols));
  const frame = useRef(0);
  const latest = useRef(props);
  latest.current = props;
  const hoverRef = useRef<{ row: number; col: number } | null>(null);
  const syncId = useRef({});

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  const draw = useCallback(() => {
    frame.current = 0;
    const el = scroller.current;
    const cv = canvas.current;
    if (!el || !cv) return;
    const t0 = performance.now();
    const p = latest.current;
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    const w = el.clientWidth;
    const h = el.clientHeight;
    const W = Math.max(1, Math.round(w * dpr));
    const H = Math.max(1, Math.round(h * dpr));
    if (cv.width !== W || cv.height !== H) {
      cv.width = W;
      cv.height = H;
      cv.style.width = `${w}px`;
      cv.style.height = `${h}px`;
    }
    const ctx = cv.getContext('2d');
    if (!ctx) return;
    const top = el.scrollTop;
    const left = el.scrollLeft;
    const gx = Math.round(gutter * dpr);
    const cw = W - gx;
    const lut = lutFor(p.scale.kind);
    const img = ctx.createImageData(Math.max(1, cw), H);
    const buf = new Uint32Array(img.data.buffer);
    // Column of each device pixel.
    const colOf = new Int32Array(Math.max(1, cw));
    for (let x = 0; x < cw; x++) {
      const c = Math.floor((left + x / dpr) / colPx);
      colOf[x] = c < p.cols ? c : -1;
    }
    const bg = NO_VALUE.outside;
    let prevRow = -2;
    let prevVals: RowValues | undefined;
    let missing = 0;
    // Patterns are anchored to the content (not the viewport) so they scroll with the rows.
    const px = Math.round(left * dpr);
    const py = Math.round(top * dpr);
    for (let y = 0; y < H; y++) {
      const r = Math.floor((top + y / dpr) / p.rowPx);
      const o = y * cw;
      const same = r === prevRow && y > 0;
      const vals = same ? prevVals : r >= p.rows ? undefined : p.rowValues(r);
      if (!same && vals === null) missing++;
      prevRow = r;
      prevVals = vals;
      if (vals === undefined) {
        buf.fill(bg, o, o + cw);
      } else if (vals === 'error') {
        buf.fill(NO_VALUE.error, o, o + cw);
      } else if (vals === null || vals === 'missing') {
        // Not decoded yet: sparse dots; missing lane: diagonal hatching.
        const yy = py + y;
        for (let x = 0; x < cw; x++) {
          if (colOf[x] < 0) buf[o + x] = bg;
          else if (vals === null) buf[o + x] = dotAt(px + x, yy) ? NO_VALUE.pendingDot : NO_VALUE.pendingBg;
          else buf[o + x] = hatchAt(px + x, yy) ? NO_VALUE.missingStripe : NO_VALUE.missingBg;
        }
      } else if (same) {
        buf.copyWithin(o, o - cw, o);
      } else {
        for (let x = 0; x < cw; x++) {
          const c = colOf[x];
          buf[o + x] = c < 0 ? bg : lut[lutIndex(vals[c], p.scale)];
        }
      }
    }
    ctx.putImageData(img, gx, 0);
    // Row separators when rows are tall enough to see them.
    ctx.save();
    ctx.scale(dpr, dpr);
    const first = Math.floor(top / p.rowPx);
    const last = Math.min(p.rows - 1, Math.floor((top + h) / p.rowPx));
    if (p.rowPx >= 8) {
      ctx.fillStyle = 'rgba(17,20,24,0.55)';
      for (let r = first; r <= last; r++) ctx.fillRect(gutter, r * p.rowPx - top + p.rowPx - 1, Math.min(w - gutter, p.cols * colPx - left), 1);
    }
    // Gutter: class band, then lane ids (rows tall enough), group labels, or every few ids.
    ctx.fillStyle = '#161a20';
    ctx.fillRect(0, 0, gutter, h);
    let labels: 'ids' | 'groups' | 'sparse' | 'none' = 'none';
    let firstLabel = '';
    if (gutter > 0) {
      const gs = p.groups ?? [];
      const textX = gs.length ? 10 : 6;
      const textW = gutter - textX - 4;
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'middle';
      for (const g of gs) {
        const y0 = g.start * p.rowPx - top;
        const y1 = (g.start + g.count) * p.rowPx - top;
        if (y1 < 0 || y0 > h) continue;
        ctx.fillStyle = CLASS_COLORS[g.cls] ?? '#8a94a3';
        ctx.fillRect(2, Math.max(0, y0), 4, Math.min(h, y1) - Math.max(0, y0));
        ctx.fillStyle = '#111418';
        ctx.fillRect(gutter, y0, Math.min(w - gutter, p.cols * colPx - left), 1);
      }
      if (p.rowLabel && p.rowPx >= ID_LABEL_MIN_PX) {
        labels = 'ids';
        ctx.fillStyle = '#c5cdd8';
        for (let r = first; r <= last; r++) {
          const text = p.rowLabel(r);
          if (r === first) firstLabel = text;
          ctx.fillText(fitText(ctx, text, textW), textX, r * p.rowPx - top + p.rowPx / 2);
        }
      } else if (gs.length > 0) {
        labels = 'groups';
        let lastLabelY = -100;
        ctx.textBaseline = 'top';
        for (const g of gs) {
          const y0 = g.start * p.rowPx - top;
          const y1 = (g.start + g.count) * p.rowPx - top;
          if (y1 < 0 || y0 > h) continue;
          const ly = Math.max(0, y0) + 1;
          if (ly - lastLabelY >= 13 && y1 - ly >= 6) {
            ctx.fillStyle = '#b7c0cc';
            if (!firstLabel) firstLabel = g.label;
            ctx.fillText(fitText(ctx, g.label, textW), textX, ly);
            lastLabelY = ly;
          }
        }
      } else if (p.rowLabel && p.rows > 0) {
        // Rows too short for every id: label every k-th row, with a tick to the row it names.
        labels = 'sparse';
        const k = Math.ceil(14 / p.rowPx);
        ctx.fillStyle = '#aab3bf';
        for (let r = Math.ceil(first / k) * k; r <= last; r += k) {
          const yc = r * p.rowPx - top + p.rowPx / 2;
          const text = p.rowLabel(r);
          if (!firstLabel) firstLabel = text;
          ctx.fillRect(gutter - 4, Math.round(yc), 4, 1);
          // Keep the text inside the canvas (the tick still points at the row).
          ctx.fillText(fitText(ctx, text, textW - 4), textX, Math.min(h - 7, Math.max(7, yc)));
        }
      }
    }
    cv.dataset.labels = labels;
    cv.dataset.firstLabel = firstLabel;
    cv.dataset.scale = `${p.scale.kind} ${p.scale.lo} ${p.scale.hi}`;
    const ft = foot.current;
    if (ft) ft.textContent = p.rows > 0 ? `rows ${(first + 1).toLocaleString('en-US')}–${(last + 1).toLocaleString('en-US')} of ${p.rows.toLocaleString('en-US')}` : 'no rows';
    // Cursor row and hover crosshair.
    if (p.cursor !== null && p.cursor !== undefined && p.cursor >= first && p.cursor <= last) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(gutter + 0.75, p.cursor * p.rowPx - top + 0.75, Math.min(w - gutter, p.cols * colPx - left) - 1.5, Math.max(2, p.rowPx) - 1.5);
    }
    const hv = hoverRef.current;
    if (hv && hv.col < 0) {
      ctx.fillStyle = 'rgba(255,255,255,0.08)';
      ctx.fillRect(0, hv.row * p.rowPx - top, Math.max(gutter, Math.min(w, gutter + p.cols * colPx - left)), Math.max(1, p.rowPx));
    } else if (hv) {
      ctx.strokeStyle = 'rgba(255,255,255,0.6)';
      ctx.lineWidth = 1;
      ctx.strokeRect(gutter + hv.col * colPx - left + 0.5, hv.row * p.rowPx - top + 0.5, colPx - 1, Math.max(1, p.rowPx - 1));
    }
    ctx.restore();
    heatmapFrameTimes.push(performance.now() - t0);
    heatmapFrameMissing.push(Math.round(missing / Math.max(1, dpr * p.rowPx)));
    if (heatmapFrameTimes.length > 600) {
      heatmapFrameTimes.splice(0, 300);
      heatmapFrameMissing.splice(0, 300);
    }
    if (p.rows > 0 && last >= first) p.request?.(first, last);
  }, [colPx, gutter]);

  const schedule = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  useEffect(() => {
    schedule();
  }, [schedule, rows, cols, rowPx, scale, version, groups, cursor, size, colPx, props.rowValues, props.rowLabel]);

  // Clear the pending id too: under StrictMode (the dev server) effects run, clean up and run
  // again, and a stale non-zero id would stop `schedule` from ever drawing (blank canvas).
  useEffect(() => () => {
    cancelAnimationFrame(frame.current);
    frame.current = 0;
  }, []);

  // Keep the cursor row in view.
  useEffect(() => {
    const el = scroller.current;
    if (!el || cursor === null || cursor === undefined) return;
    const y = cursor * rowPx;
    if (y < el.scrollTop) el.scrollTop = y;
    else if (y + rowPx > el.scrollTop + el.clientHeight) el.scrollTop = y + rowPx - el.clientHeight;
  }, [cursor, rowPx]);

  // Ctrl/⌘ + wheel zooms (a non-passive listener, so the page itself does not zoom).
  const onZoomRef = useRef(props.onZoom);
  onZoomRef.current = props.onZoom;
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!(e.ctrlKey || e.metaKey) || !onZoomRef.current) return;
      e.preventDefault();
      onZoomRef.current(e.deltaY < 0 ? 1 : -1);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  // Scroll sync between side-by-side heatmaps.
  useEffect(() => {
    if (!sync) return;
    const me = syncId.current;
    const fn = (t: number, l: number, from: object) => {
      const el = scroller.current;
      if (!el || from === me) return;
      if (el.scrollTop !== t) el.scrollTop = t;
      if (el.scrollLeft !== l) el.scrollLeft = l;
    };
    sync.listeners.add(fn);
    return () => { sync.listeners.delete(fn); };
  }, [sync]);

  const onScroll = () => {
    schedule();
    const el = scroller.current;
    if (sync && el) for (const l of sync.listeners) l(el.scrollTop, el.scrollLeft, syncId.current);
  };

  const cellAt = (clientX: number, clientY: number) => {
    const el = scroller.current!;
    const rect = el.getBoundingClientRect();
    const x = clientX - rect.left - gutter;
    const y = clientY - rect.top;
    if (x < -gutter || y < 0 || y >= el.clientHeight) return null;
    const row = Math.floor((el.scrollTop + y) / rowPx);
    // Over the gutter the row is still named (the tooltip gives its id); col -1.
    const col = x < 0 ? -1 : Math.floor((el.scrollLeft + x) / colPx);
    if (row >= rows || col >= cols) return null;
    return { row, col };
  };

  const drag = useRef<{ x: number; y: number; top: number; left: number; moved: boolean } | null>(null);
  const onPointerDown = (e: React.PointerEvent) => {
    if (e.button !== 0) return;
    const el = scroller.current!;
    // Leave the native scrollbars alone.
    const rect = el.getBoundingClientRect();
    if (e.clientX - rect.left >= el.clientWidth || e.clientY - rect.top >= el.clientHeight) return;
    drag.current = { x: e.clientX, y: e.clientY, top: el.scrollTop, left: el.scrollLeft, moved: false };
    el.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: React.PointerEvent) => {
    const d = drag.current;
    const el = scroller.current!;
    if (d) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
      if (d.moved) {
        el.scrollTop = d.top - dy;
        el.scrollLeft = d.left - dx;
        return;
      }
    }
    const cell = cellAt(e.clientX, e.clientY);
    hoverRef.current = cell;
    props.onHover?.(cell ? { ...cell, clientX: e.clientX, clientY: e.clientY } : null);
    schedule();
  };
  const onPointerUp = (e: React.PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (d && !d.moved) {
      const cell = cellAt(e.clientX, e.clientY);
      if (cell) props.onSelect?.(cell.row);
    }
  };
  const onLeave = () => {
    hoverRef.current = null;
    props.onHover?.(null);
    schedule();
  };

  return (
    <div className="heatmap" data-testid={testId} data-rows={rows} data-cols={cols} data-scale-kind={scale.kind} data-row-px={rowPx}>
      <div
        ref={scroller}
        className="heatmap-scroll"
        style={{ height: props.height ?? 420 }}
        onScroll={onScroll}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={onLeave}
        role="img"
        aria-label={`${label ?? 'Heatmap'}: ${rows} rows × ${cols} columns; drag to pan, click a row to select it`}
      >
        <canvas ref={canvas} className="heatmap-canvas" />
        <div className="heatmap-spacer" style={{ width: gutter + cols * colPx, height: rows * rowPx, marginTop: -size.h }} />
      </div>
      {(props.footer ?? gutter > 0) && <div ref={foot} className="heatmap-foot mono small muted" data-testid={testId ? `${testId}-rows` : undefined} aria-live="off" />}
    </div>
  );
}

/**
 * Colour legend: the scale's kind and range over its ramp, and the no-value patterns the
 * map may show (hatched = lane missing from this pack, dotted = not decoded yet).
 */
export function HeatLegend({ scale, label, missing = false, pending = true, testId = 'heat-legend' }: {
  scale: HeatScale;
  label?: string;
  /** Show the "lane missing" swatch. */
  missing?: boolean;
  /** Show the "not decoded yet" swatch. */
  pending?: boolean;
  testId?: string;
}) {
  const { kind: k, lo, hi } = scale;
  const gradient = useMemo(() => {
    const s: HeatScale = { kind: k, lo, hi };
    const stops = Array.from({ length: 11 }, (_, i) => i / 10);
    return `linear-gradient(to right, ${stops.map((t) => `${cssOf(lo + t * (hi - lo), s)} ${t * 100}%`).join(', ')})`;
  }, [k, lo, hi]);
  const kind = scale.kind === 'sequential' ? 'sequential' : 'diverging around 0';
  return (
    <div className="legend heat-legend" data-testid={testId} data-kind={scale.kind} data-lo={scale.lo} data-hi={scale.hi}>
      <span className="muted small legend-kind">{kind}</span>
      <span className="mono small">{formatScaleValue(scale.lo)}</span>
      <span className="legend-bar" style={{ background: gradient }} />
      <span className="mono small">{scale.lo === 0 && scale.hi === 0 ? '0 (all zero)' : formatScaleValue(scale.hi)}</span>
      {label && <span className="muted small">{label}</span>}
      {missing && <span className="legend-swatch small muted" title="The lane is not in this pack"><span className="swatch-missing" />missing lane</span>}
      {pending && <span className="legend-swatch small muted" title="Shown until the lane is read and decoded"><span className="swatch-pending" />not decoded yet</span>}
    </div>
  );
}

/** Fixed-position tooltip placement next to the pointer, kept inside the window. */
export function tooltipAt(clientX: number, clientY: number, w = 320, h = 80): { left: number; top: number } {
  const left = clientX + 14 + w > window.innerWidth ? Math.max(4, clientX - w - 10) : clientX + 14;
  const top = clientY + 12 + h > window.innerHeight ? Math.max(4, clientY - h - 8) : clientY + 12;
  return { left, top };
}
