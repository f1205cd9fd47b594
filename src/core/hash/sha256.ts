/** SHA-256 (FIPS 180-4) via @noble/hashes: synchronous and identical in browser, worker and Node. */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

export function sha256(data: Uint8Array): Uint8Array {
  return nobleSha256(data);
}

/** Incremental hashing for large inputs read in chunks. */
export function sha256Stream(): { update(b: Uint8Array): void; digest(): Uint8Array } {
  const h = nobleSha256.create();
  return { update: (b) => { h.update(b); }, digest: () => h.digest() };
}

/** sha256(left || right) for merkle nodes (addendum 5). */
export function sha256Pair(left: Uint8Array, right: Uint8Array): Uint8Array {
  const h = nobleSha256.create();
  h.update(left);
  h.update(right);
  return h.digest();
}
