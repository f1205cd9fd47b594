import { describe, expect, it } from 'vitest';
import { emitInteractionMatrix4x4, emitInteractionUpperTri10, emitPresetInteractions, interact } from './interactions.ts';
import { clamp01 } from './streams.ts';
import { exact, lanes, p17 } from './testutil.ts';

const windows = (base: string, K = 4) => Object.fromEntries(Array.from({ length: K }, (_, k) => [`${base}@t${k}`, [k + 1]]));

describe('L-INTERACT operator', () => {
  it('test vector: a = [0.5, 1, -1, 2], b = [0.5, 2, 1] → n = 3, clamp01(tanh(a·b))', () => {
    expect(exact(interact(Float64Array.from([0.5, 1, -1, 2]), Float64Array.from([0.5, 2, 1]))))
      .toEqual(p17([0.24491866240370913, 0.9640275800758169, 0]));
  });

  it('L-CLAMP01: -0 and NaN map to +0; 1 and above map to 1', () => {
    expect(Object.is(clamp01(-0), 0)).toBe(true);
    expect(Object.is(clamp01(NaN), 0)).toBe(true);
    expect(clamp01(1)).toBe(1);
    expect(clamp01(7)).toBe(1);
    expect(clamp01(0.5)).toBe(0.5);
    const z = interact(Float64Array.from([-0]), Float64Array.from([1]));
    expect(Object.is(z[0], 0)).toBe(true);
  });
});

describe('L-MATRIX emission order', () => {
  const s = lanes({ ...windows('policy'), ...windows('attention') });

  it('upper-tri: exactly 10 lanes, (0,0)(0,1)(0,2)(0,3)(1,1)(1,2)(1,3)(2,2)(2,3)(3,3)', () => {
    const added = [...emitInteractionUpperTri10(s).keys()].filter((k) => !s.has(k));
    expect(added).toEqual([
      'policy@t0__x__attention@t0', 'policy@t0__x__attention@t1', 'policy@t0__x__attention@t2', 'policy@t0__x__attention@t3',
      'policy@t1__x__attention@t1', 'policy@t1__x__attention@t2', 'policy@t1__x__attention@t3',
      'policy@t2__x__attention@t2', 'policy@t2__x__attention@t3', 'policy@t3__x__attention@t3',
    ]);
  });

  it('4x4: exactly 16 lanes, row-major', () => {
    const added = [...emitInteractionMatrix4x4(s).keys()].filter((k) => !s.has(k));
    expect(added.length).toBe(16);
    expect(added[4]).toBe('policy@t1__x__attention@t0');
    expect(added[15]).toBe('policy@t3__x__attention@t3');
  });

  it('A ⊗ B is not B ⊗ A; bases are configurable; K generalizes', () => {
    const t = lanes({ ...windows('x', 6), ...windows('Y2', 6) });
    const added = [...emitInteractionUpperTri10(t, 'Y2', 'x', 6).keys()].filter((k) => !t.has(k));
    expect(added.length).toBe(21);
    expect(added[0]).toBe('Y2@t0__x__x@t0');
  });

  it('missing windows are skipped (stream shorter than K)', () => {
    const t = lanes({ 'policy@t0': [1], 'policy@t1': [1], 'attention@t0': [1] });
    const added = [...emitInteractionUpperTri10(t).keys()].filter((k) => !t.has(k));
    expect(added).toEqual(['policy@t0__x__attention@t0']);
  });
});

describe('L-PRESET-X preset interactions', () => {
  it('3 pairs in the spec order: early⊗late, mid⊗mid, late⊗early', () => {
    const s = lanes({
      'policy@early': [1], 'policy@mid': [0.5], 'policy@late': [2],
      'attention@early': [1], 'attention@mid': [1], 'attention@late': [0.25],
    });
    const out = emitPresetInteractions(s);
    const added = [...out.keys()].filter((k) => !s.has(k));
    expect(added).toEqual(['policy@early__x__attention@late', 'policy@mid__x__attention@mid', 'policy@late__x__attention@early']);
    expect(exact(out.get('policy@early__x__attention@late'))).toEqual(p17([0.24491866240370913]));
  });

  it('skips a pair whose operand is missing', () => {
    const s = lanes({ 'policy@early': [1], 'attention@late': [1] });
    expect([...emitPresetInteractions(s).keys()].filter((k) => !s.has(k))).toEqual(['policy@early__x__attention@late']);
  });
});
