import { describe, expect, it } from 'vitest';
import { emitSemanticPresets } from './presets.ts';
import { expandTemporalLanes } from './temporal.ts';
import { exact, lanes, p17 } from './testutil.ts';

const run = (obj: Record<string, number[]>, K = 4) => emitSemanticPresets(expandTemporalLanes(lanes(obj), K));

describe('L-PRESETS emitSemanticPresets', () => {
  it('test vector: [1..8], K = 4 → early [1,2], mid mean(t1,t2) = [4,5], late [7,8]', () => {
    const out = run({ policy: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(exact(out.get('policy@early'))).toEqual(p17([1, 2]));
    expect(exact(out.get('policy@mid'))).toEqual(p17([4, 5]));
    expect(exact(out.get('policy@late'))).toEqual(p17([7, 8]));
    expect([...out.keys()].slice(-3)).toEqual(['policy@early', 'policy@mid', 'policy@late']);
  });

  it('m = 2 windows (stream [5, 9]): early [5], mid [7], late [9]', () => {
    const out = run({ v: [5, 9] });
    expect([...out.keys()]).toEqual(['v', 'v@t0', 'v@t1', 'v@early', 'v@mid', 'v@late']);
    expect(exact(out.get('v@mid'))).toEqual(p17([7]));
  });

  it('m = 1 window: all three presets equal the only window', () => {
    const out = run({ v: [3] });
    for (const p of ['early', 'mid', 'late']) expect(Array.from(out.get(`v@${p}`)!)).toEqual([3]);
  });

  it('mid aligns to the shortest interior window (n = 10 → interior windows 3 and 2 samples)', () => {
    const out = run({ p: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] });
    expect(Array.from(out.get('p@mid')!)).toEqual([5.5, 6.5]); // mean([4,5,6],[7,8]) over 2
    expect(Array.from(out.get('p@early')!)).toEqual([1, 2, 3]);
  });

  it('K = 6: mid = mean of t1..t4', () => {
    const out = run({ p: [0, 1, 2, 3, 4, 5] }, 6);
    expect(Array.from(out.get('p@mid')!)).toEqual([2.5]);
  });

  it('copies: mutating a preset does not touch its window', () => {
    const out = run({ p: [1, 2, 3, 4] });
    out.get('p@early')![0] = 42;
    expect(out.get('p@t0')![0]).toBe(1);
  });
});
