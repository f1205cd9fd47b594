/**
 * SHA-256 (FIPS 180-4), synchronous and identical in browser, worker and Node.
 *
 * The one-shot and batch functions here are the project's own: one compression function over
 * pre-allocated state, schedule and tail buffers, so hashing many short messages (131-byte
 * lane payloads, 64-byte merkle pairs) costs no allocation per message — per-call overhead,
 * not throughput, dominates those (docs/bench.md). `sha256Stream` stays on @noble/hashes
 * (chunked input of unknown total length). Bytes are identical whichever path runs: tests
 * check all of them against NIST vectors and node:crypto.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const ST = new Int32Array(8);
const W = new Int32Array(64);
/** The last one or two blocks of a message (data tail, 0x80, zeros, bit length). */
const TAIL = new Uint8Array(128);

/** Message schedule of words w[0..15] already in W → W[16..63]. */
function expand(w: Int32Array): void {
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15], y = w[t - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
  }
}

/** 64 rounds over the schedule `w`. */
function rounds(st: Int32Array, w: Int32Array): void {
  let a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  st[0] = (st[0] + a) | 0; st[1] = (st[1] + b) | 0; st[2] = (st[2] + c) | 0; st[3] = (st[3] + d) | 0;
  st[4] = (st[4] + e) | 0; st[5] = (st[5] + f) | 0; st[6] = (st[6] + g) | 0; st[7] = (st[7] + h) | 0;
}

/** 64 rounds over a schedule with K already added. */
function roundsKW(st: Int32Array, w: Int32Array): void {
  let a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
  for (let t = 0; t < 64; t++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + w[t]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  st[0] = (st[0] + a) | 0; st[1] = (st[1] + b) | 0; st[2] = (st[2] + c) | 0; st[3] = (st[3] + d) | 0;
  st[4] = (st[4] + e) | 0; st[5] = (st[5] + f) | 0; st[6] = (st[6] + g) | 0; st[7] = (st[7] + h) | 0;
}

/** Compress the 64-byte block at b[p]. */
function block(st: Int32Array, b: Uint8Array, p: number): void {
  for (let t = 0; t < 16; t++, p += 4) W[t] = (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
  expand(W);
  rounds(st, W);
}

function writeDigest(st: Int32Array, out: Uint8Array, o: number): void {
  for (let i = 0; i < 8; i++, o += 4) {
    const v = st[i];
    out[o] = v >>> 24; out[o + 1] = v >>> 16; out[o + 2] = v >>> 8; out[o + 3] = v;
  }
}

/** sha256(data[off, off+len)) → out[outOff, outOff+32). No allocation. */
export function sha256Into(data: Uint8Array, off: number, len: number, out: Uint8Array, outOff: number): void {
  ST.set(IV);
  const full = len & ~63;
  for (let p = 0; p < full; p += 64) block(ST, data, off + p);
  const rest = len - full;
  TAIL.fill(0);
  for (let i = 0; i < rest; i++) TAIL[i] = data[off + full + i];
  TAIL[rest] = 0x80;
  const end = rest < 56 ? 64 : 128;
  // Bit length, big-endian, in the last 8 bytes (messages here are < 2^53 bits).
  const bits = len * 8;
  const hi = Math.floor(bits / 0x100000000);
  TAIL[end - 8] = hi >>> 24; TAIL[end - 7] = hi >>> 16; TAIL[end - 6] = hi >>> 8; TAIL[end - 5] = hi;
  TAIL[end - 4] = bits >>> 24; TAIL[end - 3] = bits >>> 16; TAIL[end - 2] = bits >>> 8; TAIL[end - 1] = bits;
  block(ST, TAIL, 0);
  if (end === 128) block(ST, TAIL, 64);
  writeDigest(ST, out, outOff);
}

/**
 * Batch: `count` messages of `len` bytes, message i at data[off + i·stride], digest i to
 * out[outOff + 32·i]. One call for a whole chunk of lane payloads.
 */
export function sha256Batch(data: Uint8Array, off: number, len: number, stride: number, count: number, out: Uint8Array, outOff: number): void {
  for (let i = 0; i < count; i++) sha256Into(data, off + i * stride, len, out, outOff + 32 * i);
}

/** K + schedule of the constant second block of every 64-byte message (merkle node). */
const PAIR_KW = (() => {
  const w = new Int32Array(64);
  w[0] = 0x80000000 | 0;
  w[15] = 512;
  expand(w);
  for (let t = 0; t < 64; t++) w[t] = (w[t] + K[t]) | 0;
  return w;
})();

/**
 * One merkle level: node i = sha256(level[2i] ‖ level[2i+1]) (the last node duplicated on an
 * odd level), `n` 32-byte nodes packed in `level`, ⌈n/2⌉ digests to `out` (may be `level`:
 * node i is written after nodes 2i and 2i+1 are read).
 */
export function sha256PairsLevel(level: Uint8Array, n: number, out: Uint8Array): number {
  const m = (n + 1) >> 1;
  for (let i = 0; i < m; i++) {
    const l = 64 * i;
    const r = 2 * i + 1 < n ? l + 32 : l;
    ST.set(IV);
    for (let t = 0; t < 8; t++) { const p = l + 4 * t; W[t] = (level[p] << 24) | (level[p + 1] << 16) | (level[p + 2] << 8) | level[p + 3]; }
    for (let t = 0; t < 8; t++) { const p = r + 4 * t; W[8 + t] = (level[p] << 24) | (level[p + 1] << 16) | (level[p + 2] << 8) | level[p + 3]; }
    expand(W);
    rounds(ST, W);
    roundsKW(ST, PAIR_KW);
    writeDigest(ST, out, 32 * i);
  }
  return m;
}

/** Merkle root over `n` leaf hashes packed 32 bytes each (addendum 5); null for none. */
export function merkleRootFlat(leaves: Uint8Array, n: number): Uint8Array | null {
  if (n === 0) return null;
  if (n === 1) return leaves.slice(0, 32);
  const buf = new Uint8Array(32 * ((n + 1) >> 1));
  let m = sha256PairsLevel(leaves, n, buf);
  while (m > 1) m = sha256PairsLevel(buf, m, buf);
  return buf.slice(0, 32);
}

export function sha256(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  sha256Into(data, 0, data.length, out, 0);
  return out;
}

/** Incremental hashing for large inputs read in chunks. */
export function sha256Stream(): { update(b: Uint8Array): void; digest(): Uint8Array } {
  const h = nobleSha256.create();
  return { update: (b) => { h.update(b); }, digest: () => h.digest() };
}

/** sha256(left || right) for merkle nodes (addendum 5). */
export function sha256Pair(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length === 32 && right.length === 32) {
    const lv = new Uint8Array(64);
    lv.set(left, 0); lv.set(right, 32);
    const out = new Uint8Array(32);
    sha256PairsLevel(lv, 2, out);
    return out;
  }
  const h = nobleSha256.create();
  h.update(left);
  h.update(right);
  return h.digest();
}
