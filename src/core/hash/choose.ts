/**
 * Which SHA-256 backend hashes messages of one length fastest here, decided by timing them
 * (issue 9: "choosing the hashing backend by measurement, not by habit"). Every candidate
 * must give the pure hasher's digests on the sample, or it is not chosen; so the choice
 * changes speed, never bytes (docs/laws.md L-HASH-CHOICE).
 */
import { pureBackend, type HashBackend } from './backend.ts';

export interface HashChoice {
  backend: HashBackend;
  /** Fastest round per candidate, ms for the whole sample (NaN: excluded). */
  ms: Record<string, number>;
  /** Messages × length of the sample. */
  sample: { count: number; length: number };
  excluded: Record<string, string>;
}

export interface ChooseHashOptions {
  /** Timed rounds per candidate after one warm-up (default 3). */
  rounds?: number;
  /** Bytes in the sample (default 256 KiB; at least 2 and at most 256 messages). */
  sampleBytes?: number;
  now?: () => number;
  /** The pure hasher competes too (default true; it is always the reference for the digests). */
  includePure?: boolean;
}

/** A deterministic sample: bytes from a counter through a xorshift (no RNG, same everywhere). */
function sampleBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export async function chooseHashBackend(candidates: readonly HashBackend[], length: number, opts: ChooseHashOptions = {}): Promise<HashChoice> {
  const now = opts.now ?? (() => performance.now());
  const rounds = Math.max(1, opts.rounds ?? 3);
  const count = Math.max(2, Math.min(256, Math.floor((opts.sampleBytes ?? 256 * 1024) / Math.max(1, length))));
  const data = sampleBytes(count * length);
  const want = new Uint8Array(32 * count);
  pureBackend.sha256Batch(data, 0, length, length, count, want, 0);
  const others = candidates.filter((c) => c !== pureBackend);
  const all = opts.includePure === false && others.length ? others : [pureBackend, ...others];
  const ms: Record<string, number> = {};
  const excluded: Record<string, string> = {};
  const out = new Uint8Array(32 * count);
  const live: HashBackend[] = [];
  for (const c of all) {
    try {
      out.fill(0);
      await c.sha256Batch(data, 0, length, length, count, out, 0); // warm-up, and the check
      if (out.some((v, i) => v !== want[i])) { excluded[c.name] = 'digests differ from the pure hasher'; ms[c.name] = NaN; continue; }
      live.push(c);
      ms[c.name] = Infinity;
    } catch (e) {
      excluded[c.name] = e instanceof Error ? e.message : String(e);
      ms[c.name] = NaN;
    }
  }
  // Interleaved rounds, fastest round each: the least disturbed by other work on the machine.
  for (let r = 0; r < rounds; r++) {
    for (const c of live) {
      const t = now();
      await c.sha256Batch(data, 0, length, length, count, out, 0);
      ms[c.name] = Math.min(ms[c.name], now() - t);
    }
  }
  let best = live[0];
  for (const c of live) if (ms[c.name] < ms[best.name]) best = c;
  return { backend: best, ms, sample: { count, length }, excluded };
}
