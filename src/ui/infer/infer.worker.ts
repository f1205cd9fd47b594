/// <reference lib="webworker" />
/**
 * The Inference tab's worker: resolves and verifies the inference object graph through the
 * core's Object Server over its own HttpObjectStore (the page's origin) with the user's swaps
 * applied (src/core/infer/swap.ts), keeps the loaded model, and runs requests with the exact
 * engine (src/core/infer), posting each trace event as the engine emits it (or, with the trace
 * off, each token). Determinism runs (runs.ts): on the CPU here, or with createGpuIntMatmul on a
 * WebGPU device this worker acquires itself; a run can be cancelled.
 */
import '../../gpu/intmatmul-vite';
import { AsxError } from '../../core/errors';
import { sha256 } from '../../core/hash/sha256';
import { toHex } from '../../core/bytes/hex';
import { utf8 } from '../../core/bytes/utf8';
import { parseDescriptor } from '../../core/objects/descriptor';
import { aiTypeOf } from '../../core/objects/ai/schemas';
import { wholeBytes } from '../../core/objects/payload';
import type { ObjectStore } from '../../core/objects/server';
import { loadInference, runInference, type InferenceModel, type IntMatmul } from '../../core/infer/engine';
import { ROLE_TYPES } from '../../core/infer/objects';
import { swapEntry, swapRoleOf, swapStore, type SwapEntry } from '../../core/infer/swap';
import { traceJson, type TraceEvent } from '../../core/infer/trace';
import { createGpuIntMatmul } from '../../gpu/intmatmul';
import { HttpObjectStore } from '../objects/httpStore';
import { executeRun } from './runs';
import type { InferErrorInfo, InferEventMsg, InferRequestMsg, ObjectRow, RunResult, RunSpec } from './protocol';

const post = (m: InferEventMsg, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

const hex = (b: Uint8Array) => `sha256:${toHex(sha256(b))}`;

export function errorInfo(e: unknown): InferErrorInfo {
  if (e instanceof AsxError) return { code: e.code, message: e.message, path: typeof e.where.path === 'string' ? e.where.path : undefined, file: e.where.file };
  const o = e as { code?: unknown; message?: unknown; objectId?: unknown };
  if (o && typeof o.code === 'string') return { code: o.code, message: String(o.message ?? ''), path: typeof o.objectId === 'string' ? o.objectId : undefined };
  return { code: 'worker_error', message: e instanceof Error ? e.message : String(e) };
}

const roleOfType = new Map(Object.entries(ROLE_TYPES).map(([r, t]) => [t, r]));
let rows: ObjectRow[] = [];
/** Payloads by hash, kept across loads (content-addressed: the server verifies them again each load). */
const payloads = new Map<string, Uint8Array>();
/** The descriptors (parsed JSON) read by the last load, by id: a swap starts from the current one of its role. */
let descById = new Map<string, Record<string, unknown>>();
let model: InferenceModel | null = null;

function row(id: string): ObjectRow {
  let r = rows.find((x) => x.id === id);
  if (!r) { r = { role: '?', id, hash: null, size: null, state: 'pending' }; rows.push(r); }
  return r;
}
const snapshot = () => rows.map((r) => ({ ...r }));

/** A GET that threw (server busy building the Brown set, a dropped connection) is asked again, twice at most. */
async function retried<T>(f: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try { return await f(); } catch (e) {
      if (i >= 2) throw e;
      await new Promise((r) => setTimeout(r, 1000 * (i + 1)));
    }
  }
}

/** The HTTP store with the object graph's progress (each payload fetched, then verified by the core) and a payload memo. */
function progressStore(inner: ObjectStore): ObjectStore {
  return {
    async descriptor(id) {
      const raw = await retried(() => inner.descriptor(id));
      if (raw instanceof Uint8Array) {
        try { descById.set(id, JSON.parse(new TextDecoder().decode(raw)) as Record<string, unknown>); } catch { /* the resolver reports it */ }
      }
      return raw;
    },
    async payload(hash, d) {
      const type = aiTypeOf(d);
      const role = type ? roleOfType.get(type) : undefined;
      if (!role) return retried(() => inner.payload(hash, d));
      // A new payload is asked for only after the previous object passed verification.
      for (const r of rows) if (r.state === 'verifying' && r.id !== d.id) r.state = 'verified';
      const r = row(d.id);
      r.role = role; r.hash = d.hash; r.size = d.payload.size ?? null; r.state = 'verifying';
      const size = typeof d.payload.size === 'number' ? ` (${(d.payload.size / 1e6).toFixed(1)} MB)` : '';
      post({ type: 'progress', message: `verifying ${d.id}${size}…`, objects: snapshot() });
      const memo = payloads.get(hash);
      if (memo) return memo;
      const p = await retried(() => inner.payload(hash, d));
      if (!p) return null;
      const bytes = await wholeBytes(p, d.id, 'load');
      payloads.set(hash, bytes);
      return bytes;
    },
    list: () => retried(() => inner.list!()),
  };
}

let profiles: string[] = [];
async function listProfiles(http: HttpObjectStore): Promise<string[]> {
  try { return (await retried(() => http.list())).filter((id) => id.startsWith('object://ai/inference/')).sort(); } catch { return []; }
}

async function load(base: string, profile: string, swaps: SwapEntry[]): Promise<void> {
  const t0 = performance.now();
  rows = [];
  model = null;
  descById = new Map();
  for (const h of [...payloads.keys()]) if (payloads.size > 12) payloads.delete(h); // keep the memo bounded
  const http = new HttpObjectStore(base);
  if (profiles.length === 0) profiles = await listProfiles(http);
  try {
    const store = progressStore(swapStore(http, swaps));
    // The profile's row first, so the graph shows from the start.
    const raw = await store.descriptor(profile);
    if (raw instanceof Uint8Array) { const d = parseDescriptor(raw, profile); Object.assign(row(profile), { role: 'profile', hash: d.hash, size: d.payload.size ?? null }); }
    post({ type: 'progress', message: `resolving ${profile}…`, objects: snapshot() });
    model = await loadInference(store, profile);
    rows = model.objects.map((o) => ({ ...(rows.find((r) => r.id === o.id) ?? { size: null }), role: o.role, id: o.id, hash: o.hash, state: 'verified' as const }));
    const p = model.profile;
    post({ type: 'loaded', objects: snapshot(), ms: performance.now() - t0, vocab: model.tokens.length, profile: { mode: p.mode, collapse: { ...p.collapse }, maxTokens: p.maxTokens }, profiles });
  } catch (e) {
    const err = errorInfo(e);
    const failing = err.path ? rows.find((r) => r.id === err.path || err.path!.endsWith(` ${r.id}`)) : undefined;
    for (const r of rows) if (r.state === 'verifying' && r !== failing) r.state = 'pending';
    if (failing) { failing.state = 'failed'; failing.code = err.code; }
    else if (err.path) rows.push({ role: '?', id: err.path, hash: null, size: null, state: 'failed', code: err.code });
    post({ type: 'load-error', error: err, objects: snapshot(), profiles });
  }
}

/** Build the swap entry for a dropped file from the current descriptor of the role its bytes fill. */
function swap(name: string, bytes: Uint8Array): void {
  try {
    const role = swapRoleOf(bytes, name);
    // The object of that role in the graph (the loaded model's, or the rows of a failed load).
    const id = model?.objects.find((o) => o.role === role)?.id ?? rows.find((r) => r.role === role)?.id;
    const json = id ? descById.get(id) : undefined;
    const cur = id && json ? { id, json } : null;
    if (!cur) throw new AsxError('inference_error.missing_object', `the current graph has no ${role} object (${ROLE_TYPES[role]}) to replace`, { path: role, file: name });
    const entry = swapEntry(role, cur.id, cur.json, bytes, name);
    post({ type: 'swap-built', entry, old: typeof cur.json.hash === 'string' ? cur.json.hash : null });
  } catch (e) {
    post({ type: 'swap-error', error: errorInfo(e) });
  }
}

function need(): InferenceModel {
  if (!model) throw new AsxError('inference_error.missing_object', 'the inference objects are not loaded');
  return model;
}

async function generate(id: number, request: unknown, trace: boolean): Promise<void> {
  const t0 = performance.now();
  try {
    const events: TraceEvent[] = [];
    const r = await runInference(need(), request, trace
      ? { onTrace: (e) => { events.push(e); post({ type: 'trace', id, event: e }); } }
      : { onToken: (tokenId, token) => post({ type: 'token', id, token, tokenId }) });
    const copy = r.bytes.slice().buffer;
    post({ type: 'reply', id, text: String(r.payload.text ?? ''), bytes: copy, hash: r.hash, traceHash: trace ? hex(utf8(traceJson(events))) : null, tokens: r.tokens.length, ms: performance.now() - t0 }, [copy]);
  } catch (e) {
    post({ type: 'error', id, error: errorInfo(e) });
  }
}

let gpu: Promise<{ matmul: IntMatmul; label: string } | string> | null = null;
function gpuMatmul(): Promise<{ matmul: IntMatmul; label: string } | string> {
  gpu ??= (async () => {
    const g = (self as unknown as { navigator: { gpu?: GPU } }).navigator.gpu;
    if (!g) return 'no WebGPU in this browser\'s workers (navigator.gpu is missing)';
    const adapter = await g.requestAdapter();
    if (!adapter) return 'WebGPU has no adapter here';
    const device = await adapter.requestDevice();
    void device.lost.then((info) => { gpu = null; console.warn(`WebGPU device lost: ${info.message}`); });
    const info = (adapter as unknown as { info?: { vendor?: string; architecture?: string; description?: string } }).info;
    const label = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'WebGPU adapter';
    return { matmul: createGpuIntMatmul(device), label };
  })().catch((e: unknown) => { gpu = null; return `WebGPU failed: ${e instanceof Error ? e.message : String(e)}`; });
  return gpu;
}

const cancelled = new Set<number>();

async function run(id: number, backend: 'worker' | 'webgpu', profile: string, spec: RunSpec): Promise<void> {
  const empty: RunResult = { backend, spec, done: 0, replies: [], traces: [], tokens: 0, ms: 0 };
  let matmul: IntMatmul | undefined;
  let note: string | undefined;
  if (backend === 'webgpu') {
    const g = await gpuMatmul();
    if (typeof g === 'string') { post({ type: 'run-done', id, result: { ...empty, note: g } }); return; }
    matmul = g.matmul; note = g.label;
  }
  if (!model || model.profileId !== profile) { post({ type: 'run-done', id, result: { ...empty, error: { code: 'inference_error.missing_object', message: `the worker has not loaded ${profile}` } } }); return; }
  const res = await executeRun(model, backend, spec, {
    matmul, errorInfo,
    cancelled: () => cancelled.has(id),
    progress: (done, total) => post({ type: 'run-progress', id, done, total }),
  });
  cancelled.delete(id);
  if (note) res.note = note;
  post({ type: 'run-done', id, result: res });
}

function svgNode(id: number, from: number): void {
  const m = need();
  const e = m.svg.out.get(from);
  const edges = e ? Array.from(e.targets, (t, i) => ({ id: t, token: m.tokens[t] ?? '<unk>', p: e.weights[i] / e.total })) : [];
  // Strongest first, then ascending id (a stable drawing order).
  edges.sort((a, b) => b.p - a.p || a.id - b.id);
  post({ type: 'svg-node', id, from, token: m.tokens[from] ?? '<unk>', edges: edges.slice(0, 16), total: edges.length });
}

self.onmessage = (e: MessageEvent<InferRequestMsg>) => {
  const m = e.data;
  switch (m.type) {
    case 'load': void load(m.base, m.profile, m.swaps); break;
    case 'swap': swap(m.name, new Uint8Array(m.bytes)); break;
    case 'generate': void generate(m.id, m.request, m.trace); break;
    case 'run': void run(m.id, m.backend, m.profile, m.spec); break;
    case 'cancel': cancelled.add(m.id); break;
    case 'svg-node': try { svgNode(m.id, m.from); } catch { post({ type: 'svg-node', id: m.id, from: m.from, token: '', edges: [], total: 0 }); } break;
  }
};
