/**
 * The Inference tab's state and its worker (vanilla zustand store outside the component, as the
 * Gym's): the profile, loading and verifying its object graph with the user's swaps (dropped
 * files replacing objects, removed objects), generation with the trace streamed token by token
 * (or the tokens alone with the trace off), and the determinism panel's runs on four backends:
 *   main     the page's own thread: loads its own copy of the objects, so only when they are small
 *            (MAIN_THREAD_MAX_BYTES; the demo set is a few kB) — the Brown set's 25 MB ARPA would
 *            hold the page for seconds, and the panel says so instead of freezing;
 *   worker   the CPU in the tab's worker;
 *   worker2  the CPU in a second, independent worker (its own fetch, verification and load);
 *   webgpu   createGpuIntMatmul on a device the tab's worker acquires from navigator.gpu.
 */
import { createStore } from 'zustand/vanilla';
import { BROWN_IDS } from '../../core/mx2lm/brown-ids';
import { loadInference, type InferenceModel } from '../../core/infer/engine';
import { removalEntry, swapStore, type SwapEntry } from '../../core/infer/swap';
import type { Role } from '../../core/infer/objects';
import type { TraceEvent } from '../../core/infer/trace';
import { HttpObjectStore } from '../objects/httpStore';
import { executeRun, requestFor } from './runs';
import type { Backend, InferErrorInfo, InferEventMsg, InferRequestMsg, ObjectRow, RunResult, RunSpec, SvgEdge } from './protocol';

export const DEFAULT_PROFILE = BROWN_IDS.profile;
/** The page's thread loads objects only up to this many payload bytes (it never holds the page for a big load). */
export const MAIN_THREAD_MAX_BYTES = 4 << 20;

export type Collapsed = Extract<TraceEvent, { type: 'object.inference.collapsed' }>;
export type Layer = Extract<TraceEvent, { type: 'object.inference.layer' }>;
export type Started = Extract<TraceEvent, { type: 'object.inference.started' }>;

export interface StepView { step: number; layer: Layer | null; collapsed: Collapsed | null }

export interface Generation {
  id: number;
  status: 'running' | 'done' | 'error';
  prompt: string;
  trace: boolean;
  started: Started | null;
  steps: StepView[];
  /** The tokens as they came (trace off: from the token stream). */
  tokens: string[];
  text: string;
  hash: string;
  traceHash: string | null;
  count: number;
  ms: number;
  error: InferErrorInfo | null;
}

export interface SwapView { role: Role; id: string; file: string; hash: string | null; old: string | null }

export interface SvgNodeView { from: number; token: string; edges: SvgEdge[]; total: number }

export type RunState = RunResult | { running: true; done: number; total: number };

export interface InferState {
  profileId: string;
  profiles: string[];
  load: 'idle' | 'loading' | 'ready' | 'error';
  message: string;
  objects: ObjectRow[];
  loadMs: number;
  vocab: number;
  profile: Extract<InferEventMsg, { type: 'loaded' }>['profile'] | null;
  loadError: InferErrorInfo | null;
  swaps: SwapView[];
  swapError: InferErrorInfo | null;
  gen: Generation | null;
  selected: number | null;
  svgNodes: Record<number, SvgNodeView>;
  runs: Partial<Record<Backend, RunState>>;
}

const initial = (): InferState => ({
  profileId: DEFAULT_PROFILE, profiles: [], load: 'idle', message: '', objects: [], loadMs: 0, vocab: 0, profile: null, loadError: null,
  swaps: [], swapError: null, gen: null, selected: null, svgNodes: {}, runs: {},
});

export const inferStore = createStore<InferState>(initial);

let worker: Worker | null = null;
let makeWorkerFn: (() => Worker) | null = null;
let baseUrl = '';
let nextId = 1;
/** The swap entries themselves (bytes): sent with every load, to every worker and the page's own load. */
let swapEntries: SwapEntry[] = [];
const waiting = new Map<number, (m: InferEventMsg) => void>();
const progressOf = new Map<number, Backend>();

function post(m: InferRequestMsg): void { worker?.postMessage(m); }

export function requestOf(prompt: string): unknown {
  return requestFor(prompt, inferStore.getState().profileId);
}

function onMessage(m: InferEventMsg): void {
  const set = inferStore.setState;
  switch (m.type) {
    case 'progress': set({ message: m.message, objects: m.objects }); break;
    case 'loaded': set({ load: 'ready', message: '', objects: m.objects, loadMs: m.ms, vocab: m.vocab, profile: m.profile, profiles: m.profiles }); break;
    case 'load-error': set({ load: 'error', message: '', objects: m.objects, loadError: m.error, profiles: m.profiles }); break;
    case 'swap-built':
      swapEntries = [...swapEntries.filter((s) => s.id !== m.entry.id), m.entry];
      set((s) => ({ swapError: null, swaps: [...s.swaps.filter((x) => x.id !== m.entry.id), { role: m.entry.role, id: m.entry.id, file: m.entry.file, hash: m.entry.hash, old: s.swaps.find((x) => x.id === m.entry.id)?.old ?? m.old }] }));
      reload();
      break;
    case 'swap-error': set({ swapError: m.error }); break;
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
        return { gen: { ...g, steps, tokens: e.chosen.stop ? g.tokens : [...g.tokens, e.chosen.token] } };
      }
      return {};
    }); break;
    case 'token': set((s) => (s.gen?.id === m.id ? { gen: { ...s.gen, tokens: [...s.gen.tokens, m.token] } } : {})); break;
    case 'reply': set((s) => (s.gen?.id === m.id ? { gen: { ...s.gen, status: 'done', text: m.text, hash: m.hash, traceHash: m.traceHash, count: m.tokens, ms: m.ms } } : {})); break;
    case 'error': set((s) => (s.gen?.id === m.id ? { gen: { ...s.gen, status: 'error', error: m.error } } : {})); break;
    case 'svg-node': set((s) => ({ svgNodes: { ...s.svgNodes, [m.from]: { from: m.from, token: m.token, edges: m.edges, total: m.total } } })); break;
    case 'run-progress': {
      const b = progressOf.get(m.id);
      if (b) set((s) => ({ runs: { ...s.runs, [b]: { running: true, done: m.done, total: m.total } } }));
      break;
    }
    default: {
      const w = waiting.get(m.id);
      if (w) { waiting.delete(m.id); w(m); }
    }
  }
}

function startWorker(): void {
  worker?.terminate();
  const w = makeWorkerFn!();
  worker = w;
  w.onmessage = (e: MessageEvent<InferEventMsg>) => { if (worker === w) onMessage(e.data); };
  w.onerror = (e) => {
    if (worker !== w) return;
    e.preventDefault();
    inferStore.setState({ load: 'error', loadError: { code: 'worker_error', message: `the inference worker stopped: ${e.message || 'unknown error'}` } });
  };
}

/** (Re)load the graph in the tab's worker with the current profile and swaps; the second worker and the page's copy are dropped. */
function reload(): void {
  dropSecond();
  mainModel = null;
  askedNodes.clear();
  const s = inferStore.getState();
  inferStore.setState({ load: 'loading', message: `resolving ${s.profileId}…`, objects: [], loadError: null, gen: null, selected: null, svgNodes: {}, runs: {} });
  post({ type: 'load', base: baseUrl, profile: s.profileId, swaps: swapEntries });
}

/** Start the worker and load the objects (once; again after an error). */
export function ensureLoaded(makeWorker: () => Worker, base: string): void {
  const s = inferStore.getState();
  if (worker && s.load !== 'error') return;
  makeWorkerFn = makeWorker;
  baseUrl = base;
  startWorker();
  reload();
}

/** Choose another profile: its own graph, no swaps. */
export function chooseProfile(id: string): void {
  if (id === inferStore.getState().profileId) return;
  swapEntries = [];
  inferStore.setState({ profileId: id, swaps: [], swapError: null });
  reload();
}

/** A dropped file replaces the object of the role its bytes fill (built in the worker from the current descriptor). */
export async function swapFile(file: { name: string; arrayBuffer(): Promise<ArrayBuffer> }): Promise<void> {
  inferStore.setState({ swapError: null });
  const bytes = await file.arrayBuffer();
  worker?.postMessage({ type: 'swap', name: file.name, bytes } satisfies InferRequestMsg, [bytes]);
}

/** Take an object out of the graph: the next load reports it as inference_error.missing_object. */
export function removeObject(role: Role, id: string): void {
  swapEntries = [...swapEntries.filter((s) => s.id !== id), removalEntry(role, id)];
  inferStore.setState((s) => ({ swaps: [...s.swaps.filter((x) => x.id !== id), { role, id, file: '', hash: null, old: s.objects.find((o) => o.id === id)?.hash ?? null }] }));
  reload();
}

export function resetSwaps(): void {
  swapEntries = [];
  inferStore.setState({ swaps: [], swapError: null });
  reload();
}

export function generate(prompt: string, trace = true): void {
  const id = nextId++;
  inferStore.setState({
    selected: null,
    gen: { id, status: 'running', prompt, trace, started: null, steps: [], tokens: [], text: '', hash: '', traceHash: null, count: 0, ms: 0, error: null },
  });
  post({ type: 'generate', id, request: requestOf(prompt), trace });
}

export function selectStep(step: number | null): void {
  inferStore.setState({ selected: step });
}

const askedNodes = new Set<number>();
/** The SVG brain's out-edges of a node (for the traversal drawing), asked of the worker once. */
export function needSvgNode(from: number): void {
  if (inferStore.getState().svgNodes[from] || askedNodes.has(from)) return;
  askedNodes.add(from);
  post({ type: 'svg-node', id: nextId++, from });
}

// ---- determinism runs --------------------------------------------------------------------

let second: { worker: Worker; loaded: Promise<InferErrorInfo | null>; waiting: Map<number, (m: InferEventMsg) => void> } | null = null;
let mainModel: Promise<InferenceModel> | null = null;
let activeRun: { ids: Map<Backend, number>; cancelled: boolean } | null = null;

function dropSecond(): void { second?.worker.terminate(); second = null; }

function failed(backend: Backend, spec: RunSpec, error: InferErrorInfo | undefined, note?: string): RunResult {
  return { backend, spec, done: 0, replies: [], traces: [], tokens: 0, ms: 0, ...(error ? { error } : {}), ...(note ? { note } : {}) };
}

const errorOf = (e: unknown): InferErrorInfo => {
  const o = e as { code?: unknown; message?: unknown; where?: { path?: unknown } };
  return { code: typeof o?.code === 'string' ? o.code : 'error', message: e instanceof Error ? e.message : String(e), path: typeof o?.where?.path === 'string' ? o.where.path : undefined };
};

/** The page's own thread: its own HTTP store with the same swaps, the objects loaded only when small. */
async function runMain(spec: RunSpec): Promise<RunResult> {
  const s = inferStore.getState();
  const bytes = s.objects.reduce((a, o) => a + (o.size ?? 0), 0);
  if (bytes > MAIN_THREAD_MAX_BYTES) {
    return failed('main', spec, undefined, `not run: the objects are ${(bytes / 1e6).toFixed(1)} MB; loading them on the page's thread would hold it (the limit is ${MAIN_THREAD_MAX_BYTES >> 20} MB). Choose the demo profile to compare the main thread.`);
  }
  try {
    mainModel ??= loadInference(swapStore(new HttpObjectStore(baseUrl), swapEntries), s.profileId);
    const model = await mainModel;
    return await executeRun(model, 'main', spec, {
      errorInfo: errorOf,
      cancelled: () => activeRun?.cancelled ?? true,
      progress: (done, total) => inferStore.setState((x) => ({ runs: { ...x.runs, main: { running: true, done, total } } })),
    });
  } catch (e) {
    mainModel = null;
    return failed('main', spec, errorOf(e));
  }
}

/** A second, independent worker: its own HTTP fetches, verification and load, then the CPU runs. */
async function runSecond(spec: RunSpec, id: number): Promise<RunResult> {
  if (!second) {
    const w = makeWorkerFn!();
    const waitingHere = new Map<number, (m: InferEventMsg) => void>();
    const loaded = new Promise<InferErrorInfo | null>((resolve) => {
      w.onmessage = (e: MessageEvent<InferEventMsg>) => {
        const m = e.data;
        if (m.type === 'loaded') resolve(null);
        else if (m.type === 'load-error') resolve(m.error);
        else if (m.type === 'run-progress') inferStore.setState((x) => ({ runs: { ...x.runs, worker2: { running: true, done: m.done, total: m.total } } }));
        else if ('id' in m) { const f = waitingHere.get(m.id); if (f) { waitingHere.delete(m.id); f(m); } }
      };
      w.onerror = (e) => { e.preventDefault(); resolve({ code: 'worker_error', message: e.message || 'the second worker stopped' }); };
    });
    w.postMessage({ type: 'load', base: baseUrl, profile: inferStore.getState().profileId, swaps: swapEntries } satisfies InferRequestMsg);
    second = { worker: w, loaded, waiting: waitingHere };
  }
  const s = second;
  const t = performance.now();
  const err = await s.loaded;
  if (err) { dropSecond(); return failed('worker2', spec, err); }
  const loadMs = performance.now() - t;
  const m = await new Promise<InferEventMsg>((resolve) => {
    s.waiting.set(id, resolve);
    s.worker.postMessage({ type: 'run', id, backend: 'worker', profile: inferStore.getState().profileId, spec } satisfies InferRequestMsg);
  });
  const r = m.type === 'run-done' ? { ...m.result, backend: 'worker2' as const } : failed('worker2', spec, { code: 'error', message: 'no answer' });
  if (loadMs > 50) r.note = `its own load of the objects: ${(loadMs / 1000).toFixed(1)} s`;
  return r;
}

export const BACKENDS: readonly Backend[] = ['main', 'worker', 'worker2', 'webgpu'];

/** Run the spec on each backend, one after another (each shows its progress; Cancel stops them all). */
export async function runDeterminism(spec: RunSpec, backends: readonly Backend[] = BACKENDS): Promise<void> {
  const run = { ids: new Map<Backend, number>(), cancelled: false };
  activeRun = run;
  inferStore.setState({ runs: Object.fromEntries(backends.map((b) => [b, { running: true, done: 0, total: spec.n }])) });
  for (const b of backends) {
    const id = nextId++;
    run.ids.set(b, id);
    progressOf.set(id, b);
    let r: RunResult;
    if (run.cancelled) r = { ...failed(b, spec, undefined, 'cancelled before it started'), cancelled: true };
    else if (b === 'main') r = await runMain(spec);
    else if (b === 'worker2') r = await runSecond(spec, id);
    else {
      const m = await new Promise<InferEventMsg>((resolve) => { waiting.set(id, resolve); post({ type: 'run', id, backend: b, profile: inferStore.getState().profileId, spec }); });
      r = m.type === 'run-done' ? m.result : failed(b, spec, { code: 'error', message: 'no answer' });
    }
    progressOf.delete(id);
    inferStore.setState((s) => ({ runs: { ...s.runs, [b]: r } }));
  }
  if (activeRun === run) activeRun = null;
}

export function cancelDeterminism(): void {
  const run = activeRun;
  if (!run) return;
  run.cancelled = true;
  for (const [b, id] of run.ids) {
    if (b === 'worker' || b === 'webgpu') post({ type: 'cancel', id });
    else if (b === 'worker2') second?.worker.postMessage({ type: 'cancel', id } satisfies InferRequestMsg);
  }
}

export const isRunning = (r: RunState | undefined): r is { running: true; done: number; total: number } => !!r && 'running' in r;

/** The verdict over finished runs: every reply hash equal and every trace hash equal. */
export function verdict(runs: InferState['runs']): { state: 'running' | 'equal' | 'differ' | 'none'; reply: string | null; trace: string | null } {
  const vals = Object.values(runs);
  if (vals.some((v) => isRunning(v))) return { state: 'running', reply: null, trace: null };
  const done = (vals as RunResult[]).filter((r) => !r.error && !r.cancelled && r.replies.length > 0);
  if (done.length === 0) return { state: 'none', reply: null, trace: null };
  const replies = new Set(done.flatMap((r) => r.replies));
  const traces = new Set(done.flatMap((r) => r.traces));
  const eq = replies.size === 1 && traces.size === 1;
  return { state: eq ? 'equal' : 'differ', reply: eq ? [...replies][0] : null, trace: eq ? [...traces][0] : null };
}

/** Tests: a fresh store and no worker. */
export function resetInferStore(): void {
  worker?.terminate(); worker = null; dropSecond(); mainModel = null; swapEntries = []; activeRun = null;
  inferStore.setState(initial(), true);
}
