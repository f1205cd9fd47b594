import { describe, expect, it } from 'vitest';
import { foldLaneWeighted } from './fold.ts';
import { classOffsets, fnv1a32 } from '../classes.ts';
import { exact, p17 } from './testutil.ts';

/** The spec's JS fnv1a32, verbatim: `(h * 0x01000193) >>> 0` rounds a product above 2^53. */
function specJsFnv(str: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = (h * 0x01000193) >>> 0;
  }
  return h >>> 0;
}

describe('L-FNV class offsets', () => {
  it('test vector: FNV-1a 32 of the class names (Python reference) and offsets at dims 64 / 16 / 4', () => {
    expect(['policy', 'attention', 'preset', 'interaction', 'summary', 'other'].map(fnv1a32))
      .toEqual([3468753535, 3828505273, 4111477022, 2050902347, 279201555, 3363671541]);
    expect(classOffsets(64)).toEqual({ policy: 63, attention: 57, preset: 30, interaction: 11, summary: 19, other: 53 });
    expect(classOffsets(16)).toEqual({ policy: 15, attention: 9, preset: 14, interaction: 11, summary: 3, other: 5 });
    expect(classOffsets(4)).toEqual({ policy: 3, attention: 1, preset: 2, interaction: 3, summary: 3, other: 1 });
  });

  it('the spec JS version is not FNV-1a (precision loss beyond 2^53): "policy" → 1829784140, offset 12 at dims 64', () => {
    expect(specJsFnv('policy')).toBe(1829784140);
    expect(specJsFnv('policy')).not.toBe(fnv1a32('policy'));
    expect(fnv1a32('a')).toBe(0xe40c292c); // published FNV-1a 32 test value
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('L-FOLD foldLaneWeighted', () => {
  it('test vector: policy [1,2,3,4,5] at dims 4 (offset 3, w 1.3) → [2.6, 3.9, 5.2, 7.8]', () => {
    // i=0 → slot 3, 1 → 0, 2 → 1, 3 → 2, 4 → 3 (wraps onto the first sample)
    expect(exact(foldLaneWeighted([1, 2, 3, 4, 5], 'policy', 4)))
      .toEqual(p17([2.6000000000000001, 3.9000000000000004, 5.2000000000000002, 7.7999999999999998]));
  });

  it('interaction class (w 0.85, offset 3) and the policy-prefix rule', () => {
    expect(exact(foldLaneWeighted([1, 2, 3], 'v@t0__x__w@t0', 4))).toEqual(p17([1.7, 2.5499999999999998, 0, 0.84999999999999998]));
    // "policy@t0__x__attention@t0" starts with "policy": first match wins → class policy (w 1.3)
    expect(exact(foldLaneWeighted([1, 2, 3], 'policy@t0__x__attention@t0', 4))).toEqual(p17([2.6, 3.9000000000000004, 0, 1.3]));
  });

  it('L-F64: folding is binary64 (0.1 · 1.3 = 0.13000000000000000, not the f32 0.12999999523162842)', () => {
    const v = foldLaneWeighted([0.1], 'policy', 4);
    expect(exact(v)).toEqual(p17([0, 0, 0, 0.13]));
    expect(v[3]).not.toBe(Math.fround(Math.fround(0.1) * Math.fround(1.3)));
  });

  it('empty stream folds to zeros; dims must be a positive integer', () => {
    expect(Array.from(foldLaneWeighted([], 'x', 3))).toEqual([0, 0, 0]);
    expect(() => foldLaneWeighted([1], 'x', 0)).toThrow(/dims/);
  });
});
