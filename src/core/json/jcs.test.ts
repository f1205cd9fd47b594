import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from './jcs.ts';

describe('RFC 8785 JCS', () => {
  it('RFC 8785 §3.2.2 sample, verbatim', () => {
    const input = JSON.parse('{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}');
    expect(canonicalJson(input)).toBe('{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}');
  });
  it('RFC 8785 §3.2.3 property sorting by UTF-16 code units', () => {
    const input = JSON.parse('{"\\u20ac":"Euro Sign","\\r":"Carriage Return","\\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\\ud83d\\ude00":"Emoji: Grinning Face","\\u0080":"Control","\\u00f6":"Latin Small Letter O With Diaeresis"}');
    // (Object.keys would list the integer-like key "1" first, so read the order off the text.)
    const keys = [...canonicalJson(input).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`));
    expect(keys).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });
  it('RFC 8785 Appendix B number forms', () => {
    const cases: Array<[number, string]> = [[0, '0'], [-0, '0'], [1e21, '1e+21'], [1e-7, '1e-7'], [9007199254740992, '9007199254740992'], [295147905179352830000, '295147905179352830000'], [5e-324, '5e-324'], [-1.7976931348623157e308, '-1.7976931348623157e+308']];
    for (const [n, s] of cases) expect(canonicalJson(n)).toBe(s);
  });
  it('rejects non-finite numbers and lone surrogates', () => {
    expect(() => canonicalJson({ a: NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson('\ud800')).toThrow(/surrogate/);
  });
  it('is idempotent and order-independent', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const c = canonicalJson(v);
      return canonicalJson(JSON.parse(c)) === c;
    }), { numRuns: 300 });
  });
});
