/** The single-pass DICT check accepts only what the general path accepts, with the same ids. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildLaneDict, dictJson, jcsSymbolOrder, laneDictFromAsciiCanonical, laneDictFromObject } from './dict.ts';
import { nextSymbolBytes, symbolBytes, symbolFor } from './base62.ts';
import { utf8 } from '../bytes/utf8.ts';

function general(text: string, n: number): string[] | null {
  try {
    const d = laneDictFromObject(JSON.parse(text), n);
    return dictJson(d) === text ? d.ids : null;
  } catch { return null; }
}

describe('single-pass DICT check', () => {
  it('agrees with JSON.parse + laneDictFromObject + dictJson on canonical and mutated texts', () => {
    const id = fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constantFrom('policy@t0', 'a"b', 'a\\b', 'tab\t', 'ü', '\u{1F600}', '\u007f', 'x'));
    fc.assert(fc.property(fc.uniqueArray(id, { minLength: 0, maxLength: 70 }), fc.nat(), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 127 }), (ids, at, mode, ch) => {
      const d = buildLaneDict(ids);
      let text = dictJson(d);
      const n = ids.length;
      if (mode === 1 && text.length) text = text.slice(0, at % text.length) + String.fromCharCode(ch) + text.slice((at % text.length) + 1);
      if (mode === 2 && text.length) text = text.slice(0, at % text.length) + text.slice((at % text.length) + 1);
      if (mode === 3) text = text + ' ';
      const fast = laneDictFromAsciiCanonical(text, utf8(text).length, mode === 4 ? n + 1 : n);
      const slow = general(text, mode === 4 ? n + 1 : n);
      if (fast) {
        expect(slow).toEqual(fast.ids);
        expect(Object.keys(fast.dict).length).toBe(fast.ids.length);
        fast.ids.forEach((x, i) => expect(fast.rev.get(x)).toBe(Object.keys(fast.dict).find((k) => fast.dict[k] === x)));
        expect(fast.dict).toEqual(buildLaneDict(fast.ids).dict);
      }
      // The fast path takes every canonical all-printable-ASCII DICT.
      if (mode === 0 && ids.every((x) => /^[\x20-\x7e]+$/.test(x) && !/["\\]/.test(x))) expect(fast).not.toBeNull();
    }), { numRuns: 1500 });
  });
});

describe('symbols without strings', () => {
  it('jcsSymbolOrder (trie walk) is the sort of the symbols by UTF-16 units, for every n up to 4,000 and the format limit', () => {
    const sorted = (n: number) => Array.from({ length: n }, (_, i) => i).sort((x, y) => (symbolFor(x) < symbolFor(y) ? -1 : 1));
    for (let n = 0; n <= 4000; n += n < 130 ? 1 : 37) expect(Array.from(jcsSymbolOrder(n)), `n = ${n}`).toEqual(sorted(n));
    for (const n of [3843, 3844, 3845, 65535]) expect(Array.from(jcsSymbolOrder(n)), `n = ${n}`).toEqual(sorted(n));
  });
  it('symbolBytes writes the ASCII bytes of symbolFor', () => {
    const b = new Uint8Array(16);
    for (let i = 0; i < 300000; i += i < 5000 ? 1 : 97) {
      const len = symbolBytes(i, b);
      expect(String.fromCharCode(...b.subarray(0, len))).toBe(symbolFor(i));
    }
  });
  it('nextSymbolBytes counts up like symbolBytes, across every carry up to 300,000', () => {
    const b = new Uint8Array(16);
    let len = symbolBytes(0, b);
    for (let i = 1; i < 300000; i++) {
      len = nextSymbolBytes(b, len);
      if (i % 61 === 0 || i % 62 === 0 || i % 3844 < 2 || i < 200) expect(String.fromCharCode(...b.subarray(0, len)), `${i}`).toBe(symbolFor(i));
    }
    expect(String.fromCharCode(...b.subarray(0, len))).toBe(symbolFor(299999));
  });
  it('the fast DICT builds rev and dict on first use, equal to the general path', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `lane@t${i}`);
    const d = buildLaneDict(ids);
    const text = dictJson(d);
    const fast = laneDictFromAsciiCanonical(text, text.length, ids.length)!;
    const slow = laneDictFromObject(JSON.parse(text), ids.length);
    expect(fast.ids).toEqual(slow.ids);
    expect([...fast.rev]).toEqual([...slow.rev]);
    expect(fast.dict).toEqual(slow.dict);
    expect(Object.keys(fast.dict)).toEqual(Object.keys(slow.dict));
  });
});
