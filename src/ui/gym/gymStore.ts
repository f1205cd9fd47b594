/**
 * The Gym tab's state and its training worker. The store lives outside the component, so a
 * run keeps going (and its charts keep filling) while the user looks at another tab. Worker
 * events arrive at up to a few dozen a second; they are folded into the store here and the
 * panel re-renders from the store (zustand `subscribe`), never from the message handler.
 */
import { createStore } from 'zustand/vanilla';
import { addFold } from './library';
import type { EvalReport, GymEvent, GymRequest, GymStartRequest, Histogram, StepReport, TensorView } from './protocol';

export type RunStatus = 'idle' | 'preparing' | 'running' | 'paused' | 'stopping' | 'done' | 'cancelled' | 'diverged' | 'error';

export interface ExportedFold { step: number; name: string; bytes: Uint8Array; hash: string; reason: 'every' | 'checkpoint' | 'final' }

export interface GymState {
  status: RunStatus;
  message: string;
  error: { code: string; message: string; path?: string } | null;
  prepared: Extract<GymEvent, { type: 'prepared' }> | null;
  steps: StepReport[];
  evals: EvalReport[];
  last: StepReport | null;
  grad: Histogram | null;
  delta: Histogram | null;
  deltas: TensorView[];
  folds: ExportedFold[];
  startedAt: number;
  /** Steps the run was started for. */
  planned: number;
}

const initial = (): GymState => ({
  status: 'idle', message: '', error: null, prepared: null, steps: [], evals: [], last: null,
  grad: null, delta: null, deltas: [], folds: [], startedAt: 0, planned: 0,
});

export const gymStore = createStore<GymState>(initial);

/** Loss points kept for the chart: every step up to this many, then every other one. */
const MAX_POINTS = 4000;

let worker: Worker | null = null;

function post(req: GymRequest, transfer: Transferable[] = []): void {
  worker?.postMessage(req, transfer);
}

/** Points kept per chart: beyond this, every other old point is dropped (the newest always stays). */
function capped<T>(xs: T[]): T[] {
  return xs.length > MAX_POINTS ? xs.filter((_, i) => i % 2 === 0 || i === xs.length - 1) : xs;
}

/**
 * Fast streams (step reports, evaluations, histograms) are gathered and applied to the store at
 * most every FLUSH_MS in one update, so a model training at hundreds of steps a second never
 * floods the page with renders; every other event flushes them first and applies at once.
 */
const FLUSH_MS = 120;
let pendingSteps: StepReport[] = [];
let pendingEvals: EvalReport[] = [];
let pendingViews: Extract<GymEvent, { type: 'histograms' }> | null = null;
let flushTimer: ReturnType<typeof setTimeout> | null = null;

function flush(): void {
  if (flushTimer) { clearTimeout(flushTimer); flushTimer = null; }
  if (!pendingSteps.length && !pendingEvals.length && !pendingViews) return;
  const steps = pendingSteps, evals = pendingEvals, views = pendingViews;
  pendingSteps = []; pendingEvals = []; pendingViews = null;
  gymStore.setState((s) => ({
    ...(steps.length ? { steps: capped([...s.steps, ...steps]), last: steps[steps.length - 1] } : {}),
    ...(evals.length ? { evals: capped([...s.evals, ...evals]) } : {}),
    ...(views ? { grad: views.grad, delta: views.delta, deltas: views.deltas } : {}),
  }));
}

function later(): void {
  if (!flushTimer) flushTimer = setTimeout(flush, FLUSH_MS);
}

function onEvent(ev: GymEvent): void {
  const set = gymStore.setState;
  if (ev.type === 'step') { pendingSteps.push(ev.report); later(); return; }
  if (ev.type === 'eval') { pendingEvals.push(ev.report); later(); return; }
  if (ev.type === 'histograms') { pendingViews = ev; later(); return; }
  flush();
  switch (ev.type) {
    case 'ready':
      break;
    case 'prepared':
      set({ prepared: ev, status: 'running', message: `training: ${ev.trainTokens.toLocaleString('en-US')} train tokens, ${ev.params.toLocaleString('en-US')} parameters` });
      break;
    case 'fold': {
      const bytes = new Uint8Array(ev.bytes);
      set((s) => ({ folds: [...s.folds, { step: ev.step, name: ev.name, bytes, hash: ev.hash, reason: ev.reason }] }));
      // The run's last fold goes to the library, where it is verified and can be compiled.
      if (ev.reason === 'final') addFold(ev.name, bytes, 'run');
      break;
    }
    case 'paused':
      set({ status: 'paused', message: `paused after step ${ev.step}` });
      break;
    case 'resumed':
      set({ status: 'running', message: `running from step ${ev.step}` });
      break;
    case 'stopped':
      set({ status: ev.reason, message: ev.message });
      stopWorker();
      break;
    case 'error':
      set({ status: 'error', error: { code: ev.code, message: ev.message, path: ev.path }, message: '' });
      stopWorker();
      break;
  }
}

function stopWorker(): void {
  worker?.terminate();
  worker = null;
}

/** Start a run; a run already going is stopped first (its exported folds stay listed until then). */
export function startRun(req: Omit<GymStartRequest, 'type'>, makeWorker: () => Worker): void {
  stopWorker();
  pendingSteps = []; pendingEvals = []; pendingViews = null;
  gymStore.setState({ ...initial(), status: 'preparing', message: 'tokenizing the corpus and checking the base model…', startedAt: performance.now(), planned: req.options.steps });
  const w = makeWorker();
  worker = w;
  w.onmessage = (e: MessageEvent<GymEvent>) => { if (worker === w) onEvent(e.data); };
  w.onerror = (e) => {
    if (worker !== w) return;
    e.preventDefault();
    onEvent({ type: 'error', code: 'worker_error', message: `the training worker stopped: ${e.message || 'unknown error'}` });
  };
  post({ type: 'start', ...req }, [req.base]);
}

export function pauseRun(): void { post({ type: 'pause' }); }
export function resumeRun(): void { post({ type: 'resume' }); }
export function checkpointRun(): void { post({ type: 'checkpoint' }); }

/** Cancel: the worker finishes its step, writes a final fold and stops (nothing written is lost). */
export function cancelRun(): void {
  const s = gymStore.getState();
  if (s.status === 'preparing') {
    stopWorker();
    gymStore.setState({ status: 'cancelled', message: 'cancelled before the first step' });
    return;
  }
  gymStore.setState({ status: 'stopping', message: 'stopping after this step…' });
  post({ type: 'cancel' });
}

export function isActive(s: RunStatus): boolean {
  return s === 'preparing' || s === 'running' || s === 'paused' || s === 'stopping';
}
