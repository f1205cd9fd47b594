/** The single-pass DICT check accepts only what the general path accepts, with the same ids. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildLaneDict, dictJson, laneDictFromAsciiCanonical, laneDictFromObject } from './dict.ts';
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
