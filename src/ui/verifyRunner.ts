/**
 * The app's IntegrityRunner: each check runs in its own Web Worker (src/worker/verify.worker.ts)
 * that reads the pack's Blob itself, so the main thread never hashes. Cancel terminates the
 * worker (it stops mid-lane at once). Where workers are missing (never in the app) the same
 * job runs inline. One spare worker is kept started, so a check does not wait for a worker's
 * module to load (~100 ms here): each job takes the spare and starts the next one.
 */
import type { VerifyReport } from '../core/pack/verify';
import { runVerifyJob } from '../worker/verify.worker';
import type { HashChoiceSummary, VerifyMessage, VerifyRequest, VerifyTiming } from '../worker/verifyProtocol';
import { getHandle, touch } from './packRegistry';
import type { IntegrityRunner, RunnerReport } from './store';

function plain(r: VerifyReport, hash?: HashChoiceSummary, timing?: VerifyTiming): RunnerReport {
  return {
    ...(hash ? { hash } : {}),
    ...(timing ? { timing } : {}),
    ok: r.ok, lanes: r.lanes, leaves: r.leaves, leavesChecked: r.leavesChecked, root: r.root, rootHex: r.rootHex,
    signature: r.signature, publicKey: r.publicKey, fingerprint: r.fingerprint,
    issues: r.issues.map((i) => ({ code: i.code, message: i.message, offset: i.offset, lane: i.lane })),
  };
}

function failed(code: string, message: string): RunnerReport {
  return { ok: false, lanes: 0, leaves: 'skipped', leavesChecked: 0, root: 'absent', rootHex: null, signature: 'unsigned', publicKey: null, fingerprint: null, issues: [{ code, message }] };
}

let spare: Worker | null = null;

function spawnVerifyWorker(): Worker {
  return new Worker(new URL('../worker/verify.worker.ts', import.meta.url), { type: 'module', name: 'asx-verify' });
}

/** The started spare (or a new worker), and a new spare started for the next job. */
function takeWorker(): Worker {
  const w = spare ?? spawnVerifyWorker();
  spare = null;
  setTimeout(() => { spare ??= spawnVerifyWorker(); }, 0);
  return w;
}

export const workerVerifier: IntegrityRunner = (handleId, opts, events) => {
  const handle = getHandle(handleId);
  if (!handle) return { done: Promise.resolve(failed('io_error', 'the pack is no longer open')), cancel: () => {} };
  // 4 MiB reads: a Blob slice costs ~5 ms of setup here, so fewer, larger reads (progress still
  // arrives every 4 MiB, and cancel terminates the worker whatever it is doing).
  const req: VerifyRequest = { blob: handle.blob, name: handle.name, lanes: opts.lanes, chunkBytes: 4 << 20 };
  let settle: (r: RunnerReport) => void = () => {};
  const done = new Promise<RunnerReport>((resolve) => { settle = resolve; });
  const onMessage = (m: VerifyMessage) => {
    if (m.type === 'header') events.onHeader(plain(m.report));
    else if (m.type === 'progress') events.onProgress(m.done, m.total);
    else {
      touch(handleId);
      settle(plain(m.report, m.hash, m.timing));
    }
  };
  if (typeof Worker === 'undefined') {
    let cancelled = false;
    void runVerifyJob(req, (m) => { if (!cancelled) onMessage(m); });
    return { done, cancel: () => { cancelled = true; } };
  }
  const worker = takeWorker();
  worker.onmessage = (ev: MessageEvent<VerifyMessage>) => {
    onMessage(ev.data);
    if (ev.data.type === 'done') worker.terminate();
  };
  worker.onerror = (ev) => {
    ev.preventDefault();
    worker.terminate();
    settle(failed('internal', `the verify worker failed: ${ev.message || 'unknown error'}`));
  };
  worker.postMessage(req);
  return { done, cancel: () => worker.terminate() };
};
