import { describe, expect, it } from 'vitest';
import { base62, symbolFor, symbolIndex } from './base62.ts';
import { buildLaneDict, dictJson, laneDictFromObject } from './dict.ts';
import { compareUtf8 } from '../bytes/utf8.ts';
import fc from 'fast-check';
import { canonicalJson } from '../json/jcs.ts';

describe('base-62 symbols (addendum 3)', () => {
  it('vectors', () => {
    const v: Array<[number, string]> = [[0, '@0'], [9, '@9'], [10, '@A'], [35, '@Z'], [36, '@a'], [61, '@z'], [62, '@10'], [63, '@11'], [3843, '@zz'], [3844, '@100'], [65534, '@H30']];
    for (const [i, s] of v) { expect(symbolFor(i)).toBe(s); expect(symbolIndex(s)).toBe(i); }
  });
  it('rejects non-canonical symbols', () => {
    for (const s of ['@', '0', '@00', '@01', '@-1', '@ä', '@1 ']) expect(symbolIndex(s)).toBe(-1);
    expect(() => base62(-1)).toThrow();
  });
  it('round-trips every index up to the format limit', () => {
    for (let i = 0; i < 65536; i += 7) expect(symbolIndex(symbolFor(i))).toBe(i);
  });
});

describe('DICT (UTF-8 byte order, not locale order)', () => {
  it('orders uppercase, digits and non-ASCII by UTF-8 bytes', () => {
    const ids = ['policy', 'Policy', 'attention', 'a1', 'A', 'é', 'z', '\u{1F600}', '\uFF5E', 'policy@t1', 'policy@t10', 'policy@t2'];
    const d = buildLaneDict(ids);
    expect(d.ids).toEqual(['A', 'Policy', 'a1', 'attention', 'policy', 'policy@t1', 'policy@t10', 'policy@t2', 'z', 'é', '\uFF5E', '\u{1F600}']);
    // localeCompare would interleave cases; UTF-16 order would put U+1F600 (D83D…) before U+FF5E.
    expect([...ids].sort((a, b) => a.localeCompare(b))).not.toEqual(d.ids);
    expect([...ids].sort()).not.toEqual(d.ids);
    expect(dictJson(d)).toBe('{"@0":"A","@1":"Policy","@2":"a1","@3":"attention","@4":"policy","@5":"policy@t1","@6":"policy@t10","@7":"policy@t2","@8":"z","@9":"é","@A":"～","@B":"😀"}');
  });
  it('more than 62 lanes: @z then @10, and JCS key order (UTF-16) differs from index order', () => {
    const ids = Array.from({ length: 70 }, (_, i) => `lane${String(i).padStart(3, '0')}`);
    const d = buildLaneDict(ids);
    expect(d.dict['@z']).toBe('lane061');
    expect(d.dict['@10']).toBe('lane062');
    const text = dictJson(d);
    expect(text.startsWith('{"@0":"lane000","@1":"lane001","@10":"lane062"')).toBe(true);
    expect(laneDictFromObject(JSON.parse(text), 70).ids).toEqual(d.ids);
  });
  it('rejects duplicates, gaps and out-of-order ids', () => {
    expect(() => buildLaneDict(['a', 'a'])).toThrow(/duplicate/);
    expect(() => laneDictFromObject({ '@0': 'a', '@2': 'b' }, 2)).toThrow(/@0..@1/);
    expect(() => laneDictFromObject({ '@0': 'b', '@1': 'a' }, 2)).toThrow(/UTF-8 order/);
  });
  it('compareUtf8 equals byte comparison of the UTF-8 encodings', () => {
    const enc = new TextEncoder();
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
      const ea = enc.encode(a), eb = enc.encode(b);
      let c = 0;
      for (let i = 0; i < Math.min(ea.length, eb.length) && c === 0; i++) c = ea[i] - eb[i];
      if (c === 0) c = ea.length - eb.length;
      return Math.sign(c) === Math.sign(compareUtf8(a, b));
    }), { numRuns: 1000 });
  });
});

describe('DICT text fast path', () => {
  it('equals the general JCS serializer for random id sets (incl. non-ASCII and >62 lanes)', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme' }), { maxLength: 150 }), (ids) => {
      const d = buildLaneDict(ids);
      return dictJson(d) === canonicalJson(d.dict);
    }), { numRuns: 300 });
  });
});
