/**
 * The seeded prompt set of MX2LM-INFER's cross-backend law (docs/laws.md MX2LM-INFER "vectors"):
 * N prompts of 1–4 words drawn from a vocabulary (ids ≥ 3, so never `<unk>`, `<s>`, `</s>`) or
 * the unknown word "zebra", every 7th upper-cased, from sfc32 (gccp/random.ts) seeded 20261203;
 * and the digest every backend must agree on: SHA-256 of the reply bytes each followed by LF,
 * in prompt order. The unit tests, the determinism panel (browser main thread, workers, WebGPU)
 * and the benchmarks use this one module, so "1,000 seeded prompts" is the same set everywhere.
 *
 * Pure: no DOM, no Node.
 */
import { Rng } from '../gccp/random.ts';
import { sha256Stream } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';

export const SEEDED_PROMPT_SEED = 20261203;
export const SEEDED_PROMPT_COUNT = 1000;

/** `n` prompts over `tokens` (a vocabulary whose first three ids are `<unk>`, `<s>`, `</s>`). */
export function seededPrompts(tokens: readonly string[], n = SEEDED_PROMPT_COUNT, seed = SEEDED_PROMPT_SEED): string[] {
  const rng = new Rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const len = 1 + (rng.u32() % 4);
    const w: string[] = [];
    for (let j = 0; j < len; j++) { const r = rng.u32() % (tokens.length - 2); w.push(r === 0 ? 'zebra' : tokens[r + 2]); }
    out.push(i % 7 === 0 ? w.join(' ').toUpperCase() : w.join(' '));
  }
  return out;
}

const LF = new Uint8Array([10]);

/** SHA-256 over replies each + LF, fed one reply at a time (no concatenated copy). */
export class RepliesDigest {
  private readonly h = sha256Stream();
  count = 0;
  add(reply: Uint8Array): void { this.h.update(reply); this.h.update(LF); this.count++; }
  /** Lowercase hex. */
  hex(): string { return toHex(this.h.digest()); }
}
