/**
 * Hash backends: who computes the SHA-256 of lane payloads. The core never imports Node;
 * the CLI (node:crypto), a worker or the browser (Web Crypto) may install a faster backend
 * for large payloads with `setHashBackend`. The pure one (the project's own SHA-256, batch
 * form, no allocation per message) is the default everywhere. Every backend computes the
 * same function, so reports and bytes do not depend on which one runs.
 */
import { sha256Batch } from './sha256.ts';

export interface HashBackend {
  readonly name: string;
  /**
   * sha256 of `count` messages of `len` bytes, message i at data[off + i·stride], digest i
   * to out[outOff + 32·i]. May finish asynchronously (Web Crypto); callers await it.
   */
  sha256Batch(data: Uint8Array, off: number, len: number, stride: number, count: number, out: Uint8Array, outOff: number): void | Promise<void>;
  /**
   * Optional native Ed25519 check (e.g. OpenSSL through node:crypto): true only when the
   * signature verifies. Only ever used to accept faster: sign.ts's verifyMessageAsync runs the
   * core's strict checks around it and the full core check whenever this does not say true,
   * so the verdict is the core's either way.
   */
  ed25519Verify?(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array): boolean;
  /**
   * Optional incremental SHA-256 for payloads read in chunks (object payloads, §15.5): the
   * same function as sha256Stream in sha256.ts, faster where native (node:crypto ~1 GB/s here
   * against ~0.15 GB/s pure). Without it the pure streaming hasher runs.
   */
  sha256Stream?(): { update(b: Uint8Array): void; digest(): Uint8Array };
}

export const pureBackend: HashBackend = { name: 'js', sha256Batch };

let current: HashBackend = pureBackend;

export function getHashBackend(): HashBackend {
  return current;
}

/** Install a backend for this realm (null restores the pure one); returns the previous one. */
export function setHashBackend(b: HashBackend | null): HashBackend {
  const prev = current;
  current = b ?? pureBackend;
  return prev;
}

/**
 * Web Crypto for messages of at least `minLen` bytes (one native digest per message, ~25 µs
 * per call measured here, so only large payloads gain), the pure batch below that.
 */
export function webCryptoBackend(minLen = 64 * 1024): HashBackend | null {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  return {
    name: `webcrypto≥${minLen}`,
    sha256Batch(data, off, len, stride, count, out, outOff) {
      if (len < minLen) return sha256Batch(data, off, len, stride, count, out, outOff);
      const jobs: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const at = off + i * stride;
        jobs.push(subtle.digest('SHA-256', data.subarray(at, at + len) as Uint8Array<ArrayBuffer>).then((d) => { out.set(new Uint8Array(d), outOff + 32 * i); }));
      }
      return Promise.all(jobs).then(() => undefined);
    },
  };
}
