/**
 * node:crypto (OpenSSL, SHA extensions where the CPU has them) as the CLI's hash backend for
 * large lane payloads. Below `minLen` bytes per message the per-call cost of createHash
 * (~3 µs) loses to the pure batch hasher, so those stay on it (figures: docs/bench.md).
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { sha256Batch } from '../core/hash/sha256.ts';
import type { HashBackend } from '../core/hash/backend.ts';

export const NODE_HASH_MIN_BYTES = 1024;

/** DER SubjectPublicKeyInfo header of a raw 32-byte Ed25519 public key (RFC 8410). */
const ED25519_SPKI = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** OpenSSL's Ed25519 verify; the core only uses it to accept faster (sign.ts, nativeAccepts). */
export function nodeEd25519Verify(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array): boolean {
  const der = new Uint8Array(ED25519_SPKI.length + 32);
  der.set(ED25519_SPKI, 0);
  der.set(pub, ED25519_SPKI.length);
  const key = createPublicKey({ key: Buffer.from(der.buffer), format: 'der', type: 'spki' });
  return nodeVerify(null, msg, key, sig);
}

export function nodeHashBackend(minLen = NODE_HASH_MIN_BYTES): HashBackend {
  return {
    name: `node:crypto≥${minLen}`,
    ed25519Verify: nodeEd25519Verify,
    sha256Stream() {
      const h = createHash('sha256');
      return { update: (b) => { h.update(b); }, digest: () => new Uint8Array(h.digest()) };
    },
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
