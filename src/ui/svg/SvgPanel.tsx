/**
 * SVG-tensor panel (issues 4 and 8): drop or pick an SVG (or an .scxq2 envelope), or get one
 * from the window's router through the inbox → legality report, import report, the original
 * and the canonical form side by side (both as <img> of a Blob — an image document never
 * runs script — plus a nodes-and-edges overlay of the GPU map), the lane table with
 * per-chunk proofs, downloads. The user's markup is never inserted into the page DOM.
 *
 * All heavy work runs in the SVG worker (client.ts) with a progress bar and a Cancel
 * button; while a new file is analysed the previous result stays visible, dimmed and marked
 * stale, and comes back as it was if the job is cancelled.
 */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import './svg.css';
import { download, elementsFrom, MAX_ROWS, progressAt, RENDER_BOX, STAGES, SVG_STAGES, INFLATE_STAGES, type Analysis, type EnvelopeResult, type ErrorInfo, type LaneRow, type ListedViolation, type Stage, type StreamView, type SvgResult } from './analyze';
import { CancelledError, JobError, startJob, type Job } from './client';
import type { PackBuilt } from './jobs';
import type { FullVerify } from '../../core/scxq2/envelope';
import type { GpuBuffers } from '../../core/svg/webgpu';
import { gpuRoundTrip, type GpuUploadResult } from './gpuUpload';
import { drawHighlight, drawOverlay, overlayGeometry } from './overlay';
import { subscribeInbox, takeInbox } from '../inbox';

const fmt = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;
const secs = (ms: number) => (ms / 1000).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** Above this many bytes (original or canonical) the renders wait for a click: the browser draws SVG images on the page's main thread. */
export const AUTO_RENDER_BYTES = 256 * 1024;

function info(e: unknown): ErrorInfo {
  if (e instanceof JobError) return { code: e.code, message: e.message, where: e.where };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

function ErrorBox({ e, testId }: { e: ErrorInfo; testId: string }) {
  return (
    <div className="svgp-error" data-testid={testId} data-code={e.code}>
      <span className="svgp-code">{e.code}</span> {e.message}{e.where ? <span className="muted"> (at {e.where})</span> : null}
    </div>
  );
}

function DropZone({ onFile, busy }: { onFile: (f: File) => void; busy: boolean }) {
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // The zone keeps its drops: the window's router must not also take them.
  const stop = (e: DragEvent) => { e.preventDefault(); e.stopPropagation(); };
  return (
    <div
      className={`svgp-drop${over ? ' over' : ''}`}
      data-testid="svg-drop"
      onDragEnter={(e) => { stop(e); setOver(true); }}
      onDragOver={(e) => { stop(e); e.dataTransfer.dropEffect = 'copy'; }}
      onDragLeave={(e) => { stop(e); setOver(false); }}
      onDrop={(e) => {
        stop(e);
        setOver(false);
        const f = e.dataTransfer.files?.[0];
        if (f) onFile(f);
      }}
    >
      <span>{busy ? 'Drop another file to analyse it instead' : 'Drop an SVG or an .scxq2 envelope here (or anywhere in the window)'}</span>
      <button type="button" className="btn btn-small" onClick={() => input.current?.click()}>Choose file…</button>
      <input ref={input} type="file" accept=".svg,.scxq2,image/svg+xml,application/octet-stream" hidden data-testid="svg-file-input"
        onChange={(e) => { const f = e.target.files?.[0]; if (f) onFile(f); e.target.value = ''; }} />
    </div>
  );
}

interface RunningJob { id: number; name: string; what: string; stages: readonly Stage[]; stage: Stage | null; started: number; cancel(): void; /** Its result replaces what is shown. */ replaces: boolean }

type RunJob = <T>(what: string, stages: readonly Stage[], start: (onStage: (s: Stage) => void) => Job<T>, opts?: { name?: string; replaces?: boolean }) => Promise<T | null>;

/** Progress of the running job: stage, bar, elapsed time and Cancel. */
function JobBar({ job }: { job: RunningJob }) {
  const [, tick] = useState(0);
  useEffect(() => { const t = setInterval(() => tick((x) => x + 1), 250); return () => clearInterval(t); }, []);
  const value = job.stage ? progressAt(job.stages, job.stage) : 0;
  const secs = (performance.now() - job.started) / 1000;
  return (
    <div className="svgp-job" data-testid="svg-progress" data-stage={job.stage ?? 'starting'} role="status" aria-live="polite">
      <div className="svgp-job-text">
        <b>{job.what}</b> <span className="mono">{job.name}</span>
        <span className="muted"> · {job.stage ? STAGES[job.stage].label : 'starting the worker'}… {secs.toFixed(1)} s</span>
      </div>
      <progress className="svgp-bar" data-testid="svg-progress-bar" max={1} value={value} aria-label={`${job.what} ${job.name}`} />
      <button type="button" className="btn btn-small" data-testid="svg-cancel" onClick={() => job.cancel()}>Cancel</button>
    </div>
  );
}

function Violations({ r, sources, onSelect }: { r: SvgResult; sources: () => string[]; onSelect: (path: string | null) => void }) {
  const [sel, setSel] = useState<number | null>(null);
  const v = r.violations;
  const ex = sel !== null ? v[sel]?.excerpt : null;
  const linked = sel !== null && r.imported ? elementsFrom(sources(), v[sel].path).length : 0;
  return (
    <section className="panel" data-testid="svg-legality">
      <div className="panel-head">
        <h3>Legality (§16.9)</h3>
        {r.legal !== null && <span className={`svgp-badge ${r.legal ? 'ok' : 'bad'}`} data-testid="svg-legal">{r.legal ? 'legal SVG-tensor' : `illegal: ${plural(r.violationCount, 'violation')}`}</span>}
      </div>
      {v.length > 0 && (
        <ol className="svgp-list" data-testid="svg-violations">
          {v.map((x: ListedViolation, i) => (
            <li key={i} data-rule={x.rule}>
              <button type="button" className={`svgp-link${sel === i ? ' on' : ''}`} onClick={() => { const next = sel === i ? null : i; setSel(next); onSelect(next === null ? null : x.path); }} title="show the element in the source and the render">
                <code>{x.path}</code>
              </button>{' '}
              <span className="svgp-rule">{x.rule}</span> {x.message}
            </li>
          ))}
        </ol>
      )}
      {r.violationCount > v.length && <p className="muted small svgp-more" data-testid="svg-violations-more">… and {fmt(r.violationCount - v.length)} more (the CLI <code>asx svg check</code> lists all)</p>}
      {sel !== null && (
        <p className="muted small svgp-more" data-testid="svg-link-status" data-count={linked}>
          {linked ? `${plural(linked, 'canonical element')} from it highlighted in the render` : 'the import dropped this element (nothing of it is in the canonical form)'}
        </p>
      )}
      {ex && (
        <pre className="svgp-excerpt" data-testid="svg-excerpt">{`line ${fmt(ex.line)}, column ${fmt(ex.col)}\n${ex.text}`}</pre>
      )}
    </section>
  );
}

function Changes({ r }: { r: SvgResult }) {
  const ch = r.imported?.changes ?? [];
  const count = r.imported?.changeCount ?? 0;
  return (
    <section className="panel" data-testid="svg-import">
      <div className="panel-head"><h3>Import report</h3><span className="muted small" data-testid="svg-change-count">{plural(count, 'change')}</span></div>
      {r.importError && <ErrorBox e={r.importError} testId="svg-import-error" />}
      {ch.length > 0 && (
        // a grid of rows that the browser lays out only when scrolled into view (a 500-row
        // <table> is measured whole, which held the main thread for a few hundred ms)
        <div className="svgp-scroll svgp-changes" role="table" aria-label="import changes" data-testid="svg-changes">
          <div className="svgp-change svgp-change-head" role="row"><span role="columnheader">element</span><span role="columnheader">change</span><span role="columnheader">detail</span></div>
          {ch.map((c, i) => <div className="svgp-change" role="row" key={i}><code role="cell">{c.path}</code><span role="cell">{c.action}</span><span role="cell">{c.detail}</span></div>)}
        </div>
      )}
      {count > ch.length && <p className="muted small svgp-more" data-testid="svg-changes-more">… and {fmt(count - ch.length)} more changes (the CLI <code>asx svg import</code> reports all)</p>}
    </section>
  );
}

/** The map overlay: the worker's bitmap (or drawn here when there is none) plus a highlight layer. */
function Overlay({ r, buffers, highlight }: { r: SvgResult; buffers: GpuBuffers; highlight: ReadonlySet<number> }) {
  const base = useRef<HTMLCanvasElement>(null);
  const top = useRef<HTMLCanvasElement>(null);
  const imp = r.imported!;
  const geom = useMemo(() => overlayGeometry(imp.viewBox, imp.width, imp.height, RENDER_BOX), [imp]);
  useEffect(() => {
    const c = base.current;
    if (!c) return;
    if (r.overlay) {
      c.width = r.overlay.width; c.height = r.overlay.height;
      c.getContext('2d')?.drawImage(r.overlay, 0, 0);
      return;
    }
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = RENDER_BOX * dpr; c.height = RENDER_BOX * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawOverlay(ctx, buffers, geom);
  }, [r.overlay, buffers, geom]);
  useEffect(() => {
    const c = top.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = RENDER_BOX * dpr; c.height = RENDER_BOX * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (highlight.size) drawHighlight(ctx, buffers, geom, highlight);
  }, [buffers, geom, highlight]);
  return (
    <>
      <canvas ref={base} className="svgp-overlay" style={{ width: RENDER_BOX, height: RENDER_BOX }} data-testid="svg-overlay" data-nodes={buffers.metaBuffer[0]} data-edges={buffers.metaBuffer[1]} data-highlight={highlight.size} data-offthread={r.overlay ? 'true' : 'false'} />
      <canvas ref={top} className="svgp-overlay" style={{ width: RENDER_BOX, height: RENDER_BOX }} data-testid="svg-highlight" />
    </>
  );
}

/** An object URL for a Blob, revoked when the Blob changes or the component goes. */
function useObjectUrl(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) { setUrl(null); return; }
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url;
}

function Render({ r, original, highlight }: { r: SvgResult; original: Blob | null; highlight: ReadonlySet<number> }) {
  const imp = r.imported!;
  const buffers = r.buffers;
  const [overlay, setOverlay] = useState(true);
  const [gpu, setGpu] = useState<GpuUploadResult | 'busy' | null>(null);
  const big = imp.bytes.length > AUTO_RENDER_BYTES || (original?.size ?? 0) > AUTO_RENDER_BYTES;
  const [show, setShow] = useState(!big);
  // Both renders are images of Blobs: an image document never runs script or loads anything.
  // The canonical bytes contain only svg/g/path/line/poly*/circle/ellipse with numeric attributes.
  const canonicalBlob = useMemo(() => (show ? new Blob([new Uint8Array(imp.bytes)], { type: 'image/svg+xml' }) : null), [imp.bytes, show]);
  const originalBlob = useMemo(() => (show && original ? new Blob([original], { type: 'image/svg+xml' }) : null), [original, show]);
  const canonicalUrl = useObjectUrl(canonicalBlob);
  const originalUrl = useObjectUrl(originalBlob);
  return (
    <section className="panel" data-testid="svg-render">
      <div className="panel-head">
        <h3>Original and canonical form</h3>
        <span className="muted small">rendering is diagnostic: the canonical tensor keeps geometry only (no colour, no style)</span>
        {buffers && <label className="small"><input type="checkbox" checked={overlay} onChange={(e) => setOverlay(e.target.checked)} /> nodes &amp; edges</label>}
      </div>
      {!show && (
        <div className="svgp-actions" data-testid="svg-render-deferred">
          <span className="muted small">The original ({fmt(original?.size ?? 0)} bytes) and the canonical form ({fmt(imp.bytes.length)} bytes) are large: the browser draws SVG images on the page&apos;s main thread, so the page pauses while it draws them.</span>
          <button type="button" className="btn btn-small" data-testid="svg-render-show" onClick={() => setShow(true)}>Draw both images</button>
        </div>
      )}
      <div className="svgp-renders">
        {original && (
          <figure className="svgp-figure">
            <div className="svgp-stage" style={{ width: RENDER_BOX, height: RENDER_BOX }}>
              {originalUrl && <img src={originalUrl} alt="the original SVG, as dropped" width={RENDER_BOX} height={RENDER_BOX} className="svgp-img" data-testid="svg-original-img" />}
            </div>
            <figcaption className="muted small">original ({fmt(original.size)} bytes, as an image: scripts in it never run)</figcaption>
          </figure>
        )}
        <figure className="svgp-figure">
          <div className="svgp-stage" style={{ width: RENDER_BOX, height: RENDER_BOX }}>
            {canonicalUrl && <img src={canonicalUrl} alt="canonical SVG-tensor" width={RENDER_BOX} height={RENDER_BOX} className="svgp-img" data-testid="svg-canonical-img" />}
            {buffers && overlay && <Overlay r={r} buffers={buffers} highlight={highlight} />}
          </div>
          <figcaption className="muted small">canonical tensor ({fmt(imp.bytes.length)} bytes){buffers && overlay ? ' with the GPU map over it' : ''}</figcaption>
        </figure>
      </div>
      {buffers && (
        <p className="muted small svgp-legend" data-testid="svg-map-facts">
          {fmt(buffers.metaBuffer[0])} nodes · {fmt(buffers.metaBuffer[1])} edges · {fmt(buffers.weightBuffer.length / 3)} weights; edge colour = weight magnitude (blue low → red high)
        </p>
      )}
      {buffers && (
        <div className="svgp-actions">
          <button type="button" className="btn btn-small" data-testid="svg-gpu-upload" disabled={gpu === 'busy'} onClick={async () => {
            setGpu('busy');
            try { setGpu(await gpuRoundTrip(buffers)); } catch (e) { setGpu({ ok: false, adapter: '', bytes: 0, buffers: 0, message: info(e).message }); }
          }}>Upload buffers to the GPU</button>
          {gpu && gpu !== 'busy' && <span className={`svgp-badge ${gpu.ok ? 'ok' : 'bad'}`} data-testid="svg-gpu-result" data-ok={String(gpu.ok)}>{gpu.adapter ? `${gpu.adapter}: ` : ''}{gpu.message}</span>}
        </div>
      )}
    </section>
  );
}

function LaneTable({ rows, root, source, name }: { rows: LaneRow[]; root: string; source: Blob | Uint8Array; name: string }) {
  const [res, setRes] = useState<Record<string, string>>({});
  const check = useCallback(async (lane: LaneRow['lane'], i: number) => {
    const key = `${lane}-${i}`;
    try {
      const r = await startJob({ type: 'proof', source, name, lane, index: i }).promise;
      setRes((s) => ({ ...s, [key]: r }));
    } catch (e) {
      if (!(e instanceof CancelledError)) setRes((s) => ({ ...s, [key]: `${info(e).code}: ${info(e).message}` }));
    }
  }, [source, name]);
  return (
    <section className="panel" data-testid="svg-lanes">
      <div className="panel-head"><h3>SCXQ2 lanes</h3><span className="muted small mono">root {root.slice(0, 16)}…</span></div>
      <table className="table">
        <thead><tr><th>lane</th><th className="num">offset</th><th className="num">bytes</th><th>encoding</th><th className="num">precision</th><th className="num">items</th><th>root</th><th>chunk proofs</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.lane} data-testid={`svg-lane-${r.lane}`}>
              <td className="mono">{r.lane}</td><td className="num">{fmt(r.offset)}</td><td className="num">{fmt(r.size)}</td><td>{r.encoding}</td>
              <td className="num">{r.precision ? fmt(r.precision) : '—'}</td><td className="num">{fmt(r.items)}</td><td className="mono" title={r.root}>{r.root.slice(0, 12)}…</td>
              <td>
                {Array.from({ length: Math.min(r.chunks, 16) }, (_, i) => {
                  const v = res[`${r.lane}-${i}`];
                  return (
                    <button key={i} type="button" className={`btn btn-small svgp-chunk${v === undefined ? '' : v === 'verified' ? ' ok' : ' bad'}`}
                      data-testid={`svg-proof-${r.lane}-${i}`} data-result={v ?? ''} title={v ?? `verify the proof of chunk ${i}`} onClick={() => void check(r.lane, i)}>
                      #{i}{v === undefined ? '' : v === 'verified' ? ' ✓' : ' ✗'}
                    </button>
                  );
                })}
                {r.chunks > 16 && <span className="muted small"> +{fmt(r.chunks - 16)}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** L-STREAMS preview: the streams a pack would be built from, and the pack itself on demand (built in the worker). */
function Streams({ streams }: { streams: StreamView[] }) {
  const [built, setBuilt] = useState<PackBuilt | { error: string } | 'busy' | null>(null);
  return (
    <section className="panel" data-testid="svg-streams">
      <div className="panel-head"><h3>Lane streams (SVG → lanes → pack)</h3><span className="muted small">{plural(streams.length, 'stream')}</span></div>
      <table className="table">
        <thead><tr><th>stream</th><th className="num">samples</th><th>first samples (magnitude × confidence)</th></tr></thead>
        <tbody>{streams.slice(0, 50).map((s) => (
          <tr key={s.name}><td className="mono">{s.name}</td><td className="num">{fmt(s.samples.length)}</td><td className="mono small">{Array.from(s.samples.subarray(0, 6)).join(', ')}{s.samples.length > 6 ? ', …' : ''}</td></tr>
        ))}</tbody>
      </table>
      {streams.length > 50 && <p className="muted small svgp-more">… and {fmt(streams.length - 50)} more streams</p>}
      <div className="svgp-actions">
        <button type="button" className="btn btn-small" data-testid="svg-build-pack" disabled={built === 'busy'} onClick={async () => {
          setBuilt('busy');
          try { setBuilt(await startJob({ type: 'pack', streams }).promise); } catch (e) { setBuilt(e instanceof CancelledError ? null : { error: `${info(e).code}: ${info(e).message}` }); }
        }}>Build the pack</button>
        {built === 'busy' && <span className="muted small">building…</span>}
        {built && built !== 'busy' && ('error' in built
          ? <span className="svgp-badge bad" data-testid="svg-pack-result">{built.error}</span>
          : <span className="muted small" data-testid="svg-pack-result" data-lanes={built.lanes}>weights.v2c-bin: {fmt(built.lanes)} lanes × {fmt(built.dims)} dims, {fmt(built.bytes.length)} bytes</span>)}
      </div>
    </section>
  );
}

function Downloads({ r }: { r: SvgResult }) {
  const imp = r.imported!;
  const base = r.name.replace(/\.svg$/i, '');
  const [err, setErr] = useState<string | null>(null);
  const viaWorker = async (what: 'pack' | 'streamsJson') => {
    setErr(null);
    try {
      if (what === 'pack') download(`${base}.v2c.bin`, (await startJob({ type: 'pack', streams: r.streams! }).promise).bytes, 'application/octet-stream');
      else download(`${base}.streams.json`, await startJob({ type: 'streamsJson', streams: r.streams! }).promise, 'application/json');
    } catch (e) { if (!(e instanceof CancelledError)) setErr(`${info(e).code}: ${info(e).message}`); }
  };
  return (
    <section className="panel">
      <div className="panel-head"><h3>Downloads</h3></div>
      <div className="svgp-actions">
        <button type="button" className="btn" data-testid="svg-download-canonical" onClick={() => download(`${base}.tensor.svg`, imp.bytes, 'image/svg+xml')}>canonical SVG</button>
        {r.envelope && <button type="button" className="btn" data-testid="svg-download-envelope" onClick={() => download(`${base}.scxq2`, r.envelope!, 'application/octet-stream')}>SCXQ2 envelope</button>}
        {r.streams && <button type="button" className="btn" data-testid="svg-download-streams" onClick={() => void viaWorker('streamsJson')}>lane streams</button>}
        {r.streams && <button type="button" className="btn" data-testid="svg-download-pack" onClick={() => void viaWorker('pack')}>compile to pack</button>}
        {err && <span className="svgp-badge bad">{err}</span>}
      </div>
      <pre className="svgp-canonical" data-testid="svg-canonical-text">{imp.textPreview}</pre>
      {imp.textLength > imp.textPreview.length && (
        <p className="muted small svgp-more" data-testid="svg-canonical-more">… the first {fmt(imp.textPreview.length)} of {fmt(imp.textLength)} characters; download the canonical SVG for all of it</p>
      )}
    </section>
  );
}

function SvgView({ r, original }: { r: SvgResult; original: Blob | null }) {
  const imp = r.imported;
  const [selPath, setSelPath] = useState<string | null>(null);
  // split once, on the first click of a violation
  const sourcesRef = useRef<string[] | null>(null);
  const sources = useCallback(() => (sourcesRef.current ??= imp ? imp.sources.split('\n') : []), [imp]);
  const highlight = useMemo(() => {
    if (!selPath || !imp) return new Set<number>();
    // a group's own edges are none: add its descendants (elementsFrom matches by path prefix)
    return new Set(elementsFrom(sources(), selPath));
  }, [selPath, imp, sources]);
  return (
    <div className="svgp-grid">
      <dl className="svgp-facts">
        <div className="fact"><dt>file</dt><dd data-testid="svg-file-name">{r.name}</dd></div>
        <div className="fact"><dt>bytes</dt><dd data-testid="svg-bytes">{fmt(r.size)}{imp ? ` → ${fmt(imp.bytes.length)} canonical` : ''}</dd></div>
        {imp && <div className="fact"><dt>sha256 (canonical)</dt><dd className="mono" data-testid="svg-hash">{imp.hashHex}</dd></div>}
        {r.envelope && <div className="fact"><dt>envelope</dt><dd data-testid="svg-envelope-bytes">{fmt(r.envelope.length)} bytes</dd></div>}
        {Object.keys(r.timings).length > 0 && (
          <div className="fact"><dt>worker time</dt><dd data-testid="svg-timings" title="time per stage in the SVG worker">
            {secs(Object.values(r.timings).reduce((a, b) => a + b, 0))} s ({Object.entries(r.timings).map(([k, v]) => `${k} ${secs(v)}`).join(', ')})
          </dd></div>
        )}
      </dl>
      {r.error && <ErrorBox e={r.error} testId="svg-error" />}
      {!r.error && <Violations r={r} sources={sources} onSelect={setSelPath} />}
      {!r.error && <Changes r={r} />}
      {imp && <Render r={r} original={original} highlight={highlight} />}
      {r.envelope && r.lanes.length > 0 && <LaneTable rows={r.lanes} root={r.globalRoot} source={r.envelope} name={`${r.name}.scxq2`} />}
      {r.streams && <Streams streams={r.streams} />}
      {imp && <Downloads r={r} />}
    </div>
  );
}

function EnvelopeView({ r, file, onInflate, run }: { r: EnvelopeResult; file: Blob; onInflate: () => void; run: RunJob }) {
  const [v, setV] = useState<FullVerify | null>(null);
  return (
    <div className="svgp-grid">
      <dl className="svgp-facts">
        <div className="fact"><dt>envelope</dt><dd data-testid="svg-file-name">{r.name}</dd></div>
        <div className="fact"><dt>bytes</dt><dd>{fmt(r.size)}</dd></div>
        {r.canonicalHash && <div className="fact"><dt>canonical sha256</dt><dd className="mono">{r.canonicalHash}</dd></div>}
      </dl>
      {r.error && <ErrorBox e={r.error} testId="svg-error" />}
      {!r.error && (
        <>
          <div className="svgp-actions">
            <button type="button" className="btn" data-testid="svg-env-verify" onClick={async () => {
              const res = await run('Verifying', ['verify'], (onStage) => startJob({ type: 'verify', file, name: r.name }, onStage), { name: r.name, replaces: false });
              if (res) setV(res);
            }}>Verify every lane</button>
            <button type="button" className="btn" data-testid="svg-env-inflate" onClick={onInflate}>Inflate and analyze</button>
            {v && <span className={`svgp-badge ${v.ok ? 'ok' : 'bad'}`} data-testid="svg-env-verified">{v.ok ? 'all lanes verified, round trip ok' : `${v.error?.code}: ${v.error?.message}`}</span>}
          </div>
          <LaneTable rows={r.lanes} root={r.globalRoot} source={file} name={r.name} />
        </>
      )}
    </div>
  );
}

interface Shown { a: Analysis; file: Blob | null }

export default function SvgPanel() {
  const [shown, setShown] = useState<Shown | null>(null);
  const [job, setJob] = useState<RunningJob | null>(null);
  const [fatal, setFatal] = useState<ErrorInfo | null>(null);
  const current = useRef<RunningJob | null>(null);
  const seq = useRef(0);

  /** Run one job with the progress bar; null when it was cancelled or replaced. */
  const run: RunJob = useCallback(async <T,>(what: string, stages: readonly Stage[], start: (onStage: (s: Stage) => void) => Job<T>, opts: { name?: string; replaces?: boolean } = {}): Promise<T | null> => {
    const replaces = opts.replaces ?? true;
    current.current?.cancel();
    const id = ++seq.current;
    const onStage = (stage: Stage) => { if (current.current?.id === id) setJob((j) => (j && j.id === id ? { ...j, stage } : j)); };
    const handle = start(onStage);
    const rj: RunningJob = { id, name: opts.name ?? '', what, stages, stage: null, started: performance.now(), cancel: () => handle.cancel(), replaces };
    current.current = rj;
    setJob(rj);
    setFatal(null);
    try {
      return await handle.promise;
    } catch (e) {
      if (current.current?.id === id && !(e instanceof CancelledError)) { setFatal(info(e)); if (replaces) setShown(null); }
      return null;
    } finally {
      if (current.current?.id === id) { current.current = null; setJob(null); }
    }
  }, []);

  const open = useCallback(async (file: Blob, name: string) => {
    const a = await run('Analysing', SVG_STAGES, (onStage) => startJob({ type: 'analyze', file, name, dpr: window.devicePixelRatio || 1 }, onStage), { name });
    // a transition: React renders the new report in slices, so no frame waits for all of it
    if (a) startTransition(() => setShown({ a, file }));
  }, [run]);

  const inflate = useCallback(async (file: Blob, name: string) => {
    const a = await run('Inflating', INFLATE_STAGES, (onStage) => startJob({ type: 'inflate', file, name, dpr: window.devicePixelRatio || 1 }, onStage), { name });
    if (a) startTransition(() => setShown({ a, file: null }));
  }, [run]);

  // Files the window's router sent to this face (a drop anywhere, "Open…"): the newest wins.
  useEffect(() => {
    const take = () => {
      const items = takeInbox('svg');
      const last = items[items.length - 1];
      if (last) void open(last.file, last.name);
    };
    take();
    return subscribeInbox('svg', take);
  }, [open]);

  // Leaving the tab stops the running job (a StrictMode re-mount in development does not).
  const mounts = useRef(0);
  useEffect(() => {
    const gen = ++mounts.current;
    return () => { setTimeout(() => { if (mounts.current === gen) current.current?.cancel(); }, 0); };
  }, []);

  const stale = !!job?.replaces && !!shown;
  const body = useMemo(() => {
    if (!shown) return null;
    const { a, file } = shown;
    if (a.kind === 'scxq2') return <EnvelopeView key={`${a.name}:${a.size}`} r={a} file={file!} onInflate={() => void inflate(file!, a.name)} run={run} />;
    return <SvgView key={`${a.name}:${a.size}:${a.imported?.hashHex ?? ''}`} r={a} original={file} />;
  }, [shown, inflate, run]);
  return (
    <div className="svgp" data-testid="svg-panel" data-busy={job ? 'true' : 'false'}>
      <DropZone onFile={(f) => void open(f, f.name)} busy={!!job} />
      {job && <JobBar job={job} />}
      {fatal && <ErrorBox e={fatal} testId="svg-error" />}
      {!shown && !fatal && !job && <p className="muted">SVG-tensors: legality (§16.9), import, canonical bytes (§17.1), WebGPU buffers (§17.2) and SCXQ2 lanes with merkle proofs (§18). Nothing you drop is rendered as live markup.</p>}
      {body && (
        <div className={stale ? 'svgp-result svgp-stale' : 'svgp-result'} data-testid="svg-result" data-stale={stale ? 'true' : 'false'} inert={stale}>
          {stale && <p className="svgp-stale-note" data-testid="svg-stale-note">Previous file ({shown!.a.name}), kept until the new analysis finishes; Cancel brings it back.</p>}
          {body}
        </div>
      )}
    </div>
  );
}
