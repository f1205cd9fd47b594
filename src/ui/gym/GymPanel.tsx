/**
 * The Gym tab (issue 11): pick a base model, a corpus and a fold document, press Train; the
 * training worker (gym.worker.ts) runs the core's GymRun and the page shows loss, perplexity,
 * gradient and delta figures live, with pause, resume, checkpoint and cancel. Exported folds
 * are listed for download; the run lives in gymStore, so switching tabs does not stop it.
 */
import { lazy, Suspense, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { formatBytes, formatInt } from '../format';
import { downloadBlob } from '../lib/download';
import { HistogramChart, LineChart, NamedBars, TensorHeat, type Series } from './charts';
import { cancelRun, checkpointRun, gymStore, isActive, pauseRun, resumeRun, startRun, type GymState } from './gymStore';
import { GYM_OBJECTS, GymInputError, verifiedPayload } from './objects';
import type { GymRunOptionsMessage, GymStartRequest } from './protocol';
import { addFold, chooseFold, compileChosen, libraryStore, removeFold, type LibraryState } from './library';
import { sniffFile } from '../router';
import { subscribeInbox, takeInbox } from '../inbox';
import { parseText } from '../../core/mx2lm/corpus';
import { linesOfSentences, splitUserSentences } from '../../core/mx2lm/encode';
import { TensorHeat as Heat } from './charts';
import './gym.css';

const FoldEditor = lazy(() => import('./FoldEditor'));

export const DEFAULT_FOLD = `{
  "fold_id": "brown_gym_v1",
  "version": "1.0.0",
  "model_base": "${GYM_OBJECTS.base}",
  "mx2gym_format": "fold.v1",
  "description": "Matrix-path fold trained on the Brown train split.",
  "@data": {
    "deltas": [],
    "optimizer": { "type": "adamw", "lr": 0.003, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.01 }
  },
  "@control": {
    "apply": "always",
    "priority": 1,
    "mode": "additive",
    "target_layers": ["embed", "hidden", "out"]
  },
  "@flow": { "entry": "@Pop", "route": ["@Wo", "@Sek"], "exit": "@Xul", "merge_strategy": "horizontal", "blend_mode": "hard" }
}
`;

function useGym<T>(sel: (s: GymState) => T): T {
  return useSyncExternalStore(gymStore.subscribe, () => sel(gymStore.getState()));
}

function makeWorker(): Worker {
  return new Worker(new URL('./gym.worker.ts', import.meta.url), { type: 'module', name: 'asx-gym' });
}

interface InputsState {
  base: File | null;
  tokenizer: File | null;
  texts: File[];
  activation: 'tanh' | 'relu';
  options: GymRunOptionsMessage;
}

const DEFAULT_OPTIONS: GymRunOptionsMessage = { steps: 600, batchSize: 32, seed: 1, evalEvery: 100, exportEvery: 0, evalTokens: 5_000, form: 'f32' };

function NumberField({ label, value, onChange, min = 1, testId, title }: { label: string; value: number; onChange: (v: number) => void; min?: number; testId: string; title?: string }) {
  return (
    <label className="gym-field small" title={title}>
      <span className="muted">{label}</span>
      <input className="input" type="number" min={min} step={1} value={value} data-testid={testId}
        onChange={(e) => { const v = Number(e.target.value); if (Number.isSafeInteger(v) && v >= min) onChange(v); }} />
    </label>
  );
}

export default function GymPanel() {
  const [inputs, setInputs] = useState<InputsState>({ base: null, tokenizer: null, texts: [], activation: 'tanh', options: DEFAULT_OPTIONS });
  const [loadError, setLoadError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const editor = useRef<{ get: () => string; set: (t: string) => void } | null>(null);
  // A fold file opened before the editor has loaded waits here.
  const pendingFold = useRef<string | null>(null);
  const status = useGym((s) => s.status);
  const active = isActive(status);
  const set = (p: Partial<InputsState>) => setInputs((s) => ({ ...s, ...p }));
  const setOpt = (p: Partial<GymRunOptionsMessage>) => setInputs((s) => ({ ...s, options: { ...s.options, ...p } }));

  /** The run's inputs: the user's files where given, else the bundled objects (verified). */
  const gather = async (): Promise<Omit<GymStartRequest, 'type' | 'fold' | 'options'>> => {
    let base: ArrayBuffer, baseName: string, activation = inputs.activation;
    if (inputs.base) {
      base = await inputs.base.arrayBuffer();
      baseName = inputs.base.name;
    } else {
      const p = await verifiedPayload(GYM_OBJECTS.base);
      base = p.bytes.slice().buffer;
      baseName = GYM_OBJECTS.base;
      const arch = (p.descriptor as unknown as { architecture?: { activation?: string } }).architecture;
      if (arch?.activation === 'relu' || arch?.activation === 'tanh') activation = arch.activation;
    }
    const tokenizer = inputs.tokenizer ? await inputs.tokenizer.text() : new TextDecoder().decode((await verifiedPayload(GYM_OBJECTS.tokenizer)).bytes);
    let corpus: GymStartRequest['corpus'];
    if (inputs.texts.length > 0) {
      corpus = { format: 'text', files: await Promise.all(inputs.texts.map(async (f) => ({ name: f.name, text: await f.text() }))) };
    } else {
      const [tr, va] = await Promise.all([verifiedPayload(GYM_OBJECTS.train), verifiedPayload(GYM_OBJECTS.validation)]);
      const dec = new TextDecoder();
      corpus = { format: 'lines', train: dec.decode(tr.bytes), valid: dec.decode(va.bytes) };
    }
    return { base, baseName, tokenizer, activation, corpus };
  };

  const describe = (e: unknown) => (e instanceof GymInputError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));

  const train = async () => {
    setLoadError(null);
    setLoading(true);
    try {
      const foldText = editor.current?.get() ?? pendingFold.current ?? DEFAULT_FOLD;
      startRun({ ...(await gather()), fold: foldText, options: inputs.options }, makeWorker);
    } catch (e) {
      setLoadError(describe(e));
    } finally {
      setLoading(false);
    }
  };

  const compile = async () => {
    setLoadError(null);
    try {
      const g = await gather();
      const valid = g.corpus.format === 'lines' ? g.corpus.valid : linesOfSentences(splitUserSentences(g.corpus.files.map((f) => parseText(f.text, f.name))).valid);
      compileChosen({ base: g.base, baseName: g.baseName, activation: g.activation, tokenizer: g.tokenizer, valid, evalTokens: inputs.options.evalTokens });
    } catch (e) {
      setLoadError(describe(e));
    }
  };

  // Files routed here (a fold bundle opens in the library; a fold document goes to the editor).
  useEffect(() => {
    const take = () => {
      for (const it of takeInbox('gym')) {
        void (async () => {
          const kind = await sniffFile(it.file);
          if (kind === 'fold-json') {
            const t = await it.file.text();
            if (editor.current) editor.current.set(t); else pendingFold.current = t;
          } else {
            addFold(it.name, new Uint8Array(await it.file.arrayBuffer()), 'file');
          }
        })();
      }
    };
    take();
    return subscribeInbox('gym', take);
  }, []);

  return (
    <div className="gym-face" data-testid="gym">
      <section className="gym-setup panel">
        <header className="panel-head"><h3>Gym</h3><span className="muted small">fold training of the MX2LM matrix path, in a Web Worker</span></header>
        <div className="gym-setup-grid pad">
          <div className="gym-inputs">
            <label className="gym-field small">
              <span className="muted">Base model</span>
              <span className="gym-source" data-testid="gym-base-source">{inputs.base ? `${inputs.base.name} (${formatBytes(inputs.base.size)})` : `bundled: ${GYM_OBJECTS.base}`}</span>
              <input type="file" accept=".safetensors" data-testid="gym-base-file" disabled={active} onChange={(e) => set({ base: e.target.files?.[0] ?? null })} />
            </label>
            <label className="gym-field small">
              <span className="muted">Tokenizer (tokenizer.json)</span>
              <span className="gym-source" data-testid="gym-tokenizer-source">{inputs.tokenizer ? inputs.tokenizer.name : `bundled: ${GYM_OBJECTS.tokenizer}`}</span>
              <input type="file" accept=".json" data-testid="gym-tokenizer-file" disabled={active} onChange={(e) => set({ tokenizer: e.target.files?.[0] ?? null })} />
            </label>
            <label className="gym-field small">
              <span className="muted">Corpus</span>
              <span className="gym-source" data-testid="gym-corpus-source">{inputs.texts.length ? `${inputs.texts.length} text file${inputs.texts.length > 1 ? 's' : ''} (every 10th sentence held out)` : 'bundled: Brown corpus, train / validation split'}</span>
              <input type="file" accept=".txt,text/plain" multiple data-testid="gym-text-files" disabled={active} onChange={(e) => set({ texts: [...(e.target.files ?? [])] })} />
            </label>
            <div
              className={`gym-text-drop small${active ? ' off' : ''}`}
              data-testid="gym-text-drop"
              onDragOver={(e) => { if (!active) e.preventDefault(); }}
              onDrop={(e) => {
                // Text files dropped here are the corpus (the window's router would open them as packs).
                if (active) return;
                e.preventDefault();
                const files = [...e.dataTransfer.files];
                if (files.length) set({ texts: files });
              }}
            >
              Drop your own .txt files here to train on them{inputs.texts.length ? ` (${inputs.texts.map((f) => f.name).join(', ')}; ` : ' ('}<button type="button" className="link-button" disabled={active || inputs.texts.length === 0} onClick={() => set({ texts: [] })} data-testid="gym-text-clear">use the Brown corpus</button>)
            </div>
            <label className="gym-field small">
              <span className="muted">Activation (bundled base: from its descriptor)</span>
              <select className="input" value={inputs.activation} disabled={active || !inputs.base} onChange={(e) => set({ activation: e.target.value as 'tanh' | 'relu' })} data-testid="gym-activation">
                <option value="tanh">tanh</option>
                <option value="relu">relu</option>
              </select>
            </label>
            <div className="gym-options">
              <NumberField label="Steps" value={inputs.options.steps} onChange={(v) => setOpt({ steps: v })} testId="gym-steps" />
              <NumberField label="Batch" value={inputs.options.batchSize} onChange={(v) => setOpt({ batchSize: v })} testId="gym-batch" />
              <NumberField label="Seed" value={inputs.options.seed} min={0} onChange={(v) => setOpt({ seed: v })} testId="gym-seed" />
              <NumberField label="Eval every" value={inputs.options.evalEvery} onChange={(v) => setOpt({ evalEvery: v })} testId="gym-eval-every" />
              <NumberField label="Export every" value={inputs.options.exportEvery} min={0} onChange={(v) => setOpt({ exportEvery: v })} testId="gym-export-every" title="0: only the final fold" />
              <NumberField label="Eval tokens" value={inputs.options.evalTokens} onChange={(v) => setOpt({ evalTokens: v })} testId="gym-eval-tokens" />
              <label className="gym-field small">
                <span className="muted">Delta form</span>
                <select className="input" value={inputs.options.form} onChange={(e) => setOpt({ form: e.target.value as GymRunOptionsMessage['form'] })} data-testid="gym-form">
                  {(['f32', 'int8', 'ternary', 'int2', 'binary'] as const).map((f) => <option key={f} value={f}>{f}</option>)}
                </select>
              </label>
            </div>
          </div>
          <div className="gym-editor-col">
          <label className="gym-field small">
            <span className="muted">Fold document (fold.v1; edit below, or open a file)</span>
            <input type="file" accept=".json" data-testid="gym-fold-file" disabled={active}
              onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((t) => { if (editor.current) editor.current.set(t); else pendingFold.current = t; }); }} />
          </label>
          <div className="gym-editor" data-testid="gym-fold-editor">
            <Suspense fallback={<div className="muted pad">Loading editor…</div>}>
              <FoldEditor initialValue={DEFAULT_FOLD} onReady={(api) => { editor.current = api; if (pendingFold.current !== null) { api.set(pendingFold.current); pendingFold.current = null; } }} />
            </Suspense>
          </div>
          </div>
        </div>
        <div className="gym-buttons pad">
          <button type="button" className="btn btn-primary" data-testid="gym-train" disabled={active || loading} onClick={() => void train()}>{loading ? 'Loading inputs…' : 'Train'}</button>
          <button type="button" className="btn" data-testid="gym-pause" disabled={status !== 'running'} onClick={pauseRun}>Pause</button>
          <button type="button" className="btn" data-testid="gym-resume" disabled={status !== 'paused'} onClick={resumeRun}>Resume</button>
          <button type="button" className="btn" data-testid="gym-checkpoint" disabled={status !== 'running' && status !== 'paused'} onClick={checkpointRun}>Checkpoint</button>
          <button type="button" className="btn" data-testid="gym-cancel" disabled={!active || status === 'stopping'} onClick={cancelRun}>Cancel</button>
        </div>
        {loadError && <p className="error-text pad" role="alert" data-testid="gym-load-error">{loadError}</p>}
      </section>
      <RunView />
      <FoldList />
      <Library onCompile={() => void compile()} />
    </div>
  );
}

function RunView() {
  const s = useGym((x) => x);
  if (s.status === 'idle') return <p className="muted small gym-idle" data-testid="gym-idle">No run yet. Train starts one from the inputs above; its folds appear below.</p>;
  const planned = s.planned;
  const step = s.last?.step ?? 0;
  const pct = planned ? Math.min(100, (100 * step) / planned) : 0;
  const lossSeries: Series[] = [
    { name: 'train loss', color: '#4f9dff', points: s.steps.map((r) => [r.step, r.loss] as const) },
    { name: 'validation loss', color: '#f0a030', points: s.evals.map((e) => [e.step, e.validNll] as const) },
  ];
  const base = s.prepared?.baseValid;
  const pplSeries: Series[] = [
    { name: 'validation', color: '#f0a030', points: s.evals.map((e) => [e.step, e.validPpl] as const) },
    { name: 'train (interval mean)', color: '#4f9dff', points: s.evals.filter((e) => Number.isFinite(e.trainPpl)).map((e) => [e.step, e.trainPpl] as const) },
    ...(base ? [{ name: 'base model (validation)', color: '#888', dashed: true, points: [[0, base.validPpl], [Math.max(step, 1), base.validPpl]] as Array<readonly [number, number]> }] : []),
  ];
  const normSeries: Series[] = [
    { name: 'gradient norm', color: '#c678dd', points: s.steps.map((r) => [r.step, r.gradNorm] as const) },
    { name: 'delta norm', color: '#4caf50', points: s.steps.filter((r) => Number.isFinite(r.deltaNorm)).map((r) => [r.step, r.deltaNorm] as const) },
  ];
  return (
    <section className="gym-run panel" data-testid="gym-run" data-status={s.status}>
      <header className="panel-head">
        <h3>Run</h3>
        <span className={`gym-status gym-status-${s.status} small`} data-testid="gym-status">{s.status}</span>
        <span className="muted small" data-testid="gym-message">{s.message}</span>
      </header>
      <div className="pad gym-run-body">
        {s.error && (
          <div className="error-card" role="alert" data-testid="gym-error" data-code={s.error.code}>
            <strong>{s.error.code}</strong>: {s.error.message}{s.error.path ? <> <span className="muted">at</span> <code>{s.error.path}</code></> : null}
          </div>
        )}
        {s.prepared && (
          <p className="small" data-testid="gym-prepared">
            {formatInt(s.prepared.params)} parameters · vocab {formatInt(s.prepared.vocab)} · {formatInt(s.prepared.trainTokens)} train tokens · live validation on {formatInt(s.prepared.validTokens)} tokens · base model validation perplexity <span className="mono" data-testid="gym-base-ppl">{s.prepared.baseValid.validPpl.toFixed(2)}</span>
          </p>
        )}
        <div className="progress-row">
          <div className="progress" role="progressbar" aria-label="Training steps" aria-valuemin={0} aria-valuemax={planned} aria-valuenow={step} data-testid="gym-progress" data-step={step}>
            <div className="progress-bar" style={{ width: `${pct}%` }} />
            <span className="progress-text small">step {formatInt(step)} / {formatInt(planned)}{s.last ? ` · ${s.last.stepsPerSec.toFixed(1)} steps/s · ${formatInt(Math.round(s.last.tokensPerSec))} tokens/s` : ''}</span>
          </div>
        </div>
        <div className="gym-charts">
          <LineChart series={lossSeries} xLabel="step" yLabel="loss (nats per token)" testId="gym-loss-chart" />
          <LineChart series={pplSeries} xLabel="step" yLabel="perplexity per word" log testId="gym-ppl-chart" />
          <LineChart series={normSeries} xLabel="step" yLabel="L2 norm" log testId="gym-norm-chart" />
          <div className="gym-chart">
            <h4 className="sub small">Gradient norm per tensor (last step)</h4>
            <NamedBars rows={Object.entries(s.last?.gradNorms ?? {}).map(([name, value]) => ({ name, value }))} testId="gym-grad-bars" unit="‖g‖₂" />
          </div>
          <HistogramChart h={s.grad} label="gradients (last step)" color="#c678dd" testId="gym-grad-hist" />
          <HistogramChart h={s.delta} label="deltas (params − base)" color="#4caf50" testId="gym-delta-hist" />
        </div>
        {s.deltas.length > 0 && (
          <div className="gym-heats">
            <h4 className="sub small">Delta per tensor (block means)</h4>
            <div className="gym-heat-grid">
              {s.deltas.map((v) => <TensorHeat key={v.name} view={v} testId={`gym-heat-${v.name.replace(/[^A-Za-z0-9_-]/g, '_')}`} />)}
            </div>
          </div>
        )}
      </div>
    </section>
  );
}

function FoldList() {
  const folds = useGym((s) => s.folds);
  const evals = useGym((s) => s.evals);
  if (folds.length === 0) return null;
  return (
    <section className="gym-folds panel" data-testid="gym-folds">
      <header className="panel-head"><h3>Folds</h3><span className="muted small">fold.v1 bundles written by the run (F-BUNDLE; deltas, gradients and optimizer state as §2 records)</span></header>
      <table className="table small">
        <thead><tr><th>File</th><th>Why</th><th className="num">Step</th><th className="num">Validation ppl</th><th className="num">Size</th><th>Bundle hash</th><th /></tr></thead>
        <tbody>
          {folds.map((f) => {
            const e = evals.find((x) => x.step === f.step);
            return (
              <tr key={`${f.name}-${f.reason}-${f.hash}`} data-testid="gym-fold-row" data-step={f.step} data-reason={f.reason}>
                <td className="mono">{f.name}</td>
                <td>{f.reason}</td>
                <td className="num">{formatInt(f.step)}</td>
                <td className="num mono">{e ? e.validPpl.toFixed(2) : '—'}</td>
                <td className="num">{formatBytes(f.bytes.length)}</td>
                <td className="mono" title={f.hash}>{f.hash.slice(0, 19)}…</td>
                <td><button type="button" className="btn btn-small" data-testid="gym-fold-download" onClick={() => downloadBlob(f.bytes as Uint8Array<ArrayBuffer>, f.name, 'application/vnd.asx.fold-bundle')}>Download</button></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function useLibrary<T>(sel: (s: LibraryState) => T): T {
  return useSyncExternalStore(libraryStore.subscribe, () => sel(libraryStore.getState()));
}

/** Opened and exported fold bundles, verified in the tools worker; compile the chosen ones onto the base. */
function Library({ onCompile }: { onCompile: () => void }) {
  const folds = useLibrary((s) => s.folds);
  const compile = useLibrary((s) => s.compile);
  const [shown, setShown] = useState<string | null>(null);
  const chosen = folds.filter((f) => f.chosen && f.status === 'ok');
  const show = folds.find((f) => f.key === shown && f.summary);
  return (
    <section className="gym-library panel" data-testid="gym-library">
      <header className="panel-head">
        <h3>Fold library</h3>
        <span className="muted small">fold bundles verified entry by entry; choose folds and compile them onto the base (priority order, each fold's mode, clamp and scale)</span>
      </header>
      <div className="pad gym-library-body">
        <label className="gym-field small">
          <span className="muted">Open fold bundles (.fold; or drop them anywhere)</span>
          <input type="file" multiple data-testid="gym-open-folds" onChange={(e) => { for (const f of e.target.files ?? []) void f.arrayBuffer().then((b) => addFold(f.name, new Uint8Array(b), 'file')); e.target.value = ''; }} />
        </label>
        {folds.length === 0 ? <p className="muted small">No fold opened yet. A finished run adds its final fold here.</p> : (
          <table className="table small" data-testid="gym-library-table">
            <thead><tr><th>Use</th><th>File</th><th>State</th><th>fold_id</th><th className="num">Steps</th><th className="num">Priority</th><th>Mode</th><th>Deltas</th><th className="num">Size</th><th /></tr></thead>
            <tbody>
              {folds.map((f) => {
                const fd = f.summary?.fold;
                return (
                  <tr key={f.key} data-testid="gym-library-row" data-status={f.status} data-name={f.name}>
                    <td><input type="checkbox" aria-label={`compile ${f.name}`} checked={f.chosen} disabled={f.status !== 'ok'} onChange={(e) => chooseFold(f.key, e.target.checked)} data-testid="gym-library-choose" /></td>
                    <td className="mono">{f.name}<span className="muted"> ({f.origin})</span></td>
                    <td>{f.status === 'error' && f.error ? <span className="error-text" data-testid="gym-library-error" data-code={f.error.code}>{f.error.code}: {f.error.message}{f.error.offset !== undefined ? ` (at byte ${formatInt(f.error.offset)})` : ''}</span> : f.status === 'ok' ? 'verified' : 'checking…'}</td>
                    <td className="mono">{fd?.fold_id ?? '—'}</td>
                    <td className="num">{fd?.['@metrics']?.steps_trained !== undefined ? formatInt(fd['@metrics'].steps_trained) : '—'}</td>
                    <td className="num">{fd ? fd['@control'].priority : '—'}</td>
                    <td>{fd?.['@control'].mode ?? '—'}</td>
                    <td>{f.summary ? `${f.summary.deltas.length} (${[...new Set(f.summary.deltas.map((d) => d.form))].join(', ') || 'none'})` : '—'}</td>
                    <td className="num">{formatBytes(f.bytes.length)}</td>
                    <td className="gym-row-actions">
                      {f.summary && <button type="button" className="btn btn-small" data-testid="gym-library-show" onClick={() => setShown(shown === f.key ? null : f.key)}>{shown === f.key ? 'Hide' : 'Show'}</button>}
                      <button type="button" className="btn btn-small" onClick={() => removeFold(f.key)} title="Remove from the library">✕</button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {show?.summary && (
          <div className="gym-fold-detail" data-testid="gym-fold-detail">
            <p className="small mono">{show.summary.bundleHash}{show.summary.optimizerSteps !== null ? ` · optimizer state at step ${formatInt(show.summary.optimizerSteps)}` : ''}</p>
            <table className="table small">
              <thead><tr><th>Delta</th><th>Shape</th><th>Form</th><th className="num">‖Δ‖₂</th><th className="num">max |Δ|</th></tr></thead>
              <tbody>{show.summary.deltas.map((d) => <tr key={d.name}><td className="mono">{d.name}</td><td className="mono">[{d.shape.join(', ')}]</td><td>{d.form}</td><td className="num mono">{d.l2.toPrecision(4)}</td><td className="num mono">{d.maxAbs.toPrecision(4)}</td></tr>)}</tbody>
            </table>
            <div className="gym-heat-grid">{show.summary.views.map((v) => <Heat key={v.name} view={v} testId={`gym-lib-heat-${v.name.replace(/[^A-Za-z0-9_-]/g, '_')}`} />)}</div>
          </div>
        )}
        <div className="gym-buttons">
          <button type="button" className="btn btn-primary" data-testid="gym-compile" disabled={chosen.length === 0 || compile.status === 'running'} onClick={onCompile}>
            Compile base + {chosen.length} fold{chosen.length === 1 ? '' : 's'} → model.safetensors
          </button>
          {compile.status === 'running' && <span className="muted small" data-testid="gym-compile-stage">{compile.stage}…</span>}
        </div>
        {compile.status === 'error' && compile.error && <p className="error-text" role="alert" data-testid="gym-compile-error">{compile.error.code}: {compile.error.message}</p>}
        {compile.status === 'done' && compile.result && (
          <div className="gym-compile-result" data-testid="gym-compile-result">
            {compile.result.perplexity && (
              <table className="table small" data-testid="gym-compile-ppl">
                <thead><tr><th>Model</th><th className="num">Validation perplexity</th></tr></thead>
                <tbody>
                  <tr data-testid="gym-ppl-row" data-model="base"><td>base</td><td className="num mono">{compile.result.perplexity.base.toFixed(2)}</td></tr>
                  {compile.result.perplexity.each.map((e) => <tr key={e.name} data-testid="gym-ppl-row" data-model={e.name}><td>base + {e.name}</td><td className="num mono">{e.ppl.toFixed(2)}</td></tr>)}
                  <tr data-testid="gym-ppl-row" data-model="merged"><td><strong>merged ({compile.result.outcomes.filter((o) => o.applied).length} of {compile.result.outcomes.length} folds applied)</strong></td><td className="num mono">{compile.result.perplexity.merged.toFixed(2)}</td></tr>
                </tbody>
              </table>
            )}
            <div className="gym-buttons">
              <button type="button" className="btn" data-testid="gym-download-model" onClick={() => downloadBlob(compile.result!.safetensors as Uint8Array<ArrayBuffer>, 'model.safetensors')}>Download model.safetensors ({formatBytes(compile.result.safetensors.length)})</button>
              <button type="button" className="btn" data-testid="gym-download-metrics" onClick={() => downloadBlob(compile.result!.metricsJson as Uint8Array<ArrayBuffer>, 'metrics.json', 'application/json')}>Download metrics.json</button>
            </div>
          </div>
        )}
      </div>
    </section>
  );
}
