import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  chooseAdaptiveDims, DEFAULT_PACK_OPTIONS, DIMS_LADDER, laneCost, largestFitting, packSize, selectionCap, selectLanes,
  type PackSizeOptions,
} from './budget.ts';
import { compareByTier } from '../tiers.ts';
import { exactPackSize } from '../layout.ts';
import { compareUtf8 } from '../../bytes/utf8.ts';
import { isAsxError } from '../../errors.ts';

/** The one-lane-at-a-time loop the law states; budget.ts must give the same answer. */
function naive(ids: string[], budget: number, pack: PackSizeOptions, ladder: readonly number[] = DIMS_LADDER) {
  const order = [...ids].sort(compareByTier);
  for (let L = Math.min(order.length, selectionCap(budget, ladder)); L >= 0; L--) {
    const dims = chooseAdaptiveDims(L, ladder, budget);
    if (packSize(order.slice(0, L), dims, pack) <= budget) return { selected: order.slice(0, L), dims };
  }
  return null;
}

const laneIdArb = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9_.-]{1,12}$/).filter((s) => !s.includes('__x__')),
  fc.tuple(fc.constantFrom('policy', 'attention', 'v', 'Q9'), fc.constantFrom('@t0', '@t1', '@t12', '@t*', '@early', '@mid', '@late')).map(([a, b]) => a + b),
  fc.tuple(fc.constantFrom('policy', 'p'), fc.nat(5), fc.constantFrom('attention', 'a'), fc.nat(5)).map(([a, i, b, j]) => `${a}@t${i}__x__${b}@t${j}`),
  fc.tuple(fc.constantFrom('policy', 'p'), fc.nat(5)).map(([a, i]) => `${a}@t${i}__x__attention@row`),
  fc.string({ minLength: 1, maxLength: 30 }),
);
const packArb = fc.record({ qscale: fc.boolean(), audit: fc.boolean(), laneAudits: fc.nat(12), merkle: fc.boolean(), signed: fc.boolean() });

describe('L-DIMS chooseAdaptiveDims (spec formula, LANE_BUDGET 4320)', () => {
  it('test vector: exact cutoffs ≤24 → 64, 25–30 → 48, 31–38 → 32, 39–45 → 24, 46–54 → 16, ≥55 forced 16', () => {
    const got = Array.from({ length: 61 }, (_, L) => chooseAdaptiveDims(L));
    const want = Array.from({ length: 61 }, (_, L) => (L <= 24 ? 64 : L <= 30 ? 48 : L <= 38 ? 32 : L <= 45 ? 24 : 16));
    expect(got).toEqual(want);
    expect([laneCost(64), laneCost(48), laneCost(32), laneCost(24), laneCost(16)]).toEqual([175, 143, 111, 95, 79]);
  });

  it('non-increasing in L; a custom ladder forces its last entry', () => {
    for (let L = 1; L < 200; L++) expect(chooseAdaptiveDims(L)).toBeLessThanOrEqual(chooseAdaptiveDims(L - 1));
    expect(chooseAdaptiveDims(1000, [40, 20])).toBe(20);
    expect(chooseAdaptiveDims(0, [40, 20])).toBe(40);
  });
});

describe('L-SELECT cap', () => {
  it('test vector: Lmax = floor((budget − 800) / 79): 5120 → 54, 879 → 1, 878 → 0, 0 → 0', () => {
    expect(selectionCap(5120)).toBe(54);
    expect(selectionCap(879)).toBe(1);
    expect(selectionCap(878)).toBe(0);
    expect(selectionCap(0)).toBe(0);
  });

  it('selects by tier then UTF-8 id and reports the rest as cap drops', () => {
    const ids = Array.from({ length: 60 }, (_, i) => `b${String(i).padStart(2, '0')}`);
    const r = selectLanes([...ids, 'z@t0'], { budget: 100000 });
    expect(r.selected.length).toBe(61);
    const small = selectLanes([...ids].reverse().concat(['a@t0', 'Z']), { budget: 2000 }); // cap 15
    expect(small.capped).toBe(15);
    expect(small.selected[0]).toBe('Z'); // base tier first, 'Z' < 'b..' in UTF-8
    expect(small.dropped.at(-1)).toEqual({ id: 'a@t0', reason: 'cap' }); // window tier comes after every base
  });
});

describe('L-EXACT guarantee', () => {
  it('largestFitting equals the one-at-a-time loop (random inputs)', () => {
    fc.assert(fc.property(fc.uniqueArray(laneIdArb, { maxLength: 90 }), fc.integer({ min: 219, max: 16000 }), packArb, (ids, budget, pack) => {
      let r;
      try {
        r = selectLanes(ids, { budget, pack });
      } catch (e) {
        expect(isAsxError(e) && e.code).toBe('bad_input');
        expect(naive(ids, budget, pack)).toBeNull();
        return;
      }
      const n = naive(ids, budget, pack)!;
      expect(r.selected).toEqual(n.selected);
      expect(r.dims).toBe(n.dims);
      expect(r.packBytes).toBe(exactPackSize({ ids: [...r.selected].sort(compareUtf8), dims: r.dims, ...pack }));
      expect(r.packBytes).toBeLessThanOrEqual(budget);
      expect(r.selected.length + r.dropped.length).toBe(ids.length);
    }), { numRuns: 400 });
  });

  it('largestFitting scans segments of equal dims from the top', () => {
    // dims 2 for L <= 3, 1 above; fits: dims-2 run fits up to L = 2, dims-1 run never fits
    const dimsOf = (L: number) => (L <= 3 ? 2 : 1);
    expect(largestFitting(6, dimsOf, (L) => (dimsOf(L) === 2 ? L <= 2 : false))).toBe(2);
    expect(largestFitting(6, dimsOf, (L) => L <= 5)).toBe(5);
    expect(largestFitting(6, dimsOf, () => false)).toBe(-1);
  });

  it('packSize is the writer layout: header, DICT JSON, INDEX, DATA, QSCALE, AUDIT, MERKLE, SIGNATURE', () => {
    const at = packSize(['c', 'a', 'b'], 64, DEFAULT_PACK_OPTIONS);
    expect(at).toBe(36 + '{"@0":"a","@1":"b","@2":"c"}'.length + 3 * (1 + 2 + 4 + 4 + 32) + 3 * 131 + 24 + 61 + 32 + 96);
  });

  it('budget below the empty pack is a typed error', () => {
    expect(() => selectLanes(['a'], { budget: 218 })).toThrow(/smallest possible pack \(219 bytes/);
    expect(selectLanes(['a'], { budget: 219 }).selected).toEqual([]);
    expect(selectLanes(['a'], { budget: 219, pack: { qscale: false, audit: false, laneAudits: 0, merkle: false, signed: false } }).packBytes).toBe(38);
  });

  it('duplicate ids are rejected', () => {
    expect(() => selectLanes(['a', 'a'], { budget: 5120 })).toThrow(/duplicate/);
  });
});

describe('L-UNBOUNDED', () => {
  it('budget null keeps every lane at dims 64 (or the fixed dims)', () => {
    const r = selectLanes(['b', 'a@t0', 'a'], { budget: null });
    expect(r.selected).toEqual(['a', 'b', 'a@t0']);
    expect(r.dims).toBe(64);
    expect(selectLanes(['a'], { budget: null, dims: 7 }).dims).toBe(7);
  });

  it('65,535 lanes are allowed, 65,536 are too_many_lanes', () => {
    const ids = Array.from({ length: 65535 }, (_, i) => `l${i}`);
    const r = selectLanes(ids, { budget: null, dims: 1 });
    expect(r.selected.length).toBe(65535);
    try {
      selectLanes([...ids, 'extra'], { budget: null });
      expect.unreachable();
    } catch (e) {
      expect(isAsxError(e) && e.code).toBe('too_many_lanes');
    }
  });
});
