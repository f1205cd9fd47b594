/**
 * Multi-profile superposition (§12.3). S = Σ wᵢ·sᵢ with Σwᵢ = 1.
 *
 * Laws (docs/laws.md):
 * 1. Input weights (default: equal) must be finite and ≥ 0 with a positive sum; they are
 *    normalized to Σ = 1 first.
 * 2. Interference is decided on the original scalars, for every unordered pair at once:
 *    mᵢ = #{j ≠ i : |sᵢ − sⱼ| > π/2}, then wᵢ ← wᵢ·κ^mᵢ (the rule applied pair by pair;
 *    multiplication commutes, so no order exists to privilege anyone).
 * 3. The adjusted weights are renormalized to Σ = 1 ("wᵢ are normalized weights"). A
 *    consequence: interference that hits every profile equally (e.g. two profiles in
 *    conflict) cancels in the renormalization; it shifts weight only when profiles are
 *    hit unevenly. That is the spec's algebra, stated, not a bug we add.
 * 4. κ ∈ (0, 1), default 0.5.
 * 5. No profile privilege: the result does not depend on the order profiles are given
 *    in. Terms are summed in a canonical order (profile hash, then scalar, then weight),
 *    so even the floating-point rounding is permutation-invariant.
 */
import { AsxError } from '../errors.ts';

export const DEFAULT_KAPPA = 0.5;
export const INTERFERENCE_GAP = Math.PI / 2;

export interface SuperpositionTerm {
  /** Profile name (for display) and hash (canonical order). */
  name: string;
  hash: string;
  scalar: number;
  /** Relative input weight; default 1. */
  weight?: number;
}

export interface SuperpositionResult {
  S: number;
  kappa: number;
  terms: Array<{ name: string; hash: string; scalar: number; inputWeight: number; normalized: number; conflicts: number; factor: number; weight: number; contribution: number }>;
  /** Unordered pairs (by input index) that interfered. */
  conflicts: Array<[number, number]>;
}

export function superpose(terms: SuperpositionTerm[], kappa = DEFAULT_KAPPA): SuperpositionResult {
  if (terms.length === 0) throw new AsxError('bad_input', 'superposition needs at least one profile scalar');
  if (!(kappa > 0 && kappa < 1)) throw new AsxError('bad_input', 'κ must be in (0, 1)', { path: 'kappa' });
  const inW = terms.map((t, i) => {
    const w = t.weight ?? 1;
    if (!Number.isFinite(w) || w < 0) throw new AsxError('bad_input', 'profile weights must be finite and ≥ 0', { path: `profiles[${i}].weight` });
    if (!Number.isFinite(t.scalar)) throw new AsxError('bad_input', 'collapse scalars must be finite', { path: `profiles[${i}].scalar` });
    return w;
  });
  const sumIn = canonicalSum(terms, inW);
  if (!(sumIn > 0)) throw new AsxError('bad_input', 'profile weights sum to zero');
  const norm = inW.map((w) => w / sumIn);
  const m = terms.map(() => 0);
  const conflicts: Array<[number, number]> = [];
  for (let i = 0; i < terms.length; i++) for (let j = i + 1; j < terms.length; j++) {
    if (Math.abs(terms[i].scalar - terms[j].scalar) > INTERFERENCE_GAP) { m[i]++; m[j]++; conflicts.push([i, j]); }
  }
  const adj = norm.map((w, i) => w * kappa ** m[i]);
  const sumAdj = canonicalSum(terms, adj);
  const weights = sumAdj > 0 ? adj.map((w) => w / sumAdj) : adj;
  const contributions = weights.map((w, i) => w * terms[i].scalar);
  const S = canonicalSum(terms, contributions);
  return {
    S,
    kappa,
    conflicts,
    terms: terms.map((t, i) => ({ name: t.name, hash: t.hash, scalar: t.scalar, inputWeight: inW[i], normalized: norm[i], conflicts: m[i], factor: kappa ** m[i], weight: weights[i], contribution: contributions[i] })),
  };
}

function canonicalOrder(terms: SuperpositionTerm[], values: number[]): number[] {
  const idx = terms.map((_, i) => i);
  idx.sort((x, y) => {
    const a = terms[x], b = terms[y];
    if (a.hash !== b.hash) return a.hash < b.hash ? -1 : 1;
    if (a.scalar !== b.scalar) return a.scalar - b.scalar;
    return values[x] - values[y];
  });
  return idx;
}

function canonicalSum(terms: SuperpositionTerm[], values: number[]): number {
  let s = 0;
  for (const i of canonicalOrder(terms, values)) s += values[i];
  return s;
}
