/**
 * The Inference tab's state and its worker (vanilla zustand store outside the component, as the
 * Gym's): loading and verifying the object graph, generation with the trace streamed token by
 * token, and the determinism panel's runs on three backends:
 *   worker   the CPU in the tab's worker;
 *   worker2  the CPU in a second, independent worker (its own fetch, verification and load). Not
 *            the main thread: loading the Brown n-gram brain (25 MB ARPA → maps) or copying a
 *            loaded model to the page (structured clone, seconds) would freeze the page;
 *   webgpu   createGpuIntMatmul on a device the tab's worker acquires from navigator.gpu.
 */
import { createStore } from 'zustand/vanilla';
import { BROWN_IDS } from '../../core/mx2lm/brown-ids';
import type { TraceEvent } from '../../core/infer/trace';
import type { Backend, InferErrorInfo, InferEventMsg, InferRequestMsg, ObjectRow, RepeatResult } from './protocol';

export const INFER_PROFILE = BROWN_IDS.profile;

export type Collapsed = Extract<TraceEvent, { type: 'object.inference.collapsed' }>;
export type Layer = Extract<TraceEvent, { type: 'object.inference.layer' }>;
export type Started = Extract<TraceEvent, { type: 'object.inference.started' }>;

export interface StepView { step: number; layer: Layer | null; collapsed: Collapsed | null }

export interface Generation {
  id: number;
  status: 'running' | 'done' | 'error';
  prompt: string;
  started: Started | null;
  steps: StepView[];
  text: string;
  hash: string;
  traceHash: string;
  tokens: number;
  ms: number;
  error: InferErrorInfo | null;
}

export interface InferState {
  load: 'idle' | 'loading' | 'ready' | 'error';
  message: string;
  objects: ObjectRow[];
  loadMs: number;
  vocab: number;
  profile: Extract<InferEventMsg, { type: 'loaded' }>['profile'] | null;
  loadError: InferErrorInfo | null;
  gen: Generation | null;
  selected: number | null;
  runs: Partial<Record<Backend, RepeatResult | 'running'>>;
}

export const inferStore = createStore<InferState>(() => ({
  load: 'idle', message: '', objects: [], loadMs: 0, vocab: 0, profile: null, loadError: null, gen: null, selected: null, runs: {},
}));

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, (m: InferEventMsg) => void>();

function post(m: InferRequestMsg): void { worker?.postMessage(m); }

export function requestOf(prompt: string): unknown {
  return { '@request': 'ai.inference', prompt, profile: INFER_PROFILE, projection: 'agent.reply' };
}

function onMessage(m: InferEventMsg): void {
  const set = inferStore.setState;
  switch (m.type) {
    case 'progress': set({ message: m.message, objects: m.objects }); break;
    case 'loaded': set({ load: 'ready', message: '', objects: m.objects, loadMs: m.ms, vocab: m.vocab, profile: m.profile }); break;
    case 'load-error': set({ load: 'error', message: '', objects: m.objects, loadError: m.error }); break;
    case 'trace': set((s) => {
      const g = s.gen;
      if (!g || g.id !== m.id) return {};
      const e = m.event;
      if (e.type === 'object.inference.started') return { gen: { ...g, started: e } };
      if (e.type === 'object.inference.layer') return { gen: { ...g, steps: [...g.steps, { step: e.step, layer: e, collapsed: null }] } };
      if (e.type === 'object.inference.collapsed') {
        const steps = g.steps.slice();
        const i = steps.findIndex((x) => x.step === e.step);
        if (i >= 0) steps[i] = { ...steps[i], collapsed: e }; else steps.push({ step: e.step, layer: null, collapsed: e });
        return { gen: { ...g, steps } };
      }
      return {};
    }); break;
    case 'reply': set((s) => (s.gen?.id === m.id ? { gen: { ...s.gen, status: 'done', text: m.text, hash: m.hash, traceHash: m.traceHash, tokens: m.tokens, ms: m.ms } } : {})); break;
    case 'error': set((s) => (s.gen?.id === m.id ? { gen: { ...s.gen, status: 'error', error: m.error } } : {})); break;
    default: {
      const w = waiting.get(m.id);
      if (w) { waiting.delete(m.id); w(m); }
    }
  }
}

/** Start the worker and load the objects (once; again after an error). */
export function ensureLoaded(makeWorker: () => Worker, base: string): void {
  const s = inferStore.getState();
  if (worker && s.load !== 'error') return;
  worker?.terminate();
  const w = makeWorker();
  worker = w;
  w.onmessage = (e: MessageEvent<InferEventMsg>) => { if (worker === w) onMessage(e.data); };
  w.onerror = (e) => {
    if (worker !== w) return;
    e.preventDefault();
    inferStore.setState({ load: 'error', loadError: { code: 'worker_error', message: `the inference worker stopped: ${e.message || 'unknown error'}` } });
  };
  inferStore.setState({ load: 'loading', message: `resolving ${INFER_PROFILE}…`, objects: [], loadError: null });
  post({ type: 'load', base, profile: INFER_PROFILE });
}

export function generate(prompt: string): void {
  const id = nextId++;
  inferStore.setState({
    selected: null,
    gen: { id, status: 'running', prompt, started: null, steps: [], text: '', hash: '', traceHash: '', tokens: 0, ms: 0, error: null },
  });
  post({ type: 'generate', id, request: requestOf(prompt) });
}

export function selectStep(step: number | null): void { inferStore.setState({ selected: step }); }

function ask(m: InferRequestMsg & { id: number }): Promise<InferEventMsg> {
  return new Promise((resolve) => { waiting.set(m.id, resolve); post(m); });
}

let second: { worker: Worker; loaded: Promise<InferErrorInfo | null>; waiting: Map<number, (m: InferEventMsg) => void> } | null = null;

/** A second, independent worker: its own HTTP fetches, verification and load, then the CPU runs. */
async function runSecond(makeWorker: () => Worker, base: string, prompt: string, n: number): Promise<RepeatResult> {
  if (!second) {
    const w = makeWorker();
    const waitingHere = new Map<number, (m: InferEventMsg) => void>();
    const loaded = new Promise<InferErrorInfo | null>((resolve) => {
      w.onmessage = (e: MessageEvent<InferEventMsg>) => {
        const m = e.data;
        if (m.type === 'loaded') resolve(null);
        else if (m.type === 'load-error') resolve(m.error);
        else if ('id' in m) { const f = waitingHere.get(m.id); if (f) { waitingHere.delete(m.id); f(m); } }
      };
      w.onerror = (e) => { e.preventDefault(); resolve({ code: 'worker_error', message: e.message || 'the second worker stopped' }); };
    });
    w.postMessage({ type: 'load', base, profile: INFER_PROFILE } satisfies InferRequestMsg);
    second = { worker: w, loaded, waiting: waitingHere };
  }
  const s = second;
  const t = performance.now();
  const err = await s.loaded;
  if (err) { s.worker.terminate(); second = null; return { backend: 'worker2', n, replies: [], traces: [], tokens: 0, ms: 0, error: err }; }
  const loadMs = performance.now() - t;
  const id = nextId++;
  const m = await new Promise<InferEventMsg>((resolve) => { s.waiting.set(id, resolve); s.worker.postMessage({ type: 'repeat', id, backend: 'worker', request: requestOf(prompt), n } satisfies InferRequestMsg); });
  const r = m.type === 'repeat-done' ? { ...m.result, backend: 'worker2' as const } : { backend: 'worker2' as const, n, replies: [], traces: [], tokens: 0, ms: 0, error: { code: 'error', message: 'no answer' } };
  if (loadMs > 50) r.note = `its own load of the objects: ${(loadMs / 1000).toFixed(1)} s`;
  return r;
}

export const BACKENDS: readonly Backend[] = ['worker', 'worker2', 'webgpu'];

/** Run the prompt N times on each backend, one after another. */
export async function runDeterminism(makeWorker: () => Worker, base: string, prompt: string, n: number, backends: readonly Backend[] = BACKENDS): Promise<void> {
  inferStore.setState({ runs: Object.fromEntries(backends.map((b) => [b, 'running'])) });
  for (const b of backends) {
    let r: RepeatResult;
    if (b === 'worker2') r = await runSecond(makeWorker, base, prompt, n);
    else {
      const m = await ask({ type: 'repeat', id: nextId++, backend: b, request: requestOf(prompt), n });
      r = m.type === 'repeat-done' ? m.result : { backend: b, n, replies: [], traces: [], tokens: 0, ms: 0, error: { code: 'error', message: 'no answer' } };
    }
    inferStore.setState((s) => ({ runs: { ...s.runs, [b]: r } }));
  }
}

/** The verdict over finished runs: every reply hash equal and every trace hash equal. */
export function verdict(runs: InferState['runs']): { state: 'running' | 'equal' | 'differ' | 'none'; reply: string | null; trace: string | null } {
  const vals = Object.values(runs);
  if (vals.some((v) => v === 'running')) return { state: 'running', reply: null, trace: null };
  const done = (vals as RepeatResult[]).filter((r) => !r.error && r.replies.length > 0);
  if (done.length === 0) return { state: 'none', reply: null, trace: null };
  const replies = new Set(done.flatMap((r) => r.replies));
  const traces = new Set(done.flatMap((r) => r.traces));
  const eq = replies.size === 1 && traces.size === 1;
  return { state: eq ? 'equal' : 'differ', reply: eq ? [...replies][0] : null, trace: eq ? [...traces][0] : null };
}
