/// <reference lib="webworker" />
/**
 * The Inference tab's worker: resolves and verifies the inference object graph through the
 * core's Object Server over its own HttpObjectStore (the page's origin), keeps the loaded model,
 * and runs requests with the exact engine (src/core/infer), posting each trace event as the
 * engine emits it. Determinism runs: N times on the CPU here, or with createGpuIntMatmul on a
 * WebGPU device this worker acquires itself.
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
import { traceJson, type TraceEvent } from '../../core/infer/trace';
import { createGpuIntMatmul } from '../../gpu/intmatmul';
import { HttpObjectStore } from '../objects/httpStore';
import type { InferErrorInfo, InferEventMsg, InferRequestMsg, ObjectRow, RepeatResult } from './protocol';

const post = (m: InferEventMsg, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

const hex = (b: Uint8Array) => `sha256:${toHex(sha256(b))}`;

function errorInfo(e: unknown): InferErrorInfo {
  if (e instanceof AsxError) return { code: e.code, message: e.message, path: typeof e.where.path === 'string' ? e.where.path : undefined };
  const o = e as { code?: unknown; message?: unknown; objectId?: unknown };
  if (o && typeof o.code === 'string') return { code: o.code, message: String(o.message ?? ''), path: typeof o.objectId === 'string' ? o.objectId : undefined };
  return { code: 'worker_error', message: e instanceof Error ? e.message : String(e) };
}

const roleOfType = new Map(Object.entries(ROLE_TYPES).map(([r, t]) => [t, r]));
let rows: ObjectRow[] = [];
const payloads = new Map<string, Uint8Array>();
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
function progressStore(inner: HttpObjectStore): ObjectStore {
  return {
    descriptor: (id) => retried(() => inner.descriptor(id)),
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
    list: () => retried(() => inner.list()),
  };
}

async function load(base: string, profile: string): Promise<void> {
  const t0 = performance.now();
  rows = [];
  model = null;
  payloads.clear();
  try {
    const store = progressStore(new HttpObjectStore(base));
    // The profile's row first, so the graph shows from the start.
    const raw = await store.descriptor(profile);
    if (raw instanceof Uint8Array) { const d = parseDescriptor(raw, profile); Object.assign(row(profile), { role: 'profile', hash: d.hash, size: d.payload.size ?? null }); }
    post({ type: 'progress', message: `resolving ${profile}…`, objects: snapshot() });
    model = await loadInference(store, profile);
    rows = model.objects.map((o) => ({ ...(rows.find((r) => r.id === o.id) ?? { size: null }), role: o.role, id: o.id, hash: o.hash, state: 'verified' as const }));
    const p = model.profile;
    post({ type: 'loaded', objects: snapshot(), ms: performance.now() - t0, vocab: model.tokens.length, profile: { mode: p.mode, collapse: { ...p.collapse }, maxTokens: p.maxTokens } });
  } catch (e) {
    const err = errorInfo(e);
    const failing = err.path ? rows.find((r) => r.id === err.path || err.path!.endsWith(` ${r.id}`)) : undefined;
    for (const r of rows) if (r.state === 'verifying' && r !== failing) r.state = 'pending';
    if (failing) { failing.state = 'failed'; failing.code = err.code; }
    else if (err.path) rows.push({ role: '?', id: err.path, hash: null, size: null, state: 'failed', code: err.code });
    post({ type: 'load-error', error: err, objects: snapshot() });
  }
}

function need(): InferenceModel {
  if (!model) throw new AsxError('inference_error.missing_object', 'the inference objects are not loaded');
  return model;
}

async function generate(id: number, request: unknown): Promise<void> {
  const t0 = performance.now();
  try {
    const events: TraceEvent[] = [];
    const r = await runInference(need(), request, { onTrace: (e) => { events.push(e); post({ type: 'trace', id, event: e }); } });
    const copy = r.bytes.slice().buffer;
    post({ type: 'reply', id, text: String(r.payload.text ?? ''), bytes: copy, hash: r.hash, traceHash: hex(utf8(traceJson(events))), tokens: r.tokens.length, ms: performance.now() - t0 }, [copy]);
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
    const info = (adapter as unknown as { info?: { vendor?: string; architecture?: string; description?: string } }).info;
    const label = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'WebGPU adapter';
    return { matmul: createGpuIntMatmul(device), label };
  })().catch((e: unknown) => { gpu = null; return `WebGPU failed: ${e instanceof Error ? e.message : String(e)}`; });
  return gpu;
}

async function repeat(id: number, backend: 'worker' | 'webgpu', request: unknown, n: number): Promise<void> {
  const res: RepeatResult = { backend, n, replies: [], traces: [], tokens: 0, ms: 0 };
  try {
    let matmul: IntMatmul | undefined;
    if (backend === 'webgpu') {
      const g = await gpuMatmul();
      if (typeof g === 'string') { res.note = g; post({ type: 'repeat-done', id, result: res }); return; }
      matmul = g.matmul; res.note = g.label;
    }
    const m = need();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const events: TraceEvent[] = [];
      const r = await runInference(m, request, { matmul, onTrace: (e) => events.push(e) });
      res.replies.push(r.hash);
      res.traces.push(hex(utf8(traceJson(events))));
      res.tokens += r.tokens.length;
    }
    res.ms = performance.now() - t0;
  } catch (e) {
    res.error = errorInfo(e);
  }
  post({ type: 'repeat-done', id, result: res });
}

self.onmessage = (e: MessageEvent<InferRequestMsg>) => {
  const m = e.data;
  switch (m.type) {
    case 'load': void load(m.base, m.profile); break;
    case 'generate': void generate(m.id, m.request); break;
    case 'repeat': void repeat(m.id, m.backend, m.request, m.n); break;
  }
};
