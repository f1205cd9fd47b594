/**
 * The Gym tab (issue 11): pick a base model, a corpus and a fold document, press Train; the
 * training worker (gym.worker.ts) runs the core's GymRun and the page shows loss, perplexity,
 * gradient and delta figures live, with pause, resume, checkpoint and cancel. Exported folds
 * are listed for download; the run lives in gymStore, so switching tabs does not stop it.
 */
import { lazy, Suspense, useRef, useState, useSyncExternalStore } from 'react';
import { formatBytes, formatInt } from '../format';
import { downloadBlob } from '../lib/download';
import { HistogramChart, LineChart, NamedBars, TensorHeat, type Series } from './charts';
import { cancelRun, checkpointRun, gymStore, isActive, pauseRun, resumeRun, startRun, type GymState } from './gymStore';
import { GYM_OBJECTS, GymInputError, verifiedPayload } from './objects';
import type { GymRunOptionsMessage, GymStartRequest } from './protocol';
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

const DEFAULT_OPTIONS: GymRunOptionsMessage = { steps: 600, batchSize: 64, seed: 1, evalEvery: 100, exportEvery: 200, evalTokens: 20_000, form: 'f32' };

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

  const train = async () => {
    setLoadError(null);
    setLoading(true);
    try {
      const foldText = editor.current?.get() ?? pendingFold.current ?? DEFAULT_FOLD;
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
      startRun({ base, baseName, tokenizer, activation, corpus, fold: foldText, options: inputs.options }, makeWorker);
    } catch (e) {
      setLoadError(e instanceof GymInputError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  };

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
