import { scaleLinear } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { toHex } from '../../core/bytes/hex';
import { isAsxError } from '../../core/errors';
import { compatibility, downFold, type PackDiff } from '../../core/pack/compat';
import { diffHandles } from '../lib/diffLanes';
import { mergePacks, type MergeMode } from '../../core/pack/merge';
import { keyFingerprint, parseSeed, publicKeyOf } from '../../core/pack/sign';
import { formatInt } from '../format';
import { usePackHandle } from '../hooks';
import { readFileBytes } from '../lib/download';
import { ensureLanes, peekLane, type PackHandle } from '../packRegistry';
import type { OpenFile } from '../store';
import { useWorkbench, useWorkbenchStore } from '../StoreContext';
import { createScrollSync, HeatLegend, Heatmap, tooltipAt, type HeatHover, type RowValues } from './Heatmap';
import { fitDomain } from './LanesPanel';

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

function DiffView({ a, b }: { a: OpenFile; b: OpenFile }) {
  const ha = usePackHandle(a.pack!.handle);
  const hb = usePackHandle(b.pack!.handle);
  const A = ha.handle;
  const B = hb.handle;
  const compat = useMemo(() => (A && B ? compatibility(A.reader, B.reader) : null), [A, B]);
  const [diff, setDiff] = useState<PackDiff | null>(null);
  const [diffErr, setDiffErr] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);

  useEffect(() => {
    if (!A || !B) return;
    let live = true;
    diffHandles(A, B, { isCancelled: () => !live, onProgress: (done, total) => { if (live) setProgress(done < total ? { done, total } : null); } }).then(
      (d) => { if (live && d) setDiff(d); },
      (e: unknown) => {
        if (live) setDiffErr(isAsxError(e) ? `${e.code}: ${e.message}${e.where.offset !== undefined ? ` (byte ${e.where.offset})` : ''}` : String(e));
      },
    );
    return () => { live = false; };
  }, [A, B]);

  if (!A || !B || !compat) return null;
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
            <div className="sim-value mono" data-testid="diff-similarity">{diff ? diff.similarity.toFixed(4) : diffErr ? '—' : '…'}</div>
          </div>
          <ul className="reasons">
            {compat.matched.map((m) => <li key={m} className="ok">✓ {m}</li>)}
            {compat.differed.map((m) => <li key={m} className="bad">✗ {m}</li>)}
          </ul>
        </div>
      </section>
      {progress && (
        <div className="progress" data-testid="diff-progress">
          <div className="progress-bar" style={{ width: `${(100 * progress.done) / progress.total}%` }} />
          <span className="progress-text small">comparing lanes {formatInt(progress.done)} / {formatInt(progress.total)}</span>
        </div>
      )}
      {diffErr && <p className="verdict failed" data-testid="diff-error">{diffErr}</p>}
      <div className="grid2">
        <CosineChart diff={diff} />
        <OnlyLists onlyA={compat.onlyA} onlyB={compat.onlyB} nameA={a.name} nameB={b.name} />
      </div>
      {compat.level < 3 && <DiffHeatmaps A={A} B={B} dimsN={compat.dimsN} version={ha.version + hb.version} />}
      <MergePanel A={A} B={B} a={a} b={b} level={compat.level} />
    </>
  );
}

function CosineChart({ diff }: { diff: PackDiff | null }) {
  const [showAll, setShowAll] = useState(false);
  if (!diff) return <section className="panel"><header className="panel-head"><h3>Per-lane cosine</h3></header><p className="muted pad">Comparing lanes…</p></section>;
  const common = diff.lanes.filter((l) => l.inA && l.inB).sort((x, y) => x.cosine - y.cosine || (x.id < y.id ? -1 : 1));
  const ALL_MAX = 2000; // an SVG row per lane: keep the DOM bounded on huge packs
  const shown = showAll ? common.slice(0, ALL_MAX) : common.slice(0, 60);
  const rowH = 15;
  const W = 520;
  const labelW = 210;
  // When every lane is close, zoom the axis so differences stay visible (the axis says so).
  const minCos = Math.min(1, ...common.map((l) => l.cosine));
  const lo = minCos >= 0.9 ? Math.max(0.9, Math.floor(minCos * 1000) / 1000 - 0.001) : Math.min(0, minCos);
  const x = scaleLinear().domain([lo, 1]).range([labelW, W - 52]);
  const H = shown.length * rowH + 20;
  return (
    <section className="panel" data-testid="cosine-chart">
      <header className="panel-head">
        <h3>Per-lane cosine</h3>
        <span className="muted small">{common.length} common lanes, lowest first (dims {diff.dimsN}){lo > 0 ? `; axis from ${lo}` : ''}</span>
        <span className="grow" />
        {common.length > 60 && <button type="button" className="btn btn-small" onClick={() => setShowAll(!showAll)}>{showAll ? 'Lowest 60' : common.length > ALL_MAX ? `Lowest ${ALL_MAX}` : `All ${common.length}`}</button>}
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

/** A, B and A−B after dims normalization, one shared colour scale, scrolled together. */
function DiffHeatmaps({ A, B, dimsN, version }: { A: PackHandle; B: PackHandle; dimsN: number; version: number }) {
  const ids = useMemo(() => [...new Set([...A.reader.ids, ...B.reader.ids])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)), [A, B]);
  const sync = useMemo(() => createScrollSync(), []);
  const folded = useRef(new Map<string, Float64Array>());
  const zero = useMemo(() => new Float64Array(dimsN), [dimsN]);
  const domain = fitDomain([A, B]);
  const vec = (h: PackHandle, id: string, tag: string): RowValues => {
    const i = h.reader.find(id);
    if (i < 0 || h.reader.ids[i] !== id) return zero; // missing lane = zero vector
    const key = `${tag}:${i}`;
    const hit = folded.current.get(key);
    if (hit) return hit;
    const lane = peekLane(h.id, i);
    if (!lane) return null;
    const v = downFold(lane.W, dimsN);
    folded.current.set(key, v);
    return v;
  };
  const rowA = (r: number) => vec(A, ids[r], 'A');
  const rowB = (r: number) => vec(B, ids[r], 'B');
  const rowD = (r: number): RowValues => {
    const va = rowA(r);
    const vb = rowB(r);
    if (va === null || vb === null) return null;
    if (va === 'error' || vb === 'error') return 'error';
    const d = new Float64Array(dimsN);
    for (let k = 0; k < dimsN; k++) d[k] = va[k] - vb[k];
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
  const rowPx = ids.length > 400 ? 4 : 10;
  const [hover, setHover] = useState<HeatHover | null>(null);
  const common = { rows: ids.length, cols: dimsN, domain, version, rowPx, sync, gutter: 0, height: 300, request, onHover: setHover };
  const val = (v: RowValues, k: number) => (v === null ? '…' : v === 'error' ? 'error' : v[k].toPrecision(5));
  return (
    <section className="panel" data-testid="diff-heatmaps">
      <header className="panel-head">
        <h3>Heatmaps after dims normalization</h3>
        <span className="muted small">{formatInt(ids.length)} lanes (union, id order) × {dimsN} dims; missing lanes are zero</span>
        <span className="grow" />
        <HeatLegend domain={domain} label="shared scale" />
      </header>
      <div className="three">
        <div><h4 className="sub">A</h4><Heatmap {...common} rowValues={rowA} testId="heat-a" /></div>
        <div><h4 className="sub">B</h4><Heatmap {...common} rowValues={rowB} testId="heat-b" /></div>
        <div><h4 className="sub">A − B</h4><Heatmap {...common} rowValues={rowD} testId="heat-diff" /></div>
      </div>
      {hover && (
        <div className="tooltip" style={tooltipAt(hover.clientX, hover.clientY)} data-testid="diff-tooltip">
          <div className="mono">{ids[hover.row]}</div>
          <div className="muted small">dim {hover.col} of {dimsN} (after normalization)</div>
          <div className="mono small">A {val(rowA(hover.row), hover.col)} · B {val(rowB(hover.row), hover.col)} · A−B {val(rowD(hover.row), hover.col)}</div>
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
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const keyInput = useRef<HTMLInputElement>(null);

  const loadKey = async (f: File) => {
    try {
      const s = parseSeed(await readFileBytes(f));
      setSeed({ seed: s, name: f.name, fp: keyFingerprint(publicKeyOf(s)) });
      setMsg(null);
    } catch (e) {
      setMsg({ ok: false, text: isAsxError(e) ? `${e.code}: ${e.message}` : String(e) });
    }
  };
  const run = async () => {
    setBusy(true);
    setMsg(null);
    try {
      const res = await mergePacks(A.reader, B.reader, { mode, lambda, signKey: seed?.seed });
      const base = (n: string) => n.replace(/\.v2c\.bin$|\.bin$/, '');
      const name = `merge-${mode}${mode === 'blend' ? `-${lambda.toFixed(2)}` : ''}-${base(a.name)}+${base(b.name)}${seed ? '-signed' : ''}.v2c.bin`;
      const id = await store.getState().openFile(new Blob([res.bytes as BlobPart]), name, 'unsaved');
      const f = store.getState().files.find((x) => x.id === id);
      if (f?.status === 'ready') {
        setMsg({ ok: true, text: `${name}: ${res.lanes.length} lanes × ${res.dims} dims, ${formatInt(res.bytes.length)} bytes${seed ? `, signed by ${seed.fp}` : ', unsigned'}` });
        store.getState().setPanel('overview');
      } else setMsg({ ok: false, text: f?.error ? `${f.error.code}: ${f.error.message}` : 'the merged pack did not open' });
    } catch (e) {
      setMsg({ ok: false, text: isAsxError(e) ? `${e.code}: ${e.message}` : String(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" data-testid="merge-panel">
      <header className="panel-head"><h3>Merge A ← B</h3><span className="muted small">target A, source B; re-quantized with A's QSCALE; the result is a new unsaved pack</span></header>
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
        <button type="button" className="btn btn-primary" onClick={() => void run()} disabled={busy || level === 3} data-testid="merge-run">{busy ? 'Merging…' : 'Merge → preview'}</button>
      </div>
      {msg && <p className={`verdict pad ${msg.ok ? 'ok' : 'failed'}`} data-testid="merge-result">{msg.text}</p>}
      {seed && <p className="small muted pad">Signing with {seed.name} (public key {toHex(publicKeyOf(seed.seed)).slice(0, 16)}…). The key stays in this tab's memory.</p>}
    </section>
  );
}
