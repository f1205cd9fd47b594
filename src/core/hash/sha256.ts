/**
 * SHA-256 (FIPS 180-4), synchronous and identical in browser, worker and Node.
 *
 * The one-shot and batch functions here are the project's own: one compression function
 * (sha256-unrolled.ts, generated: rounds and schedule in local variables) over pre-allocated
 * state and tail buffers, so hashing many short messages (131-byte
 * lane payloads, 64-byte merkle pairs) costs no allocation per message — per-call overhead,
 * not throughput, dominates those (docs/bench.md). `sha256Stream` stays on @noble/hashes
 * (chunked input of unknown total length). Bytes are identical whichever path runs: tests
 * check all of them against NIST vectors and node:crypto.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { compress, compressKWRolled, compressRolled, PAIR_PADDING_KW } from './sha256-unrolled.ts';

const IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const ST = new Int32Array(8);
/** The last one or two blocks of a message (data tail, 0x80, zeros, bit length). */
const TAIL = new Uint8Array(128);
const TAIL_VIEW = new DataView(TAIL.buffer);

function writeDigest(st: Int32Array, out: Uint8Array, o: number): void {
  for (let i = 0; i < 8; i++, o += 4) {
    const v = st[i];
    out[o] = v >>> 24; out[o + 1] = v >>> 16; out[o + 2] = v >>> 8; out[o + 3] = v;
  }
}

const viewOf = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** sha256(data[off, off+len)) → out[outOff, outOff+32), `dv` a view of all of `data`. */
function hashInto(dv: DataView, data: Uint8Array, off: number, len: number, out: Uint8Array, outOff: number): void {
  ST.set(IV);
  const full = len & ~63;
  for (let p = 0; p < full; p += 64) compress(ST, dv, off + p);
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
  compress(ST, TAIL_VIEW, 0);
  if (end === 128) compress(ST, TAIL_VIEW, 64);
  writeDigest(ST, out, outOff);
}

/** sha256(data[off, off+len)) → out[outOff, outOff+32). No allocation but one DataView. */
export function sha256Into(data: Uint8Array, off: number, len: number, out: Uint8Array, outOff: number): void {
  hashInto(viewOf(data), data, off, len, out, outOff);
}

/**
 * Batch: `count` messages of `len` bytes, message i at data[off + i·stride], digest i to
 * out[outOff + 32·i]. One call for a whole chunk of lane payloads.
 */
export function sha256Batch(data: Uint8Array, off: number, len: number, stride: number, count: number, out: Uint8Array, outOff: number): void {
  if (count <= 0) return;
  const dv = viewOf(data);
  // Every message has the same length, so the same padding: the tail block(s) are laid out
  // once (by the first message) and each further message only copies its last len mod 64
  // bytes over them.
  hashInto(dv, data, off, len, out, outOff);
  const full = len & ~63;
  const rest = len - full;
  const two = rest >= 56;
  for (let i = 1; i < count; i++) {
    const at = off + i * stride;
    ST.set(IV);
    for (let p = 0; p < full; p += 64) compress(ST, dv, at + p);
    for (let k = 0; k < rest; k++) TAIL[k] = data[at + full + k];
    compress(ST, TAIL_VIEW, 0);
    if (two) compress(ST, TAIL_VIEW, 64);
    writeDigest(ST, out, outOff + 32 * i);
  }
}

/**
 * One merkle level: node i = sha256(level[2i] ‖ level[2i+1]) (the last node duplicated on an
 * odd level), `n` 32-byte nodes packed in `level`, ⌈n/2⌉ digests to `out` (may be `level`:
 * node i is written after nodes 2i and 2i+1 are read). The second block of every pair is the
 * same padding block, compressed with its schedule precomputed. Pairs use the rolled
 * compression (quicker to reach optimized code in a fresh process; sha256-gen.ts).
 */
export function sha256PairsLevel(level: Uint8Array, n: number, out: Uint8Array): number {
  const m = (n + 1) >> 1;
  const dv = viewOf(level);
  for (let i = 0; i < m; i++) {
    const l = 64 * i;
    ST.set(IV);
    if (2 * i + 1 < n) compressRolled(ST, dv, l);
    else {
      for (let k = 0; k < 32; k++) TAIL[k] = TAIL[32 + k] = level[l + k];
      compressRolled(ST, TAIL_VIEW, 0);
    }
    compressKWRolled(ST, PAIR_PADDING_KW);
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
