/**
 * The 5 KB lane budget and adaptive dims (packs spec "Adaptive Dims under 5KB v1.0" §1–7,
 * the "Lane Budget Policy 5KB" it names but never defines; laws L-SELECT, L-DIMS,
 * L-EXACT, L-UNBOUNDED).
 *
 * 1. Priority: candidates sort by compareByTier (tier, then UTF-8 id; src/core/pack/tiers.ts).
 * 2. Cap: with LANE_BUDGET = max(0, budget − 800), keep the first L0 = min(N, Lmax) lanes,
 *    Lmax = floor(LANE_BUDGET / lane_cost(dmin)), lane_cost(d) = 3 + 2d + 44, dmin = the
 *    smallest ladder entry (16). That is the largest L for which even the floor dims fits
 *    the spec's estimate, so chooseAdaptiveDims never has to "force" for a capped set.
 * 3. Dims: the spec's chooseAdaptiveDims(L): the largest ladder entry d with
 *    L · lane_cost(d) <= LANE_BUDGET, else the smallest entry (the spec's "force 16").
 * 4. Exact guarantee: the spec's 800-byte reserve does not cover a real DICT (JSON of
 *    ~25-byte ids plus symbols, quotes and commas) with merkle, signature, QSCALE and AUDIT,
 *    so the estimate can overshoot. While exactPackSize(selected, dims(L), pack) > budget,
 *    drop the lowest-priority selected lane (L ← L − 1) and re-choose dims. The spec's dims
 *    formula stays normative; the guard only removes lanes. If even the empty pack exceeds
 *    the budget, that is a bad_input error.
 *
 * Step 4 is computed without the O(N²) one-by-one loop but with the same answer: for a
 * fixed dims the exact size never decreases as lanes are added (every section only grows),
 * and dims(L) is non-increasing in L, so we walk the constant-dims segments of L from the
 * top and binary-search the largest fitting L inside the first segment whose smallest L
 * fits. A test checks it against the naive loop.
 *
 * Unbounded (budget null): every candidate is selected and dims is fixed (default 64); the
 * only limit is the format's 65,535 lanes (too_many_lanes).
 */
import { AsxError } from '../../errors.ts';
import { compareUtf8 } from '../../bytes/utf8.ts';
import { compareByTier } from '../tiers.ts';
import { exactPackSize, MAX_DIMS, MAX_LANES } from '../layout.ts';

export const TOTAL_BUDGET = 5120;
export const RESERVE = 800;
export const INDEX_BOUND = 44;
export const DIMS_LADDER: readonly number[] = [64, 48, 32, 24, 16];
export const DEFAULT_FIXED_DIMS = 64;

/** Pack options that change the byte size (passed to exactPackSize). */
export interface PackSizeOptions {
  qscale: boolean;
  audit: boolean;
  laneAudits: number;
  merkle: boolean;
  signed: boolean;
}

/** Conservative defaults: every optional section present, so the guarantee holds for any writer choice but per-lane audits. */
export const DEFAULT_PACK_OPTIONS: Readonly<PackSizeOptions> = { qscale: true, audit: true, laneAudits: 0, merkle: true, signed: true };

export function laneCost(dims: number): number {
  return 1 + 2 + 2 * dims + INDEX_BOUND;
}

export function laneBudget(totalBudget: number): number {
  return Math.max(0, totalBudget - RESERVE);
}

/** The spec's chooseAdaptiveDims, with the ladder's last entry as the forced floor. */
export function chooseAdaptiveDims(selectedLaneCount: number, ladder: readonly number[] = DIMS_LADDER, totalBudget: number = TOTAL_BUDGET): number {
  const lb = laneBudget(totalBudget);
  for (const d of ladder) if (selectedLaneCount * laneCost(d) <= lb) return d;
  return ladder[ladder.length - 1];
}

/** Lmax = floor(LANE_BUDGET / lane_cost(smallest ladder entry)). */
export function selectionCap(totalBudget: number, ladder: readonly number[] = DIMS_LADDER): number {
  return Math.floor(laneBudget(totalBudget) / laneCost(ladder[ladder.length - 1]));
}

export interface BudgetOptions {
  /** Bytes; null = unbounded. */
  budget: number | null;
  ladder?: readonly number[];
  /** Dims when unbounded (default 64). */
  dims?: number | null;
  pack?: PackSizeOptions;
}

export interface DroppedLane { id: string; reason: 'cap' | 'size' }

export interface BudgetResult {
  /** Selected ids in priority order (tier, then UTF-8). */
  selected: string[];
  dims: number;
  dropped: DroppedLane[];
  /** Lanes kept by the cap (step 2), before the exact guard. */
  capped: number;
  /** dims the spec's formula gives for the capped set (before the guard). */
  estimateDims: number;
  /** exactPackSize of the selected set with `dims`. */
  packBytes: number;
}

export function checkLadder(ladder: readonly number[]): void {
  if (!Array.isArray(ladder) || ladder.length === 0) throw new AsxError('bad_input', 'dimsLadder must be a non-empty array', { path: 'dimsLadder' });
  for (let i = 0; i < ladder.length; i++) {
    const d = ladder[i];
    if (!Number.isInteger(d) || d < 1 || d > MAX_DIMS || (i > 0 && d >= ladder[i - 1])) {
      throw new AsxError('bad_input', `dimsLadder must be strictly descending integers in [1, ${MAX_DIMS}]`, { path: `dimsLadder[${i}]` });
    }
  }
}

export function packSize(ids: readonly string[], dims: number, pack: PackSizeOptions): number {
  return exactPackSize({ ids: [...ids].sort(compareUtf8), dims, ...pack });
}

export function selectLanes(candidates: Iterable<string>, opts: BudgetOptions): BudgetResult {
  const pack = opts.pack ?? DEFAULT_PACK_OPTIONS;
  const ladder = opts.ladder ?? DIMS_LADDER;
  checkLadder(ladder);
  const all = [...candidates];
  if (opts.budget === null && all.length > MAX_LANES) {
    throw new AsxError('too_many_lanes', `${all.length} lanes exceed the format limit of ${MAX_LANES}`);
  }
  const order = all.sort(compareByTier);
  for (let i = 1; i < order.length; i++) {
    if (order[i] === order[i - 1]) throw new AsxError('bad_input', `duplicate lane id ${JSON.stringify(order[i])}`);
  }

  if (opts.budget === null) {
    const dims = opts.dims ?? DEFAULT_FIXED_DIMS;
    if (!Number.isInteger(dims) || dims < 1 || dims > MAX_DIMS) throw new AsxError('bad_input', `dims must be an integer in [1, ${MAX_DIMS}]`, { path: 'dims' });
    return { selected: order, dims, dropped: [], capped: order.length, estimateDims: dims, packBytes: packSize(order, dims, pack) };
  }

  const budget = opts.budget;
  const L0 = Math.min(order.length, selectionCap(budget, ladder), MAX_LANES);
  const dimsOf = (L: number): number => chooseAdaptiveDims(L, ladder, budget);
  const sizeAt = (L: number): number => packSize(order.slice(0, L), dimsOf(L), pack);
  const L = largestFitting(L0, dimsOf, (n) => sizeAt(n) <= budget);
  if (L < 0) {
    throw new AsxError('bad_input', `budget ${budget} is below the smallest possible pack (${sizeAt(0)} bytes with these pack options)`, { path: 'budget' });
  }
  const dropped: DroppedLane[] = [];
  for (let i = L; i < order.length; i++) dropped.push({ id: order[i], reason: i < L0 ? 'size' : 'cap' });
  const selected = order.slice(0, L);
  return { selected, dims: dimsOf(L), dropped, capped: L0, estimateDims: dimsOf(L0), packBytes: sizeAt(L) };
}

/**
 * The largest L in [0, L0] with fits(L), scanning as if from L0 downwards; -1 when none.
 * Requires: dimsOf non-increasing in L, and fits monotone (true-then-false) within each run
 * of equal dimsOf.
 */
export function largestFitting(L0: number, dimsOf: (L: number) => number, fits: (L: number) => boolean): number {
  let hi = L0;
  while (hi >= 0) {
    const d = dimsOf(hi);
    // lo = smallest L in the run of equal dims ending at hi
    let a = 0;
    let b = hi;
    while (a < b) {
      const mid = Math.floor((a + b) / 2);
      if (dimsOf(mid) === d) b = mid; else a = mid + 1;
    }
    const lo = a;
    if (fits(lo)) {
      let x = lo;
      let y = hi; // fits(x) holds; find the largest
      while (x < y) {
        const mid = Math.ceil((x + y) / 2);
        if (fits(mid)) x = mid; else y = mid - 1;
      }
      return x;
    }
    hi = lo - 1;
  }
  return -1;
}
