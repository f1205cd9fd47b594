/**
 * The app's IntegrityRunner: each check runs in its own Web Worker (src/worker/verify.worker.ts)
 * that reads the pack's Blob itself, so the main thread never hashes. Cancel terminates the
 * worker (it stops mid-lane at once). Where workers are missing (never in the app) the same
 * job runs inline.
 */
import type { VerifyReport } from '../core/pack/verify';
import { runVerifyJob } from '../worker/verify.worker';
import type { HashChoiceSummary, VerifyMessage, VerifyRequest } from '../worker/verifyProtocol';
import { getHandle, touch } from './packRegistry';
import type { IntegrityRunner, RunnerReport } from './store';

function plain(r: VerifyReport, hash?: HashChoiceSummary): RunnerReport {
  return {
    ...(hash ? { hash } : {}),
    ok: r.ok, lanes: r.lanes, leaves: r.leaves, leavesChecked: r.leavesChecked, root: r.root, rootHex: r.rootHex,
    signature: r.signature, publicKey: r.publicKey, fingerprint: r.fingerprint,
    issues: r.issues.map((i) => ({ code: i.code, message: i.message, offset: i.offset, lane: i.lane })),
  };
}

function failed(code: string, message: string): RunnerReport {
  return { ok: false, lanes: 0, leaves: 'skipped', leavesChecked: 0, root: 'absent', rootHex: null, signature: 'unsigned', publicKey: null, fingerprint: null, issues: [{ code, message }] };
}

export const workerVerifier: IntegrityRunner = (handleId, opts, events) => {
  const handle = getHandle(handleId);
  if (!handle) return { done: Promise.resolve(failed('io_error', 'the pack is no longer open')), cancel: () => {} };
  const req: VerifyRequest = { blob: handle.blob, name: handle.name, lanes: opts.lanes, chunkBytes: 1 << 20 };
  let settle: (r: RunnerReport) => void = () => {};
  const done = new Promise<RunnerReport>((resolve) => { settle = resolve; });
  const onMessage = (m: VerifyMessage) => {
    if (m.type === 'header') events.onHeader(plain(m.report));
    else if (m.type === 'progress') events.onProgress(m.done, m.total);
    else {
      touch(handleId);
      settle(plain(m.report, m.hash));
    }
  };
  if (typeof Worker === 'undefined') {
    let cancelled = false;
    void runVerifyJob(req, (m) => { if (!cancelled) onMessage(m); });
    return { done, cancel: () => { cancelled = true; } };
  }
  const worker = new Worker(new URL('../worker/verify.worker.ts', import.meta.url), { type: 'module', name: 'asx-verify' });
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
