/**
 * node:crypto (OpenSSL, SHA extensions where the CPU has them) as the CLI's hash backend for
 * large lane payloads. Below `minLen` bytes per message the per-call cost of createHash
 * (~3 µs) loses to the pure batch hasher, so those stay on it (figures: docs/bench.md).
 *
 * Messages of at least `parallelMin` bytes (e.g. 131 KB payloads of a 65,535-dims pack) are
 * split: the second half of a batch goes to Web Crypto's digest, which Node runs on its
 * thread pool, while this thread hashes the first half with node:crypto — two cores hash one
 * chunk. The digests are the same SHA-256 either way.
 */
import { createHash } from 'node:crypto';
import { sha256Batch } from '../core/hash/sha256.ts';
import type { HashBackend } from '../core/hash/backend.ts';

export const NODE_HASH_MIN_BYTES = 1024;
export const NODE_PARALLEL_MIN_BYTES = 64 * 1024;

export function nodeHashBackend(minLen = NODE_HASH_MIN_BYTES, parallelMin = NODE_PARALLEL_MIN_BYTES): HashBackend {
  const subtle = globalThis.crypto?.subtle;
  return {
    name: `node:crypto≥${minLen}${subtle ? `, half on the thread pool≥${parallelMin}` : ''}`,
    sha256Batch(data, off, len, stride, count, out, outOff) {
      if (len < minLen) { sha256Batch(data, off, len, stride, count, out, outOff); return; }
      const split = subtle && len >= parallelMin && count >= 2 ? count >> 1 : count;
      const jobs: Promise<void>[] = [];
      for (let i = split; i < count; i++) {
        const at = off + i * stride;
        // The input is copied when the job is queued, so `data` may be reused once this returns.
        jobs.push(subtle!.digest('SHA-256', data.subarray(at, at + len) as Uint8Array<ArrayBuffer>).then((d) => { out.set(new Uint8Array(d), outOff + 32 * i); }));
      }
      for (let i = 0; i < split; i++) {
        const at = off + i * stride;
        const d = createHash('sha256').update(data.subarray(at, at + len)).digest();
        out.set(d, outOff + 32 * i);
      }
      if (jobs.length) return Promise.all(jobs).then(() => undefined);
    },
  };
}
