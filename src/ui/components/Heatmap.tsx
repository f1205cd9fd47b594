/**
 * Lanes × dims heatmap on one canvas. Rows are virtual: only the rows in view are drawn and
 * requested (the caller decodes them on demand), each frame fills one ImageData through a
 * colour lookup table and copies repeated pixel rows, so 65,535 lanes pan as smoothly as 50.
 * Native scrollbars pan (and drag-to-pan); the zoom controls change row and column size.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { CLASS_COLORS, divergingLut, lutIndex } from '../lib/color';

export type RowValues = ArrayLike<number> | null | 'error';

export interface HeatGroup { start: number; count: number; label: string; cls: string }

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
  /** Symmetric colour domain [-domain, domain]. */
  domain: number;
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
  /** Ctrl/⌘ + wheel over the map: +1 zoom in, −1 zoom out. */
  onZoom?: (dir: 1 | -1) => void;
}

const EMPTY = 0xff2a241c; // ABGR: not yet decoded (#1c242a-ish)
const ERROR = 0xff3a2a6b; // red-brown

/** Frame timings for the benchmark (ms spent drawing), newest last. */
export const heatmapFrameTimes: number[] = [];
/** Per frame: visible rows not decoded yet when the frame was drawn (same order). */
export const heatmapFrameMissing: number[] = [];

export function Heatmap(props: HeatmapProps) {
  const { rows, cols, rowPx, domain, version, groups, cursor, sync, testId, label } = props;
  const gutter = props.gutter ?? 128;
  const scroller = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
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
    const lut = divergingLut();
    const img = ctx.createImageData(Math.max(1, cw), H);
    const buf = new Uint32Array(img.data.buffer);
    // Column of each device pixel.
    const colOf = new Int32Array(Math.max(1, cw));
    for (let x = 0; x < cw; x++) {
      const c = Math.floor((left + x / dpr) / colPx);
      colOf[x] = c < p.cols ? c : -1;
    }
    const bg = 0xff201a16;
    let prevRow = -2;
    let missing = 0;
    for (let y = 0; y < H; y++) {
      const r = Math.floor((top + y / dpr) / p.rowPx);
      const o = y * cw;
      if (r === prevRow && y > 0) {
        buf.copyWithin(o, o - cw, o);
        continue;
      }
      prevRow = r;
      if (r >= p.rows) {
        buf.fill(bg, o, o + cw);
        continue;
      }
      const vals = p.rowValues(r);
      if (vals === null || vals === 'error') {
        if (vals === null) missing++;
        buf.fill(vals === null ? EMPTY : ERROR, o, o + cw);
        continue;
      }
      for (let x = 0; x < cw; x++) {
        const c = colOf[x];
        buf[o + x] = c < 0 ? bg : lut[lutIndex(vals[c], p.domain)];
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
    // Gutter: class band and group labels.
    ctx.fillStyle = '#161a20';
    ctx.fillRect(0, 0, gutter, h);
    if (gutter > 0) {
      const gs = p.groups ?? [];
      let lastLabelY = -100;
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      for (const g of gs) {
        const y0 = g.start * p.rowPx - top;
        const y1 = (g.start + g.count) * p.rowPx - top;
        if (y1 < 0 || y0 > h) continue;
        ctx.fillStyle = CLASS_COLORS[g.cls] ?? '#8a94a3';
        ctx.fillRect(2, Math.max(0, y0), 4, Math.min(h, y1) - Math.max(0, y0));
        ctx.fillStyle = '#111418';
        ctx.fillRect(gutter, y0, Math.min(w - gutter, p.cols * colPx - left), 1);
        const ly = Math.max(0, y0) + 1;
        if (ly - lastLabelY >= 13 && y1 - ly >= 6) {
          ctx.fillStyle = '#b7c0cc';
          ctx.fillText(g.label, 10, ly, gutter - 14);
          lastLabelY = ly;
        }
      }
      if (p.rows > 0) {
        // Where we are: the visible row range, bottom of the gutter.
        ctx.fillStyle = '#161a20';
        ctx.fillRect(0, h - 16, gutter, 16);
        ctx.fillStyle = '#8a94a3';
        ctx.fillText(`rows ${(first + 1).toLocaleString('en-US')}–${(last + 1).toLocaleString('en-US')}`, 10, h - 14, gutter - 14);
      }
      if (gs.length === 0 && p.rowPx >= 11) {
        ctx.fillStyle = '#8a94a3';
        for (let r = first; r <= last; r++) ctx.fillText(String(r), 10, r * p.rowPx - top + 1, gutter - 14);
      }
    }
    // Cursor row and hover crosshair.
    if (p.cursor !== null && p.cursor !== undefined && p.cursor >= first && p.cursor <= last) {
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(gutter + 0.75, p.cursor * p.rowPx - top + 0.75, Math.min(w - gutter, p.cols * colPx - left) - 1.5, Math.max(2, p.rowPx) - 1.5);
    }
    const hv = hoverRef.current;
    if (hv) {
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
  }, [schedule, rows, cols, rowPx, domain, version, groups, cursor, size, colPx, props.rowValues]);

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
    if (x < 0 || y < 0) return null;
    const row = Math.floor((el.scrollTop + y) / rowPx);
    const col = Math.floor((el.scrollLeft + x) / colPx);
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
    <div className="heatmap" data-testid={testId} data-rows={rows} data-cols={cols}>
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
    </div>
  );
}

/** Colour legend for a symmetric domain. */
export function HeatLegend({ domain, label }: { domain: number; label?: string }) {
  const stops = Array.from({ length: 11 }, (_, i) => i / 10);
  return (
    <div className="legend" data-testid="heat-legend">
      <span className="mono small">−{domain.toPrecision(3)}</span>
      <span className="legend-bar" style={{ background: `linear-gradient(to right, ${stops.map((t) => `${cssAt(t)} ${t * 100}%`).join(', ')})` }} />
      <span className="mono small">+{domain.toPrecision(3)}</span>
      {label && <span className="muted small">{label}</span>}
    </div>
  );
}

function cssAt(t: number): string {
  const v = divergingLut()[Math.round(t * 511)];
  return `rgb(${v & 255},${(v >> 8) & 255},${(v >> 16) & 255})`;
}

/** Fixed-position tooltip placement next to the pointer, kept inside the window. */
export function tooltipAt(clientX: number, clientY: number, w = 320, h = 80): { left: number; top: number } {
  const left = clientX + 14 + w > window.innerWidth ? Math.max(4, clientX - w - 10) : clientX + 14;
  const top = clientY + 12 + h > window.innerHeight ? Math.max(4, clientY - h - 8) : clientY + 12;
  return { left, top };
}
