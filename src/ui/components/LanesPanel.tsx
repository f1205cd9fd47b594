import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { symbolIndex } from '../../core/pack/base62';
import { CLASS_ORDER } from '../../core/pack/classes';
import { usePackHandle, useGlobalKey } from '../hooks';
import { CLASS_COLORS } from '../lib/color';
import { arrangeLanes, laneMeta } from '../lib/lanes';
import { ensureLanes, laneError, peekLane, type PackHandle } from '../packRegistry';
import type { OpenFile, PackSummary } from '../store';
import { useWorkbench, useWorkbenchStore } from '../StoreContext';
import { HeatLegend, Heatmap, tooltipAt, type HeatHover } from './Heatmap';
import { LaneDetail } from './LaneDetail';

/** Symmetric colour domain of a pack: the largest value any stored int16 can decode to. */
export function packDomain(handle: PackHandle): number {
  const s = Object.values(handle.reader.scales);
  return 1 / Math.min(...s);
}

/** Domain fitted to the lanes decoded so far (falls back to the pack range before any). */
export function fitDomain(handles: PackHandle[]): number {
  const m = Math.max(...handles.map((h) => h.maxAbs));
  return m > 0 ? m : Math.max(...handles.map(packDomain));
}

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
  const rowValues = useCallback((row: number) => {
    if (!hid) return null;
    const i = arr.rows[row];
    const l = peekLane(hid, i);
    if (l) return l.W;
    return laneError(hid, i) ? 'error' : null;
  }, [hid, arr]);
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
  const domain = view.scale === 'fit' ? fitDomain([handle]) : packDomain(handle);
  const hoverLane = hover ? arr.rows[hover.row] : -1;
  const hoverData = hoverLane >= 0 ? peekLane(handle.id, hoverLane) : undefined;
  const toggleClass = (c: string) => {
    const hidden = new Set(view.hiddenClasses);
    if (hidden.has(c)) hidden.delete(c); else hidden.add(c);
    store.getState().setLaneView({ hiddenClasses: [...hidden] });
  };
  const counts = new Map<string, number>();
  for (let i = 0; i < meta.cls.length; i++) counts.set(CLASS_ORDER[meta.cls[i]], (counts.get(CLASS_ORDER[meta.cls[i]]) ?? 0) + 1);

  return (
    <div className="lanes-layout" data-testid="lanes-panel" data-file={file.name}>
      <section className="panel heat-panel" ref={heatBox}>
        <header className="panel-head wrap">
          <h3>Lane heatmap</h3>
          <span className="muted small" data-testid="lane-count">{arr.rows.length.toLocaleString('en-US')} of {pack.laneIds.length.toLocaleString('en-US')} lanes × {pack.header.dims} dims</span>
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
              <option value="fit">fit decoded</option>
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
          {CLASS_ORDER.filter((c) => counts.get(c)).map((c) => (
            <button key={c} type="button" className={`class-chip${view.hiddenClasses.includes(c) ? ' off' : ''}`} onClick={() => toggleClass(c)} aria-pressed={!view.hiddenClasses.includes(c)}>
              <span className="swatch" style={{ background: CLASS_COLORS[c] }} />{c} <span className="muted">{counts.get(c)}</span>
            </button>
          ))}
          <span className="grow" />
          <HeatLegend domain={domain} label={view.scale === 'fit' ? 'float value (max |w| decoded)' : 'float value (±1/min QSCALE)'} />
        </div>
        {arr.error && <p className="text-error small pad">Bad pattern: {arr.error}</p>}
        <Heatmap
          testId="heatmap"
          label="Lane heatmap"
          rows={arr.rows.length}
          cols={pack.header.dims}
          rowValues={rowValues}
          request={request}
          domain={domain}
          version={version}
          groups={groups}
          cursor={cursorRow >= 0 ? cursorRow : null}
          onHover={setHover}
          onSelect={(row) => store.getState().selectLane(arr.rows[row])}
          rowPx={rowPx}
          colPx={colZoom > 1 ? Math.max(2, ((heatWidth - 130) / pack.header.dims) * colZoom) : undefined}
          onZoom={zoomRows}
          height={Math.max(140, Math.min(Math.max(300, Math.min(560, window.innerHeight - 300)), arr.rows.length * rowPx + 4))}
        />
        {hover && hoverLane >= 0 && (
          <div className="tooltip" style={tooltipAt(hover.clientX, hover.clientY)} data-testid="heat-tooltip">
            <div className="mono">{pack.laneIds[hoverLane]}</div>
            <div className="muted small">{handle.reader.index[hoverLane].sym} · {CLASS_ORDER[meta.cls[hoverLane]]} · dim {hover.col}</div>
            {hoverData ? (
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
