import { describe, expect, it } from 'vitest';
import {
  addValues, chooseScale, cssOf, diffScale, dotAt, emptyStats, formatScaleValue, hatchAt, lutFor, lutIndex,
  LUT_SIZE, mergeStats, NO_VALUE, scaleT, symmetricScale, type ValueStats,
} from './color';

const stats = (...v: number[]): ValueStats => {
  const s = emptyStats();
  addValues(s, v);
  return s;
};

describe('scale choice from the data', () => {
  it('all-positive data → sequential [0, max]', () => {
    expect(chooseScale(stats(0.02, 0.5, 0.031, 0))).toEqual({ kind: 'sequential', lo: 0, hi: 0.5 });
    expect(chooseScale(stats(1e-5, 3e-5))).toEqual({ kind: 'sequential', lo: 0, hi: 3e-5 });
  });

  it('all-negative data → sequential [min, 0]', () => {
    expect(chooseScale(stats(-0.25, -0.01, 0))).toEqual({ kind: 'sequential', lo: -0.25, hi: 0 });
  });

  it('mixed signs → diverging ±max|v|', () => {
    expect(chooseScale(stats(-0.3, 0.1, 0.2))).toEqual({ kind: 'diverging', lo: -0.3, hi: 0.3 });
    expect(chooseScale(stats(-0.01, 0.7))).toEqual({ kind: 'diverging', lo: -0.7, hi: 0.7 });
  });

  it('a difference A − B → symmetric ±max|A − B|, even when it is one-signed', () => {
    const a = [0.5, 0.40002, 0.1];
    const b = [0.49995, 0.4, 0.1];
    const d = stats(...a.map((x, i) => x - b[i]));
    const s = diffScale(d);
    expect(s.kind).toBe('diverging');
    expect(s.hi).toBeCloseTo(5e-5, 12);
    expect(s.lo).toBe(-s.hi);
    expect(diffScale(stats(-2e-4, 1e-4))).toEqual({ kind: 'diverging', lo: -2e-4, hi: 2e-4 });
  });

  it('no data or only zeros → diverging around 0 (the bound when given)', () => {
    expect(chooseScale(emptyStats())).toEqual(symmetricScale(0));
    expect(chooseScale(emptyStats(), 0.08)).toEqual({ kind: 'diverging', lo: -0.08, hi: 0.08 });
    expect(chooseScale(stats(0, 0))).toEqual(symmetricScale(0));
    expect(diffScale(emptyStats())).toEqual(symmetricScale(0));
  });

  it('a bound keeps the kind from the data and replaces the extreme', () => {
    expect(chooseScale(stats(0.1, 0.2), 0.08)).toEqual({ kind: 'sequential', lo: 0, hi: 0.08 });
    expect(chooseScale(stats(-0.1, 0.2), 1)).toEqual({ kind: 'diverging', lo: -1, hi: 1 });
    expect(chooseScale(stats(-0.1, -0.2), 2)).toEqual({ kind: 'sequential', lo: -2, hi: 0 });
  });

  it('ignores NaN and infinities, and merges stats', () => {
    const s = stats(Number.NaN, 0.2, Number.POSITIVE_INFINITY, 0.1);
    expect(s).toEqual({ min: 0.1, max: 0.2 });
    expect(addValues(s, [0.15])).toBe(false);
    expect(addValues(s, [-0.5])).toBe(true);
    expect(mergeStats(stats(1, 2), emptyStats(), stats(-3))).toEqual({ min: -3, max: 2 });
  });
});

describe('value → colour', () => {
  it('sequential: 0 is the dark end, the extreme the bright end; negative data by magnitude', () => {
    const s = { kind: 'sequential' as const, lo: 0, hi: 2 };
    expect(scaleT(0, s)).toBe(0);
    expect(scaleT(1, s)).toBe(0.5);
    expect(scaleT(2, s)).toBe(1);
    expect(scaleT(5, s)).toBe(1);
    expect(scaleT(-1, s)).toBe(0);
    const n = { kind: 'sequential' as const, lo: -4, hi: 0 };
    expect(scaleT(-4, n)).toBe(1);
    expect(scaleT(-1, n)).toBe(0.25);
    expect(scaleT(0, n)).toBe(0);
  });

  it('diverging: −hi → 0, 0 → ½, +hi → 1; degenerate scales put everything at the centre', () => {
    const s = symmetricScale(0.5);
    expect(scaleT(-0.5, s)).toBe(0);
    expect(scaleT(0, s)).toBe(0.5);
    expect(scaleT(0.25, s)).toBe(0.75);
    expect(lutIndex(0.5, s)).toBe(LUT_SIZE - 1);
    expect(scaleT(3, symmetricScale(0))).toBe(0.5);
    expect(scaleT(Number.NaN, s)).toBe(0);
  });

  it('a sequential all-positive pack no longer paints one colour', () => {
    // Demo A's situation: values in [0.01, 0.08]. On the old symmetric scale they all sat in
    // the top half; on the chosen scale they span the ramp.
    const s = chooseScale(stats(0.01, 0.08));
    const lut = lutFor(s.kind);
    expect(lut[lutIndex(0.01, s)]).not.toBe(lut[lutIndex(0.08, s)]);
    expect(lutIndex(0.01, s)).toBeLessThan(LUT_SIZE / 4);
    expect(cssOf(0, s)).toBe('rgb(68, 1, 84)'); // viridis start
  });

  it('no-value patterns use colours no ramp produces', () => {
    const all = new Set([...lutFor('sequential'), ...lutFor('diverging')]);
    for (const c of [NO_VALUE.missingStripe, NO_VALUE.pendingDot, NO_VALUE.pendingBg, NO_VALUE.missingBg]) expect(all.has(c)).toBe(false);
    const hatch = Array.from({ length: 16 }, (_, x) => hatchAt(x, 3)).filter(Boolean).length;
    expect(hatch).toBe(4);
    expect(dotAt(4, 8)).toBe(true);
    expect(dotAt(5, 8)).toBe(false);
  });

  it('formats legend numbers', () => {
    expect(formatScaleValue(0.0823456)).toBe('0.08235');
    expect(formatScaleValue(5.2e-5)).toBe('5.20e-5');
    expect(formatScaleValue(-1.5)).toBe('-1.5');
    expect(formatScaleValue(0)).toBe('0');
  });
});
