/**
 * The lab page's side of its worker. Cancel terminates the worker (the CPU mirror is one
 * synchronous loop; nothing else stops it): every job in it rejects with LabCancelled and
 * the next job starts a fresh worker. Without Worker support jobs run inline.
 */
import type { LabRequest, LabResults, LabStage } from './labTypes';

export class LabCancelled extends Error {
  constructor() { super('cancelled'); this.name = 'LabCancelled'; }
}

export interface LabJob<T> { promise: Promise<T>; cancel(): void }

interface Pending { req: LabRequest; resolve(v: unknown): void; reject(e: Error): void; onStage?: (s: LabStage) => void }

let worker: Worker | null = null;
let ready = false;
let inline = typeof Worker === 'undefined';
let seq = 0;
const pending = new Map<number, Pending>();
const cancelledInline = new Set<number>();

function runInline(id: number, p: Pending): void {
  // loaded only here: the worker has its own copy of the CPU code
  import('./labJobs')
    .then(({ runLabJob }) => runLabJob(p.req, (s) => { if (!cancelledInline.has(id)) p.onStage?.(s); }))
    .then(
      (r) => { if (!cancelledInline.delete(id)) p.resolve(r); },
      (e) => { if (!cancelledInline.delete(id)) p.reject(e instanceof Error ? e : new Error(String(e))); },
    );
}

function spawn(): Worker | null {
  if (inline) return null;
  if (worker) return worker;
  try {
    const w = new Worker(new URL('./gccp.worker.ts', import.meta.url), { type: 'module', name: 'gccp-lab' });
    ready = false;
    w.onmessage = (ev: MessageEvent<{ id: number; kind: string; stage?: LabStage; result?: unknown; message?: string }>) => {
      const m = ev.data;
      if (m.kind === 'ready') { ready = true; return; }
      const p = pending.get(m.id);
      if (!p) return;
      if (m.kind === 'stage') { p.onStage?.(m.stage!); return; }
      pending.delete(m.id);
      if (m.kind === 'done') p.resolve(m.result);
      else p.reject(new Error(m.message));
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      w.terminate();
      if (worker === w) worker = null;
      const jobs = [...pending.entries()];
      pending.clear();
      if (!ready) { inline = true; for (const [id, p] of jobs) runInline(id, p); }
      else for (const [, p] of jobs) p.reject(new Error(`the π-GCCP worker stopped: ${ev.message || 'unknown error'}`));
    };
    worker = w;
    return w;
  } catch {
    inline = true;
    return null;
  }
}

export function labJob<K extends LabRequest['type']>(req: Extract<LabRequest, { type: K }>, onStage?: (s: LabStage) => void): LabJob<LabResults[K]> {
  const id = ++seq;
  let p!: Pending;
  const promise = new Promise<LabResults[K]>((resolve, reject) => { p = { req, resolve: resolve as (v: unknown) => void, reject, onStage }; });
  const w = spawn();
  if (w) {
    pending.set(id, p);
    // the page keeps its own copy of given vectors (drawn points, a loaded SVG): copy, not transfer
    w.postMessage({ id, req });
  } else runInline(id, p);
  return {
    promise,
    cancel() {
      if (w) { if (pending.has(id)) cancelLab(); }
      else { cancelledInline.add(id); p.reject(new LabCancelled()); }
    },
  };
}

export function cancelLab(): void {
  if (worker) { worker.terminate(); worker = null; }
  const jobs = [...pending.values()];
  pending.clear();
  for (const p of jobs) p.reject(new LabCancelled());
}
