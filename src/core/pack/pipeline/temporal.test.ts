import { describe, expect, it } from 'vitest';
import { expandTemporalLanes, windowBounds } from './temporal.ts';
import { lanes } from './testutil.ts';
import { isAsxError } from '../../errors.ts';

describe('L-WINDOWS expandTemporalLanes', () => {
  it('test vector: n = 10, K = 4 → sizes 3, 3, 2, 2 (first r windows take the remainder)', () => {
    const out = expandTemporalLanes(lanes({ policy: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }));
    expect([...out.keys()]).toEqual(['policy', 'policy@t0', 'policy@t1', 'policy@t2', 'policy@t3']);
    expect(Array.from(out.get('policy@t0')!)).toEqual([1, 2, 3]);
    expect(Array.from(out.get('policy@t1')!)).toEqual([4, 5, 6]);
    expect(Array.from(out.get('policy@t2')!)).toEqual([7, 8]);
    expect(Array.from(out.get('policy@t3')!)).toEqual([9, 10]);
  });

  it('streams shorter than K give one-sample windows t0..t(n-1) and no empty lanes', () => {
    expect(windowBounds(2, 4)).toEqual([[0, 1], [1, 2]]);
    const out = expandTemporalLanes(lanes({ v: [5, 9] }));
    expect([...out.keys()]).toEqual(['v', 'v@t0', 'v@t1']);
    expect(windowBounds(1, 4)).toEqual([[0, 1]]);
    expect(windowBounds(0, 4)).toEqual([]);
  });

  it('n divisible by K gives equal windows; K = 1 gives one window equal to the stream', () => {
    expect(windowBounds(8, 4)).toEqual([[0, 2], [2, 4], [4, 6], [6, 8]]);
    expect(windowBounds(5, 1)).toEqual([[0, 5]]);
  });

  it('covers every sample exactly once, in order, for many n and K', () => {
    for (let K = 1; K <= 16; K++) {
      for (let n = 0; n <= 40; n++) {
        const b = windowBounds(n, K);
        expect(b.length).toBe(Math.min(n, K));
        let pos = 0;
        for (const [s, e] of b) {
          expect(s).toBe(pos);
          expect(e - s).toBeGreaterThan(0);
          pos = e;
        }
        expect(pos).toBe(n);
        const sizes = b.map(([s, e]) => e - s);
        if (n > 0) expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('leaves non-base ids (with @ or __x__) untouched and does not window them', () => {
    const out = expandTemporalLanes(lanes({ 'a@t0': [1, 2, 3, 4], 'a__x__b': [1, 2, 3, 4], Policy2: [1] }));
    expect([...out.keys()]).toEqual(['a@t0', 'a__x__b', 'Policy2', 'Policy2@t0']);
  });

  it('is pure: the input map is not modified and windows are copies', () => {
    const inp = lanes({ p: [1, 2, 3, 4] });
    const out = expandTemporalLanes(inp);
    expect(inp.size).toBe(1);
    out.get('p@t0')![0] = 99;
    expect(inp.get('p')![0]).toBe(1);
  });

  it('rejects a bad K with a typed error', () => {
    for (const K of [0, 17, 1.5, NaN]) {
      try {
        expandTemporalLanes(lanes({ p: [1] }), K);
        expect.unreachable();
      } catch (e) {
        expect(isAsxError(e) && e.code).toBe('bad_input');
      }
    }
  });
});
