/**
 * The Tensors face: safetensors files (single or sharded) dropped anywhere in the window, or
 * the bundled demo pair. Every tensor listed (name, dtype, shape, bytes, offset) with a filter;
 * the selected one as a heatmap (paged, read by range from the Blob), statistics and a
 * histogram (computed in a worker, with progress and cancel), its first values and the header
 * metadata; and a tensor-by-tensor diff of two open models (also in the worker).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { TensorDiff, TensorStats } from '../../core/tensors/stats';
import { ErrorCard } from '../components/ErrorCard';
import { formatBytes, formatInt } from '../format';
import { subscribeInbox, takeInbox } from '../inbox';
import { chooseScale, divergingCss, lutFor, lutIndex, sequentialCss, type HeatScale } from '../lib/color';
import type { UiError } from '../store';
import { JobCancelled, startTensorJob, TensorJobError, type Job } from './client';
import type { JobStage } from './jobs';
import { toUiError, type OpenedModel, type TensorRow } from './source';
import { addModel, closeModel, selectTensor, setActive, setDiffPair, setFilter, tensorsStore, type ModelEntry } from './store';
import { diffPlan, filterRows, fmtNum, fmtShape, gridOf, pageCount, pageOf, toCells, MAX_CELLS, type DiffRow } from './view';
import './tensors.css';

export const DEMO_TENSORS = ['demo-tensors-a.safetensors', 'demo-tensors-b.safetensors'];

function useTensors<T>(sel: (s: ReturnType<typeof tensorsStore.getState>) => T): T {
  return useStore(tensorsStore, sel);
}

async function openDemoPair(): Promise<void> {
  const base = new URL(import.meta.env.BASE_URL, window.location.href);
  const ids: string[] = [];
  for (const f of DEMO_TENSORS) {
    try {
      const res = await fetch(new URL(`demo/${f}`, base));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      ids.push(await addModel({ kind: 'single', name: f, file: await res.blob() }));
    } catch (e) {
      // Listed as a failed model so the error card names it; others stay open.
      const file = new Blob([]);
      const id = await addModel({ kind: 'single', name: f, file });
      tensorsStore.setState((s) => ({ models: s.models.map((m) => (m.id === id ? { ...m, status: 'error', error: { code: 'io_error', message: `Could not fetch the demo file: ${e instanceof Error ? e.message : String(e)}`, file: f } } : m)) }));
    }
  }
  if (ids.length === 2) { setDiffPair(ids[0], ids[1]); setActive(ids[0]); }
}

export default function TensorsPanel() {
  const models = useTensors((s) => s.models);
  const activeId = useTensors((s) => s.activeId);
  const active = models.find((m) => m.id === activeId) ?? null;

  useEffect(() => {
    const take = () => {
      for (const it of takeInbox('tensors')) {
        void addModel(it.related
          ? { kind: 'sharded', name: it.name, index: it.file, shards: it.related.map((r) => ({ name: r.name, file: r.file })) }
          : { kind: 'single', name: it.name, file: it.file });
      }
    };
    take();
    return subscribeInbox('tensors', take);
  }, []);

  return (
    <div className="tensors-face" data-testid="tensors-face">
      <ModelList models={models} activeId={activeId} />
      {!active && (
        <div className="tensors-empty" data-testid="tensors-empty">
          <h2>No safetensors open</h2>
          <p className="muted">Drop a <code>.safetensors</code> file anywhere in this window (several at once, or a folder with <code>model.safetensors.index.json</code> for a sharded model), or open the demo pair.</p>
        </div>
      )}
      {active?.status === 'loading' && <p className="muted" data-testid="tensors-loading">Opening {active.name}…</p>}
      {active?.status === 'error' && active.error && <ErrorCard error={active.error} size={active.spec.kind === 'single' ? active.spec.file.size : undefined} onDismiss={() => closeModel(active.id)} />}
      {active?.status === 'ready' && active.model && <ModelView key={active.id} entry={active} model={active.model} />}
      <DiffBox models={models} />
    </div>
  );
}

function ModelList({ models, activeId }: { models: ModelEntry[]; activeId: string | null }) {
  return (
    <div className="tensors-files">
      <ul className="tensors-file-list" data-testid="tensors-files">
        {models.map((m) => (
          <li key={m.id} className={`tensors-file${m.id === activeId ? ' on' : ''} st-${m.status}`} data-testid="tensors-file" data-name={m.name} data-status={m.status}>
            <button type="button" className="tensors-file-open" onClick={() => setActive(m.id)} title={m.name}>
              <span className="tensors-file-name">{m.name}</span>
              <span className="muted small">
                {m.status === 'ready' && m.model ? `${formatInt(m.model.rows.length)} tensor${m.model.rows.length === 1 ? '' : 's'} · ${formatBytes(m.model.size)}${m.model.shards > 1 ? ` · ${m.model.shards} shards` : ''}` : m.status === 'error' ? m.error?.code : 'opening…'}
              </span>
            </button>
            <button type="button" className="btn btn-small tensors-file-close" aria-label={`Close ${m.name}`} data-testid="tensors-file-close" onClick={() => closeModel(m.id)}>×</button>
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn-small" data-testid="tensors-demo" onClick={() => void openDemoPair()}>Open demo pair</button>
    </div>
  );
}

function ModelView({ entry, model }: { entry: ModelEntry; model: OpenedModel }) {
  const filter = useTensors((s) => s.filter);
  const selectedName = useTensors((s) => s.selected[entry.id] ?? null);
  const rows = useMemo(() => filterRows(model.rows, filter), [model.rows, filter]);
  const selected = model.rows.find((r) => r.name === selectedName) ?? null;
  const totalElements = model.rows.reduce((s, r) => s + r.elements, 0);
  return (
    <div className="tensors-model">
      <section className="tensors-list-box">
        <div className="row gap tensors-list-head">
          <input className="input grow" type="search" placeholder="Filter: name, dtype or /regex/" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="tensors-filter" aria-label="Filter tensors" />
          <span className="muted small" data-testid="tensors-count">{rows.length === model.rows.length ? `${formatInt(rows.length)} tensor${rows.length === 1 ? '' : 's'}` : `${formatInt(rows.length)} of ${formatInt(model.rows.length)}`}</span>
        </div>
        <div className="tensors-table-scroll">
          <table className="tensors-table tensors-list-table" data-testid="tensors-table">
            <thead><tr><th>Name</th><th>dtype</th><th>Shape</th><th className="num">Bytes</th><th className="num">Offset</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.name} className={r.name === selectedName ? 'on' : ''} data-testid="tensor-row" data-name={r.name} onClick={() => selectTensor(entry.id, r.name)}>
                  <td className="tensors-name" title={r.shard ? `${r.name} (in ${r.shard})` : r.name}>{r.name}</td>
                  <td>{r.dtype}</td>
                  <td title={fmtShape(r.shape)}>{fmtShape(r.shape)}</td>
                  <td className="num">{formatInt(r.bytes)}</td>
                  <td className="num" title={r.shard}>{formatInt(r.offset)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Metadata model={model} totalElements={totalElements} />
      </section>
      <section className="tensors-detail" data-testid="tensor-detail">
        {selected ? <TensorDetail key={selected.name} entry={entry} model={model} row={selected} /> : <p className="muted">Select a tensor.</p>}
      </section>
    </div>
  );
}

function Metadata({ model, totalElements }: { model: OpenedModel; totalElements: number }) {
  const md = model.metadata ? Object.entries(model.metadata) : [];
  return (
    <details className="tensors-meta" open data-testid="tensors-metadata">
      <summary>Header</summary>
      <dl className="tensors-kv">
        <dt>Header bytes</dt><dd>{formatInt(model.headerBytes)}</dd>
        <dt>Elements</dt><dd>{formatInt(totalElements)}</dd>
        {model.shards > 1 && <><dt>Shards</dt><dd>{model.shards}</dd></>}
        {md.length === 0 && <><dt>Metadata</dt><dd className="muted">none</dd></>}
        {md.map(([k, v]) => (
          <div className="tensors-kv-row" key={k} data-testid="tensors-meta-entry" data-key={k}>
            <dt>{k}</dt><dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function TensorDetail({ entry, model, row }: { entry: ModelEntry; model: OpenedModel; row: TensorRow }) {
  return (
    <>
      <h3 className="tensors-title" data-testid="tensor-title">{row.name}</h3>
      <p className="muted small">{row.dtype} · {fmtShape(row.shape)} · {formatInt(row.elements)} elements · {formatBytes(row.bytes)} at byte {formatInt(row.offset)}{row.shard ? ` of ${row.shard}` : ''}</p>
      <TensorHeatmap model={model} row={row} />
      <StatsBox entry={entry} row={row} />
    </>
  );
}

interface PageData { values: Float64Array; rows: number; cols: number; stride: number; row0: number }

function TensorHeatmap({ model, row }: { model: OpenedModel; row: TensorRow }) {
  const grid = useMemo(() => gridOf(row.shape), [row.shape]);
  const pages = pageCount(grid);
  const [page, setPage] = useState(0);
  const [data, setData] = useState<PageData | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [hover, setHover] = useState<string | null>(null);
  const [scale, setScale] = useState<HeatScale | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const cells = useMemo(() => (data ? toCells(data.values, data.rows, data.cols, data.stride) : null), [data]);

  useEffect(() => {
    let live = true;
    setData(null);
    if (pages === 0) return;
    const p = pageOf(grid, row.elements, page);
    model.tensors.view(row.name, p.start, p.count).then(
      (values) => { if (live) setData({ values, rows: p.rowCount, cols: p.colCount, stride: p.rowCount === 1 ? p.colCount : grid.cols, row0: p.row0 }); },
      (e) => { if (live) setError(toUiError(e, row.shard ?? '')); },
    );
    return () => { live = false; };
  }, [model, row, grid, page, pages]);

  useEffect(() => {
    const cv = canvas.current;
    if (!cv || !cells) return;
    const k = Math.max(1, Math.min(64, Math.floor(MAX_CELLS / Math.max(cells.width, cells.height))));
    cv.width = cells.width * k;
    cv.height = cells.height * k;
    let lo = Infinity, hi = -Infinity;
    for (const v of cells.values) if (v === v) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const sc = chooseScale({ min: lo, max: hi });
    setScale(sc);
    const lut = lutFor(sc.kind);
    const img = new ImageData(cv.width, cv.height);
    const px = new Uint32Array(img.data.buffer);
    const nan = 0xffff00ff; // magenta (ABGR): no finite value in the cell
    for (let y = 0; y < cells.height; y++) {
      for (let x = 0; x < cells.width; x++) {
        const v = cells.values[y * cells.width + x];
        const c = v === v ? lut[lutIndex(v, sc)] : nan;
        for (let dy = 0; dy < k; dy++) px.fill(c, (y * k + dy) * cv.width + x * k, (y * k + dy) * cv.width + x * k + k);
      }
    }
    cv.getContext('2d')!.putImageData(img, 0, 0);
    cv.dataset.lo = String(lo);
    cv.dataset.hi = String(hi);
  }, [cells]);

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    if (!data || !cells) return;
    const box = e.currentTarget.getBoundingClientRect();
    const cx = Math.floor(((e.clientX - box.left) / box.width) * cells.width);
    const cy = Math.floor(((e.clientY - box.top) / box.height) * cells.height);
    const r = cy * cells.rowStep, c = cx * cells.colStep;
    const i = r * data.stride + c;
    if (r >= data.rows || c >= data.cols || i >= data.values.length) { setHover(null); return; }
    setHover(`[${data.row0 + r}, ${c}] = ${fmtNum(data.values[i])}${cells.rowStep * cells.colStep > 1 ? ` (cell: mean of ${cells.rowStep}×${cells.colStep})` : ''}`);
  };

  if (error) return <ErrorCard error={error} />;
  return (
    <div className="tensors-heatmap" data-testid="tensor-heatmap">
      <div className="row gap small muted tensors-heatmap-head">
        <span data-testid="tensor-grid">{grid.note}</span>
        {cells && (cells.rowStep > 1 || cells.colStep > 1) && <span>averaged {cells.rowStep}×{cells.colStep} per pixel</span>}
        {pages > 1 && (
          <span className="row gap" data-testid="tensor-pager">
            <button type="button" className="btn btn-small" disabled={page === 0} onClick={() => setPage(page - 1)}>‹</button>
            rows {formatInt(pageOf(grid, row.elements, page).row0)}–{formatInt(pageOf(grid, row.elements, page).row0 + pageOf(grid, row.elements, page).rowCount - 1)} of {formatInt(grid.rows)}
            <button type="button" className="btn btn-small" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>›</button>
          </span>
        )}
      </div>
      <div className="tensors-canvas-box heatmap-scroll">
        {pages === 0 ? <p className="muted">Empty tensor.</p> : <canvas ref={canvas} data-testid="tensor-canvas" onMouseMove={onMove} onMouseLeave={() => setHover(null)} />}
      </div>
      {scale && <Legend scale={scale} />}
      <p className="small mono tensors-hover" data-testid="tensor-hover">{hover ?? (data ? 'Hover for a value' : 'Reading…')}</p>
      {data && <ValuesGrid data={data} />}
    </div>
  );
}

function Legend({ scale }: { scale: HeatScale }) {
  const css = scale.kind === 'sequential' ? sequentialCss : divergingCss;
  // Sequential scales of negative data run by magnitude: the far end is the minimum.
  const stops = scale.kind === 'sequential' && scale.hi <= 0 ? [1, 0.5, 0] : [0, 0.5, 1];
  return (
    <div className="row gap small muted tensors-legend" data-testid="tensor-legend" data-lo={scale.lo} data-hi={scale.hi}>
      <span className="mono">{fmtNum(scale.lo)}</span>
      <span className="tensors-legend-bar" style={{ background: `linear-gradient(to right, ${stops.map(css).join(', ')})` }} />
      <span className="mono">{fmtNum(scale.hi)}</span>
      <span>{scale.kind === 'diverging' ? '(0 at the centre)' : ''}</span>
    </div>
  );
}

/** The page's top-left values as text (at most 8 × 8). */
function ValuesGrid({ data }: { data: PageData }) {
  const rows = Math.min(8, data.rows);
  const cols = Math.min(8, data.cols);
  return (
    <details className="tensors-values">
      <summary>Values (first {rows} × {cols} of this page)</summary>
      <table className="tensors-values-table mono small" data-testid="tensor-values">
        <tbody>
          {Array.from({ length: rows }, (_, r) => (
            <tr key={r}><th>{data.row0 + r}</th>{Array.from({ length: cols }, (_, c) => { const i = r * data.stride + c; return <td key={c}>{i < data.values.length ? fmtNum(data.values[i]) : ''}</td>; })}</tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Progress({ stage, onCancel, testId }: { stage: JobStage | null; onCancel: () => void; testId: string }) {
  const pct = stage && stage.total > 0 ? Math.round((100 * stage.done) / stage.total) : 0;
  return (
    <div className="row gap tensors-progress" data-testid={testId}>
      <progress max={100} value={pct} />
      <span className="small muted">{stage ? (stage.unit === 'bytes' ? `${formatBytes(stage.done)} of ${formatBytes(stage.total)}` : `${stage.done} of ${stage.total} tensors`) : 'starting…'}</span>
      <button type="button" className="btn btn-small" onClick={onCancel} data-testid={`${testId}-cancel`}>Cancel</button>
    </div>
  );
}

function StatsBox({ entry, row }: { entry: ModelEntry; row: TensorRow }) {
  const [stats, setStats] = useState<TensorStats | null>(null);
  const [stage, setStage] = useState<JobStage | null>(null);
  const [state, setState] = useState<'running' | 'done' | 'cancelled' | 'error'>('running');
  const [error, setError] = useState<UiError | null>(null);
  const job = useRef<Job<TensorStats> | null>(null);
  const [run, setRun] = useState(0);

  useEffect(() => {
    let live = true;
    setState('running'); setStats(null); setStage(null);
    const j = startTensorJob({ type: 'stats', model: entry.spec, name: row.name, bins: 48 }, (s) => { if (live) setStage(s); });
    job.current = j;
    j.promise.then(
      (s) => { if (live) { setStats(s); setState('done'); } },
      (e) => {
        if (!live) return;
        if (e instanceof JobCancelled) setState('cancelled');
        else { setError(e instanceof TensorJobError ? e.info : toUiError(e, entry.name)); setState('error'); }
      },
    );
    return () => { live = false; if (job.current === j) j.cancel(); };
  }, [entry.spec, entry.name, row.name, run]);

  return (
    <div className="tensors-stats" data-testid="tensor-stats" data-state={state}>
      <h4>Statistics</h4>
      {state === 'running' && <Progress stage={stage} onCancel={() => job.current?.cancel()} testId="tensor-stats-progress" />}
      {state === 'cancelled' && <p className="muted small">Cancelled. <button type="button" className="btn btn-small" onClick={() => setRun(run + 1)}>Compute again</button></p>}
      {state === 'error' && error && <ErrorCard error={error} />}
      {stats && (
        <div className="tensors-stats-body">
          <dl className="tensors-kv tensors-stat-list">
            <dt>min</dt><dd data-testid="stat-min">{stats.exactMin ?? fmtNum(stats.min)}</dd>
            <dt>max</dt><dd data-testid="stat-max">{stats.exactMax ?? fmtNum(stats.max)}</dd>
            <dt>mean</dt><dd data-testid="stat-mean">{fmtNum(stats.mean)}</dd>
            <dt>std</dt><dd data-testid="stat-std">{fmtNum(stats.std)}</dd>
            <dt>zeros</dt><dd data-testid="stat-zeros">{formatInt(stats.zeros)}</dd>
            <dt>NaN</dt><dd data-testid="stat-nan">{formatInt(stats.nan)}</dd>
            <dt>+Inf / −Inf</dt><dd data-testid="stat-inf">{formatInt(stats.posInf)} / {formatInt(stats.negInf)}</dd>
            <dt>elements</dt><dd data-testid="stat-elements">{formatInt(stats.elements)}</dd>
          </dl>
          {stats.histogram && <Histogram h={stats.histogram} />}
        </div>
      )}
    </div>
  );
}

function Histogram({ h }: { h: NonNullable<TensorStats['histogram']> }) {
  const W = 240, H = 90;
  const top = Math.max(1, ...h.counts);
  const bw = W / h.bins;
  return (
    <figure className="tensors-hist" data-testid="tensor-histogram" data-total={h.counts.reduce((a, b) => a + b, 0)}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Histogram, ${h.bins} bins from ${fmtNum(h.lo)} to ${fmtNum(h.hi)}`}>
        {h.counts.map((c, i) => c > 0 && <rect key={i} x={i * bw + 0.5} width={Math.max(0.5, bw - 1)} y={H - (H * c) / top} height={(H * c) / top}><title>{formatInt(c)}</title></rect>)}
      </svg>
      <figcaption className="row small muted"><span>{fmtNum(h.lo)}</span><span className="grow" /><span>{fmtNum(h.hi)}</span></figcaption>
    </figure>
  );
}

function DiffBox({ models }: { models: ModelEntry[] }) {
  const diffA = useTensors((s) => s.diffA);
  const diffB = useTensors((s) => s.diffB);
  const ready = models.filter((m) => m.status === 'ready' && m.model);
  const a = ready.find((m) => m.id === diffA);
  const b = ready.find((m) => m.id === diffB);
  const [result, setResult] = useState<{ plan: DiffRow[]; diffs: Map<string, TensorDiff>; a: string; b: string } | null>(null);
  const [stage, setStage] = useState<JobStage | null>(null);
  const [running, setRunning] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const job = useRef<Job<TensorDiff[]> | null>(null);
  useEffect(() => () => job.current?.cancel(), []);
  if (ready.length < 2 && !result) return null;

  const compare = () => {
    if (!a?.model || !b?.model) return;
    const plan = diffPlan(a.model.rows, b.model.rows);
    const names = plan.filter((r) => r.status === 'compared').map((r) => r.name);
    setRunning(true); setStage(null); setNote(null); setError(null); setResult(null);
    const j = startTensorJob({ type: 'diff', a: a.spec, b: b.spec, names }, setStage);
    job.current = j;
    j.promise.then(
      (d) => { setResult({ plan, diffs: new Map(d.map((x) => [x.name, x])), a: a.name, b: b.name }); setRunning(false); },
      (e) => {
        setRunning(false);
        if (e instanceof JobCancelled) setNote('Diff cancelled.');
        else setError(e instanceof TensorJobError ? e.info : toUiError(e, a.name));
      },
    );
  };
  const counts = result ? {
    same: result.plan.filter((r) => r.status === 'compared' && result.diffs.get(r.name)?.differing === 0).length,
    differ: result.plan.filter((r) => r.status === 'compared' && (result.diffs.get(r.name)?.differing ?? 0) > 0).length,
    shape: result.plan.filter((r) => r.status === 'shape').length,
    onlyA: result.plan.filter((r) => r.status === 'onlyA').length,
    onlyB: result.plan.filter((r) => r.status === 'onlyB').length,
  } : null;
  return (
    <section className="tensors-diff" data-testid="tensors-diff">
      <h3>Diff</h3>
      <div className="row gap wrap">
        <label className="small">A <select className="input" value={diffA ?? ''} onChange={(e) => setDiffPair(e.target.value || null, diffB)} data-testid="tensors-diff-a">
          <option value="">—</option>{ready.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
        </select></label>
        <label className="small">B <select className="input" value={diffB ?? ''} onChange={(e) => setDiffPair(diffA, e.target.value || null)} data-testid="tensors-diff-b">
          <option value="">—</option>{ready.map((m) => <option key={m.id} value={m.id}>{m.name}</option>)}
        </select></label>
        <button type="button" className="btn" disabled={!a || !b || a === b || running} onClick={compare} data-testid="tensors-diff-run">Compare</button>
      </div>
      {running && <Progress stage={stage} onCancel={() => job.current?.cancel()} testId="tensors-diff-progress" />}
      {note && <p className="muted small" data-testid="tensors-diff-note">{note}</p>}
      {error && <ErrorCard error={error} />}
      {result && counts && (
        <>
          <p className="small" data-testid="tensors-diff-summary">
            {result.a} → {result.b}: {counts.same} identical, {counts.differ} differ, {counts.shape} shape changed, {counts.onlyA} only in A, {counts.onlyB} only in B
          </p>
          <div className="tensors-table-scroll tensors-diff-scroll">
            <table className="tensors-table tensors-diff-table" data-testid="tensors-diff-table">
              <thead><tr><th>Tensor</th><th>Status</th><th className="num">cosine</th><th className="num">‖ΔW‖/‖W‖</th><th className="num">max |Δ|</th><th className="num">differ</th></tr></thead>
              <tbody>
                {result.plan.map((r) => {
                  const d = result.diffs.get(r.name);
                  const status = r.status === 'onlyA' ? 'only in A' : r.status === 'onlyB' ? 'only in B'
                    : r.status === 'shape' ? `shape ${fmtShape(r.shapeA!)} → ${fmtShape(r.shapeB!)}`
                      : `${d?.differing ? 'differs' : 'identical'}${r.dtypeA !== r.dtypeB ? ` (${r.dtypeA} → ${r.dtypeB})` : ''}`;
                  return (
                    <tr key={r.name} data-testid="tensors-diff-row" data-name={r.name} data-status={r.status === 'compared' ? (d?.differing ? 'differs' : 'identical') : r.status}>
                      <td className="tensors-name" title={r.name}>{r.name}</td>
                      <td title={status}>{status}</td>
                      <td className="num" data-testid="diff-cosine">{d ? fmtNum(d.cosine) : ''}</td>
                      <td className="num" data-testid="diff-rel">{d ? fmtNum(d.relDiff) : ''}</td>
                      <td className="num" data-testid="diff-max">{d ? fmtNum(d.maxAbs) : ''}</td>
                      <td className="num">{d ? formatInt(d.differing) : ''}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
