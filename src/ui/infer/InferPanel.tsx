/**
 * The Inference tab (issue 12): the bundled MX2LM Brown inference objects resolved and verified
 * in a Web Worker through the browser's own Object Server core (object graph with each verdict),
 * a prompt whose reply appears token by token from the engine's trace events, a trace view per
 * token (plain text and tables: nothing from an object is ever injected as markup), typed error
 * cards, and a determinism panel (N runs per backend → SHA-256 of the reply and of the trace).
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { PROMPT_MAX_CHARS } from '../../core/infer/request';
import type { TraceCandidate } from '../../core/infer/trace';
import { BACKENDS, ensureLoaded, generate, inferStore, runDeterminism, selectStep, verdict, type InferState, type StepView } from './inferStore';
import type { Backend, InferErrorInfo, ObjectRow, RepeatResult } from './protocol';
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

function ErrorCard({ e, testid }: { e: InferErrorInfo; testid: string }) {
  return (
    <div className="infer-error" data-testid={testid} data-code={e.code} role="alert">
      <strong className="mono">{e.code}</strong>
      <p>{e.message}</p>
      {e.path && <p className="small muted">object / path: <span className="mono">{e.path}</span></p>}
    </div>
  );
}

function ObjectGraph() {
  const objects = useInfer((s) => s.objects);
  const load = useInfer((s) => s.load);
  const message = useInfer((s) => s.message);
  const loadMs = useInfer((s) => s.loadMs);
  const err = useInfer((s) => s.loadError);
  return (
    <section className="panel infer-objects" data-testid="infer-objects" data-state={load}>
      <header className="panel-head"><h3>Object graph</h3>
        <span className="muted small" data-testid="infer-load-status">
          {load === 'loading' ? message || 'loading…' : load === 'ready' ? `all ${objects.length} objects verified in ${(loadMs / 1000).toFixed(1)} s` : load === 'error' ? 'load failed' : ''}
        </span>
      </header>
      <div className="infer-scroll">
        <table className="table small">
          <thead><tr><th>role</th><th>id</th><th>hash</th><th>size</th><th>verdict</th></tr></thead>
          <tbody>
            {objects.map((o: ObjectRow) => (
              <tr key={o.id} data-testid="infer-object" data-role={o.role} data-state={o.state}>
                <td>{o.role}</td>
                <td className="mono">{o.id}</td>
                <td className="mono" title={o.hash ?? ''}>{short(o.hash)}</td>
                <td className="mono">{o.size === null ? '' : o.size >= 1e6 ? `${(o.size / 1e6).toFixed(1)} MB` : `${(o.size / 1e3).toFixed(1)} kB`}</td>
                <td className={`infer-verdict infer-verdict-${o.state}`}>{o.state === 'failed' ? `failed: ${o.code ?? ''}` : o.state === 'verifying' ? 'verifying…' : o.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {err && <ErrorCard e={err} testid="infer-load-error" />}
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

function StepTrace({ s }: { s: StepView }) {
  const c = s.collapsed;
  const m = s.layer?.matrix;
  return (
    <div className="infer-trace" data-testid="infer-trace" data-step={s.step}>
      <p className="small">Step {s.step}: context ids <span className="mono">[{s.layer?.context.join(', ')}]</span></p>
      {m ? (
        <p className="small" data-testid="infer-trace-matrix">matrix path: x_scale {num(m.x_scale)}; hidden {m.hidden.width} × {m.hidden.activation}: min {num(m.hidden.min)}, max {num(m.hidden.max)}, mean |a| {num(m.hidden.mean_abs)}, scale {num(m.hidden.scale)}, saturated codes {m.hidden.saturated}; logits {num(m.logits.min)} … {num(m.logits.max)}</p>
      ) : <p className="small muted">matrix path: not run (alpha 0)</p>}
      {s.layer && <p className="small">SVG-tensor traversal: from node #{s.layer.svg.from}, {s.layer.svg.edges} outgoing edges</p>}
      {c && (
        <>
          <p className="small" data-testid="infer-trace-weights">collapse weights: {c.weights ? `α ${num(c.weights.alpha)} · matrix + β ${num(c.weights.beta)} · svg + γ ${num(c.weights.gamma)} · ngram` : 'none (no domain)'}{c.excluded.length ? `; excluded by the repetition rule: ${c.excluded.length} ids` : ''}</p>
          <div className="infer-domains">
            <Candidates title="matrix" list={c.domains.matrix} testid="infer-domain-matrix" />
            <Candidates title="svg" list={c.domains.svg} testid="infer-domain-svg" />
            <Candidates title="ngram" list={c.domains.ngram} testid="infer-domain-ngram" />
            <Candidates title="collapsed" list={c.collapsed} testid="infer-domain-collapsed" />
          </div>
          <p className="small" data-testid="infer-trace-chosen">chosen: <strong className="mono">{c.chosen.token}</strong> (#{c.chosen.id}, C = {pct(c.chosen.c)}){c.chosen.stop ? ' — the stop token: generation ends' : ''}</p>
        </>
      )}
    </div>
  );
}

function Generate() {
  const load = useInfer((s) => s.load);
  const gen = useInfer((s) => s.gen);
  const selected = useInfer((s) => s.selected);
  const [prompt, setPrompt] = useState('The jury said');
  const sel = gen && selected !== null ? gen.steps.find((s) => s.step === selected) : undefined;
  const tps = gen && gen.status === 'done' && gen.ms > 0 ? (gen.tokens / gen.ms) * 1000 : 0;
  return (
    <section className="panel infer-generate" data-testid="infer-generate">
      <header className="panel-head"><h3>Prompt</h3><span className="muted small">§20.3 request: prompt and profile only (no temperature, no sampling)</span></header>
      <div className="infer-prompt-row">
        <textarea className="input infer-prompt" data-testid="infer-prompt" rows={2} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <button type="button" className="btn primary" data-testid="infer-generate-btn" disabled={load !== 'ready' || gen?.status === 'running'} onClick={() => generate(prompt)}>Generate</button>
      </div>
      <p className="small muted">{prompt.length} / {PROMPT_MAX_CHARS} characters</p>
      {gen && (
        <div className="infer-output" data-testid="infer-output" data-status={gen.status}>
          {gen.started && <p className="small">prompt tokens: {gen.started.prompt.symbols.map((t, i) => <span key={i} className="infer-ptok mono" title={`#${gen.started!.prompt.tokens[i]}`}>{t}</span>)}</p>}
          <div className="infer-tokens" data-testid="infer-tokens">
            {gen.steps.filter((s) => s.collapsed).map((s) => (
              <button type="button" key={s.step} data-testid="infer-token" data-step={s.step} className={`infer-token mono${selected === s.step ? ' on' : ''}${s.collapsed!.chosen.stop ? ' stop' : ''}`} onClick={() => selectStep(selected === s.step ? null : s.step)}>{s.collapsed!.chosen.token}</button>
            ))}
            {gen.status === 'running' && <span className="muted small">generating…</span>}
          </div>
          {gen.status === 'done' && (
            <div className="infer-reply">
              <p data-testid="infer-reply-text">{gen.text}</p>
              <p className="small">reply SHA-256 <span className="mono" data-testid="infer-reply-hash">{gen.hash}</span></p>
              <p className="small muted">trace SHA-256 <span className="mono" data-testid="infer-trace-hash">{gen.traceHash}</span> · {gen.tokens} tokens in {(gen.ms / 1000).toFixed(2)} s (<span data-testid="infer-tps">{tps.toFixed(1)}</span> tokens/s, worker CPU, trace on)</p>
            </div>
          )}
          {gen.error && <ErrorCard e={gen.error} testid="infer-error" />}
          {sel && <StepTrace s={sel} />}
        </div>
      )}
    </section>
  );
}

const LABEL: Record<Backend, string> = { worker: 'CPU, the tab\'s worker', worker2: 'CPU, a second worker', webgpu: 'WebGPU (createGpuIntMatmul, in the worker)' };

function Determinism() {
  const load = useInfer((s) => s.load);
  const runs = useInfer((s) => s.runs);
  const [n, setN] = useState(3);
  const [prompt, setPrompt] = useState('The jury said');
  const v = verdict(runs);
  const busy = v.state === 'running';
  return (
    <section className="panel infer-det" data-testid="infer-det">
      <header className="panel-head"><h3>Determinism</h3><span className="muted small">the same request N times per backend: one reply hash and one trace hash each</span></header>
      <div className="infer-prompt-row">
        <input className="input" data-testid="infer-det-prompt" value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <label className="small">N <input className="input infer-n" type="number" min={1} max={50} data-testid="infer-det-n" value={n} onChange={(e) => setN(Math.max(1, Math.min(50, Number(e.target.value) || 1)))} /></label>
        <button type="button" className="btn" data-testid="infer-det-run" disabled={load !== 'ready' || busy} onClick={() => void runDeterminism(makeInferWorker, base(), prompt, n)}>Run {n} times</button>
      </div>
      <div className="infer-scroll">
        <table className="table small">
          <thead><tr><th>backend</th><th>runs</th><th>reply SHA-256</th><th>trace SHA-256</th><th>tokens/s</th><th>note</th></tr></thead>
          <tbody>
            {BACKENDS.map((b) => {
              const r = runs[b];
              if (!r) return <tr key={b}><td>{LABEL[b]}</td><td colSpan={5} className="muted">—</td></tr>;
              if (r === 'running') return <tr key={b} data-testid={`infer-det-${b}`} data-state="running"><td>{LABEL[b]}</td><td colSpan={5} className="muted">running…</td></tr>;
              return <DetRow key={b} b={b} r={r} />;
            })}
          </tbody>
        </table>
      </div>
      <p data-testid="infer-det-verdict" data-verdict={v.state} className={`infer-det-verdict infer-det-${v.state}`}>
        {v.state === 'equal' ? `all equal: reply ${short(v.reply)}, trace ${short(v.trace)}` : v.state === 'differ' ? 'DIFFER: the hashes are not all equal' : v.state === 'running' ? 'running…' : ''}
      </p>
    </section>
  );
}

function DetRow({ b, r }: { b: Backend; r: RepeatResult }) {
  const replies = [...new Set(r.replies)], traces = [...new Set(r.traces)];
  const state = r.error ? 'error' : r.replies.length === 0 ? 'unavailable' : 'done';
  return (
    <tr data-testid={`infer-det-${b}`} data-state={state} data-reply={replies.length === 1 ? replies[0] : ''} data-trace={traces.length === 1 ? traces[0] : ''}>
      <td>{LABEL[b]}</td>
      <td>{r.replies.length}</td>
      <td className="mono" title={replies.join('\n')}>{replies.length === 1 ? short(replies[0]) : replies.length ? `${replies.length} different` : '—'}</td>
      <td className="mono" title={traces.join('\n')}>{traces.length === 1 ? short(traces[0]) : traces.length ? `${traces.length} different` : '—'}</td>
      <td className="mono" data-testid={`infer-det-${b}-tps`}>{r.ms > 0 ? ((r.tokens / r.ms) * 1000).toFixed(1) : ''}</td>
      <td className="small">{r.error ? `${r.error.code}: ${r.error.message}` : r.note ?? ''}</td>
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
