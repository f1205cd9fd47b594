import { describe, expect, it } from 'vitest';
import { roundHalfAwayFromZero, quantizeValue, quantizeLane, dequantizeLane, f32, f32ToShortest } from './quant.ts';
import { autoTuneScales } from './autotune.ts';
import { auditLanes, ratioQ16, encodeAudit, decodeAudit } from './audit.ts';
import { CLASS_QSCALE } from './classes.ts';
import { fnv1a32, classOffsets, classifyLane } from './classes.ts';

describe('rounding law: half away from zero (L-ROUND)', () => {
  it('vectors', () => {
    const v: Array<[number, number]> = [[0.5, 1], [-0.5, -1], [1.5, 2], [-1.5, -2], [2.5, 3], [-2.5, -3], [2.4999999999999996, 2], [0.49999999999999994, 0], [-0.49999999999999994, 0], [16383.5, 16384], [-16383.5, -16384], [32766.5, 32767], [0, 0], [-0, 0]];
    for (const [x, r] of v) expect(Object.is(roundHalfAwayFromZero(x), r), `${x} → ${r}`).toBe(true);
    // The spec's Math.floor(x + 0.5) gets this one wrong:
    expect(Math.floor(0.49999999999999994 + 0.5)).toBe(1);
  });
  it('weights landing exactly on .5 before rounding', () => {
    // 0.5 · 32767 = 16383.5 exactly in binary64.
    expect(0.5 * 32767).toBe(16383.5);
    expect(quantizeValue(0.5, 1)).toBe(16384);
    expect(quantizeValue(-0.5, 1)).toBe(-16384);
    expect(quantizeValue(1.5, 1)).toBe(32767);
    expect(quantizeValue(-7, 1)).toBe(-32767);
  });
  it('negative zero quantizes to +0 and a zero payload', () => {
    const q = quantizeLane([-0, 0, -1e-300], 1.35);
    expect(Array.from(q)).toEqual([0, 0, 0]);
    expect(Object.is(dequantizeLane(q, 1)[0], 0)).toBe(true);
  });
  it('decode of encode is within half a step when not clipped', () => {
    const s = f32(1.35);
    for (let i = 0; i < 2000; i++) {
      const w = Math.sin(i) * 0.7;
      const back = dequantizeLane(quantizeLane([w], s), s)[0];
      expect(Math.abs(back - w)).toBeLessThanOrEqual(0.5 / (32767 * s) + 1e-15);
    }
  });
  it('float32 scales print shortest', () => {
    expect(f32ToShortest(1.35 * 1.06)).toBe(1.431);
    expect(f32(1.431)).toBe(f32(1.35 * 1.06));
  });
});

describe('class constants', () => {
  it('FNV-1a 32 (Math.imul; the spec JS loses precision)', () => {
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('policy')).toBe(3468753535);
    expect(classOffsets(64)).toEqual({ policy: 3468753535 % 64, attention: fnv1a32('attention') % 64, preset: fnv1a32('preset') % 64, interaction: fnv1a32('interaction') % 64, summary: fnv1a32('summary') % 64, other: fnv1a32('other') % 64 });
  });
  it('classification, first match wins', () => {
    expect(classifyLane('policy@t1__x__attention@t2')).toBe('policy');
    expect(classifyLane('attention@late')).toBe('attention');
    expect(classifyLane('value@early')).toBe('preset');
    expect(classifyLane('value@t0__x__key@t1')).toBe('interaction');
    expect(classifyLane('value@row')).toBe('summary');
    expect(classifyLane('Policy')).toBe('other');
  });
});

describe('saturation audit and one-shot auto-tuning', () => {
  it('counts |w·s| ≥ 1 before the clamp, classes without samples are 0/0/0', () => {
    const a = auditLanes([{ id: 'policy', W: [0.75, 0.74, -0.75, 0.1] }, { id: 'x', W: [1, -1, 0.999, 0] }], CLASS_QSCALE, [0, 1]);
    // 0.75 · 1.35 = 1.0125 ≥ 1; 0.74 · 1.35 = 0.999 < 1
    expect(a.classes.policy).toEqual({ total: 4, clipped: 2, ratioQ16: 32768 });
    expect(a.classes.other).toEqual({ total: 4, clipped: 2, ratioQ16: 32768 });
    expect(a.classes.preset).toEqual({ total: 0, clipped: 0, ratioQ16: 0 });
    const bytes = encodeAudit(a);
    expect(bytes.length).toBe(61 + 2 + 2 * (1 + 2 + 6));
    expect(decodeAudit(bytes, 0, 2, 4)).toBeTruthy();
  });
  it('ratio_q16 rounds half away from zero', () => {
    expect(ratioQ16(1, 2)).toBe(32768); // 32767.5 → 32768
    expect(ratioQ16(0, 0)).toBe(0);
    expect(ratioQ16(1, 100)).toBe(655);
  });
  it('tuning compares the exact ratio, not ratio_q16 (addendum 7)', () => {
    const base = { total: 0, clipped: 0 };
    const audit = { policy: { total: 100, clipped: 1 }, attention: { total: 100, clipped: 8 }, preset: { total: 100, clipped: 9 }, interaction: base, summary: { total: 1000, clipped: 5 }, other: { total: 100, clipped: 5 } };
    const t = autoTuneScales(CLASS_QSCALE, audit);
    // 1/100 = 0.01 is not < T_LOW (ratio_q16 655/65535 = 0.009994 would have been).
    expect(t.policy).toBe(1.35);
    expect(t.attention).toBe(1.15); // 0.08 is not > T_HIGH
    expect(t.preset).toBe(1.1 * (1 - 0.12)); // 0.09 > 0.08
    expect(t.interaction).toBe(0.95 * 1.06); // no samples: ratio 0 < T_LOW
    expect(t.summary).toBe(0.85 * 1.06); // 0.005 < 0.01
    expect(t.other).toBe(1);
  });
  it('scales hit the 0.70 / 1.60 bounds', () => {
    const init = { policy: 1.55, attention: 0.75, preset: 1.6, interaction: 0.7, summary: 1.5, other: 0.79 };
    const audit = { policy: { total: 10, clipped: 0 }, attention: { total: 10, clipped: 5 }, preset: { total: 10, clipped: 0 }, interaction: { total: 10, clipped: 9 }, summary: { total: 10, clipped: 0 }, other: { total: 10, clipped: 1 } };
    const t = autoTuneScales(init, audit);
    expect(t).toEqual({ policy: 1.6, attention: 0.7, preset: 1.6, interaction: 0.7, summary: 1.5 * 1.06, other: 0.79 * 0.88 < 0.7 ? 0.7 : 0.79 * 0.88 });
    expect(t.other).toBe(0.7);
  });
});
