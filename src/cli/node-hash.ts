/**
 * node:crypto (OpenSSL, SHA extensions where the CPU has them) as the CLI's hash backend for
 * large lane payloads. Below `minLen` bytes per message the per-call cost of createHash
 * (~3 µs) loses to the pure batch hasher, so those stay on it (figures: docs/bench.md).
 */
import { createHash } from 'node:crypto';
import { sha256Batch } from '../core/hash/sha256.ts';
import type { HashBackend } from '../core/hash/backend.ts';

export const NODE_HASH_MIN_BYTES = 1024;

export function nodeHashBackend(minLen = NODE_HASH_MIN_BYTES): HashBackend {
  return {
    name: `node:crypto≥${minLen}`,
    sha256Batch(data, off, len, stride, count, out, outOff) {
      if (len < minLen) { sha256Batch(data, off, len, stride, count, out, outOff); return; }
      for (let i = 0; i < count; i++) {
        const at = off + i * stride;
        const d = createHash('sha256').update(data.subarray(at, at + len)).digest();
        out.set(d, outOff + 32 * i);
      }
    },
  };
}
