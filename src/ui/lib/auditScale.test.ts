import { describe, expect, it } from 'vitest';
import { auditAxis, formatShare } from './auditScale';

describe('saturation audit axis (issue 8 item 9)', () => {
  it('no clipped sample anywhere: no chart, the sample count instead', () => {
    expect(auditAxis([{ total: 120, clipped: 0 }, { total: 0, clipped: 0 }, { total: 8, clipped: 0 }])).toEqual({ kind: 'none', samples: 128 });
  });
  it('the axis runs to the largest clipped share, however small', () => {
    expect(auditAxis([{ total: 10_000, clipped: 3 }, { total: 200, clipped: 0 }])).toEqual({ kind: 'bars', max: 0.0003 });
    expect(auditAxis([{ total: 4, clipped: 1 }, { total: 10, clipped: 5 }])).toEqual({ kind: 'bars', max: 0.5 });
  });
  it('ticks keep their digits: 0.03 % is not printed as 0 %', () => {
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(0.0003)).toBe('0.030%');
    expect(formatShare(0.0125)).toBe('1.3%');
    expect(formatShare(0.5)).toBe('50%');
  });
});
