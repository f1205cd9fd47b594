/// <reference lib="webworker" />
/**
 * Verify worker: one job per worker (the UI cancels a job by terminating its worker, so a
 * cancelled check stops at once, mid-lane). The job itself (runVerifyJob) is plain code over
 * the core, tested in Node with the same Blob the browser posts.
 */
import { blobSource } from '../core/bytes/source';
import { openPack } from '../core/pack/read';
import { failedReport, verifyPack } from '../core/pack/verify';
import { webCryptoBackend } from '../core/hash/backend';
import { chooseHashBackend } from '../core/hash/choose';
import type { HashChoiceSummary, VerifyMessage, VerifyRequest } from './verifyProtocol';

declare const self: DedicatedWorkerGlobalScope;

/** Open the Blob and verify it; every step is reported through `post`. Never throws. */
export async function runVerifyJob(req: VerifyRequest, post: (m: VerifyMessage) => void): Promise<void> {
  let reader;
  try {
    reader = await openPack(blobSource(req.blob, req.name));
  } catch (e) {
    post({ type: 'done', report: failedReport(e, req.name) });
    return;
  }
  try {
    const header = await verifyPack(reader, { lanes: false });
    post({ type: 'header', report: header });
    // A pack whose signature or root already fails is failed: its DATA cannot be trusted
    // whatever the lanes say, so the full pass is only run on a sound header.
    if (!req.lanes || !header.ok) {
      post({ type: 'done', report: header });
      return;
    }
    // The lane hasher is chosen by timing the candidates on payloads of this pack's length:
    // Web Crypto (native, but ~25 µs a call) wins for large payloads, the pure batch hasher for
    // small ones. Same digests either way (checked on the sample).
    const length = reader.header.laneCount ? reader.laneBytes : 0;
    const wc = length ? webCryptoBackend(length) : null;
    const choice = wc ? await chooseHashBackend([wc], length) : null;
    const hash: HashChoiceSummary | undefined = choice ? { backend: choice.backend.name, ms: choice.ms, sample: choice.sample } : undefined;
    let last = 0;
    const full = await verifyPack(reader, {
      lanes: true,
      hash: choice?.backend,
      chunkBytes: req.chunkBytes,
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - last >= 40 || done === total) {
          last = now;
          post({ type: 'progress', done, total });
        }
      },
    });
    post({ type: 'done', report: full, hash });
  } catch (e) {
    post({ type: 'done', report: failedReport(e, req.name) });
  }
}

if (typeof self !== 'undefined' && typeof (self as { importScripts?: unknown }).importScripts === 'function') {
  self.onmessage = (ev: MessageEvent<VerifyRequest>) => {
    void runVerifyJob(ev.data, (m) => self.postMessage(m));
  };
}
