/**
 * Ed25519 pack signatures (DESIGN addendum 6). SIGNATURE = public key (32) ‖ signature (64).
 * Message = ASCII "ASXW2CBN-SIG-v1" ‖ file[0, DATA) ‖ file[DATA end, SIGNATURE start).
 * DATA is bound through the leaf hashes in INDEX.
 */
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { AsxError } from '../errors.ts';
import { fromHex, toHex } from '../bytes/hex.ts';

ed.hashes.sha512 = sha512;

export const SIG_DOMAIN = new Uint8Array([...'ASXW2CBN-SIG-v1'].map((c) => c.charCodeAt(0)));

export function signatureMessage(beforeData: Uint8Array, afterDataBeforeSig: Uint8Array): Uint8Array {
  // The reader keeps domain ‖ head ‖ tail in one buffer (read.ts): then the message is a view
  // of it, not a copy of megabytes (a 65,535-lane pack signs 4.4 MB).
  const D = SIG_DOMAIN.length;
  if (beforeData.buffer === afterDataBeforeSig.buffer && beforeData.byteOffset >= D && afterDataBeforeSig.byteOffset === beforeData.byteOffset + beforeData.length) {
    const m = new Uint8Array(beforeData.buffer, beforeData.byteOffset - D, D + beforeData.length + afterDataBeforeSig.length);
    let same = true;
    for (let i = 0; i < D; i++) if (m[i] !== SIG_DOMAIN[i]) { same = false; break; }
    if (same) return m;
  }
  const m = new Uint8Array(SIG_DOMAIN.length + beforeData.length + afterDataBeforeSig.length);
  m.set(SIG_DOMAIN, 0);
  m.set(beforeData, SIG_DOMAIN.length);
  m.set(afterDataBeforeSig, SIG_DOMAIN.length + beforeData.length);
  return m;
}

/** A 32-byte seed from raw bytes or hex text (a key file). */
export function parseSeed(file: Uint8Array): Uint8Array {
  if (file.length === 32) return file.slice();
  const text = new TextDecoder().decode(file).trim();
  const b = fromHex(text);
  if (b && b.length === 32) return b;
  throw new AsxError('bad_key', `a signing key must be a 32-byte Ed25519 seed, raw or 64 hex digits; got ${file.length} bytes`);
}

export function publicKeyOf(seed: Uint8Array): Uint8Array {
  return ed.getPublicKey(seed);
}

export function signMessage(seed: Uint8Array, msg: Uint8Array): Uint8Array {
  return ed.sign(msg, seed);
}

export function verifyMessage(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array): boolean {
  try {
    // RFC 8032 strict verification: noble's default (ZIP-215, cofactored) accepts small-order
    // public keys, so an all-zero SIGNATURE section would "verify" any pack (found by fuzzing).
    return ed.verify(sig, msg, pub, { zip215: false });
  } catch {
    return false;
  }
}

export type NativeEd25519 = (sig: Uint8Array, msg: Uint8Array, pub: Uint8Array) => boolean;

/**
 * Up to this size a backend's native Ed25519 is tried first. Above it the asynchronous path
 * (Web Crypto SHA-512) runs; a pack's signed message is at most a few MB (the 65,535-lane
 * pack at the format limit signs 4.4 MB), and OpenSSL hashing it on this thread took less
 * main-thread time than Web Crypto plus the copies noble makes of it (docs/bench.md §2).
 */
export const NATIVE_MSG_MAX = 1 << 28;

/**
 * A native RFC 8032 verifier (cofactorless: [S]B = R + [k]A, R compared as bytes) accepting,
 * after the core's strict decoding of A and R (canonical, on the curve), A not of small order
 * and S < L, implies the core's check ([8][S]B = [8]R + [8][k]A with the same k) accepts:
 * the same equation times 8. So accepting here never changes a verdict; anything else
 * (native says no, or throws) goes to the core's check.
 */
function nativeAccepts(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array, native: NativeEd25519): boolean {
  try {
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
    if (s >= ED25519_L) return false;
    const A = ed.Point.fromBytes(pub, false);
    ed.Point.fromBytes(sig.subarray(0, 32), false);
    if (A.isSmallOrder()) return false;
    return native(sig, msg, pub) === true;
  } catch {
    return false;
  }
}

/** The order of the Ed25519 base point. */
const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;

/**
 * The same RFC 8032 check with SHA-512 from the platform's Web Crypto (native in browsers,
 * workers and Node), which matters for large packs: the signed message is every byte but
 * DATA. Falls back to the pure-JS hash where `crypto.subtle` is missing.
 */
export async function verifyMessageAsync(sig: Uint8Array, msg: Uint8Array, pub: Uint8Array, native?: NativeEd25519): Promise<boolean> {
  if (native && msg.length <= NATIVE_MSG_MAX && sig.length === 64 && pub.length === 32 && nativeAccepts(sig, msg, pub, native)) return true;
  if (!globalThis.crypto?.subtle) return verifyMessage(sig, msg, pub);
  try {
    return await ed.verifyAsync(sig, msg, pub, { zip215: false });
  } catch {
    return false;
  }
}

/** New random seed from the platform CSPRNG (Web Crypto in browsers, workers and Node). */
export function generateSeed(): Uint8Array {
  return ed.utils.randomSecretKey();
}

/** Short fingerprint of a public key: first 16 hex of sha512(pub), grouped. */
export function keyFingerprint(pub: Uint8Array): string {
  const h = toHex(sha512(pub)).slice(0, 16);
  return h.match(/.{4}/g)!.join(':');
}
