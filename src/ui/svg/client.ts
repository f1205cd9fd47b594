/**
 * The page's side of the SVG worker. A job can be cancelled at any point: the worker is
 * terminated (the core's work is synchronous, so nothing else can stop it) and every job
 * still in it rejects with CancelledError; the next job starts a fresh worker. Where there
 * is no Worker (or it cannot start), jobs run inline on this thread.
 */
import type { Stage } from './analyze';
import { runJob, type JobEnvelope, type JobMessage, type JobRequest, type JobResults } from './jobs';

export class CancelledError extends Error {
  constructor() { super('cancelled'); this.name = 'CancelledError'; }
}

export class JobError extends Error {
  constructor(readonly code: string, message: string, readonly where?: string) { super(message); this.name = 'JobError'; }
}

export interface Job<T> { promise: Promise<T>; cancel(): void }

interface Pending { req: JobRequest; resolve(v: unknown): void; reject(e: Error): void; onStage?: (s: Stage) => void }

let worker: Worker | null = null;
let ready = false;
/** The platform has no usable module worker: run inline from now on. */
let inline = typeof Worker === 'undefined';
let seq = 0;
const pending = new Map<number, Pending>();

function spawn(): Worker | null {
  if (inline) return null;
  if (worker) return worker;
  try {
    const w = new Worker(new URL('./svg.worker.ts', import.meta.url), { type: 'module', name: 'svg-tensor' });
    ready = false;
    w.onmessage = (ev: MessageEvent<JobMessage | { id: 0; kind: 'ready' }>) => {
      const m = ev.data;
      if (m.kind === 'ready') { ready = true; return; }
      const p = pending.get(m.id);
      if (!p) return;
      if (m.kind === 'stage') { p.onStage?.(m.stage); return; }
      pending.delete(m.id);
      if (m.kind === 'done') p.resolve(m.result);
      else p.reject(new JobError(m.error.code, m.error.message, m.error.where));
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      w.terminate();
      if (worker === w) worker = null;
      const jobs = [...pending.entries()];
      pending.clear();
      if (!ready) {
        // the worker never started (no module workers here): run these and later jobs inline
        inline = true;
        for (const [id, p] of jobs) runInline(id, p);
      } else {
        for (const [, p] of jobs) p.reject(new Error(`the SVG worker stopped: ${ev.message || 'unknown error'}`));
      }
    };
    worker = w;
    return w;
  } catch {
    inline = true;
    return null;
  }
}

const cancelledInline = new Set<number>();

function runInline(id: number, p: Pending): void {
  runJob(p.req, (s) => { if (!cancelledInline.has(id)) p.onStage?.(s); }).then(
    (r) => { if (cancelledInline.delete(id)) return; p.resolve(r); },
    (e) => { if (cancelledInline.delete(id)) return; p.reject(e instanceof Error ? e : new Error(String(e))); },
  );
}

/** Start a job; `onStage` hears each stage as the worker enters it. */
export function startJob<K extends JobRequest['type']>(req: Extract<JobRequest, { type: K }>, onStage?: (s: Stage) => void): Job<JobResults[K]> {
  const id = ++seq;
  let settle: Pending | null = null;
  const promise = new Promise<JobResults[K]>((resolve, reject) => {
    settle = { req, resolve: resolve as (v: unknown) => void, reject, onStage };
  });
  const p = settle!;
  const w = spawn();
  if (w) {
    pending.set(id, p);
    w.postMessage({ id, req } satisfies JobEnvelope);
  } else {
    runInline(id, p);
  }
  return {
    promise,
    cancel() {
      if (w) { if (pending.has(id)) cancelAll(); }
      else { cancelledInline.add(id); p.reject(new CancelledError()); }
    },
  };
}

/** Stop the worker and everything in it. */
export function cancelAll(): void {
  if (worker) { worker.terminate(); worker = null; }
  const jobs = [...pending.values()];
  pending.clear();
  for (const p of jobs) p.reject(new CancelledError());
}
