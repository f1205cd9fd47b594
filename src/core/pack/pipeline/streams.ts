/**
 * Shared vocabulary of the lane emission pipeline (docs/laws.md "Lane pipeline laws").
 *
 * A lane set is a `Map<id, Float64Array>`: a Map (not a plain object) so ids such as
 * `__proto__` are inert and the emission order is explicit. All arithmetic is IEEE-754
 * binary64 (f64). The packs spec folds into a `Float32Array` in its JS reference but into
 * Python floats (f64) in its Python reference; we choose f64 everywhere (law L-F64) so the
 * only rounding to a narrower type is the writer's int16 quantization.
 */
import { AsxError } from '../../errors.ts';

export type LaneStreams = ReadonlyMap<string, Float64Array>;

/** Default interaction bases (packs spec "Interaction Matrix 4×4 v1.0" §5). */
export const DEFAULT_A = 'policy';
export const DEFAULT_B = 'attention';

/** Interaction operator's JSON-safe encoding (packs spec "Interaction Matrix 4×4" §2). */
export const X = '__x__';

/**
 * A base stream id has no `@` and no `__x__` (tier 0 of src/core/pack/tiers.ts). Only base
 * streams are split into windows and combined into decay/preset lanes.
 */
export function isBaseId(id: string): boolean {
  return !id.includes('@') && !id.includes(X);
}

/**
 * clamp01 of the spec's interaction operator. Written so that NaN and -0 both map to +0:
 * `tanh(-0) = -0` would otherwise survive as a negative zero (law L-CLAMP01).
 */
export function clamp01(x: number): number {
  return x > 0 ? (x < 1 ? x : 1) : 0;
}

/** Window id `<base>@t<k>` (k in canonical decimal, no leading zeros). */
export function windowId(base: string, k: number): string {
  return `${base}@t${k}`;
}

/** The consecutive windows `<base>@t0, @t1, …` present in `streams`, stopping at the first gap. */
export function windowsOf(streams: LaneStreams, base: string): Float64Array[] {
  const out: Float64Array[] = [];
  for (let k = 0; ; k++) {
    const s = streams.get(windowId(base, k));
    if (s === undefined) return out;
    out.push(s);
  }
}

/** Length every index-aligned combination uses: the minimum length of its inputs. */
export function alignedLength(streams: readonly Float64Array[]): number {
  let n = Infinity;
  for (const s of streams) n = Math.min(n, s.length);
  return streams.length === 0 ? 0 : n;
}

/**
 * Index-wise arithmetic mean of `streams` over the aligned length: for each k the sum runs
 * over the streams in the given order, then divides by their count (f64; the order is part
 * of the law because f64 addition is not associative). Returns null when the aligned length
 * is 0 (the spec's "do not emit").
 */
export function meanAligned(streams: readonly Float64Array[]): Float64Array | null {
  const n = alignedLength(streams);
  if (n <= 0) return null;
  const acc = new Float64Array(n);
  for (const s of streams) for (let k = 0; k < n; k++) acc[k] += s[k];
  const m = streams.length;
  for (let k = 0; k < n; k++) acc[k] = acc[k] / m;
  return acc;
}

export function requireInt(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new AsxError('bad_input', `${name} must be an integer in [${lo}, ${hi}], got ${String(v)}`, { path: name });
  }
}
