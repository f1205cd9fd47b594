/**
 * Fuzz suite for the §2 quantization record reader (docs/laws.md F-QREC), in the style of
 * src/core/tensors/safetensors.fuzz.test.ts.
 *
 *   FUZZ_CASES=100000 npx vitest run --config vitest.fuzz.config.ts src/core/fold
 *   FUZZ_SEED=0x1234 …        another deterministic stream (FUZZ_SEED=random picks one)
 *   FUZZ_CASE=4711 …          replay one case verbosely
 *
 * Seeds are writer records of every form (scalar, zero-size, 1-d lengths around the packing
 * boundaries, 3-d). Each case stacks 1–3 mutations (bit flips, interesting bytes, u32 shape lies,
 * rank/form/version bytes, truncation, appends, splices) and, half the time, re-seals the hash at
 * the seed's hash position so the mutation reaches the checks behind the hash.
 *
 * Oracles: decodeQRecord either succeeds, and then the record re-encodes to exactly the input
 * bytes (one record, one byte string), or throws an AsxError with a record code and a byte offset
 * in [0, length]; never another exception. A case never takes long (no allocation on an
 * unchecked length).
 */
import { describe, expect, it } from 'vitest';
import { AsxError } from '../errors.ts';
import { toHex } from '../bytes/hex.ts';
import { sha256 } from '../hash/sha256.ts';
import { FuzzRng } from '../testing/fuzz-rng.ts';
import { decodeQRecord, encodeQRecord, encodeTensorRecord, numelOf, QFORMS } from './qrecord.ts';

const CASES = Math.max(1, Number(process.env.FUZZ_CASES ?? 3000));
const SEED = process.env.FUZZ_SEED === 'random' ? (Math.random() * 2 ** 32) >>> 0 : Number(process.env.FUZZ_SEED ?? 0x51ec0de) >>> 0;
const ONE = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);
const CODES = new Set(['bad_magic', 'bad_version', 'truncated', 'bad_qrecord', 'hash_mismatch']);

function seeds(): Uint8Array[] {
  const rng = new FuzzRng(SEED, -1);
  const shapes: number[][] = [[], [0], [1], [3], [4], [5], [7], [8], [9], [17], [2, 3], [2, 0, 3], [2, 3, 4]];
  const out: Uint8Array[] = [];
  for (const form of QFORMS) {
    for (const shape of shapes) {
      const n = numelOf(shape);
      const v = new Float32Array(n);
      for (let i = 0; i < n; i++) v[i] = (rng.int(2001) - 1000) / 100;
      out.push(encodeTensorRecord(v, shape, form));
    }
  }
  return out;
}

const INTERESTING = [0, 1, 2, 3, 4, 5, 16, 17, 31, 32, 33, 0x7f, 0x80, 0xc0, 0xfe, 0xff];

function mutate(rng: FuzzRng, src: Uint8Array, log: string[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(src);
  const k = rng.range(1, 3);
  for (let j = 0; j < k; j++) {
    const at = b.length ? rng.int(b.length) : 0;
    switch (rng.int(9)) {
      case 0: if (b.length) { b[at] ^= 1 << rng.int(8); log.push(`flip ${at}`); } break;
      case 1: if (b.length) { b[at] = rng.pick(INTERESTING); log.push(`set ${at}=${b[at]}`); } break;
      case 2: { // header byte (version, form, rank, reserved)
        const h = 4 + rng.int(4);
        if (h < b.length) { b[h] = rng.pick(INTERESTING); log.push(`header ${h}=${b[h]}`); }
        break;
      }
      case 3: { // u32 shape lie
        const r = b.length > 6 ? b[6] : 0;
        if (r > 0 && r <= 16 && b.length >= 8 + 4 * r) {
          const d = 8 + 4 * rng.int(r);
          const val = rng.pick([0, 1, 2, 255, 256, 65536, 0x7fffffff, 0xffffffff, rng.u32()]);
          new DataView(b.buffer).setUint32(d, val >>> 0, true);
          log.push(`dim@${d}=${val >>> 0}`);
        }
        break;
      }
      case 4: { const n = rng.int(b.length + 1); b = b.slice(0, n); log.push(`cut ${n}`); break; }
      case 5: { const extra = rng.bytes(rng.range(1, 40)); const c = new Uint8Array(b.length + extra.length); c.set(b); c.set(extra, b.length); b = c; log.push(`append ${extra.length}`); break; }
      case 6: { // delete a span
        const n = rng.range(1, 8); const tail = b.subarray(Math.min(b.length, at + n));
        const c = new Uint8Array(at + tail.length); c.set(b.subarray(0, at)); c.set(tail, at); b = c; log.push(`delete ${at}+${n}`); break;
      }
      case 7: { // insert bytes
        const ins = rng.bytes(rng.range(1, 8)); const c = new Uint8Array(b.length + ins.length);
        c.set(b.subarray(0, at)); c.set(ins, at); c.set(b.subarray(at), at + ins.length); b = c; log.push(`insert ${at}+${ins.length}`); break;
      }
      default: { b = rng.bytes(rng.int(64)); if (rng.chance(0.5) && b.length >= 4) b.set([0x53, 0x51, 0x32, 0x52]); log.push(`random ${b.length}`); }
    }
  }
  if (rng.chance(0.5)) {
    const hashAt = src.length - 33;
    if (b.length >= hashAt + 33) { b.set(sha256(b.subarray(0, hashAt)), hashAt + 1); log.push('reseal'); }
  }
  return b;
}

describe(`quantization record fuzz (${CASES} cases, seed 0x${SEED.toString(16)})`, () => {
  it('accepts canonical records only and refuses everything else with typed errors', () => {
    const S = seeds();
    let accepted = 0, slowest = 0, slowCase = -1;
    const counts: Record<string, number> = {};
    const from = ONE ?? 0, to = ONE === undefined ? CASES : ONE + 1;
    for (let i = from; i < to; i++) {
      const rng = new FuzzRng(SEED, i);
      const log: string[] = [];
      const seed = S[rng.int(S.length)];
      const b = mutate(rng, seed, log);
      if (ONE !== undefined) console.log(`case ${i}: ${log.join(', ')}\n${toHex(b)}`);
      const t0 = performance.now();
      try {
        const { record } = decodeQRecord(b);
        accepted++;
        expect(encodeQRecord(record), `case ${i}: ${log.join(', ')}`).toEqual(b);
      } catch (e) {
        if (!(e instanceof AsxError)) throw new Error(`case ${i} (${log.join(', ')}): untyped ${String(e)}`);
        if (!CODES.has(e.code)) throw new Error(`case ${i}: unexpected code ${e.code}`);
        const off = e.where.offset;
        if (off === undefined || off < 0 || off > b.length) throw new Error(`case ${i}: offset ${off} outside [0, ${b.length}]`);
        counts[e.code] = (counts[e.code] ?? 0) + 1;
      }
      const dt = performance.now() - t0;
      if (dt > slowest) { slowest = dt; slowCase = i; }
    }
    console.log(`qrecord fuzz: ${to - from} cases, ${accepted} accepted, ${JSON.stringify(counts)}, slowest case ${slowCase} ${slowest.toFixed(2)} ms`);
    // The slowest case replayed alone must be fast (no work on unchecked lengths).
    if (slowCase >= 0 && ONE === undefined) {
      const rng = new FuzzRng(SEED, slowCase);
      const b = mutate(rng, S[rng.int(S.length)], []);
      const t0 = performance.now();
      try { decodeQRecord(b); } catch { /* typed, checked above */ }
      expect(performance.now() - t0).toBeLessThan(50);
    }
  });
});
