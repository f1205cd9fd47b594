import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArpaError, readArpa, writeArpa, ARPA_LIMITS, type ArpaModel } from './arpa.ts';
import { conservationIssues, conditional, indexModel } from './conservation.ts';
import { kneserNey, kneserNeyBigram } from './kneser-ney.ts';

const SMALL = [
  '\\data\\',
  'ngram 1=4',
  'ngram 2=2',
  '',
  '\\1-grams:',
  '-99\t<s>\t-0.146128',
  '-0.5228787\ta\t-0.39794',
  '-0.30103\tb',
  '-0.69897\t</s>',
  '',
  '\\2-grams:',
  '-0.30103\t<s> a',
  '-0.09691\ta b',
  '',
  '\\end\\',
  '',
].join('\n');
const AB = '-0.09691\ta b';

function err(text: string | Uint8Array, limits = ARPA_LIMITS): ArpaError {
  try { readArpa(text, limits); } catch (e) { if (e instanceof ArpaError) return e; throw e; }
  throw new Error('no error');
}

describe('AI-ARPA reader and writer', () => {
  it('reads the canonical form and writes it back byte for byte', () => {
    const r = readArpa(SMALL);
    expect(r.model.order).toBe(2);
    expect(r.model.grams[0][1]).toEqual({ words: ['a'], logprob: -0.5228787, backoff: -0.39794 });
    expect(r.model.grams[1][1]).toEqual({ words: ['a', 'b'], logprob: -0.09691 });
    expect(r.lines[1].get('a b')).toBe(13);
    expect(writeArpa(r.model)).toBe(SMALL);
  });

  it('accepts what SRILM and KenLM write around the model: leading text, CRLF, spaces, a BOM', () => {
    const srilm = `\ufeffheader comment\r\n\r\n${SMALL.replace(/\n/g, '\r\n').replace('-0.09691\ta b', '-0.09691 a  b')}`;
    expect(readArpa(srilm).model).toEqual(readArpa(SMALL).model);
  });

  it('round-trips random models exactly (write → read → write)', () => {
    const word = fc.stringMatching(/^[a-z<>/.]{1,6}$/);
    const lp = fc.double({ min: -20, max: 0, noNaN: true });
    fc.assert(fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.nat(), fc.nat(), lp), { maxLength: 30 }), fc.array(lp, { minLength: 12, maxLength: 12 }), (ws, pairs, lps) => {
      const uni = ws.map((w, i) => ({ words: [w], logprob: lps[i], ...(i % 2 ? { backoff: lps[(i + 1) % 12] } : {}) }));
      const seen = new Set<string>();
      const bi = [];
      for (const [a, b, l] of pairs) {
        const k = `${ws[a % ws.length]} ${ws[b % ws.length]}`;
        if (seen.has(k)) continue;
        seen.add(k);
        bi.push({ words: [ws[a % ws.length], ws[b % ws.length]], logprob: l });
      }
      const m: ArpaModel = { order: 2, grams: [uni, bi] };
      const text = writeArpa(m);
      const back = readArpa(text).model;
      expect(writeArpa(back)).toBe(text);
      const z = (x: number | undefined) => (x === undefined ? null : x === 0 ? 0 : x); // -0 is written and read as 0
      expect(back.grams.map((g) => g.map((e) => [e.words, e.logprob, e.backoff ?? null]))).toEqual(m.grams.map((g) => g.map((e) => [e.words, z(e.logprob), z(e.backoff)])));
    }), { numRuns: 300 });
  });

  it('errors carry a stable code and the line and column', () => {
    const at = (t: string) => { const e = err(t); return [e.code, e.line, e.column]; };
    expect(at('nothing here\n')).toEqual(['arpa.no_data', 1, 1]);
    expect(at(SMALL.replace('ngram 2=2', 'ngram 3=2'))).toEqual(['arpa.bad_header', 3, 7]);
    expect(at(SMALL.replace(AB, '-0.1x\ta b'))).toEqual(['arpa.bad_number', 13, 1]);
    expect(at(SMALL.replace(AB, '-0.09691\ta c'))).toEqual(['arpa.unknown_word', 13, 12]);
    expect(at(SMALL.replace(AB, '-0.09691\t<s> a'))).toEqual(['arpa.duplicate_ngram', 13, 10]);
    expect(at(SMALL.replace(AB, '-0.09691\ta b\t-1'))).toEqual(['arpa.bad_entry', 13, 14]);
    expect(at(SMALL.replace(AB, '-0.09691\ta'))).toEqual(['arpa.bad_entry', 13, 1]);
    expect(at(SMALL.replace('ngram 1=4', 'ngram 1=5'))).toEqual(['arpa.count_mismatch', 11, 1]);
    expect(at(SMALL.replace('ngram 1=4', 'ngram 1=3'))).toEqual(['arpa.count_mismatch', 9, 1]);
    expect(at(SMALL.replace('\\end\\', ''))).toEqual(['arpa.missing_end', 15, 1]);
    expect(at(`${SMALL}junk\n`)).toEqual(['arpa.trailing_text', 16, 1]);
    expect(at(SMALL.replace('\\2-grams:', '\\3-grams:'))).toEqual(['arpa.bad_section', 11, 1]);
    expect(at(SMALL.replace(AB, '1e999\ta b'))).toEqual(['arpa.bad_number', 13, 1]);
  });

  it('is bounded: declared counts beyond the file, long lines, long words, large input, bad UTF-8', () => {
    const huge = err(SMALL.replace('ngram 2=2', 'ngram 2=999999999999'));
    expect([huge.code, huge.line]).toEqual(['arpa.bad_count', 3]);
    expect(err(SMALL.replace('-0.30103\tb', `-0.30103\t${'b'.repeat(70_000)}`)).code).toBe('arpa.line_too_long');
    expect(err(SMALL.replace(/\bb\b/g, 'b'.repeat(2000))).code).toBe('arpa.word_too_long');
    expect(err(SMALL, { ...ARPA_LIMITS, maxBytes: 10 }).code).toBe('arpa.too_large');
    const bytes = new TextEncoder().encode(SMALL);
    const bad = new Uint8Array(bytes);
    bad[bytes.indexOf(0x62 /* b */, 60)] = 0xff;
    const e = err(bad);
    expect([e.code, e.line]).toEqual(['arpa.bad_utf8', 8]);
  });

  it('never throws anything but ArpaError on mutated input (fuzz, 2,000 cases)', () => {
    const base = new TextEncoder().encode(SMALL);
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (muts) => {
      const b = new Uint8Array(base);
      for (const [i, v] of muts) b[i] = v;
      try { readArpa(b); } catch (e) { expect(e).toBeInstanceOf(ArpaError); }
    }), { numRuns: 2000 });
  });

  it('the writer refuses what ARPA cannot hold', () => {
    expect(() => writeArpa({ order: 1, grams: [[{ words: ['a b'], logprob: -1 }]] })).toThrow(/whitespace/);
    expect(() => writeArpa({ order: 1, grams: [[{ words: ['a'], logprob: NaN }]] })).toThrow(/finite/);
    expect(() => writeArpa({ order: 1, grams: [[{ words: ['a'], logprob: -1, backoff: 0 }]] })).toThrow(/back-off/);
  });
});

describe('AI-NGRAM conservation and AI-KN2', () => {
  it('the small model conserves probability; a changed probability does not', () => {
    expect(conservationIssues(readArpa(SMALL).model)).toEqual([]);
    const bad = readArpa(SMALL.replace('-0.30103\tb', '-0.20103\tb')).model;
    expect(conservationIssues(bad).map((i) => [i.kind, i.words.join(' ')])).toEqual([['not_normalized', ''], ['not_normalized', 'a']]);
    const ctx = readArpa(SMALL.replace(AB, '-0.2\ta b')).model;
    expect(conservationIssues(ctx).map((i) => [i.kind, i.words.join(' ')])).toEqual([['not_normalized', 'a']]);
    const above = readArpa(SMALL.replace(AB, '0.1\ta b')).model;
    expect(conservationIssues(above)[0]).toMatchObject({ kind: 'above_one', words: ['a', 'b'] });
  });

  it('back-off: P(w | h) for unlisted h w is bo(h) · P(w)', () => {
    const ix = indexModel(readArpa(SMALL).model);
    expect(conditional(ix, ['a'], 'b')).toBeCloseTo(10 ** -0.09691, 12);
    expect(conditional(ix, ['a'], '</s>')).toBeCloseTo(10 ** -0.39794 * 10 ** -0.69897, 12);
    expect(conditional(ix, ['b'], 'a')).toBeCloseTo(10 ** -0.5228787, 12);
    expect(conditional(ix, [], 'zzz')).toBe(0);
  });

  it('Kneser-Ney bigram: vector, conservation, determinism', () => {
    const m = kneserNeyBigram(['a', 'b'], [['a', 'b'], ['a'], ['b', 'a', 'x']]);
    // V' = {<unk>, </s>, a, b}; left contexts: a ← {<s>, b}, b ← {a, <s>}, </s> ← {b, a, <unk>}, <unk> ← {a}: N1+(••) = 8.
    expect(m.grams[0].map((e) => [e.words[0], e.logprob, e.backoff])).toEqual([
      ['<unk>', Number(Math.log10(2 / 12).toFixed(7)), Number(Math.log10(0.75).toFixed(7))],
      ['<s>', -99, Number(Math.log10(0.75 * 2 / 3).toFixed(7))],
      ['</s>', Number(Math.log10(4 / 12).toFixed(7)), undefined],
      ['a', Number(Math.log10(3 / 12).toFixed(7)), Number(Math.log10(0.75 * 3 / 3).toFixed(7))],
      ['b', Number(Math.log10(3 / 12).toFixed(7)), Number(Math.log10(0.75 * 2 / 2).toFixed(7))],
    ]);
    expect(conservationIssues(m)).toEqual([]);
    expect(writeArpa(kneserNeyBigram(['a', 'b'], [['a', 'b'], ['a'], ['b', 'a', 'x']]))).toBe(writeArpa(m));
  });

  it('Kneser-Ney of order N: order 2 is the bigram model byte for byte; orders 3–5 conserve probability and read back', () => {
    const corpus = [['the', 'cat', 'sat'], ['the', 'dog', 'sat', 'down'], ['a', 'cat', 'sat', 'down'], ['the', 'cat', 'ran'], ['a', 'dog', 'ran', 'down', 'the', 'road']];
    const vocab = ['the', 'cat', 'sat', 'dog', 'down', 'a', 'ran', 'road'];
    expect(writeArpa(kneserNey(vocab, corpus, 2))).toBe(writeArpa(kneserNeyBigram(vocab, corpus)));
    for (const n of [3, 4, 5]) {
      const m = kneserNey(vocab, corpus, n);
      expect(m.order).toBe(n);
      expect(conservationIssues(m)).toEqual([]);
      expect(writeArpa(readArpa(writeArpa(m)).model)).toBe(writeArpa(m));
    }
    expect(kneserNey(vocab, corpus, 3).grams.map((g) => g.length)).toEqual([11, 18, 18]); // 18 distinct bigrams and 18 distinct trigrams in the corpus
    expect(() => kneserNey(vocab, corpus, 1)).toThrow(RangeError);
  });

  it('property: random corpora give conserving models of order 2–4', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 2, max: 4 }), (corpus, n) => {
      expect(conservationIssues(kneserNey(['a', 'b', 'c', 'd'], corpus, n))).toEqual([]);
    }), { numRuns: 300 });
  });

  it('property: a changed top-order probability is found at its context (the check keeps no map of the top order)', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 2, maxLength: 8 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 2, max: 4 }), fc.nat(), (corpus, n, pick) => {
      const m = kneserNey(['a', 'b', 'c', 'd'], corpus, n);
      const top = m.grams[n - 1];
      fc.pre(top.length > 0);
      const e = top[pick % top.length];
      const bad = { ...m, grams: m.grams.map((g, i) => (i === n - 1 ? g.map((x) => (x === e ? { ...x, logprob: x.logprob - 0.05 } : x)) : g)) };
      const issues = conservationIssues(bad);
      expect(issues).toContainEqual(expect.objectContaining({ kind: 'not_normalized', words: e.words.slice(0, n - 1), order: n - 1 }));
      expect(indexModel(m, n - 1).maps[n - 1].size).toBe(0);
      expect(indexModel(m).maps[n - 1].size).toBe(top.length);
    }), { numRuns: 200 });
  });
});
