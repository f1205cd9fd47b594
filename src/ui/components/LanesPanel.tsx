import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { symbolIndex } from '../../core/pack/base62';
import { CLASS_ORDER } from '../../core/pack/classes';
import { usePackHandle, useGlobalKey } from '../hooks';
import { addValues, chooseScale, CLASS_COLORS, emptyStats } from '../lib/color';
import { arrangeLanes, laneMeta } from '../lib/lanes';
import { ensureLanes, laneError, peekLane, type PackHandle } from '../packRegistry';
import type { OpenFile, PackSummary } from '../store';
import { useWorkbench, useWorkbenchStore } from '../StoreContext';
import { HeatLegend, Heatmap, tooltipAt, type HeatHover, type RowValues } from './Heatmap';
import { LaneDetail } from './LaneDetail';

/** The pack's representable range: the largest magnitude any stored int16 can decode to. */
export function packDomain(handle: PackHandle): number {
  const s = Object.values(handle.reader.scales);
  return 1 / Math.min(...s);
}

/** Width of the lane-id gutter (CSS px). */
const GUTTER = 150;

export function LanesPanel({ file, pack }: { file: OpenFile; pack: PackSummary }) {
  const store = useWorkbenchStore();
  const { handle, version } = usePackHandle(pack.handle);
  const view = useWorkbench((s) => s.laneView);
  const lane = useWorkbench((s) => s.lane);
  const [rowPx, setRowPx] = useState(() => (pack.laneIds.length > 2000 ? 3 : pack.laneIds.length > 200 ? 6 : 14));
  const [hover, setHover] = useState<HeatHover | null>(null);
  const [colZoom, setColZoom] = useState(1);
  const zoomRows = (dir: 1 | -1) => setRowPx((r) => (dir > 0 ? Math.min(40, Math.ceil(r * 1.5)) : Math.max(1, Math.floor(r / 1.5))));
  const filterRef = useRef<HTMLInputElement>(null);
  const heatBox = useRef<HTMLElement>(null);
  const heatWidth = heatBox.current?.clientWidth ?? 800;
  // Value range of the lanes drawn so far: the colour scale follows it (sequential when every
  // value has one sign, diverging around 0 otherwise). Widened as rows are drawn.
  const seen = useRef({ stats: emptyStats(), lanes: new Uint8Array(pack.laneIds.length), queued: false });
  const [statsVersion, setStatsVersion] = useState(0);

  const meta = useMemo(() => {
    const audited = (handle?.reader.audit?.lanes ?? []).map((a) => ({ index: symbolIndex(a.sym), ratio: a.total ? a.clipped / a.total : 0 }));
    return laneMeta(pack.laneIds, audited);
  }, [pack.laneIds, handle]);
  const arr = useMemo(() => arrangeLanes(pack.laneIds, meta, view), [pack.laneIds, meta, view]);
  const rowOfLane = useMemo(() => {
    const m = new Int32Array(pack.laneIds.length).fill(-1);
    arr.rows.forEach((i, r) => { m[i] = r; });
    return m;
  }, [arr, pack.laneIds.length]);
  const groups = useMemo(() => arr.groups.map((g) => ({ start: g.start, count: g.count, cls: g.cls, label: `${g.cls}${g.window ? ` · ${g.window}` : ''} (${g.count})` })), [arr]);
  const cursorRow = lane !== null && lane < rowOfLane.length ? rowOfLane[lane] : -1;

  const hid = handle?.id;
  const rowValues = useCallback((row: number): RowValues => {
    if (!hid) return null;
    const i = arr.rows[row];
    const l = peekLane(hid, i);
    if (l) {
      const s = seen.current;
      if (!s.lanes[i]) {
        s.lanes[i] = 1;
        if (addValues(s.stats, l.W) && !s.queued) {
          s.queued = true;
          queueMicrotask(() => { s.queued = false; setStatsVersion((v) => v + 1); });
        }
      }
      return l.W;
    }
    return laneError(hid, i) ? 'error' : null;
  }, [hid, arr]);
  const rowLabel = useCallback((row: number) => pack.laneIds[arr.rows[row]], [pack.laneIds, arr]);
  const range = handle ? packDomain(handle) : 1;
  const scale = useMemo(
    () => chooseScale({ ...seen.current.stats }, view.scale === 'pack' ? range : undefined),
    [statsVersion, view.scale, range],
  );
  const request = useCallback((first: number, last: number) => {
    if (!hid) return;
    const idx: number[] = [];
    const pad = Math.min(64, last - first + 1);
    for (let r = Math.max(0, first - pad); r <= Math.min(arr.rows.length - 1, last + pad); r++) idx.push(arr.rows[r]);
    void ensureLanes(hid, idx);
  }, [hid, arr]);

  // Keyboard: '/' focuses the filter, arrows move the lane cursor.
  useGlobalKey((e) => {
    if (e.key === '/') {
      e.preventDefault();
      filterRef.current?.focus();
      filterRef.current?.select();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (arr.rows.length === 0) return;
      e.preventDefault();
      const r = cursorRow < 0 ? 0 : Math.max(0, Math.min(arr.rows.length - 1, cursorRow + (e.key === 'ArrowDown' ? 1 : -1)));
      store.getState().selectLane(arr.rows[r]);
    }
  }, [arr, cursorRow, store]);

  useEffect(() => {
    const onFocus = () => { filterRef.current?.focus(); };
    window.addEventListener('asx:focus-filter', onFocus);
    return () => window.removeEventListener('asx:focus-filter', onFocus);
  }, []);

  if (!handle) return <p className="muted">This pack is not available for lane decoding.</p>;
  const hoverLane = hover ? arr.rows[hover.row] : -1;
  const hoverData = hoverLane >= 0 ? peekLane(handle.id, hoverLane) : undefined;
  const toggleClass = (c: string) => {
    const hidden = new Set(view.hiddenClasses);
    if (hidden.has(c)) hidden.delete(c); else hidden.add(c);
    store.getState().setLaneView({ hiddenClasses: [...hidden] });
  };
  const totals = new Map<string, number>();
  for (let i = 0; i < meta.cls.length; i++) totals.set(CLASS_ORDER[meta.cls[i]], (totals.get(CLASS_ORDER[meta.cls[i]]) ?? 0) + 1);
  const filtering = !arr.error && (view.pattern.trim() !== '' || view.minSaturation > 0);
  const clearFilters = () => store.getState().setLaneView({ pattern: '', hiddenClasses: [], minSaturation: 0 });

  return (
    <div className="lanes-layout" data-testid="lanes-panel" data-file={file.name}>
      <section className="panel heat-panel" ref={heatBox}>
        <header className="panel-head wrap">
          <h3>Lane heatmap</h3>
          {arr.error
            ? <span className="small lane-count-error" data-testid="lane-filter-error" role="alert">Bad pattern: {arr.error} (filter not applied)</span>
            : <span className="muted small" data-testid="lane-count">{arr.rows.length.toLocaleString('en-US')} of {pack.laneIds.length.toLocaleString('en-US')} lanes × {pack.header.dims} dims</span>}
          <span className="grow" />
          <input
            ref={filterRef}
            className="input"
            placeholder="Filter ids (/ ) — text or /regex/"
            value={view.pattern}
            onChange={(e) => store.getState().setLaneView({ pattern: e.target.value })}
            onKeyDown={(e) => { if (e.key === 'Escape') (e.target as HTMLInputElement).blur(); }}
            data-testid="lane-filter"
            aria-label="Filter lanes by id"
            aria-invalid={arr.error ? 'true' : undefined}
          />
          <label className="small muted">Sort{' '}
            <select className="input" value={view.sort} onChange={(e) => store.getState().setLaneView({ sort: e.target.value as typeof view.sort })} data-testid="lane-sort">
              <option value="class">class · window</option>
              <option value="id">id (symbol order)</option>
              <option value="saturation">saturation</option>
            </select>
          </label>
          <label className="small muted" title="Keep lanes whose audited clip ratio is at least this (lanes without an audit entry are hidden)">Sat ≥{' '}
            <select className="input" value={view.minSaturation} onChange={(e) => store.getState().setLaneView({ minSaturation: Number(e.target.value) })} data-testid="lane-sat">
              <option value={0}>any</option>
              <option value={0.001}>&gt;0%</option>
              <option value={0.01}>1%</option>
              <option value={0.05}>5%</option>
              <option value={0.1}>10%</option>
            </select>
          </label>
          <label className="small muted">Scale{' '}
            <select className="input" value={view.scale} onChange={(e) => store.getState().setLaneView({ scale: e.target.value as 'pack' | 'fit' })} data-testid="lane-scale">
              <option value="fit">fit to data</option>
              <option value="pack">pack range</option>
            </select>
          </label>
          <span className="zoom" role="group" aria-label="Zoom rows" title="Row height (Ctrl + wheel over the map)">
            <span className="small muted">Rows</span>
            <button type="button" className="btn btn-small" onClick={() => zoomRows(-1)} aria-label="Zoom rows out" data-testid="zoom-out">−</button>
            <span className="mono small">{rowPx}px</span>
            <button type="button" className="btn btn-small" onClick={() => zoomRows(1)} aria-label="Zoom rows in" data-testid="zoom-in">+</button>
          </span>
          <span className="zoom" role="group" aria-label="Zoom columns" title="Column width; drag the map to pan">
            <span className="small muted">Dims</span>
            <button type="button" className="btn btn-small" onClick={() => setColZoom((z) => Math.max(1, z / 2))} aria-label="Zoom columns out" disabled={colZoom <= 1}>−</button>
            <span className="mono small">×{colZoom}</span>
            <button type="button" className="btn btn-small" onClick={() => setColZoom((z) => Math.min(16, z * 2))} aria-label="Zoom columns in" data-testid="zoom-cols-in">+</button>
          </span>
        </header>
        <div className="class-chips">
          {CLASS_ORDER.filter((c) => totals.get(c)).map((c) => {
            // Counts follow the id pattern and saturation filter (what the chip would show).
            const n = arr.classCounts.get(c) ?? 0;
            const all = totals.get(c)!;
            return (
              <button key={c} type="button" className={`class-chip${view.hiddenClasses.includes(c) ? ' off' : ''}`} onClick={() => toggleClass(c)} aria-pressed={!view.hiddenClasses.includes(c)}
                data-testid="class-chip" data-class={c} data-count={n} title={filtering ? `${n} of ${all} ${c} lanes match the filter` : `${all} ${c} lanes`}>
                <span className="swatch" style={{ background: CLASS_COLORS[c] }} />{c} <span className="muted">{filtering ? `${n.toLocaleString('en-US')} of ${all.toLocaleString('en-US')}` : all.toLocaleString('en-US')}</span>
              </button>
            );
          })}
          <span className="grow" />
          <HeatLegend scale={scale} label={view.scale === 'fit' ? 'fitted to the lanes drawn so far' : 'pack range (1/min QSCALE)'} />
        </div>
        {arr.rows.length === 0 ? (
          <div className="lanes-empty" data-testid="lanes-empty" role="status">
            <h4>No lane matches</h4>
            <p className="muted small">
              {[
                view.pattern.trim() && `id filter “${view.pattern.trim()}”`,
                view.hiddenClasses.length > 0 && `hidden classes: ${view.hiddenClasses.join(', ')}`,
                view.minSaturation > 0 && `saturation ≥ ${view.minSaturation * 100}%`,
              ].filter(Boolean).join(' · ')}
              {' '}— none of the {pack.laneIds.length.toLocaleString('en-US')} lanes pass.
            </p>
            <button type="button" className="btn btn-small" onClick={clearFilters} data-testid="lanes-clear-filters">Clear filters</button>
          </div>
        ) : <Heatmap
          testId="heatmap"
          label="Lane heatmap"
          rows={arr.rows.length}
          cols={pack.header.dims}
          rowValues={rowValues}
          request={request}
          scale={scale}
          version={version}
          groups={groups}
          rowLabel={rowLabel}
          gutter={GUTTER}
          cursor={cursorRow >= 0 ? cursorRow : null}
          onHover={setHover}
          onSelect={(row) => store.getState().selectLane(arr.rows[row])}
          rowPx={rowPx}
          colPx={colZoom > 1 ? Math.max(2, ((heatWidth - GUTTER - 2) / pack.header.dims) * colZoom) : undefined}
          onZoom={zoomRows}
          height={Math.max(140, Math.min(Math.max(300, Math.min(560, window.innerHeight - 300)), arr.rows.length * rowPx + 4))}
        />}
        {hover && hoverLane >= 0 && arr.rows.length > 0 && (
          <div className="tooltip" style={tooltipAt(hover.clientX, hover.clientY)} data-testid="heat-tooltip">
            <div className="mono">{pack.laneIds[hoverLane]}</div>
            <div className="muted small">{handle.reader.symOf(hoverLane)} · {CLASS_ORDER[meta.cls[hoverLane]]}{hover.col >= 0 ? ` · dim ${hover.col}` : ` · row ${(hover.row + 1).toLocaleString('en-US')}`}</div>
            {hover.col < 0 ? null : hoverData ? (
              <div className="mono small">w = {hoverData.W[hover.col].toPrecision(6)} · q = {hoverData.q[hover.col]}</div>
            ) : (
              <div className="muted small">{laneError(handle.id, hoverLane)?.code ?? 'decoding…'}</div>
            )}
          </div>
        )}
      </section>
      <LaneDetail key={`${handle.id}:${lane}`} handle={handle} lane={lane} />
    </div>
  );
}
