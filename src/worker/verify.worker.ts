/// <reference lib="webworker" />
/**
 * Verify worker: one job per worker (the UI cancels a job by terminating its worker, so a
 * cancelled check stops at once, mid-lane). The job itself (runVerifyJob) is plain code over
 * the core, tested in Node with the same Blob the browser posts.
 */
import { sourceOf } from '../ui/lib/httpSource';
import { openPack } from '../core/pack/read';
import { failedReport, verifyPack } from '../core/pack/verify';
import { pureBackend, webCryptoBackend } from '../core/hash/backend';
import { publicKeyOf, signMessage, verifyMessageAsync } from '../core/pack/sign';
import { chooseHashBackend } from '../core/hash/choose';
import type { HashChoiceSummary, VerifyMessage, VerifyRequest, VerifyTiming } from './verifyProtocol';

declare const self: DedicatedWorkerGlobalScope;

/** Open the Blob and verify it; every step is reported through `post`. Never throws. */
export async function runVerifyJob(req: VerifyRequest, post: (m: VerifyMessage) => void): Promise<void> {
  let reader;
  const t0 = performance.now();
  const timing: VerifyTiming = { open: 0, header: 0, choose: 0, lanes: 0 };
  try {
    reader = await openPack(sourceOf(req.blob, req.name));
    timing.open = performance.now() - t0;
  } catch (e) {
    post({ type: 'done', report: failedReport(e, req.name) });
    return;
  }
  try {
    const t1 = performance.now();
    const header = await verifyPack(reader, { lanes: false });
    timing.header = performance.now() - t1;
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
    const t2 = performance.now();
    const length = reader.header.laneCount ? reader.laneBytes : 0;
    const wc = length ? webCryptoBackend(length) : null;
    const choice = wc ? await chooseHashBackend([wc], length) : null;
    const hash: HashChoiceSummary | undefined = choice ? { backend: choice.backend.name, ms: choice.ms, sample: choice.sample } : undefined;
    const t3 = performance.now();
    timing.choose = t3 - t2;
    let last = 0;
    const full = await verifyPack(reader, {
      lanes: true,
      hash: choice?.backend,
      // Checked a moment ago on this reader (the header pass): valid or not, not again.
      signatureValid: header.signature === 'valid' || header.signature === 'untrusted' ? true : header.signature === 'invalid' ? false : undefined,
      chunkBytes: req.chunkBytes,
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - last >= 40 || done === total) {
          last = now;
          post({ type: 'progress', done, total });
        }
      },
    });
    timing.lanes = performance.now() - t3;
    post({ type: 'done', report: full, hash, timing });
  } catch (e) {
    post({ type: 'done', report: failedReport(e, req.name) });
  }
}

/**
 * A started worker waits as the spare for the next check (verifyRunner.ts); meanwhile it runs
 * the code a check needs once, so the check does not pay for a cold start: the first Ed25519
 * verify builds its tables (~100 ms here), the batch SHA-256 is interpreted until V8 optimizes
 * it, Web Crypto starts its thread. Fixed inputs; nothing of it reaches a report.
 */
async function warmUp(): Promise<void> {
  const seed = new Uint8Array(32).fill(1);
  const msg = new Uint8Array(64).fill(2);
  await verifyMessageAsync(signMessage(seed, msg), msg, publicKeyOf(seed));
  const data = new Uint8Array(64 * 1024);
  const out = new Uint8Array(32 * 16);
  for (let i = 0; i < 8; i++) pureBackend.sha256Batch(data, 0, 4096, 4096, 16, out, 0);
  await webCryptoBackend(0)?.sha256Batch(data, 0, data.length, data.length, 1, out, 0);
}

if (typeof self !== 'undefined' && typeof (self as { importScripts?: unknown }).importScripts === 'function') {
  const warm = warmUp().catch(() => undefined);
  self.onmessage = (ev: MessageEvent<VerifyRequest>) => {
    void warm.then(() => runVerifyJob(ev.data, (m) => self.postMessage(m)));
  };
}
