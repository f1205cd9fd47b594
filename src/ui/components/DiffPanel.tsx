import { scaleLinear } from 'd3';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { toHex } from '../../core/bytes/hex';
import { compareUtf8 } from '../../core/bytes/utf8';
import { isAsxError } from '../../core/errors';
import { compatibility, downFold, type PackDiff } from '../../core/pack/compat';
import { addValues, chooseScale, diffScale, emptyStats, mergeStats } from '../lib/color';
import { mergedPackName, startDiff, type DiffJob, type DiffOutcome, type DiffStats } from '../lib/diffLanes';
import { mergePacks, type MergeMode } from '../../core/pack/merge';
import { keyFingerprint, parseSeed, publicKeyOf } from '../../core/pack/sign';
import { formatInt } from '../format';
import { usePackHandle } from '../hooks';
import { readFileBytes } from '../lib/download';
import { ensureLanes, laneError, peekLane, type PackHandle } from '../packRegistry';
import type { OpenFile } from '../store';
import { useWorkbench, useWorkbenchStore } from '../StoreContext';
import { createScrollSync, HeatLegend, Heatmap, ID_LABEL_MIN_PX, tooltipAt, type HeatHover, type RowValues } from './Heatmap';

const LEVEL_TEXT: Record<number, string> = {
  0: 'Level 0 — identical',
  1: 'Level 1 — same dims and lane set, different values',
  2: 'Level 2 — comparable after dims normalization',
  3: 'Level 3 — incompatible',
};

export function DiffPanel() {
  const store = useWorkbenchStore();
  const files = useWorkbench((s) => s.files);
  const diffA = useWorkbench((s) => s.diffA);
  const diffB = useWorkbench((s) => s.diffB);
  const ready = files.filter((f) => f.status === 'ready' && f.pack?.handle);
  const a = ready.find((f) => f.id === diffA) ?? ready[0];
  const b = ready.find((f) => f.id === diffB && f.id !== a?.id) ?? ready.find((f) => f.id !== a?.id);

  if (ready.length < 2 || !a || !b) {
    return (
      <div className="pack-view" data-testid="diff-panel">
        <div className="empty-box">
          <h2>Diff needs two open packs</h2>
          <p className="muted">Open a second pack (the demo list has a diff partner, “Demo B”), then press <kbd>d</kbd>.</p>
        </div>
      </div>
    );
  }
  const pick = (which: 'A' | 'B', id: string) => {
    if (which === 'A') store.getState().setDiff(id, id === b.id ? a.id : b.id);
    else store.getState().setDiff(a.id, id);
  };
  return (
    <div className="pack-view" data-testid="diff-panel">
      <header className="view-head">
        <h2 className="view-title">Diff</h2>
        <label className="small">A <PackSelect files={ready} value={a.id} onChange={(id) => pick('A', id)} testId="diff-a" /></label>
        <button type="button" className="btn btn-small" onClick={() => store.getState().setDiff(b.id, a.id)} title="Swap A and B" data-testid="diff-swap">⇄</button>
        <label className="small">B <PackSelect files={ready} value={b.id} onChange={(id) => pick('B', id)} testId="diff-b" /></label>
      </header>
      <DiffView key={`${a.id}:${b.id}`} a={a} b={b} />
    </div>
  );
}

function PackSelect({ files, value, onChange, testId }: { files: OpenFile[]; value: string; onChange: (id: string) => void; testId: string }) {
  return (
    <select className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {files.map((f) => <option key={f.id} value={f.id}>{f.name}</option>)}
    </select>
  );
}

type RunState =
  | { phase: 'running' }
  | { phase: 'done'; out: DiffOutcome }
  | { phase: 'cancelled'; done: number; total: number }
  | { phase: 'error'; message: string };

/**
 * Progress of the running diff, outside React state: only the progress bar subscribes, so a
 * report from the worker re-renders one bar, not the panel (charts, heatmaps, merge form).
 */
interface ProgressStore {
  get: () => { done: number; total: number };
  set: (done: number, total: number) => void;
  subscribe: (fn: () => void) => () => void;
}

function progressStore(): ProgressStore {
  let value = { done: 0, total: 0 };
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set: (done, total) => { value = { done, total }; for (const l of listeners) l(); },
    subscribe: (fn) => { listeners.add(fn); return () => { listeners.delete(fn); }; },
  };
}

function DiffProgress({ store, onCancel }: { store: ProgressStore; onCancel: () => void }) {
  const { done, total } = useSyncExternalStore(store.subscribe, store.get);
  return (
    <div className="diff-run" data-testid="diff-running">
      <div className="progress" data-testid="diff-progress" role="progressbar" aria-label="Comparing lanes" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} data-done={done} data-total={total}>
        <div className="progress-bar" style={{ width: `${total ? (100 * done) / total : 0}%` }} />
        <span className="progress-text small">{total ? `comparing lanes ${formatInt(done)} / ${formatInt(total)} (in a worker)` : 'starting the diff…'}</span>
      </div>
      <button type="button" className="btn btn-small" onClick={onCancel} data-testid="diff-cancel">Cancel</button>
    </div>
  );
}

function describeError(e: unknown): string {
  return isAsxError(e) ? `${e.code}: ${e.message}${e.where.offset !== undefined ? ` (byte ${e.where.offset})` : ''}` : String(e);
}

function DiffView({ a, b }: { a: OpenFile; b: OpenFile }) {
  const ha = usePackHandle(a.pack!.handle);
  const hb = usePackHandle(b.pack!.handle);
  const A = ha.handle;
  const B = hb.handle;
  const compat = useMemo(() => (A && B ? compatibility(A.reader, B.reader) : null), [A, B]);
  const [run, setRun] = useState<RunState>({ phase: 'running' });
  const [attempt, setAttempt] = useState(0);
  const job = useRef<DiffJob | null>(null);
  const progress = useMemo(() => progressStore(), []);

  // Every lane is compared in a worker (the page stays responsive); cancel terminates it.
  useEffect(() => {
    if (!A || !B || !compat) return;
    let live = true;
    setRun({ phase: 'running' });
    progress.set(0, 0);
    const j = startDiff(A, B, { compatibility: compat, onProgress: (done, total) => { if (live) progress.set(done, total); } });
    job.current = j;
    j.result.then(
      (out) => { if (live && out) setRun({ phase: 'done', out }); },
      (e: unknown) => { if (live) setRun({ phase: 'error', message: describeError(e) }); },
    );
    return () => { live = false; j.cancel(); };
  }, [A, B, compat, attempt, progress]);

  const cancel = () => {
    job.current?.cancel();
    setRun((r) => (r.phase === 'running' ? { phase: 'cancelled', ...progress.get() } : r));
  };

  if (!A || !B || !compat) return null;
  const diff = run.phase === 'done' ? run.out.diff : null;
  return (
    <>
      <section className="panel" data-testid="diff-summary">
        <header className="panel-head"><h3>Compatibility</h3></header>
        <div className="pad diff-summary">
          <div>
            <div className={`level level-${compat.level}`} data-testid="diff-level" data-level={compat.level}>{LEVEL_TEXT[compat.level]}</div>
            <div className="small muted">dims {compat.dimsA} vs {compat.dimsB} → normalized <span className="mono" data-testid="diff-dimsn">{compat.dimsN}</span></div>
          </div>
          <div className="sim">
            <div className="small muted">class-weighted similarity</div>
            <div className="sim-value mono" data-testid="diff-similarity" data-state={run.phase}>{diff ? diff.similarity.toFixed(4) : run.phase === 'running' ? '…' : '—'}</div>
            {run.phase === 'done' && run.out.inWorker && (
              <div className="small muted" data-testid="diff-read">compared in a worker: read {formatInt(run.out.bytesRead.a)} B of A, {formatInt(run.out.bytesRead.b)} B of B</div>
            )}
          </div>
          <ul className="reasons">
            {compat.matched.map((m) => <li key={m} className="ok">✓ {m}</li>)}
            {compat.differed.map((m) => <li key={m} className="bad">✗ {m}</li>)}
          </ul>
        </div>
      </section>
      {run.phase === 'running' && <DiffProgress store={progress} onCancel={cancel} />}
      {run.phase === 'cancelled' && (
        <div className="verdict diff-run" data-testid="diff-cancelled" role="status">
          <span>Diff cancelled after {formatInt(run.done)} of {run.total ? formatInt(run.total) : 'all'} lanes; no similarity was computed.</span>
          <button type="button" className="btn btn-small" onClick={() => setAttempt((n) => n + 1)} data-testid="diff-rerun">Run again</button>
        </div>
      )}
      {run.phase === 'error' && <p className="verdict failed" data-testid="diff-error">{run.message}</p>}
      <div className="grid2">
        <CosineChart diff={diff} lowest={run.phase === 'done' ? run.out.lowest : null} state={run.phase} />
        <OnlyLists onlyA={compat.onlyA} onlyB={compat.onlyB} nameA={a.name} nameB={b.name} />
      </div>
      {compat.level < 3 && <DiffHeatmaps A={A} B={B} dimsN={compat.dimsN} version={ha.version + hb.version} stats={run.phase === 'done' ? run.out.stats : null} />}
      <MergePanel A={A} B={B} a={a} b={b} level={compat.level} />
    </>
  );
}

/** Common lanes, lowest cosine first; `lowest` is that order, sorted in the worker. */
function CosineChart({ diff, lowest, state }: { diff: PackDiff | null; lowest: Int32Array | null; state: RunState['phase'] }) {
  const [showAll, setShowAll] = useState(false);
  if (!diff || !lowest) {
    const text = state === 'running' ? 'Comparing lanes…' : state === 'cancelled' ? 'The diff was cancelled.' : 'No figures: the diff failed.';
    return <section className="panel" data-testid="cosine-chart" data-state={state}><header className="panel-head"><h3>Per-lane cosine</h3></header><p className="muted pad">{text}</p></section>;
  }
  const ALL_MAX = 2000; // an SVG row per lane: keep the DOM bounded on huge packs
  const count = lowest.length;
  const shown = Array.from(lowest.subarray(0, showAll ? ALL_MAX : 60), (i) => diff.lanes[i]);
  const rowH = 15;
  const W = 520;
  const labelW = 210;
  // When every lane is close, zoom the axis so differences stay visible (the axis says so).
  const minCos = Math.min(1, shown.length ? shown[0].cosine : 1);
  const lo = minCos >= 0.9 ? Math.max(0.9, Math.floor(minCos * 1000) / 1000 - 0.001) : Math.min(0, minCos);
  const x = scaleLinear().domain([lo, 1]).range([labelW, W - 52]);
  const H = shown.length * rowH + 20;
  return (
    <section className="panel" data-testid="cosine-chart">
      <header className="panel-head">
        <h3>Per-lane cosine</h3>
        <span className="muted small">{formatInt(count)} common lanes, lowest first (dims {diff.dimsN}){lo > 0 ? `; axis from ${lo}` : ''}</span>
        <span className="grow" />
        {count > 60 && <button type="button" className="btn btn-small" onClick={() => setShowAll(!showAll)}>{showAll ? 'Lowest 60' : count > ALL_MAX ? `Lowest ${ALL_MAX}` : `All ${count}`}</button>}
      </header>
      <div className="scroll-y" style={{ maxHeight: 380 }}>
        <svg viewBox={`0 0 ${W} ${H}`} width="100%" className="bars">
          {x.ticks(5).map((t) => (
            <g key={t}>
              <line x1={x(t)} x2={x(t)} y1={0} y2={shown.length * rowH} className={t === 0 ? 'axis-zero' : 'grid'} />
              <text x={x(t)} y={H - 5} className="tick" textAnchor="middle">{t}</text>
            </g>
          ))}
          {shown.map((l, k) => (
            <g key={l.id} data-testid="cos-row" data-id={l.id} data-cos={l.cosine}>
              <text x={labelW - 6} y={k * rowH + rowH / 2} className="tick label" textAnchor="end" dominantBaseline="middle">{l.id.length > 32 ? `${l.id.slice(0, 31)}…` : l.id}</text>
              <rect x={Math.min(x(Math.max(lo, 0)), x(l.cosine))} y={k * rowH + 2} width={Math.max(1, Math.abs(x(l.cosine) - x(Math.max(lo, 0))))} height={rowH - 4} className={l.cosine >= 0.99 ? 'bar-ok' : l.cosine >= 0.9 ? 'bar-mid' : 'bar-low'} />
              <text x={x(Math.max(lo, 0, l.cosine)) + 4} y={k * rowH + rowH / 2} className="tick" dominantBaseline="middle">{l.cosine.toFixed(4)}</text>
            </g>
          ))}
        </svg>
      </div>
    </section>
  );
}

function OnlyLists({ onlyA, onlyB, nameA, nameB }: { onlyA: string[]; onlyB: string[]; nameA: string; nameB: string }) {
  const list = (ids: string[], testId: string) => (
    ids.length === 0 ? <p className="muted small">none</p> : (
      <ul className="idlist mono" data-testid={testId}>
        {ids.slice(0, 300).map((id) => <li key={id}>{id}</li>)}
        {ids.length > 300 && <li className="muted">… {formatInt(ids.length - 300)} more</li>}
      </ul>
    )
  );
  return (
    <section className="panel" data-testid="only-lists">
      <header className="panel-head"><h3>Lanes in one pack only</h3></header>
      <div className="pad two-cols">
        <div><h4 className="sub">Only in A <span className="muted">({onlyA.length}) {nameA}</span></h4>{list(onlyA, 'only-a')}</div>
        <div><h4 className="sub">Only in B <span className="muted">({onlyB.length}) {nameB}</span></h4>{list(onlyB, 'only-b')}</div>
      </div>
    </section>
  );
}

/** Union of two id lists that are each in UTF-8 byte order, in that order, without duplicates. */
function mergeSortedIds(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const c = i >= a.length ? 1 : j >= b.length ? -1 : compareUtf8(a[i], b[j]);
    if (c <= 0) out.push(a[i++]);
    else out.push(b[j++]);
    if (c === 0) j++;
  }
  return out;
}

/**
 * A, B and A − B after dims normalization, scrolled together, beside a column of lane ids.
 * A and B share one scale chosen from their values (sequential when one-signed); A − B has its
 * own symmetric scale ±max|A − B|. Ranges come from the worker's full pass when it is done,
 * widened by the rows drawn. A lane missing from a pack is hatched (in that pack and in A − B),
 * never drawn as zeros.
 */
function DiffHeatmaps({ A, B, dimsN, version, stats }: { A: PackHandle; B: PackHandle; dimsN: number; version: number; stats: DiffStats | null }) {
  // Union in UTF-8 order (the core's lane order): both DICTs are already in that order, so a
  // linear merge, not a sort of up to 131,070 strings on the main thread.
  const ids = useMemo(() => mergeSortedIds(A.reader.ids, B.reader.ids), [A, B]);
  const sync = useMemo(() => createScrollSync(), []);
  const folded = useRef(new Map<string, Float64Array>());
  const seen = useRef({ ab: emptyStats(), d: emptyStats(), queued: false });
  const [seenVersion, setSeenVersion] = useState(0);
  const note = (target: 'ab' | 'd', v: Float64Array) => {
    const s = seen.current;
    if (addValues(s[target], v) && !s.queued) {
      s.queued = true;
      queueMicrotask(() => { s.queued = false; setSeenVersion((n) => n + 1); });
    }
  };
  const vec = (h: PackHandle, id: string, tag: string): RowValues => {
    const i = h.reader.find(id);
    if (i < 0 || h.reader.ids[i] !== id) return 'missing';
    const key = `${tag}:${i}`;
    const hit = folded.current.get(key);
    if (hit) return hit;
    const lane = peekLane(h.id, i);
    if (!lane) return laneError(h.id, i) ? 'error' : null;
    const v = downFold(lane.W, dimsN);
    folded.current.set(key, v);
    note('ab', v);
    return v;
  };
  const rowA = (r: number) => vec(A, ids[r], 'A');
  const rowB = (r: number) => vec(B, ids[r], 'B');
  const rowD = (r: number): RowValues => {
    const va = rowA(r);
    const vb = rowB(r);
    if (va === 'missing' || vb === 'missing') return 'missing';
    if (va === 'error' || vb === 'error') return 'error';
    if (va === null || vb === null) return null;
    const key = `D:${ids[r]}`;
    const hit = folded.current.get(key);
    if (hit) return hit;
    const d = new Float64Array(dimsN);
    for (let k = 0; k < dimsN; k++) d[k] = va[k] - vb[k];
    folded.current.set(key, d);
    note('d', d);
    return d;
  };
  const request = (first: number, last: number) => {
    const ia: number[] = [];
    const ib: number[] = [];
    for (let r = first; r <= last; r++) {
      const x = A.reader.find(ids[r]);
      const y = B.reader.find(ids[r]);
      if (x >= 0) ia.push(x);
      if (y >= 0) ib.push(y);
    }
    void ensureLanes(A.id, ia);
    void ensureLanes(B.id, ib);
  };
  const scaleAB = useMemo(
    () => chooseScale(mergeStats(seen.current.ab, ...(stats ? [stats.a, stats.b] : []))),
    [stats, seenVersion],
  );
  const scaleD = useMemo(() => diffScale(mergeStats(seen.current.d, ...(stats ? [stats.d] : []))), [stats, seenVersion]);
  const [rowPx, setRowPx] = useState(ids.length > 400 ? 4 : ID_LABEL_MIN_PX);
  const [hover, setHover] = useState<HeatHover | null>(null);
  const common = { rows: ids.length, cols: dimsN, version, rowPx, sync, gutter: 0, height: 300, request, onHover: setHover, footer: false };
  const val = (v: RowValues, k: number) => (v === null ? '…' : v === 'error' || v === 'missing' ? v : v[k].toPrecision(5));
  const onlyIn = (r: number) => {
    const inA = rowA(r) !== 'missing';
    const inB = rowB(r) !== 'missing';
    return inA && inB ? 'in A and B' : inA ? 'only in A' : 'only in B';
  };
  const zoom = (dir: 1 | -1) => setRowPx((r) => (dir > 0 ? Math.min(40, Math.ceil(r * 1.5)) : Math.max(1, Math.floor(r / 1.5))));
  const missingAny = ids.length > Math.max(A.reader.ids.length, B.reader.ids.length) || A.reader.ids.length !== B.reader.ids.length;
  return (
    <section className="panel" data-testid="diff-heatmaps">
      <header className="panel-head wrap">
        <h3>Heatmaps after dims normalization</h3>
        <span className="muted small">{formatInt(ids.length)} lanes (union, id order) × {dimsN} dims</span>
        <span className="grow" />
        <span className="zoom" role="group" aria-label="Zoom rows" title="Row height (Ctrl + wheel over a map); ids show from 12 px">
          <span className="small muted">Rows</span>
          <button type="button" className="btn btn-small" onClick={() => zoom(-1)} aria-label="Zoom rows out" data-testid="diff-zoom-out">−</button>
          <span className="mono small">{rowPx}px</span>
          <button type="button" className="btn btn-small" onClick={() => zoom(1)} aria-label="Zoom rows in" data-testid="diff-zoom-in">+</button>
        </span>
      </header>
      <div className="diff-legends">
        <div><span className="small">A and B</span><HeatLegend scale={scaleAB} testId="legend-ab" missing={missingAny} label={stats ? 'common lanes and rows drawn' : 'rows drawn so far'} /></div>
        <div><span className="small">A − B</span><HeatLegend scale={scaleD} testId="legend-diff" missing={missingAny} pending={false} label="its own scale, ±max|A − B|" /></div>
      </div>
      <div className="diff-heats">
        <div className="heat-ids"><h4 className="sub">lane</h4><Heatmap {...common} cols={0} gutter={150} rowLabel={(r) => ids[r]} rowValues={rowA} scale={scaleAB} footer testId="heat-ids" label="Lane ids" /></div>
        <div><h4 className="sub">A</h4><Heatmap {...common} rowValues={rowA} scale={scaleAB} testId="heat-a" label="Pack A" onZoom={zoom} /></div>
        <div><h4 className="sub">B</h4><Heatmap {...common} rowValues={rowB} scale={scaleAB} testId="heat-b" label="Pack B" onZoom={zoom} /></div>
        <div><h4 className="sub">A − B</h4><Heatmap {...common} rowValues={rowD} scale={scaleD} testId="heat-diff" label="A minus B" onZoom={zoom} /></div>
      </div>
      {hover && (
        <div className="tooltip" style={tooltipAt(hover.clientX, hover.clientY)} data-testid="diff-tooltip">
          <div className="mono">{ids[hover.row]}</div>
          {hover.col < 0 ? (
            <div className="muted small">{onlyIn(hover.row)} · row {formatInt(hover.row + 1)} of {formatInt(ids.length)}</div>
          ) : (
            <>
              <div className="muted small">dim {hover.col} of {dimsN} (after normalization) · {onlyIn(hover.row)}</div>
              <div className="mono small">A {val(rowA(hover.row), hover.col)} · B {val(rowB(hover.row), hover.col)} · A−B {val(rowD(hover.row), hover.col)}</div>
            </>
          )}
        </div>
      )}
    </section>
  );
}

function MergePanel({ A, B, a, b, level }: { A: PackHandle; B: PackHandle; a: OpenFile; b: OpenFile; level: number }) {
  const store = useWorkbenchStore();
  const [mode, setMode] = useState<MergeMode>('blend');
  const [lambda, setLambda] = useState(0.5);
  const [seed, setSeed] = useState<{ seed: Uint8Array; name: string; fp: string } | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  // Merges made from this diff, newest first: each stays announced here with a way to open it.
  const [made, setMade] = useState<Array<{ id: string; name: string; text: string }>>([]);
  const [busy, setBusy] = useState(false);
  const keyInput = useRef<HTMLInputElement>(null);

  const loadKey = async (f: File) => {
    try {
      const s = parseSeed(await readFileBytes(f));
      setSeed({ seed: s, name: f.name, fp: keyFingerprint(publicKeyOf(s)) });
      setMsg(null);
    } catch (e) {
      setMsg(isAsxError(e) ? `${e.code}: ${e.message}` : String(e));
    }
  };
  const run = async () => {
    setBusy(true);
    setMsg(null);
    try {
      const res = await mergePacks(A.reader, B.reader, { mode, lambda, signKey: seed?.seed });
      const name = mergedPackName(mode, lambda, a.name, b.name, !!seed);
      const id = await store.getState().openFile(new Blob([res.bytes as BlobPart]), name, 'unsaved');
      const f = store.getState().files.find((x) => x.id === id);
      if (f?.status === 'ready') {
        // The user stays here (they may merge again with other settings); the new pack is
        // selected in the file list and announced below with a button to open it.
        const text = `${res.lanes.length} lanes × ${res.dims} dims, ${formatInt(res.bytes.length)} bytes, ${seed ? `signed by ${seed.fp}` : 'unsigned'}`;
        setMade((m) => [{ id, name: f.name, text }, ...m.filter((x) => x.id !== id)].slice(0, 6));
      } else setMsg(f?.error ? `${f.error.code}: ${f.error.message}` : 'the merged pack did not open');
    } catch (e) {
      setMsg(isAsxError(e) ? `${e.code}: ${e.message}` : String(e));
    } finally {
      setBusy(false);
    }
  };
  const open = (id: string) => {
    store.getState().selectFile(id);
    store.getState().setPanel('overview');
  };
  const files = useWorkbench((s) => s.files);
  const listed = made.filter((m) => files.some((f) => f.id === m.id));
  return (
    <section className="panel" data-testid="merge-panel">
      <header className="panel-head"><h3>Merge A ← B</h3><span className="muted small">target A, source B; re-quantized with A's QSCALE; the result is a new unsaved pack, named by mode and inputs</span></header>
      <div className="pad merge-form">
        <fieldset className="seg" aria-label="Merge mode">
          {(['overlay', 'blend', 'union'] as const).map((m) => (
            <label key={m} className={`seg-item${mode === m ? ' on' : ''}`}>
              <input type="radio" name="merge-mode" value={m} checked={mode === m} onChange={() => setMode(m)} data-testid={`merge-${m}`} />
              {m}
            </label>
          ))}
        </fieldset>
        <label className={`lambda${mode === 'blend' ? '' : ' disabled'}`}>
          λ <input type="range" min={0} max={1} step={0.05} value={lambda} disabled={mode !== 'blend'} onChange={(e) => setLambda(Number(e.target.value))} data-testid="merge-lambda" aria-label="Blend weight λ of the source" />
          <span className="mono">{lambda.toFixed(2)}</span>
        </label>
        <span className="small muted">{mode === 'overlay' ? "A's lanes; B replaces the ones it has" : mode === 'blend' ? 'λ·B + (1−λ)·A on A\'s lanes' : 'all lanes of both; B wins on common ones'}</span>
        <span className="grow" />
        <button type="button" className="btn" onClick={() => keyInput.current?.click()} data-testid="merge-key-button">{seed ? `Key ${seed.fp}` : 'Signing key file…'}</button>
        <input ref={keyInput} type="file" hidden data-testid="merge-key-input" onChange={(e) => { const f = e.currentTarget.files?.[0]; e.currentTarget.value = ''; if (f) void loadKey(f); }} />
        {seed && <button type="button" className="btn btn-small" onClick={() => setSeed(null)} aria-label="Forget signing key">×</button>}
        <button type="button" className="btn btn-primary" onClick={() => void run()} disabled={busy || level === 3} data-testid="merge-run">{busy ? 'Merging…' : 'Merge → new pack'}</button>
      </div>
      <div role="status" aria-live="polite">
        {msg && <p className="verdict pad failed" data-testid="merge-error">{msg}</p>}
        {listed.map((m, k) => (
          <div key={m.id} className={`verdict ok merge-announce${k > 0 ? ' muted' : ''}`} data-testid={k === 0 ? 'merge-result' : 'merge-earlier'} data-file={m.name}>
            <span>{k === 0 ? '✓ Merged into' : 'Earlier:'} <strong className="mono" data-testid="merge-name">{m.name}</strong> — {m.text}. Listed under Files as unsaved.</span>
            <span className="grow" />
            <button type="button" className={`btn btn-small${k === 0 ? ' btn-primary' : ''}`} onClick={() => open(m.id)} data-testid="merge-open">Open it</button>
          </div>
        ))}
      </div>
      {seed && <p className="small muted pad">Signing with {seed.name} (public key {toHex(publicKeyOf(seed.seed)).slice(0, 16)}…). The key stays in this tab's memory.</p>}
    </section>
  );
}
