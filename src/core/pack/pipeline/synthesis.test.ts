import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { synthesizeLane } from './synthesis.ts';
import { expm1, tanh } from './tanh.ts';
import { exact, p17 } from './testutil.ts';

describe('L-SYNTH synthesizeLane', () => {
  it('test vector: amp 0.08, temp 0.7, vec [0, 0.7, -1.4, 7, 100]', () => {
    expect(exact(synthesizeLane([0, 0.7, -1.4, 7, 100], 0.08, 0.7)))
      .toEqual(p17([0, 0.060927532476461189, -0.077122206406065361, 0.079999999670215413, 0.080000000000000002]));
  });

  it('|W| <= amp for any finite input, and sign is kept; no negative zero', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1e-6, max: 1e6, noNaN: true }), (v, amp, temp) => {
      const w = synthesizeLane([v], amp, temp)[0];
      expect(Math.abs(w)).toBeLessThanOrEqual(amp);
      if (v > 0) expect(w).toBeGreaterThanOrEqual(0);
      if (v < 0) expect(w).toBeLessThanOrEqual(0);
      expect(Object.is(w, -0)).toBe(false);
    }), { numRuns: 5000 });
  });
});

describe('L-TANH deterministic tanh', () => {
  it('fixed values', () => {
    expect(exact([tanh(0.25), tanh(1), tanh(2), tanh(0.5)])).toEqual(p17([0.24491866240370913, 0.7615941559557649, 0.9640275800758169, 0.46211715726000974]));
    expect(tanh(22)).toBe(1);
    expect(tanh(-Infinity)).toBe(-1);
    expect(Object.is(tanh(-0), -0)).toBe(true);
    expect(Number.isNaN(tanh(NaN))).toBe(true);
    expect(tanh(1e-300)).toBe(1e-300);
  });

  it('bit-identical to V8 Math.tanh and Math.expm1 (fdlibm) on many arguments', () => {
    const dv = new DataView(new ArrayBuffer(8));
    let seed = 12345;
    const rnd = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
    for (let i = 0; i < 300_000; i++) {
      let x: number;
      const r = rnd();
      if (r < 0.3) x = (rnd() * 2 - 1) * 3;
      else if (r < 0.5) x = (rnd() * 2 - 1) * 50;
      else if (r < 0.7) x = (rnd() * 2 - 1) * 2 ** -Math.floor(rnd() * 60);
      else { dv.setUint32(0, (rnd() * 2 ** 32) >>> 0); dv.setUint32(4, (rnd() * 2 ** 32) >>> 0); x = dv.getFloat64(0); }
      if (!Object.is(tanh(x), Math.tanh(x))) expect([x, tanh(x)]).toEqual([x, Math.tanh(x)]);
      const y = (rnd() * 2 - 1) * 60;
      if (!Object.is(expm1(y), Math.expm1(y))) expect([y, expm1(y)]).toEqual([y, Math.expm1(y)]);
    }
  });
});
