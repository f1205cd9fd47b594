import { describe, expect, it } from 'vitest';
import { combineDecay, decayWeights, emitCombinedTemporalLanesDecay } from './decay.ts';
import { expandTemporalLanes } from './temporal.ts';
import { exact, lanes, p17 } from './testutil.ts';

describe('L-DECAY emitCombinedTemporalLanesDecay', () => {
  it('weights: newest window 1, each older one r times the next', () => {
    expect(decayWeights(4, 0.5)).toEqual([0.125, 0.25, 0.5, 1]);
    expect(decayWeights(1, 0.5)).toEqual([1]);
    expect(decayWeights(3, 1)).toEqual([1, 1, 1]);
  });

  it('test vector: [1..8], K = 4, r = 0.5 → [5.5333333333333332, 6.5333333333333332]', () => {
    const out = emitCombinedTemporalLanesDecay(expandTemporalLanes(lanes({ policy: [1, 2, 3, 4, 5, 6, 7, 8] })));
    // (0.125·1 + 0.25·3 + 0.5·5 + 1·7) / 1.875 and (0.125·2 + 0.25·4 + 0.5·6 + 1·8) / 1.875
    expect(exact(out.get('policy@t*'))).toEqual(p17([5.5333333333333332, 6.5333333333333332]));
    expect([...out.keys()].at(-1)).toBe('policy@t*');
  });

  it('test vector: r = 0.3 → [6.2081863091037404, 7.2081863091037404]', () => {
    const out = emitCombinedTemporalLanesDecay(expandTemporalLanes(lanes({ policy: [1, 2, 3, 4, 5, 6, 7, 8] })), 0.3);
    expect(exact(out.get('policy@t*'))).toEqual(p17([6.2081863091037404, 7.2081863091037404]));
  });

  it('aligns by index over the shortest window (n = 10: windows 3,3,2,2 → length 2)', () => {
    const out = emitCombinedTemporalLanesDecay(expandTemporalLanes(lanes({ p: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] })));
    expect(out.get('p@t*')!.length).toBe(2);
  });

  it('r = 1 is the plain mean; a constant stream stays constant for any r', () => {
    expect(Array.from(combineDecay([Float64Array.from([1]), Float64Array.from([3])], 1)!)).toEqual([2]);
    for (const r of [0.01, 0.3, 0.5, 0.99, 1]) {
      const out = emitCombinedTemporalLanesDecay(expandTemporalLanes(lanes({ c: [0.25, 0.25, 0.25, 0.25, 0.25] })), r);
      for (const x of out.get('c@t*')!) expect(x).toBeCloseTo(0.25, 15);
    }
  });

  it('a base without windows gets no decay lane; non-base lanes are ignored', () => {
    const out = emitCombinedTemporalLanesDecay(lanes({ p: [1, 2], 'q@t0': [1] }));
    expect([...out.keys()]).toEqual(['p', 'q@t0']);
  });

  it('rejects r outside (0, 1]', () => {
    for (const r of [0, -0.5, 1.5, NaN]) expect(() => emitCombinedTemporalLanesDecay(new Map(), r)).toThrow(/decay/);
  });
});
