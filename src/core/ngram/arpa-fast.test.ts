/**
 * The ARPA reader's speed-ups (arpa.ts; docs/laws.md AI-ARPA) change no result: the fast line
 * path gives what the general path gives (a line with a leading space always takes the general
 * path, so the two readings of one model are compared), and the shared parse of
 * `withSharedArpa` is returned only for byte-identical input within a scope.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArpaError, readArpa, withSharedArpa, ARPA_LIMITS } from './arpa.ts';

/** Every entry line (those after a section head) with a space in front: the general path reads them. */
const general = (text: string): string => text.split('\n').map((l) => (/^[-+.0-9]/.test(l) ? ` ${l}` : l)).join('\n');

const outcome = (text: string) => {
  try { const r = readArpa(text); return { model: r.model, lines: r.lines.map((m) => [...m]) }; } catch (e) {
    if (e instanceof ArpaError) return { code: e.code, line: e.line };
    throw e;
  }
};

describe('the fast line path', () => {
  it('random models with mixed separators, number forms and back-offs read as the general path reads them', () => {
    const word = fc.stringMatching(/^[a-z<>/.éß]{1,5}$/);
    const num = fc.oneof(fc.double({ min: -30, max: 0, noNaN: true }).map(String), fc.constantFrom('-0', '+0.5', '-.25', '-5.', '-1e-3', '-1E+2', '1e999', '-0x1', '- 1', '-1e', '.', '-', 'NaN', '-Infinity'));
    const sep = fc.constantFrom(' ', '\t', '  ', ' \t', '\t\t');
    fc.assert(fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.nat(), num, sep, sep, fc.option(num, { nil: undefined })), { maxLength: 20 }), fc.array(fc.tuple(num, sep, fc.option(num, { nil: undefined })), { minLength: 8, maxLength: 8 }), (ws, bis, unis) => {
      const uni = ws.map((w, i) => `${unis[i][0]}${unis[i][1]}${w}${unis[i][2] !== undefined ? `${unis[i][1]}${unis[i][2]}` : ''}`);
      const bi = bis.map(([a, b, lp, s1, s2, bo]) => `${lp}${s1}${ws[a % ws.length]}${s2}${ws[b % ws.length]}${bo !== undefined ? `\t${bo}` : ''}`);
      const text = ['\\data\\', `ngram 1=${uni.length}`, `ngram 2=${bi.length}`, '', '\\1-grams:', ...uni, '', '\\2-grams:', ...bi, '', '\\end\\', ''].join('\n');
      expect(outcome(text)).toEqual(outcome(general(text)));
    }), { numRuns: 500 });
  });
});

describe('withSharedArpa', () => {
  const big = (() => {
    const uni = Array.from({ length: 60_000 }, (_, i) => `-1.${i % 97}\tword_number_${i}`);
    return new TextEncoder().encode(['\\data\\', `ngram 1=${uni.length}`, '', '\\1-grams:', ...uni, '', '\\end\\', ''].join('\n'));
  })();

  it('only inside a scope, only for equal bytes and limits; dropped when the scope ends', async () => {
    expect(big.length).toBeGreaterThan(1 << 20);
    expect(readArpa(big)).not.toBe(readArpa(big)); // no scope: parsed each time
    let kept: unknown;
    await withSharedArpa(async () => {
      const a = readArpa(big);
      expect(readArpa(new Uint8Array(big))).toBe(a); // equal bytes in another array: the same parse
      expect(readArpa(big, { ...ARPA_LIMITS, maxWordChars: 100 })).not.toBe(a); // other limits: parsed
      const changed = new Uint8Array(big);
      changed[changed.indexOf(0x0a, 200) + 2] = 0x32; // same length, one log probability -1.x → -2.x
      const c = readArpa(changed);
      expect(c).not.toBe(a);
      expect(c.model.grams[0]).not.toEqual(a.model.grams[0]);
      kept = readArpa(changed);
      expect(kept).toBe(c);
    });
    await withSharedArpa(async () => { expect(readArpa(big)).not.toBe(kept); });
  });
});
