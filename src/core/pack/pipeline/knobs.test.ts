import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareKnobKeys, globMatch, resolveKnob } from './knobs.ts';

describe('L-KNOBS glob', () => {
  it('* matches any run, including empty, @ and __x__', () => {
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('policy@t*', 'policy@t0')).toBe(true);
    expect(globMatch('policy@t*', 'policy@t*')).toBe(true);
    expect(globMatch('policy@t*', 'policy@t1__x__attention@t2')).toBe(true);
    expect(globMatch('policy@t*', 'policy@early')).toBe(false);
    expect(globMatch('*@row', 'policy@t0__x__attention@row')).toBe(true);
    expect(globMatch('a*b*c', 'aXbYc')).toBe(true);
    expect(globMatch('a*b*c', 'aXbY')).toBe(false);
    expect(globMatch('policy', 'policy@t0')).toBe(false);
  });

  it('agrees with an anchored RegExp translation on random inputs', () => {
    const alpha = fc.constantFrom('a', 'b', '@', '*', '_');
    fc.assert(fc.property(fc.array(alpha, { maxLength: 8 }), fc.array(fc.constantFrom('a', 'b', '@', '_', '*'), { maxLength: 10 }), (p, s) => {
      const pat = p.join('');
      const re = new RegExp('^' + pat.split('*').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 's');
      expect(globMatch(pat, s.join(''))).toBe(re.test(s.join('')));
    }), { numRuns: 2000 });
  });
});

describe('L-KNOBS precedence', () => {
  const amp = { 'policy@t*': 0.09, 'policy@t1__x__attention@t2': 0.06, '*': 0.08 };

  it("test vector: the spec's example map", () => {
    expect(resolveKnob(amp, 'policy@t1__x__attention@t2', 0.08)).toEqual({ value: 0.06, key: 'policy@t1__x__attention@t2' });
    expect(resolveKnob(amp, 'policy@t*', 0.08)).toEqual({ value: 0.09, key: 'policy@t*' }); // exact id (the decay lane)
    expect(resolveKnob(amp, 'policy@t0', 0.08)).toEqual({ value: 0.09, key: 'policy@t*' });
    expect(resolveKnob(amp, 'policy@t0__x__attention@t3', 0.08)).toEqual({ value: 0.09, key: 'policy@t*' }); // glob reaches interactions
    expect(resolveKnob(amp, 'policy', 0.08)).toEqual({ value: 0.08, key: '*' });
    expect(resolveKnob(amp, 'attention@t0', 0.08)).toEqual({ value: 0.08, key: '*' });
    expect(resolveKnob({ 'policy@t*': 0.09 }, 'attention', 0.08)).toEqual({ value: 0.08, key: null });
  });

  it('exact id beats a glob even when the glob is longer', () => {
    expect(resolveKnob({ ab: 1, 'ab*': 2, '*ab*': 3 }, 'ab', 0).value).toBe(1);
  });

  it('more literal characters win; then fewer stars; then the UTF-8 smaller key', () => {
    expect(resolveKnob({ '*': 1, 'p*': 2, 'po*': 3 }, 'policy', 0).value).toBe(3);
    expect(resolveKnob({ 'p*t*': 1, 'po*': 2 }, 'pot', 0).key).toBe('po*'); // 2 literals each, 1 star < 2
    expect(resolveKnob({ 'a*': 1, '*a': 2 }, 'aa', 0).key).toBe('*a'); // 0x2A < 0x61
    expect(compareKnobKeys('a*', '*a')).toBeGreaterThan(0);
  });

  it('does not depend on key order', () => {
    const keys = ['*', 'p*', '*y', 'p*y', 'pol*', '*icy', 'policy'];
    fc.assert(fc.property(fc.shuffledSubarray(keys, { minLength: 1 }), (ks) => {
      const m1 = Object.fromEntries(ks.map((k, i) => [k, i]));
      const m2 = Object.fromEntries([...ks].reverse().map((k) => [k, m1[k]]));
      expect(resolveKnob(m1, 'policy', -1)).toEqual(resolveKnob(m2, 'policy', -1));
    }));
  });

  it('inherited names are not keys', () => {
    expect(resolveKnob({ '*': 0.5 }, 'constructor', 0).key).toBe('*');
    expect(resolveKnob({}, 'toString', 0.1)).toEqual({ value: 0.1, key: null });
  });
});
