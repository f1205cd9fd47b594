/**
 * The page's side of a job worker (the SVG tab's and the π-GCCP lab's). A job can be cancelled
 * at any point: the worker is terminated (the core's work is synchronous, so nothing else can
 * stop it) and every job still in it rejects with JobCancelled; the next job starts a fresh
 * worker. Where there is no module Worker (or it cannot start), jobs run inline on this thread.
 * The worker side is `serveJobs` (jobWorker.ts); messages are `WorkerJobMessage`.
 */
export class JobCancelled extends Error {
  constructor() { super('cancelled'); this.name = 'JobCancelled'; }
}

export interface Job<T> { promise: Promise<T>; cancel(): void }

/** What a job worker posts: a stage, a result, an error (its own payload), or that it started. */
export type WorkerJobMessage<Stage, Err> =
  | { id: number; kind: 'stage'; stage: Stage }
  | { id: number; kind: 'done'; result: unknown }
  | { id: number; kind: 'error'; error: Err }
  | { id: 0; kind: 'ready' };

export interface JobClientOptions<Req, Stage, Err> {
  /** Named in the error when a running worker dies. */
  label: string;
  createWorker: () => Worker;
  /** The same job on this thread (the fallback when workers are missing). */
  runInline: (req: Req, onStage: (s: Stage) => void) => Promise<unknown>;
  /** A worker's error payload as the Error the caller sees. */
  toError: (e: Err) => Error;
}

export interface JobClient<Req, Stage> {
  start<T>(req: Req, onStage?: (s: Stage) => void): Job<T>;
  /** Stop the worker and every job in it. */
  cancelAll(): void;
}

interface Pending<Req, Stage> { req: Req; resolve(v: unknown): void; reject(e: Error): void; onStage?: (s: Stage) => void }

export function createJobClient<Req, Stage, Err>(opts: JobClientOptions<Req, Stage, Err>): JobClient<Req, Stage> {
  let worker: Worker | null = null;
  let ready = false;
  let inline = typeof Worker === 'undefined';
  let seq = 0;
  const pending = new Map<number, Pending<Req, Stage>>();
  const cancelledInline = new Set<number>();

  const runInline = (id: number, p: Pending<Req, Stage>) => {
    opts.runInline(p.req, (s) => { if (!cancelledInline.has(id)) p.onStage?.(s); }).then(
      (r) => { if (!cancelledInline.delete(id)) p.resolve(r); },
      (e) => { if (!cancelledInline.delete(id)) p.reject(e instanceof Error ? e : new Error(String(e))); },
    );
  };

  const spawn = (): Worker | null => {
    if (inline) return null;
    if (worker) return worker;
    try {
      const w = opts.createWorker();
      ready = false;
      w.onmessage = (ev: MessageEvent<WorkerJobMessage<Stage, Err>>) => {
        const m = ev.data;
        if (m.kind === 'ready') { ready = true; return; }
        const p = pending.get(m.id);
        if (!p) return;
        if (m.kind === 'stage') { p.onStage?.(m.stage); return; }
        pending.delete(m.id);
        if (m.kind === 'done') p.resolve(m.result);
        else p.reject(opts.toError(m.error));
      };
      w.onerror = (ev) => {
        ev.preventDefault();
        w.terminate();
        if (worker === w) worker = null;
        const jobs = [...pending.entries()];
        pending.clear();
        if (!ready) {
          // The worker never started (no module workers here): run these and later jobs inline.
          inline = true;
          for (const [id, p] of jobs) runInline(id, p);
        } else {
          for (const [, p] of jobs) p.reject(new Error(`the ${opts.label} worker stopped: ${ev.message || 'unknown error'}`));
        }
      };
      worker = w;
      return w;
    } catch {
      inline = true;
      return null;
    }
  };

  const cancelAll = () => {
    if (worker) { worker.terminate(); worker = null; }
    const jobs = [...pending.values()];
    pending.clear();
    for (const p of jobs) p.reject(new JobCancelled());
  };

  return {
    start<T>(req: Req, onStage?: (s: Stage) => void): Job<T> {
      const id = ++seq;
      let p!: Pending<Req, Stage>;
      const promise = new Promise<T>((resolve, reject) => { p = { req, resolve: resolve as (v: unknown) => void, reject, onStage }; });
      const w = spawn();
      if (w) {
        pending.set(id, p);
        w.postMessage({ id, req });
      } else runInline(id, p);
      return {
        promise,
        cancel() {
          if (w) { if (pending.has(id)) cancelAll(); }
          else { cancelledInline.add(id); p.reject(new JobCancelled()); }
        },
      };
    },
    cancelAll,
  };
}
