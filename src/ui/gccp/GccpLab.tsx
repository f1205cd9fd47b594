/**
 * π-GCCP lab (issue 5): edit a π-profile, generate vectors from a seed, run the WebGPU
 * kernels and the CPU exact-math mirror side by side (phase/weight heatmaps, collapse
 * scalars, parity delta, timings), run the conformance levels, superpose profiles and step
 * through an SVG-tensor traversal. Vectors come from a seed (random or adversarial), the draw
 * pad, or a dropped SVG (edge directions, docs/laws.md L22). All maths comes from
 * src/core/gccp and src/gpu.
 */
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import './gccp.css';
import { PARITY_TOL, type ConformanceReport } from '../../core/gccp/conformance';
import { parseProfile, profileHash, DEFAULT_PROFILE, PROFILE_SCHEMA, type PiProfile } from '../../core/gccp/profile';
import type { AdversarialKind } from '../../core/gccp/random';
import { superpose } from '../../core/gccp/superpose';
import { buildTraversal, fixtureTensor, traverseCpu, type TraversalStep, type TraversalBuffers } from '../../core/gccp/traverse';
import { traverseGpu } from '../../gpu/traverse';
import type { GpuRun } from '../../gpu/gccp';
import { Heatmap } from './Heatmap';
import { AsxError } from '../../core/errors';
import type { Heat } from './heat';
import { LAB_STAGE_LABEL, type CpuRun, type LabStage, type LoadedSvg, type VectorSpec } from './labTypes';
import { LabCancelled, labJob, type LabJob } from './labClient';

const ProfileEditor = lazy(() => import('./ProfileEditor'));
import { acquireLabGpu, labConformance, type LabGpuState, type LabConformance } from './labGpu';

type VectorKind = 'random' | 'drawn' | 'svg' | AdversarialKind;

interface GpuView {
  collapse: number;
  timings: GpuRun['timings'];
  uncertain: number;
  certified: boolean;
  phase: Heat;
  weight: Heat;
}

interface RunView {
  n: number;
  epsilon: number;
  cpu: CpuRun;
  gpu: GpuView | null;
  gpuError: string | null;
}

/** The running job: what, its stages, where it is, and how to stop it. */
interface RunningJob { id: number; what: string; stages: readonly LabStage[]; stage: LabStage | null; started: number; cancel(): void; /** a new run: the shown result is stale */ replaces: boolean }

const RUN_STAGES: readonly LabStage[] = ['vectors', 'cpu', 'heatmaps', 'gpu', 'gpu-heatmaps'];
const int = (x: number) => x.toLocaleString('en-US');
/** Milliseconds with grouping and a fixed number of decimals (1,279.0). */
const ms = (x: number, d = 1) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

/** A count shown with thousands separators; typed as the user likes (commas allowed), regrouped on blur. */
function CountInput({ value, min, max, onChange }: { value: number; min: number; max: number; onChange: (v: number) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input type="text" inputMode="numeric" value={draft ?? int(value)} title={`${int(min)} to ${int(max)}`}
      onBlur={() => setDraft(null)}
      onChange={(e) => {
        setDraft(e.target.value);
        const v = Math.floor(Number(e.target.value.replace(/[\s,_]/g, '')));
        if (Number.isFinite(v)) onChange(Math.max(min, Math.min(max, v)));
      }} />
  );
}

function JobBar({ job }: { job: RunningJob }) {
  const [, tick] = useState(0);
  useEffect(() => { const t = setInterval(() => tick((x) => x + 1), 250); return () => clearInterval(t); }, []);
  const at = job.stage ? Math.max(0, job.stages.indexOf(job.stage)) : 0;
  return (
    <div className="gccp-job" data-testid="gccp-progress" data-stage={job.stage ?? 'starting'} role="status" aria-live="polite">
      <div className="small"><b>{job.what}</b> <span className="muted">· {job.stage ? LAB_STAGE_LABEL[job.stage] : 'starting the worker'}… {((performance.now() - job.started) / 1000).toFixed(1)} s</span></div>
      <progress data-testid="gccp-progress-bar" max={job.stages.length} value={at} aria-label={job.what} />
      <button type="button" className="btn btn-small" data-testid="gccp-cancel" onClick={() => job.cancel()}>Cancel</button>
    </div>
  );
}

function parseProfileText(text: string): { profile: PiProfile | null; error: string | null; path?: string } {
  try { return { profile: parseProfile(JSON.parse(text)), error: null }; } catch (e) {
    return { profile: null, error: e instanceof Error ? e.message : String(e), path: e instanceof AsxError ? e.where.path : undefined };
  }
}

const fmt = (x: number, d = 7) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

function GpuState({ s }: { s: LabGpuState }) {
  const text = s.state === 'ready' ? `WebGPU: ${s.label}` : s.state === 'checking' ? 'WebGPU: starting…' : `WebGPU ${s.state}: ${s.message}`;
  return <span className={`gccp-state gccp-state-${s.state}`} data-testid="gccp-gpu-state" data-state={s.state}>{text}</span>;
}

function Badges({ report, prefix }: { report: ConformanceReport; prefix: string }) {
  return (
    <div className="gccp-badges">
      <div className="muted small">{report.backend}</div>
      {report.levels.map((l) => (
        <details key={l.level} className={`gccp-badge ${l.pass ? 'pass' : 'fail'}`} data-testid={`gccp-badge-${prefix}-${l.level}`} data-pass={String(l.pass)}>
          <summary>{l.level} {l.pass ? '✓ PASS' : '✗ FAIL'}</summary>
          <ul>
            {l.tests.map((t) => <li key={t.name} className={t.pass ? 'ok' : 'bad'}>{t.pass ? '✓' : '✗'} <b>{t.name}</b> — {t.detail} <span className="muted">({ms(t.ms, 0)} ms)</span></li>)}
          </ul>
        </details>
      ))}
      <div className="muted small">
        settled on the CPU: {int(report.stats.uncertain)} ALIGN decisions, {int(report.stats.collapseSettled)} collapses · max |Δcollapse| {report.stats.maxParity.toExponential(2)} · max |Δphase| {report.stats.maxPhaseDelta.toExponential(2)}
      </div>
    </div>
  );
}

const SUPER_DEFAULT = JSON.stringify([
  { '@pi_profile': 'semantic.hybrid.v1', epsilon: 0.1745329, suppress_k: 0.25, rotation: 0 },
  { '@pi_profile': 'wide.v1', epsilon: 0.9, suppress_k: 0.25, rotation: 0.4 },
  { '@pi_profile': 'opposed.v1', epsilon: 0.6, suppress_k: 0.25, rotation: 3.1 },
], null, 2);

export default function GccpLab() {
  const [gpu, setGpu] = useState<LabGpuState>({ state: 'checking' });
  const [profileText, setProfileText] = useState(JSON.stringify(DEFAULT_PROFILE, null, 2));
  const [plainEditor, setPlainEditor] = useState(false);
  const [n, setN] = useState(2048);
  const [seed, setSeed] = useState(1);
  const [kind, setKind] = useState<VectorKind>('random');
  const [run, setRun] = useState<RunView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [job, setJob] = useState<RunningJob | null>(null);
  const [runErr, setRunErr] = useState<string | null>(null);
  const current = useRef<RunningJob | null>(null);
  const jobSeq = useRef(0);
  const [conf, setConf] = useState<LabConformance | null>(null);
  const [superText, setSuperText] = useState(SUPER_DEFAULT);
  const [kappa, setKappa] = useState(0.5);
  const [superOut, setSuperOut] = useState<ReturnType<typeof superpose> | null>(null);
  const [superErr, setSuperErr] = useState<string | null>(null);
  const [svgDoc, setSvgDoc] = useState<LoadedSvg | null>(null);
  const [svgErr, setSvgErr] = useState<string | null>(null);
  const mounted = useRef(true);

  /**
   * Run one worker job with the progress bar and Cancel. A newer job cancels the older one;
   * null when the job was cancelled or replaced.
   */
  const track = useCallback(async <T,>(what: string, stages: readonly LabStage[], start: (onStage: (s: LabStage) => void) => LabJob<T>, replaces: boolean, then?: (r: T, onStage: (s: LabStage) => void, live: () => boolean) => Promise<void>): Promise<boolean> => {
    current.current?.cancel();
    const id = ++jobSeq.current;
    const live = () => current.current?.id === id;
    const onStage = (stage: LabStage) => { if (live()) setJob((j) => (j && j.id === id ? { ...j, stage } : j)); };
    let cancelled = false;
    const handle = start(onStage);
    const rj: RunningJob = {
      id, what, stages, stage: null, started: performance.now(), replaces,
      cancel: () => { cancelled = true; handle.cancel(); if (live()) { current.current = null; setJob(null); } },
    };
    current.current = rj;
    setJob(rj);
    try {
      const r = await handle.promise;
      if (cancelled || !live()) return false;
      if (then) await then(r, onStage, () => !cancelled && live());
      return !cancelled;
    } catch (e) {
      if (!(e instanceof LabCancelled) && live()) throw e;
      return false;
    } finally {
      if (live()) { current.current = null; setJob(null); }
    }
  }, []);

  /** One load path for the Vectors card and the Traversal card (drop or file picker), in the worker. */
  const loadSvg = useCallback(async (file: File): Promise<boolean> => {
    setSvgErr(null);
    try {
      let doc: LoadedSvg | null = null;
      const ok = await track('Loading the SVG', ['svg'], (onStage) => labJob({ type: 'svg', file, name: file.name }, onStage), false, async (r) => { doc = r; });
      if (ok && doc && mounted.current) setSvgDoc(doc);
      return ok;
    } catch (e) {
      if (mounted.current) setSvgErr(e instanceof Error ? e.message : String(e));
      return false;
    }
  }, [track]);

  useEffect(() => {
    mounted.current = true;
    void acquireLabGpu((message) => { if (mounted.current) setGpu({ state: 'lost', message }); }).then((s) => { if (mounted.current) setGpu((cur) => (cur.state === 'lost' ? cur : s)); });
    return () => {
      mounted.current = false;
      // leaving the tab stops the running job (a StrictMode re-mount in development does not)
      setTimeout(() => { if (!mounted.current) current.current?.cancel(); }, 0);
    };
  }, []);

  // Test hook (same-origin only): lose the lab's device on purpose to exercise the lost path.
  useEffect(() => {
    const w = window as Window & { __asxGccpLab?: { loseDevice(): void } };
    w.__asxGccpLab = { loseDevice: () => { if (gpu.state === 'ready') gpu.gpu.device.destroy(); } };
    return () => { delete w.__asxGccpLab; };
  }, [gpu]);

  const parsed = useMemo(() => parseProfileText(profileText), [profileText]);
  const hash = useMemo(() => (parsed.profile ? profileHash(parsed.profile) : null), [parsed]);
  const [drawn, setDrawn] = useState<number[]>([1, 0, 0.95, 0.1, 0.2, 0.9, 0.7, 0.6]);
  // What to run on: a seed and a count (generated in the worker), or vectors the page holds.
  const vectors = useMemo((): VectorSpec | null => {
    const eps = parsed.profile?.epsilon ?? 0.1745329;
    if (kind === 'svg') return svgDoc && svgDoc.pairs.a.length > 0 ? { kind: 'given', a: svgDoc.pairs.a, b: svgDoc.pairs.b } : null;
    if (kind === 'drawn') {
      const pairs = Math.floor(drawn.length / 4);
      const a = new Float32Array(2 * pairs), b = new Float32Array(2 * pairs);
      for (let i = 0; i < pairs; i++) { a.set(drawn.slice(4 * i, 4 * i + 2), 2 * i); b.set(drawn.slice(4 * i + 2, 4 * i + 4), 2 * i); }
      return { kind: 'given', a, b };
    }
    return { kind: 'seeded', gen: kind, n, seed, epsilon: eps };
  }, [n, seed, kind, parsed.profile?.epsilon, drawn, svgDoc]);

  /** CPU mirror (worker), then the GPU kernels on the same f32 vectors, then both heatmaps. */
  const runBoth = useCallback(async () => {
    if (!parsed.profile || !vectors) return;
    const p = parsed.profile;
    const useGpu = gpu.state === 'ready';
    setRunErr(null);
    try {
      await track('Running', useGpu ? RUN_STAGES : RUN_STAGES.slice(0, 3), (onStage) => labJob({ type: 'run', spec: vectors, profile: p, keepVectors: useGpu }, onStage), true, async (res, onStage, live) => {
        let g: GpuView | null = null, gpuError: string | null = null;
        if (gpu.state === 'ready' && res.a && res.b) {
          onStage('gpu');
          try {
            const r = await gpu.gpu.run(res.a, res.b, p);
            if (!live()) return;
            onStage('gpu-heatmaps');
            const f32 = (x: ArrayLike<number>) => (x instanceof Float32Array ? x : Float32Array.from(x));
            const heat = await labJob({ type: 'heat', phase: f32(r.phase), weight: f32(r.weight) }).promise;
            g = { collapse: r.collapse, timings: r.timings, uncertain: r.uncertain.length, certified: r.certified, phase: heat.phase, weight: heat.weight };
          } catch (e) {
            if (e instanceof LabCancelled) return;
            gpuError = e instanceof Error ? e.message : String(e);
          }
        } else gpuError = gpu.state === 'checking' ? 'WebGPU is still starting' : gpu.state === 'ready' ? 'no vectors' : gpu.message;
        if (!live()) return;
        setRun({ n: res.cpu.n, epsilon: p.epsilon, cpu: res.cpu, gpu: g, gpuError });
      });
    } catch (e) {
      setRunErr(e instanceof Error ? e.message : String(e));
    }
  }, [parsed.profile, vectors, gpu, track]);

  const runConf = useCallback(async () => {
    setBusy('conformance');
    try { setConf(await labConformance(gpu)); } finally { setBusy(null); }
  }, [gpu]);

  const runSuper = useCallback(async () => {
    setSuperErr(null);
    try {
      const docs = JSON.parse(superText);
      if (!Array.isArray(docs) || docs.length === 0) throw new Error('a JSON array of π-profiles');
      if (!vectors) throw new Error('no vectors: load an SVG with at least one non-zero edge for the svg source');
      const profiles = docs.map((d, i) => parseProfile(d, `$[${i}]`));
      const named = (scalars: number[]) => profiles.map((p, i) => ({ name: p['@pi_profile'], hash: profileHash(p), scalar: scalars[i] }));
      if (gpu.state === 'ready') {
        // the GPU needs the vectors on the page: the worker makes them
        await track('Superposing', ['vectors', 'gpu'], (onStage) => labJob({ type: 'vectors', spec: vectors }, onStage), false, async (v, onStage, live) => {
          onStage('gpu');
          const scalars: number[] = [];
          for (const p of profiles) { scalars.push((await gpu.gpu.run(v.a, v.b, p, { readArrays: false })).collapse); if (!live()) return; }
          setSuperOut(superpose(named(scalars), kappa));
        });
      } else {
        await track('Superposing', ['vectors', 'superpose'], (onStage) => labJob({ type: 'collapse', spec: vectors, profiles }, onStage), false, async (scalars) => {
          setSuperOut(superpose(named(scalars), kappa));
        });
      }
    } catch (e) {
      setSuperOut(null);
      setSuperErr(e instanceof Error ? e.message : String(e));
    }
  }, [superText, kappa, gpu, vectors, track]);

  // The CPU column ran on the same f32 vectors as the GPU, so this is the parity of that run.
  const parity = run?.gpu ? Math.abs(run.gpu.collapse - run.cpu.collapse) : null;

  return (
    <div className="gccp-lab" data-testid="gccp-lab">
      <div className="gccp-top">
        <h2>π-GCCP lab</h2>
        <GpuState s={gpu} />
        {busy && <span className="muted small">{busy}…</span>}
      </div>
      {job && <JobBar job={job} />}

      <section className="gccp-grid">
        <div className="gccp-card">
          <h3>π-profile <span className="muted small">(§11.2)</span></h3>
          {plainEditor
            ? <textarea className="gccp-json" spellCheck={false} value={profileText} onChange={(e) => setProfileText(e.target.value)} aria-label="π-profile JSON" rows={7} />
            : (
              <Suspense fallback={<div className="muted small">Loading editor…</div>}>
                <ProfileEditor value={profileText} onChange={setProfileText} error={parsed.error ? { message: parsed.error, path: parsed.path } : null} />
              </Suspense>
            )}
          <label className="small muted"><input type="checkbox" checked={plainEditor} onChange={(e) => setPlainEditor(e.target.checked)} style={{ width: 'auto' }} /> plain text editor</label>
          {parsed.error
            ? <div className="text-error small" data-testid="gccp-profile-error">{parsed.error}</div>
            : <div className="muted small mono" title="sha256 over the JCS bytes of the normalized profile">{hash}</div>}
          <details className="small"><summary className="muted">schema</summary><pre className="gccp-pre">{JSON.stringify(PROFILE_SCHEMA, null, 1)}</pre></details>
        </div>
        <div className="gccp-card" data-testid="gccp-vectors" onDragOver={(e) => e.preventDefault()} onDrop={(e) => { e.preventDefault(); e.stopPropagation(); const f = e.dataTransfer.files[0]; if (f) { setKind('svg'); void loadSvg(f); } }}>
          <h3>Vectors</h3>
          <label>pairs <CountInput value={n} min={1} max={4_000_000} onChange={setN} /></label>
          <label>seed <input type="number" value={seed} onChange={(e) => setSeed(Number(e.target.value) || 0)} /></label>
          <label>kind <select value={kind} onChange={(e) => setKind(e.target.value as VectorKind)}>
            {['random', 'drawn', 'svg', 'boundary', 'zero', 'magnitude', 'cancel', 'subnormal', 'axis', 'mixed'].map((k) => <option key={k}>{k}</option>)}
          </select></label>
          {kind === 'drawn' && <DrawPad points={drawn} onChange={setDrawn} />}
          {kind === 'svg' && <SvgSource doc={svgDoc} error={svgErr} onFile={(f) => void loadSvg(f)} />}
          <div className="gccp-actions">
            <button className="btn btn-primary" disabled={!parsed.profile || !vectors || !!busy} onClick={() => void runBoth()}>Run CPU + GPU</button>
            <button className="btn" disabled={!!busy} onClick={() => void runConf()}>Run conformance</button>
          </div>
        </div>
      </section>

      {runErr && <div className="text-error small" data-testid="gccp-run-error">{runErr}</div>}
      {run && (
        <section className={`gccp-card${job?.replaces ? ' gccp-stale' : ''}`} data-testid="gccp-result" data-stale={job?.replaces ? 'true' : 'false'} inert={!!job?.replaces}>
          {job?.replaces && <p className="gccp-stale-note" data-testid="gccp-stale-note">Previous result ({int(run.n)} pairs), kept until the new run finishes; Cancel brings it back.</p>}
          <h3>Result <span className="muted small"><span data-testid="gccp-run-pairs">{int(run.n)}</span> pairs</span></h3>
          <div className="gccp-side">
            <div>
              <h4>CPU exact mirror (f64, §12.4)</h4>
              <div className="gccp-scalar">collapse <b data-testid="gccp-collapse-cpu">{fmt(run.cpu.collapse, 9)}</b></div>
              <div className="muted small" data-testid="gccp-cpu-ms">{ms(run.cpu.ms, 2)} ms (in a worker)</div>
              <div className="gccp-heats"><Heatmap heat={run.cpu.phase} label="phase" epsilon={run.epsilon} testId="gccp-heat-cpu-phase" /><Heatmap heat={run.cpu.weight} label="weight" testId="gccp-heat-cpu-weight" /></div>
            </div>
            <div>
              <h4>WebGPU kernels</h4>
              {run.gpu ? (
                <>
                  <div className="gccp-scalar">collapse <b data-testid="gccp-collapse-gpu">{fmt(run.gpu.collapse, 9)}</b></div>
                  <div className="muted small" data-testid="gccp-gpu-timings">
                    total {ms(run.gpu.timings.totalMs, 2)} ms (upload {ms(run.gpu.timings.uploadMs)}, pass 1 {ms(run.gpu.timings.pass1Ms)}, settle {ms(run.gpu.timings.settleMs)}, pass 2 {ms(run.gpu.timings.pass2Ms)}) ·
                    {' '}settled on the CPU: {int(run.gpu.uncertain)} decisions{run.gpu.certified ? '' : ', collapse'}
                  </div>
                  <div className="gccp-heats"><Heatmap heat={run.gpu.phase} label="phase" epsilon={run.epsilon} testId="gccp-heat-gpu-phase" /><Heatmap heat={run.gpu.weight} label="weight" testId="gccp-heat-gpu-weight" /></div>
                </>
              ) : <div className="text-error small" data-testid="gccp-gpu-error">{run.gpuError}</div>}
            </div>
          </div>
          {parity !== null && (
            <div className={`gccp-parity ${parity <= PARITY_TOL ? 'ok' : 'bad'}`} data-testid="gccp-parity" data-ok={String(parity <= PARITY_TOL)}>
              parity |collapse_gpu − collapse_cpu| = {parity.toExponential(3)} {parity <= PARITY_TOL ? '≤ 1e-6 ✓' : '> 1e-6 ✗'}
            </div>
          )}
        </section>
      )}

      {conf && (
        <section className="gccp-card">
          <h3>Conformance (§12.1)</h3>
          <div className="gccp-side">
            <div>{conf.gpu ? <Badges report={conf.gpu} prefix="gpu" /> : <div className="text-error small">GPU not run: {conf.gpuMessage}</div>}</div>
            <div><Badges report={conf.cpu} prefix="cpu" /></div>
          </div>
        </section>
      )}

      <section className="gccp-grid">
        <div className="gccp-card">
          <h3>Superposition <span className="muted small">(§12.3)</span></h3>
          <textarea className="gccp-json" spellCheck={false} rows={8} value={superText} onChange={(e) => setSuperText(e.target.value)} aria-label="profiles to superpose" />
          <label>κ <input type="number" step={0.05} min={0.01} max={0.99} value={kappa} onChange={(e) => setKappa(Number(e.target.value))} /></label>
          <button className="btn" onClick={() => void runSuper()}>Superpose on current vectors</button>
          {superErr && <div className="text-error small">{superErr}</div>}
          {superOut && (
            <div className="gccp-scroll"><table className="gccp-table" data-testid="gccp-super">
              <thead><tr><th>profile</th><th>sᵢ</th><th>conflicts</th><th>κ^m</th><th>wᵢ</th><th>wᵢ·sᵢ</th></tr></thead>
              <tbody>{superOut.terms.map((t, i) => <tr key={i}><td>{t.name}</td><td>{fmt(t.scalar, 6)}</td><td>{t.conflicts}</td><td>{fmt(t.factor, 4)}</td><td>{fmt(t.weight, 4)}</td><td>{fmt(t.contribution, 6)}</td></tr>)}</tbody>
              <tfoot><tr><td colSpan={5}>S = Σ wᵢ·sᵢ (weights renormalized after interference)</td><td><b>{fmt(superOut.S, 7)}</b></td></tr></tfoot>
            </table></div>
          )}
        </div>
        <Traversal gpu={gpu} svg={svgDoc} loadErr={svgErr} onFile={loadSvg} />
      </section>
    </div>
  );
}

/** The 'svg' vector source: what the loaded SVG gives (L22), or a hint when nothing is loaded. */
function SvgSource({ doc, error, onFile }: { doc: LoadedSvg | null; error: string | null; onFile: (f: File) => void }) {
  return (
    <div className="small">
      {doc
        ? doc.pairs.a.length > 0
          ? <div data-testid="gccp-svg-source">{doc.name}: <b data-testid="gccp-svg-pairs">{int(doc.pairs.a.length / 2)}</b> pairs from {int(doc.pairs.edges)} edges{doc.pairs.skipped ? ` (${int(doc.pairs.skipped)} zero-length skipped)` : ''}</div>
          : <div className="muted" data-testid="gccp-svg-hint">{doc.name} has no edge with a non-zero direction, so it gives no vector pairs; drop another .svg.</div>
        : <div className="muted" data-testid="gccp-svg-hint">No SVG loaded: drop an .svg on this card or the Traversal card, or open one.</div>}
      <div className="muted">pair i: a = direction of edge i, b = direction of the next edge (the last wraps to the first); zero-length edges skipped</div>
      <label className="gccp-file">open SVG… <input type="file" accept=".svg,image/svg+xml" aria-label="SVG for vectors" onChange={(e) => { const f = e.target.files?.[0]; if (f) onFile(f); }} /></label>
      {error && <div className="text-error" data-testid="gccp-svg-vectors-error">{error}</div>}
    </div>
  );
}

function Traversal({ gpu, svg, loadErr, onFile }: { gpu: LabGpuState; svg: LoadedSvg | null; loadErr: string | null; onFile: (f: File) => Promise<boolean> }) {
  const fixture = useMemo(() => { const fx = fixtureTensor(); return { t: buildTraversal(fx), labels: fx.nodes.map((n) => n.id), name: 'fixture tensor' }; }, []);
  const [showFixture, setShowFixture] = useState(true);
  const tensor: { t: TraversalBuffers; labels: string[] | null; name: string } = svg && !showFixture ? { t: svg.t, labels: null, name: svg.name } : fixture;
  const t = tensor.t;
  const [start, setStart] = useState<number[]>([0]);
  const [K, setK] = useState(8);
  const [steps, setSteps] = useState<TraversalStep[] | null>(null);
  const [match, setMatch] = useState<string | null>(null);
  const [k, setKIdx] = useState(0);
  // A newly loaded SVG (from this card or the Vectors card) becomes the traversal's tensor.
  const [seenSvg, setSeenSvg] = useState(svg);
  if (seenSvg !== svg) {
    setSeenSvg(svg);
    if (svg) { setShowFixture(false); setStart([0]); setSteps(null); setMatch(null); setKIdx(0); }
  }

  const box = useMemo(() => {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < t.nodeCount; i++) { const x = t.nodes[4 * i], y = t.nodes[4 * i + 1]; x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
    if (!Number.isFinite(x0)) return { x0: 0, y0: 0, w: 1, h: 1, r: 1 };
    const w = Math.max(x1 - x0, 1e-9), h = Math.max(y1 - y0, 1e-9);
    const pad = 0.08 * Math.max(w, h);
    return { x0: x0 - pad, y0: y0 - pad, w: w + 2 * pad, h: h + 2 * pad, r: Math.max(w, h) / 60 };
  }, [t]);

  const load = (file: File) => onFile(file);

  const go = async () => {
    const cpu = traverseCpu(t, start, K);
    let shown = cpu, note = 'CPU mirror only (no WebGPU)';
    if (gpu.state === 'ready') {
      try {
        const g = await traverseGpu(gpu.gpu.device, t, start, K);
        const same = JSON.stringify(g.map((s) => Array.from(s.mass))) === JSON.stringify(cpu.map((s) => Array.from(s.mass)));
        shown = g;
        note = same ? 'GPU = CPU mirror, bit for bit ✓' : 'GPU differs from the CPU mirror ✗';
      } catch (e) { note = `GPU failed: ${e instanceof Error ? e.message : String(e)}`; }
    }
    setSteps(shown); setMatch(note); setKIdx(0);
  };
  const cur = steps?.[k];
  const maxMass = cur ? Math.max(1, ...Array.from(cur.mass)) : 1;
  // Edges show the flow of the step leaving the current state.
  const next = steps && k + 1 < steps.length ? steps[k + 1] : undefined;
  const maxFlow = next ? Math.max(1, ...Array.from(next.flow)) : 1;
  const X = (i: number) => t.nodes[4 * i], Y = (i: number) => t.nodes[4 * i + 1];
  return (
    <div className="gccp-card" onDragOver={(e) => e.preventDefault()} onDrop={(e) => { e.preventDefault(); e.stopPropagation(); const f = e.dataTransfer.files[0]; if (f) void load(f); }}>
      <h3>Traversal <span className="muted small">(§20.7, {tensor.name}: {int(t.nodeCount)} nodes, {int(t.edgeCount)} edges)</span></h3>
      <svg className="gccp-tensor" viewBox={`${box.x0} ${box.y0} ${box.w} ${box.h}`} role="img" aria-label="SVG-tensor traversal">
        <defs><marker id="gccp-arrow" viewBox="0 0 6 6" refX="9" refY="3" markerWidth={box.r * 1.2} markerHeight={box.r * 1.2} markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#6a7482" /></marker></defs>
        {Array.from({ length: t.edgeCount }, (_, e) => {
          const a = t.edges[2 * e], b = t.edges[2 * e + 1];
          const f = next ? next.flow[e] : 0;
          return <line key={e} x1={X(a)} y1={Y(a)} x2={X(b)} y2={Y(b)} stroke={f ? '#4f9dff' : '#3a4250'} strokeWidth={box.r * (0.25 + 1.25 * (f / maxFlow))} markerEnd="url(#gccp-arrow)" />;
        })}
        {Array.from({ length: t.nodeCount }, (_, i) => {
          const m = cur ? cur.mass[i] : 0;
          const inSet = cur ? m > 0 : start.includes(i);
          return (
            <g key={i} onClick={() => setStart((s) => (s.includes(i) ? (s.length > 1 ? s.filter((x) => x !== i) : s) : [...s, i].sort((x, y) => x - y)))} style={{ cursor: 'pointer' }}>
              <circle cx={X(i)} cy={Y(i)} r={box.r * (1 + 2 * Math.sqrt(m / maxMass))} strokeWidth={box.r * 0.2} className={inSet ? 'gccp-node in' : start.includes(i) ? 'gccp-node start' : 'gccp-node'} />
              {tensor.labels && <text x={X(i) + 1.6 * box.r} y={Y(i) - 1.6 * box.r} fontSize={box.r * 1.8} className="gccp-node-label">{tensor.labels[i]}</text>}
            </g>
          );
        })}
      </svg>
      <div className="muted small">start set {'{'}{start.join(', ')}{'}'} (click nodes to change) · drop an .svg here, or
        {' '}<label className="gccp-file">open SVG-tensor… <input type="file" accept=".svg,image/svg+xml" onChange={(e) => { const f = e.target.files?.[0]; if (f) void load(f); }} /></label>
        {tensor !== fixture && <> · <button className="btn btn-small" onClick={() => { setShowFixture(true); setStart([0]); setSteps(null); setMatch(null); }}>fixture</button></>}
      </div>
      {loadErr && <div className="text-error small" data-testid="gccp-svg-error">{loadErr}</div>}
      <label>K <input type="number" min={1} max={64} value={K} onChange={(e) => setK(Math.max(1, Math.min(64, Number(e.target.value) || 1)))} /></label>
      <button className="btn" onClick={() => void go()}>Traverse</button>
      {steps && (
        <div>
          <input type="range" min={0} max={steps.length - 1} value={k} onChange={(e) => setKIdx(Number(e.target.value))} aria-label="step" />
          <span className="small"> step {k} / {steps.length - 1}: node set {'{'}{cur?.nodeSet.join(', ')}{'}'}</span>
          <div className="small" data-testid="gccp-traverse-match">{match}</div>
        </div>
      )}
    </div>
  );
}

/** Click to place vectors from the centre: odd clicks set a, even clicks set b of the pair. */
function DrawPad({ points, onChange }: { points: number[]; onChange: (p: number[]) => void }) {
  const S = 180, R = 80;
  const click = (e: React.MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - box.left) / box.width * S - S / 2) / R;
    const y = -((e.clientY - box.top) / box.height * S - S / 2) / R;
    onChange([...points, Math.fround(x), Math.fround(y)]);
  };
  const vecs: Array<{ x: number; y: number; b: boolean }> = [];
  for (let i = 0; i + 1 < points.length; i += 2) vecs.push({ x: points[i], y: points[i + 1], b: (i / 2) % 2 === 1 });
  return (
    <div>
      <svg className="gccp-pad" width={S} height={S} viewBox={`0 0 ${S} ${S}`} onClick={click} role="img" aria-label="draw vectors">
        <circle cx={S / 2} cy={S / 2} r={R} fill="none" stroke="#2a313c" />
        {vecs.map((v, i) => <line key={i} x1={S / 2} y1={S / 2} x2={S / 2 + v.x * R} y2={S / 2 - v.y * R} stroke={v.b ? '#e0a43a' : '#4f9dff'} strokeWidth={2} />)}
      </svg>
      <div className="muted small">{Math.floor(points.length / 4)} pairs (blue a, amber b; click: a then b) <button className="btn btn-small" onClick={() => onChange([])}>clear</button></div>
    </div>
  );
}
