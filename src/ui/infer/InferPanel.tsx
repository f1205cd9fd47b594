/**
 * The Inference tab (issue 12): an MX2LM profile's inference objects resolved and verified in a
 * Web Worker through the browser's own Object Server core (object graph with each verdict; any
 * object can be swapped for a dropped file or removed), a prompt whose reply appears token by
 * token (with the trace, or the tokens alone), a trace view per token with the SVG-tensor
 * traversal drawn (plain text, tables and SVG elements built here: nothing from an object is ever
 * injected as markup), typed error cards, and a determinism panel (the same request N times, or
 * the 1,000 seeded prompts, per backend → SHA-256 of the replies and of the traces).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { PROMPT_MAX_CHARS } from '../../core/infer/request';
import { SEEDED_PROMPT_COUNT } from '../../core/infer/seeded-prompts';
import type { Role } from '../../core/infer/objects';
import type { TraceCandidate } from '../../core/infer/trace';
import {
  BACKENDS, cancelDeterminism, chooseProfile, ensureLoaded, generate, inferStore, isRunning, needSvgNode, removeObject, resetSwaps,
  runDeterminism, selectStep, swapFile, verdict, type InferState, type RunState, type StepView,
} from './inferStore';
import type { Backend, InferErrorInfo, ObjectRow, RunResult, RunSpec } from './protocol';
import './infer.css';

function useInfer<T>(sel: (s: InferState) => T): T {
  return useSyncExternalStore(inferStore.subscribe, () => sel(inferStore.getState()));
}

export function makeInferWorker(): Worker {
  return new Worker(new URL('./infer.worker.ts', import.meta.url), { type: 'module', name: 'asx-infer' });
}

const base = () => `${window.location.origin}/`;
const short = (h: string | null) => (h ? `${h.slice(0, 15)}…${h.slice(-6)}` : '—');
const pct = (p: number) => `${(p * 100).toFixed(2)}%`;
const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(5));
const sizeOf = (n: number | null) => (n === null ? '' : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);

function ErrorCard({ e, testid }: { e: InferErrorInfo; testid: string }) {
  return (
    <div className="infer-error" data-testid={testid} data-code={e.code} role="alert">
      <strong className="mono">{e.code}</strong>
      <p>{e.message}</p>
      {(e.path || e.file) && <p className="small muted">{e.file ? <>file <span className="mono">{e.file}</span>{e.path ? ', ' : ''}</> : null}{e.path ? <>object / path: <span className="mono">{e.path}</span></> : null}</p>}
    </div>
  );
}

const ROLE_HINT = 'weights (.safetensors from the Gym), a profile (.json with collapse), a Hugging Face tokenizer.json, a vocab (.json with tokens), an n-gram brain (.arpa) or an SVG-tensor brain (.svg)';

function ObjectGraph() {
  const objects = useInfer((s) => s.objects);
  const load = useInfer((s) => s.load);
  const message = useInfer((s) => s.message);
  const loadMs = useInfer((s) => s.loadMs);
  const err = useInfer((s) => s.loadError);
  const profiles = useInfer((s) => s.profiles);
  const profileId = useInfer((s) => s.profileId);
  const swaps = useInfer((s) => s.swaps);
  const swapError = useInfer((s) => s.swapError);
  const [over, setOver] = useState(false);
  const busy = load === 'loading';
  const take = (files: FileList | null | undefined) => { const f = files?.[0]; if (f) void swapFile(f); };
  const removed = swaps.filter((s) => s.hash === null);
  return (
    <section className="panel infer-objects" data-testid="infer-objects" data-state={load}>
      <header className="panel-head"><h3>Object graph</h3>
        <label className="small">profile{' '}
          <select className="input" data-testid="infer-profile" value={profileId} disabled={busy} onChange={(e) => chooseProfile(e.target.value)}>
            {[...new Set([profileId, ...profiles])].map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <span className="muted small" data-testid="infer-load-status">
          {load === 'loading' ? message || 'loading…' : load === 'ready' ? `all ${objects.length} objects verified in ${(loadMs / 1000).toFixed(1)} s` : load === 'error' ? 'load failed' : ''}
        </span>
      </header>
      <div className="infer-scroll">
        <table className="table small">
          <thead><tr><th>role</th><th>id</th><th>hash</th><th>size</th><th>verdict</th><th /></tr></thead>
          <tbody>
            {objects.map((o: ObjectRow) => {
              const sw = swaps.find((s) => s.id === o.id && s.hash !== null);
              return (
                <tr key={o.id} data-testid="infer-object" data-role={o.role} data-state={o.state} data-hash={o.hash ?? ''} data-swapped={sw ? 'yes' : 'no'}>
                  <td>{o.role}</td>
                  <td className="mono">{o.id}{sw && <span className="infer-swapped" title={`was ${sw.old ?? '?'}`}> swapped: {sw.file}</span>}</td>
                  <td className="mono" title={o.hash ?? ''}>{short(o.hash)}</td>
                  <td className="mono">{sizeOf(o.size)}</td>
                  <td className={`infer-verdict infer-verdict-${o.state}`}>{o.state === 'failed' ? `failed: ${o.code ?? ''}` : o.state === 'verifying' ? 'verifying…' : o.state}</td>
                  <td>{o.role !== '?' && o.role !== 'profile' && <button type="button" className="link-button small" data-testid="infer-remove" disabled={busy} onClick={() => removeObject(o.role as Role, o.id)}>remove</button>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {removed.length > 0 && <p className="small muted" data-testid="infer-removed">removed: {removed.map((r) => r.id).join(', ')}</p>}
      {err && <ErrorCard e={err} testid="infer-load-error" />}
      <div
        className={`infer-swap-drop small${over ? ' over' : ''}`}
        data-testid="infer-swap-drop"
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => { e.preventDefault(); setOver(false); if (!busy) take(e.dataTransfer.files); }}
      >
        Swap an object: drop {ROLE_HINT} here, or{' '}
        <label className="link-button">choose a file<input type="file" hidden data-testid="infer-swap-file" disabled={busy} onChange={(e) => { take(e.target.files); e.target.value = ''; }} /></label>.
        {swaps.length > 0 && <> <button type="button" className="link-button" data-testid="infer-swap-reset" disabled={busy} onClick={resetSwaps}>Restore the served objects</button></>}
      </div>
      {swapError && <ErrorCard e={swapError} testid="infer-swap-error" />}
      {load === 'error' && <button type="button" className="btn" data-testid="infer-reload" onClick={() => ensureLoaded(makeInferWorker, base())}>Load again</button>}
    </section>
  );
}

function Candidates({ title, list, testid }: { title: string; list: TraceCandidate[] | null; testid: string }) {
  return (
    <div className="infer-domain" data-testid={testid} data-present={list ? 'yes' : 'no'}>
      <h4>{title}</h4>
      {list ? (
        <table className="table small"><tbody>
          {list.map((c) => <tr key={c.id}><td className="mono">{c.token}</td><td className="mono muted">#{c.id}</td><td className="mono">{pct(c.p)}</td></tr>)}
        </tbody></table>
      ) : <p className="muted small">empty this step (no distribution)</p>}
    </div>
  );
}

/**
 * Phase IV drawn: the node the traversal stands on, its strongest out-edges (stroke width ∝ P_svg,
 * from the SVG brain's decoded graph), the chosen token's edge highlighted, and the path walked so
 * far (prompt's last token, then each chosen token) underneath.
 */
function SvgTraversal({ steps, s, start }: { steps: StepView[]; s: StepView; start: string }) {
  const from = s.layer?.svg.from;
  const node = useInfer((st) => (from === undefined ? undefined : st.svgNodes[from]));
  useEffect(() => { if (from !== undefined) needSvgNode(from); }, [from]);
  if (from === undefined) return null;
  const chosen = s.collapsed?.chosen;
  const edges = node?.edges ?? [];
  // A fan: the node on the left, its out-edges to a column of targets on the right, strongest first.
  const W = 420, H = Math.max(110, 22 * edges.length + 16), cx = 60, cy = H / 2, tx = 230;
  // The path walked: the prompt's last token (or <s>), each chosen token before this step, then this node.
  const walked = [start, ...steps.filter((x) => x.step < s.step && x.collapsed).map((x) => x.collapsed!.chosen.token)];
  const trail = walked.length > 8 ? ['…', ...walked.slice(-7)] : walked;
  const nodeLabel = node && node.token.length > 7 ? `${node.token.slice(0, 6)}…` : node?.token;
  return (
    <div className="infer-svgtrav" data-testid="infer-svg-traversal" data-from={from} data-edges={node ? node.total : ''}>
      <h4>SVG-tensor traversal (Phase IV)</h4>
      {!node ? <p className="small muted">reading node #{from}…</p> : (
        <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`traversal from ${node.token}`} className="infer-svgtrav-svg">
          {edges.map((e, i) => {
            const y = edges.length === 1 ? cy : 16 + ((H - 32) * i) / (edges.length - 1);
            const on = chosen && chosen.id === e.id;
            return (
              <g key={e.id} data-testid="infer-svg-edge" data-to={e.id} data-chosen={on ? 'yes' : 'no'}>
                <line x1={cx} y1={cy} x2={tx - 6} y2={y} className={on ? 'edge on' : 'edge'} strokeWidth={0.8 + 7 * e.p} />
                <circle cx={tx - 3} cy={y} r={3} className={on ? 'tip on' : 'tip'} />
                <text x={tx + 4} y={y + 4} className={on ? 'lbl on' : 'lbl'}>{e.token} · {pct(e.p)}</text>
              </g>
            );
          })}
          <circle cx={cx} cy={cy} r={22} className="node" />
          <text x={cx} y={cy + 4} textAnchor="middle" className="lbl node-lbl">{nodeLabel}</text>
        </svg>
      )}
      {node && <p className="small muted">node #{from} “{node.token}”: {node.total} outgoing edges{node.total > edges.length ? ` (the ${edges.length} strongest drawn)` : ''}; chosen {chosen ? `“${chosen.token}”` : '—'}{chosen && node && !edges.some((e) => e.id === chosen.id) && !chosen.stop ? ' (not an SVG edge from here: the other domains chose it)' : ''}</p>}
      <p className="small" data-testid="infer-svg-trail">path walked: {trail.map((t, i) => <span key={i} className="mono">{i ? ' → ' : ''}{t}</span>)}</p>
    </div>
  );
}

/** Phase III drawn: the hidden layer's activations as their int8 codes, one cell per unit (blue < 0 < red). */
function Activations({ codes, scale }: { codes: number[]; scale: number }) {
  const n = codes.length, cw = Math.max(3, Math.min(24, Math.floor(512 / Math.max(1, n)))), W = cw * n, H = 18;
  const fill = (q: number) => {
    const t = Math.min(1, Math.abs(q) / 127);
    const c = Math.round(40 + 200 * t);
    return q >= 0 ? `rgb(${c}, ${Math.round(60 + 40 * (1 - t))}, 70)` : `rgb(60, ${Math.round(90 + 60 * t)}, ${c})`;
  };
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} className="infer-acts" data-testid="infer-activations" data-units={n} role="img" aria-label={`${n} hidden activations`}>
      {codes.map((q, i) => <rect key={i} x={i * cw} y={0} width={cw - (cw > 4 ? 1 : 0)} height={H} fill={fill(q)}><title>{`unit ${i}: code ${q} (a ≈ ${num(q * scale)})`}</title></rect>)}
    </svg>
  );
}

function StepTrace({ steps, s, start }: { steps: StepView[]; s: StepView; start: string }) {
  const c = s.collapsed;
  const m = s.layer?.matrix;
  return (
    <div className="infer-trace" data-testid="infer-trace" data-step={s.step}>
      <p className="small">Step {s.step}: context ids <span className="mono">[{s.layer?.context.join(', ')}]</span></p>
      {m ? (
        <p className="small" data-testid="infer-trace-matrix">matrix path (Phase III): x_scale {num(m.x_scale)}; hidden {m.hidden.width} × {m.hidden.activation}: min {num(m.hidden.min)}, max {num(m.hidden.max)}, mean |a| {num(m.hidden.mean_abs)}, scale {num(m.hidden.scale)}, saturated codes {m.hidden.saturated}; logits {num(m.logits.min)} … {num(m.logits.max)}</p>
      ) : <p className="small muted">matrix path: not run (alpha 0)</p>}
      {m && <Activations codes={m.hidden.codes} scale={m.hidden.scale} />}
      <SvgTraversal steps={steps} s={s} start={start} />
      {c && (
        <>
          <p className="small" data-testid="infer-trace-weights">collapse weights (Phase V): {c.weights ? `α ${num(c.weights.alpha)} · matrix + β ${num(c.weights.beta)} · svg + γ ${num(c.weights.gamma)} · ngram` : 'none (no domain)'}{c.excluded.length ? `; excluded by the repetition rule: ${c.excluded.length} ids` : ''}</p>
          <div className="infer-domains">
            <Candidates title="matrix" list={c.domains.matrix} testid="infer-domain-matrix" />
            <Candidates title="svg" list={c.domains.svg} testid="infer-domain-svg" />
            <Candidates title="ngram" list={c.domains.ngram} testid="infer-domain-ngram" />
            <Candidates title="collapsed" list={c.collapsed} testid="infer-domain-collapsed" />
          </div>
          <p className="small" data-testid="infer-trace-chosen">chosen (Phases VI–VII, argmax, lowest id on ties): <strong className="mono">{c.chosen.token}</strong> (#{c.chosen.id}, C = {pct(c.chosen.c)}){c.chosen.stop ? ' — the stop token: generation ends' : ''}</p>
        </>
      )}
    </div>
  );
}

function Generate() {
  const load = useInfer((s) => s.load);
  const gen = useInfer((s) => s.gen);
  const selected = useInfer((s) => s.selected);
  const profileId = useInfer((s) => s.profileId);
  const [prompt, setPrompt] = useState('The jury said');
  const [trace, setTrace] = useState(true);
  // The selected token's step, else the newest step while the reply is coming (drawn as it advances).
  const sel = gen ? (selected !== null ? gen.steps.find((s) => s.step === selected) : gen.status === 'running' ? gen.steps[gen.steps.length - 1] : undefined) : undefined;
  const tps = gen && gen.status === 'done' && gen.ms > 0 ? (gen.count / gen.ms) * 1000 : 0;
  return (
    <section className="panel infer-generate" data-testid="infer-generate">
      <header className="panel-head"><h3>Prompt</h3><span className="muted small">§20.3 request: prompt and profile only (no temperature, no sampling) — {profileId}</span></header>
      <div className="infer-prompt-row">
        <textarea className="input infer-prompt" data-testid="infer-prompt" rows={2} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <button type="button" className="btn primary" data-testid="infer-generate-btn" disabled={load !== 'ready' || gen?.status === 'running'} onClick={() => generate(prompt, trace)}>Generate</button>
      </div>
      <p className="small muted">{prompt.length} / {PROMPT_MAX_CHARS} characters ·{' '}
        <label><input type="checkbox" data-testid="infer-trace-toggle" checked={trace} onChange={(e) => setTrace(e.target.checked)} /> trace (§20.12 events; read-only: off changes no byte of the reply)</label>
      </p>
      {gen && (
        <div className="infer-output" data-testid="infer-output" data-status={gen.status} data-trace={gen.trace ? 'on' : 'off'}>
          {gen.started && <p className="small">prompt tokens (Phases I–II): {gen.started.prompt.symbols.map((t, i) => <span key={i} className="infer-ptok mono" title={`#${gen.started!.prompt.tokens[i]}`}>{t}</span>)}</p>}
          <div className="infer-tokens" data-testid="infer-tokens">
            {gen.trace
              ? gen.steps.filter((s) => s.collapsed).map((s) => (
                <button type="button" key={s.step} data-testid="infer-token" data-step={s.step} className={`infer-token mono${selected === s.step ? ' on' : ''}${s.collapsed!.chosen.stop ? ' stop' : ''}`} onClick={() => selectStep(selected === s.step ? null : s.step)}>{s.collapsed!.chosen.token}</button>
              ))
              : gen.tokens.map((t, i) => <span key={i} data-testid="infer-token" className="infer-token mono">{t}</span>)}
            {gen.status === 'running' && <span className="muted small">generating…</span>}
          </div>
          {gen.status === 'done' && (
            <div className="infer-reply">
              <p data-testid="infer-reply-text">{gen.text}</p>
              <p className="small">reply SHA-256 <span className="mono" data-testid="infer-reply-hash">{gen.hash}</span></p>
              <p className="small muted">{gen.traceHash ? <>trace SHA-256 <span className="mono" data-testid="infer-trace-hash">{gen.traceHash}</span> · </> : 'trace off · '}{gen.count} tokens in {(gen.ms / 1000).toFixed(2)} s (<span data-testid="infer-tps">{tps.toFixed(1)}</span> tokens/s, worker CPU, trace {gen.trace ? 'on' : 'off'})</p>
              {gen.trace && <p className="small muted">Click a token for its trace.</p>}
            </div>
          )}
          {gen.error && <ErrorCard e={gen.error} testid="infer-error" />}
          {sel && <StepTrace steps={gen.steps} s={sel} start={gen.started?.prompt.symbols.at(-1) ?? '<s>'} />}
        </div>
      )}
    </section>
  );
}

const LABEL: Record<Backend, string> = { main: 'CPU, the page\'s main thread', worker: 'CPU, the tab\'s worker', worker2: 'CPU, a second worker', webgpu: 'WebGPU (createGpuIntMatmul, in the worker)' };

function Determinism() {
  const load = useInfer((s) => s.load);
  const runs = useInfer((s) => s.runs);
  const [n, setN] = useState(3);
  const [kind, setKind] = useState<RunSpec['kind']>('repeat');
  const [prompt, setPrompt] = useState('The jury said');
  const v = verdict(runs);
  const busy = v.state === 'running';
  const spec: RunSpec = kind === 'seeded' ? { kind, n: SEEDED_PROMPT_COUNT } : { kind, prompt, n };
  return (
    <section className="panel infer-det" data-testid="infer-det">
      <header className="panel-head"><h3>Determinism</h3><span className="muted small">the same requests on every backend: one reply hash and one trace hash each</span></header>
      <div className="infer-prompt-row">
        <select className="input" data-testid="infer-det-kind" value={kind} disabled={busy} onChange={(e) => setKind(e.target.value as RunSpec['kind'])}>
          <option value="repeat">this prompt, N times</option>
          <option value="seeded">{SEEDED_PROMPT_COUNT.toLocaleString('en-US')} seeded prompts (sfc32 seed 20261203)</option>
        </select>
        {kind === 'repeat' && <>
          <input className="input" data-testid="infer-det-prompt" value={prompt} disabled={busy} onChange={(e) => setPrompt(e.target.value)} />
          <label className="small">N <input className="input infer-n" type="number" min={1} max={50} data-testid="infer-det-n" value={n} disabled={busy} onChange={(e) => setN(Math.max(1, Math.min(50, Number(e.target.value) || 1)))} /></label>
        </>}
        <button type="button" className="btn" data-testid="infer-det-run" disabled={load !== 'ready' || busy} onClick={() => void runDeterminism(spec)}>{kind === 'seeded' ? 'Run the seeded set' : `Run ${n} times`}</button>
        {busy && <button type="button" className="btn" data-testid="infer-det-cancel" onClick={cancelDeterminism}>Cancel</button>}
      </div>
      {kind === 'seeded' && <p className="small muted">Each backend answers the same {SEEDED_PROMPT_COUNT.toLocaleString('en-US')} prompts (1–4 vocabulary words or an unknown one); the hashes are SHA-256 of the replies each + LF, and of the traces each + LF (docs/laws.md MX2LM-INFER). On the Brown set this takes minutes per backend; the demo profile takes seconds.</p>}
      <div className="infer-scroll">
        <table className="table small">
          <thead><tr><th>backend</th><th>requests</th><th>reply SHA-256</th><th>trace SHA-256</th><th>tokens/s</th><th>note</th></tr></thead>
          <tbody>
            {BACKENDS.map((b) => <DetRow key={b} b={b} r={runs[b]} />)}
          </tbody>
        </table>
      </div>
      <p data-testid="infer-det-verdict" data-verdict={v.state} className={`infer-det-verdict infer-det-${v.state}`}>
        {v.state === 'equal' ? `all equal: reply ${short(v.reply)}, trace ${short(v.trace)}` : v.state === 'differ' ? 'DIFFER: the hashes are not all equal' : v.state === 'running' ? 'running…' : ''}
      </p>
    </section>
  );
}

function DetRow({ b, r }: { b: Backend; r: RunState | undefined }) {
  if (!r) return <tr data-testid={`infer-det-${b}`} data-state="idle"><td>{LABEL[b]}</td><td colSpan={5} className="muted">—</td></tr>;
  if (isRunning(r)) {
    return (
      <tr data-testid={`infer-det-${b}`} data-state="running"><td>{LABEL[b]}</td>
        <td colSpan={5}><progress max={r.total} value={r.done} data-testid={`infer-det-${b}-progress`} /> <span className="small muted">{r.done} / {r.total}</span></td></tr>
    );
  }
  const res = r as RunResult;
  const replies = [...new Set(res.replies)], traces = [...new Set(res.traces)];
  const state = res.error ? 'error' : res.cancelled ? 'cancelled' : res.replies.length === 0 ? 'unavailable' : 'done';
  return (
    <tr data-testid={`infer-det-${b}`} data-state={state} data-reply={replies.length === 1 ? replies[0] : ''} data-trace={traces.length === 1 ? traces[0] : ''} data-done={res.done}>
      <td>{LABEL[b]}</td>
      <td>{res.done}</td>
      <td className="mono" title={replies.join('\n')}>{replies.length === 1 ? short(replies[0]) : replies.length ? `${replies.length} different` : '—'}</td>
      <td className="mono" title={traces.join('\n')}>{traces.length === 1 ? short(traces[0]) : traces.length ? `${traces.length} different` : '—'}</td>
      <td className="mono" data-testid={`infer-det-${b}-tps`}>{res.ms > 0 ? ((res.tokens / res.ms) * 1000).toFixed(1) : ''}</td>
      <td className="small">{res.error ? `${res.error.code}: ${res.error.message}` : res.cancelled ? `cancelled after ${res.done}` : res.note ?? ''}</td>
    </tr>
  );
}

export default function InferPanel() {
  useEffect(() => { ensureLoaded(makeInferWorker, base()); }, []);
  return (
    <div className="infer-face" data-testid="infer">
      <ObjectGraph />
      <Generate />
      <Determinism />
    </div>
  );
}
