/**
 * SVG-tensor panel (issue 4): drop or pick an SVG (or an .scxq2 envelope) → legality report,
 * import report, the canonical form rendered safely (an <img> of a Blob of the canonical
 * bytes — an image document never runs script — plus a canvas overlay of the GPU map's
 * nodes and edges), the lane table with per-chunk proofs, downloads. The user's markup is
 * never inserted into the page DOM.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import './svg.css';
import { analyzeFile, analyzeSvgText, download, elementsFrom, excerpt, errorInfo, type Analysis, type EnvelopeResult, type ErrorInfo, type LaneRow, type SvgResult } from './analyze';
import { verifyScxq2Proof, verifyEnvelope, type FullVerify } from '../../core/scxq2/envelope';
import type { Scxq2Reader } from '../../core/scxq2/envelope';
import type { GpuBuffers } from '../../core/svg/webgpu';
import { META_HEADER_WORDS, META_ELEMENT_WORDS } from '../../core/svg/webgpu';
import { buildPack } from '../../core/pack/build-pack';
import { utf8 } from '../../core/bytes/utf8';
import type { Violation } from '../../core/svg/tensor';
import { gpuRoundTrip, type GpuUploadResult } from './gpuUpload';
import { streamsJson } from '../../core/svg/streams';

const fmt = (n: number) => n.toLocaleString('en-US');
/** Reports can be huge for hostile input; the page lists at most this many rows. */
const MAX_ROWS = 500;

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
      <span>{busy ? 'Working…' : 'Drop an SVG or an .scxq2 envelope here'}</span>
      <button type="button" className="btn btn-small" onClick={() => input.current?.click()}>Choose file…</button>
      <input ref={input} type="file" accept=".svg,.scxq2,image/svg+xml,application/octet-stream" hidden data-testid="svg-file-input"
        onChange={(e) => { const f = e.target.files?.[0]; if (f) onFile(f); e.target.value = ''; }} />
    </div>
  );
}

function Violations({ r, onSelect }: { r: SvgResult; onSelect: (path: string | null) => void }) {
  const [sel, setSel] = useState<number | null>(null);
  const v = r.legality?.violations ?? [];
  const ex = sel !== null ? excerpt(r.source, v[sel]?.offset) : null;
  const linked = sel !== null && r.imported ? elementsFrom(r.imported.sources, v[sel].path).length : 0;
  return (
    <section className="panel" data-testid="svg-legality">
      <div className="panel-head">
        <h3>Legality (§16.9)</h3>
        <span className={`svgp-badge ${r.legality?.legal ? 'ok' : 'bad'}`} data-testid="svg-legal">{r.legality?.legal ? 'legal SVG-tensor' : `illegal: ${v.length} violation${v.length === 1 ? '' : 's'}`}</span>
      </div>
      {v.length > 0 && (
        <ol className="svgp-list" data-testid="svg-violations">
          {v.slice(0, MAX_ROWS).map((x: Violation, i) => (
            <li key={i} data-rule={x.rule}>
              <button type="button" className={`svgp-link${sel === i ? ' on' : ''}`} onClick={() => { const next = sel === i ? null : i; setSel(next); onSelect(next === null ? null : x.path); }} title="show the element in the source and the render">
                <code>{x.path}</code>
              </button>{' '}
              <span className="svgp-rule">{x.rule}</span> {x.message}
            </li>
          ))}
        </ol>
      )}
      {v.length > MAX_ROWS && <p className="muted small svgp-more" data-testid="svg-violations-more">… and {fmt(v.length - MAX_ROWS)} more (the CLI <code>asx svg check</code> lists all)</p>}
      {sel !== null && (
        <p className="muted small svgp-more" data-testid="svg-link-status" data-count={linked}>
          {linked ? `${linked} canonical element${linked === 1 ? '' : 's'} from it highlighted in the render` : 'the import dropped this element (nothing of it is in the canonical form)'}
        </p>
      )}
      {ex && (
        <pre className="svgp-excerpt" data-testid="svg-excerpt">{`line ${ex.line}, column ${ex.col}\n${ex.text}`}</pre>
      )}
    </section>
  );
}

function Changes({ r }: { r: SvgResult }) {
  const ch = r.imported?.changes ?? [];
  return (
    <section className="panel" data-testid="svg-import">
      <div className="panel-head"><h3>Import report</h3><span className="muted small">{ch.length} change{ch.length === 1 ? '' : 's'}</span></div>
      {r.importError && <ErrorBox e={r.importError} testId="svg-import-error" />}
      {ch.length > 0 && (
        <table className="table svgp-changes" data-testid="svg-changes">
          <thead><tr><th>element</th><th>change</th><th>detail</th></tr></thead>
          <tbody>{ch.slice(0, MAX_ROWS).map((c, i) => <tr key={i}><td><code>{c.path}</code></td><td>{c.action}</td><td>{c.detail}</td></tr>)}</tbody>
        </table>
      )}
      {ch.length > MAX_ROWS && <p className="muted small svgp-more">… and {fmt(ch.length - MAX_ROWS)} more changes</p>}
    </section>
  );
}

/** Canvas overlay: edges coloured by their element's weight magnitude, nodes as dots. */
function Overlay({ buffers, viewBox, width, height, box, highlight }: { buffers: GpuBuffers; viewBox: number[]; width: number; height: number; box: number; highlight: ReadonlySet<number> }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = box * dpr; c.height = box * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, box, box);
    const s1 = Math.min(box / width, box / height);
    const rw = width * s1, rh = height * s1;
    const s2 = Math.min(rw / viewBox[2], rh / viewBox[3]);
    const ox = (box - rw) / 2 + (rw - viewBox[2] * s2) / 2, oy = (box - rh) / 2 + (rh - viewBox[3] * s2) / 2;
    const X = (x: number) => ox + (x - viewBox[0]) * s2, Y = (y: number) => oy + (y - viewBox[1]) * s2;
    const n = buffers.nodeBuffer, e = buffers.edgeBuffer, w = buffers.weightBuffer, m = buffers.metaBuffer;
    let maxW = 0;
    for (let i = 0; i < w.length; i += 3) maxW = Math.max(maxW, w[i]);
    const elements = (m.length - META_HEADER_WORDS) / META_ELEMENT_WORDS;
    let prim = 0;
    ctx.lineWidth = 1.5;
    for (let k = 0; k < elements; k++) {
      const o = META_HEADER_WORDS + META_ELEMENT_WORDS * k;
      const kind = (m[o] >> 8) & 15;
      if (kind < 2) continue;
      const t = maxW > 0 ? w[3 * prim] / maxW : 0;
      prim++;
      ctx.strokeStyle = `hsl(${220 - 200 * t} 90% 60%)`;
      ctx.beginPath();
      for (let j = m[o + 4]; j < m[o + 4] + m[o + 5]; j++) {
        ctx.moveTo(X(n[4 * e[2 * j]]), Y(n[4 * e[2 * j] + 1]));
        ctx.lineTo(X(n[4 * e[2 * j + 1]]), Y(n[4 * e[2 * j + 1] + 1]));
      }
      ctx.stroke();
    }
    ctx.fillStyle = '#ffd54f';
    const r = n.length / 4 > 2000 ? 0.8 : 1.8;
    for (let i = 0; i < n.length; i += 4) { ctx.beginPath(); ctx.arc(X(n[i]), Y(n[i + 1]), r, 0, 2 * Math.PI); ctx.fill(); }
    // elements linked from a selected violation: thick magenta edges (a group: its primitives)
    if (highlight.size) {
      ctx.strokeStyle = '#ff2bd6';
      ctx.lineWidth = 4;
      ctx.beginPath();
      for (const k of highlight) {
        const o = META_HEADER_WORDS + META_ELEMENT_WORDS * k;
        for (let j = m[o + 4]; j < m[o + 4] + m[o + 5]; j++) {
          ctx.moveTo(X(n[4 * e[2 * j]]), Y(n[4 * e[2 * j] + 1]));
          ctx.lineTo(X(n[4 * e[2 * j + 1]]), Y(n[4 * e[2 * j + 1] + 1]));
        }
      }
      ctx.stroke();
    }
  }, [buffers, viewBox, width, height, box, highlight]);
  return <canvas ref={ref} className="svgp-overlay" style={{ width: box, height: box }} data-testid="svg-overlay" data-nodes={buffers.metaBuffer[0]} data-edges={buffers.metaBuffer[1]} data-highlight={highlight.size} />;
}

function Render({ bytes, buffers, viewBox, width, height, highlight }: { bytes: Uint8Array; buffers: GpuBuffers | null; viewBox: number[]; width: number; height: number; highlight: ReadonlySet<number> }) {
  const [url, setUrl] = useState<string | null>(null);
  const [overlay, setOverlay] = useState(true);
  const [gpu, setGpu] = useState<GpuUploadResult | 'busy' | null>(null);
  useEffect(() => {
    // The canonical bytes contain only svg/g/path/line/poly*/circle/ellipse with numeric
    // attributes; as an <img> even a script could not run.
    const u = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'image/svg+xml' }));
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [bytes]);
  const box = 320;
  return (
    <section className="panel" data-testid="svg-render">
      <div className="panel-head">
        <h3>Canonical form (diagnostic, non-authoritative)</h3>
        {buffers && <label className="small"><input type="checkbox" checked={overlay} onChange={(e) => setOverlay(e.target.checked)} /> nodes &amp; edges</label>}
      </div>
      <div className="svgp-stage" style={{ width: box, height: box }}>
        {url && <img src={url} alt="canonical SVG-tensor" width={box} height={box} className="svgp-img" data-testid="svg-canonical-img" />}
        {buffers && overlay && <Overlay buffers={buffers} viewBox={viewBox} width={width} height={height} box={box} highlight={highlight} />}
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
            try { setGpu(await gpuRoundTrip(buffers)); } catch (e) { setGpu({ ok: false, adapter: '', bytes: 0, buffers: 0, message: errorInfo(e).message }); }
          }}>Upload buffers to the GPU</button>
          {gpu && gpu !== 'busy' && <span className={`svgp-badge ${gpu.ok ? 'ok' : 'bad'}`} data-testid="svg-gpu-result" data-ok={String(gpu.ok)}>{gpu.adapter ? `${gpu.adapter}: ` : ''}{gpu.message}</span>}
        </div>
      )}
    </section>
  );
}

function LaneTable({ rows, reader }: { rows: LaneRow[]; reader: Scxq2Reader }) {
  const [res, setRes] = useState<Record<string, string>>({});
  const check = useCallback(async (lane: LaneRow['lane'], i: number) => {
    const key = `${lane}-${i}`;
    try {
      const proof = await reader.proof(lane, i);
      const chunk = await reader.chunk(lane, i);
      const r = verifyScxq2Proof(proof, chunk, proof.global_root);
      setRes((s) => ({ ...s, [key]: r.ok ? 'verified' : `${r.code}: ${r.message}` }));
    } catch (e) {
      const info = errorInfo(e);
      setRes((s) => ({ ...s, [key]: `${info.code}: ${info.message}` }));
    }
  }, [reader]);
  return (
    <section className="panel" data-testid="svg-lanes">
      <div className="panel-head"><h3>SCXQ2 lanes</h3><span className="muted small mono">root {Array.from(reader.meta.globalRoot, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, 16)}…</span></div>
      <table className="table">
        <thead><tr><th>lane</th><th className="num">offset</th><th className="num">bytes</th><th>encoding</th><th className="num">precision</th><th className="num">items</th><th>root</th><th>chunk proofs</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.lane} data-testid={`svg-lane-${r.lane}`}>
              <td className="mono">{r.lane}</td><td className="num">{fmt(r.offset)}</td><td className="num">{fmt(r.size)}</td><td>{r.encoding}</td>
              <td className="num">{r.precision || '—'}</td><td className="num">{fmt(r.items)}</td><td className="mono" title={r.root}>{r.root.slice(0, 12)}…</td>
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
                {r.chunks > 16 && <span className="muted small"> +{r.chunks - 16}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** L-STREAMS preview: the streams a pack would be built from, and the pack itself on demand. */
function Streams({ streams }: { streams: NonNullable<SvgResult['streams']> }) {
  const [built, setBuilt] = useState<{ lanes: number; bytes: number; dims: number } | { error: string } | null>(null);
  const names = Object.keys(streams.streams);
  return (
    <section className="panel" data-testid="svg-streams">
      <div className="panel-head"><h3>Lane streams (SVG → lanes → pack)</h3><span className="muted small">{names.length} stream{names.length === 1 ? '' : 's'}</span></div>
      <table className="table">
        <thead><tr><th>stream</th><th className="num">samples</th><th>first samples (magnitude × confidence)</th></tr></thead>
        <tbody>{names.slice(0, 50).map((n) => (
          <tr key={n}><td className="mono">{n}</td><td className="num">{fmt(streams.streams[n].length)}</td><td className="mono small">{streams.streams[n].slice(0, 6).join(', ')}{streams.streams[n].length > 6 ? ', …' : ''}</td></tr>
        ))}</tbody>
      </table>
      <div className="svgp-actions">
        <button type="button" className="btn btn-small" data-testid="svg-build-pack" onClick={() => {
          try { const p = buildPack(streams); setBuilt({ lanes: p.ids.length, bytes: p.bytes.length, dims: p.dims }); } catch (e) { setBuilt({ error: `${errorInfo(e).code}: ${errorInfo(e).message}` }); }
        }}>Build the pack</button>
        {built && ('error' in built
          ? <span className="svgp-badge bad" data-testid="svg-pack-result">{built.error}</span>
          : <span className="muted small" data-testid="svg-pack-result" data-lanes={built.lanes}>weights.v2c-bin: {fmt(built.lanes)} lanes × {built.dims} dims, {fmt(built.bytes)} bytes</span>)}
      </div>
    </section>
  );
}

function SvgView({ r }: { r: SvgResult }) {
  const imp = r.imported;
  const base = r.name.replace(/\.svg$/i, '');
  const [selPath, setSelPath] = useState<string | null>(null);
  const highlight = useMemo(() => {
    if (!selPath || !imp) return new Set<number>();
    // a group's own edges are none: add its descendants (elementsFrom matches by path prefix)
    return new Set(elementsFrom(imp.sources, selPath));
  }, [selPath, imp]);
  return (
    <div className="svgp-grid">
      <dl className="svgp-facts">
        <div className="fact"><dt>file</dt><dd data-testid="svg-file-name">{r.name}</dd></div>
        <div className="fact"><dt>bytes</dt><dd>{fmt(r.size)}{imp ? ` → ${fmt(imp.bytes.length)} canonical` : ''}</dd></div>
        {imp && <div className="fact"><dt>sha256 (canonical)</dt><dd className="mono" data-testid="svg-hash">{imp.hashHex}</dd></div>}
        {r.envelope && <div className="fact"><dt>envelope</dt><dd>{fmt(r.envelope.length)} bytes</dd></div>}
      </dl>
      <Violations r={r} onSelect={setSelPath} />
      <Changes r={r} />
      {imp && <Render bytes={imp.bytes} buffers={r.buffers} viewBox={imp.model.viewBox!} width={imp.model.width!} height={imp.model.height!} highlight={highlight} />}
      {r.reader && <LaneTable rows={r.lanes} reader={r.reader} />}
      {r.streams && <Streams streams={r.streams} />}
      {imp && (
        <section className="panel">
          <div className="panel-head"><h3>Downloads</h3></div>
          <div className="svgp-actions">
            <button type="button" className="btn" data-testid="svg-download-canonical" onClick={() => download(`${base}.tensor.svg`, imp.bytes, 'image/svg+xml')}>canonical SVG</button>
            {r.envelope && <button type="button" className="btn" data-testid="svg-download-envelope" onClick={() => download(`${base}.scxq2`, r.envelope!, 'application/octet-stream')}>SCXQ2 envelope</button>}
            {r.streams && <button type="button" className="btn" data-testid="svg-download-streams" onClick={() => download(`${base}.streams.json`, streamsJson(r.streams!) + '\n', 'application/json')}>lane streams</button>}
            {r.streams && <button type="button" className="btn" data-testid="svg-download-pack" onClick={() => download(`${base}.v2c.bin`, buildPack(r.streams).bytes, 'application/octet-stream')}>compile to pack</button>}
          </div>
          <pre className="svgp-canonical" data-testid="svg-canonical-text">{imp.text}</pre>
        </section>
      )}
    </div>
  );
}

function EnvelopeView({ r, onInflated }: { r: EnvelopeResult; onInflated: (s: SvgResult) => void }) {
  const [v, setV] = useState<FullVerify | null>(null);
  const [err, setErr] = useState<ErrorInfo | null>(null);
  return (
    <div className="svgp-grid">
      <dl className="svgp-facts">
        <div className="fact"><dt>envelope</dt><dd data-testid="svg-file-name">{r.name}</dd></div>
        <div className="fact"><dt>bytes</dt><dd>{fmt(r.size)}</dd></div>
        {r.reader && <div className="fact"><dt>canonical sha256</dt><dd className="mono">{Array.from(r.reader.meta.canonicalHash, (b) => b.toString(16).padStart(2, '0')).join('')}</dd></div>}
      </dl>
      {r.error && <ErrorBox e={r.error} testId="svg-error" />}
      {r.reader && (
        <>
          <div className="svgp-actions">
            <button type="button" className="btn" data-testid="svg-env-verify" onClick={async () => setV(await verifyEnvelope(r.src))}>Verify every lane</button>
            <button type="button" className="btn" data-testid="svg-env-inflate" onClick={async () => {
              try {
                const inf = await r.reader!.inflate();
                onInflated(await analyzeSvgText(r.name.replace(/\.scxq2$/i, '') + '.svg', inf.text, utf8(inf.text).length));
              } catch (e) { setErr(errorInfo(e)); }
            }}>Inflate and analyze</button>
            {v && <span className={`svgp-badge ${v.ok ? 'ok' : 'bad'}`} data-testid="svg-env-verified">{v.ok ? 'all lanes verified, round trip ok' : `${v.error?.code}: ${v.error?.message}`}</span>}
          </div>
          {err && <ErrorBox e={err} testId="svg-error" />}
          <LaneTable rows={r.lanes} reader={r.reader} />
        </>
      )}
    </div>
  );
}

export default function SvgPanel() {
  const [analysis, setAnalysis] = useState<Analysis | null>(null);
  const [busy, setBusy] = useState(false);
  const [fatal, setFatal] = useState<ErrorInfo | null>(null);
  const onFile = useCallback(async (f: File) => {
    setBusy(true);
    setFatal(null);
    try { setAnalysis(await analyzeFile(f)); } catch (e) { setFatal(errorInfo(e)); setAnalysis(null); } finally { setBusy(false); }
  }, []);
  const body = useMemo(() => {
    if (!analysis) return null;
    if (analysis.kind === 'scxq2') return <EnvelopeView key={analysis.name} r={analysis} onInflated={setAnalysis} />;
    if (analysis.error) return <ErrorBox e={analysis.error} testId="svg-error" />;
    return <SvgView key={analysis.name + analysis.size} r={analysis} />;
  }, [analysis]);
  return (
    <div className="svgp" data-testid="svg-panel">
      <DropZone onFile={(f) => void onFile(f)} busy={busy} />
      {fatal && <ErrorBox e={fatal} testId="svg-error" />}
      {!analysis && !fatal && <p className="muted">SVG-tensors: legality (§16.9), import, canonical bytes (§17.1), WebGPU buffers (§17.2) and SCXQ2 lanes with merkle proofs (§18). Nothing you drop is rendered as live markup.</p>}
      {body}
    </div>
  );
}
