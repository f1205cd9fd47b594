import { describe, expect, it } from 'vitest';
import { Tokenizer } from '@huggingface/tokenizers';
import { AsxError } from '../errors.ts';
import { utf8 } from '../bytes/utf8.ts';
import { decodeText, parseBrown, parseText, words } from './corpus.ts';
import { tokenizerJson } from './vocab-build.ts';

function err(f: () => unknown): AsxError {
  try { f(); } catch (e) { if (e instanceof AsxError) return e; throw e; }
  throw new Error('no error');
}

describe('words (the tokenizer normalisation)', () => {
  it('lowercases and splits into \\w runs and punctuation runs', () => {
    expect(words('The U.S. said: "1,000 don\'t" — ok?!')).toEqual(['the', 'u', '.', 's', '.', 'said', ':', '"', '1', ',', '000', 'don', "'", 't', '"', '—', 'ok', '?!']);
    expect(words('  \t\n ')).toEqual([]);
    expect(words('naïve_x')).toEqual(['na', 'ï', 've_x']);
  });
  it('is what @huggingface/tokenizers emits for the Lowercase + Whitespace tokenizer', () => {
    const texts = ['The U.S. said: "1,000 don\'t" — ok?!', 'Atlanta\'s 1/2 mile, (about) 3.5%.', 'naïve café 東京 🙂 a_b'];
    for (const t of texts) {
      const ws = words(t);
      const vocab = ['<unk>', '<s>', '</s>', ...new Set(ws)];
      const tok = new Tokenizer(tokenizerJson(vocab) as object, { unk_token: '<unk>' });
      const ids = tok.encode(t, { add_special_tokens: false }).ids.map(Number);
      expect(ids.map((i) => vocab[i])).toEqual(ws);
    }
  });
});

describe('parseBrown', () => {
  it('keeps the word, drops the tag (after the last /), one sentence a non-blank line', () => {
    const text = '\n\n\tThe/at Fulton/np-tl County/nn-tl Jury/nn-tl said/vbd ``/`` no/at evidence/nn \'\'/\'\' ./.\n\n\n\tAtlanta\'s/np$ 1/2/cd mile/nn ,/, isn\'t/bez* it/pps ?/.\n';
    expect(parseBrown(text)).toEqual([
      ['the', 'fulton', 'county', 'jury', 'said', '"', 'no', 'evidence', '"', '.'],
      ['atlanta', "'", 's', '1', '/', '2', 'mile', ',', 'isn', "'", 't', 'it', '?'],
    ]);
  });
  it('keeps headline, title, cited and foreign items like any other', () => {
    expect(parseBrown('\tTOWN/nn-hl ELECTION/nn-hl Le/at-tl Monde/np-tl Sic/fw-rb word/nn-nc ;/.\r\n')).toEqual([['town', 'election', 'le', 'monde', 'sic', 'word', ';']]);
  });
  it('a word that is all slashes before its tag, and quotes inside words', () => {
    expect(parseBrown('\t//cd a``b/nn')).toEqual([['/', 'a', '``', 'b']]);
    expect(parseBrown('')).toEqual([]);
  });
  it('malformed items are bad_input with the file and byte offset', () => {
    let e = err(() => parseBrown('\tThe/at jury\n', 'ca01'));
    expect(e.code).toBe('bad_input');
    expect(e.where).toEqual({ file: 'ca01', offset: 8 });
    expect(e.message).toContain('no /tag');
    e = err(() => parseBrown('\tok/at\n\t/nn', 'x'));
    expect(e.where.offset).toBe(8);
    expect(e.message).toContain('empty word');
    e = err(() => parseBrown('\tword/'));
    expect(e.message).toContain('empty tag');
    e = err(() => parseBrown('\tÉ/nn a\u0001/nn'));
    expect(e.code).toBe('bad_input');
    expect(e.where.offset).toBe(8);
  });
});

describe('parseText', () => {
  it('ends sentences at . ! ? runs, blank lines and the end', () => {
    expect(parseText('Hello there. How are you?! I\nam fine."\n\nNew para\n  \nlast one')).toEqual([
      ['hello', 'there', '.'], ['how', 'are', 'you', '?!'], ['i', 'am', 'fine', '."'], ['new', 'para'], ['last', 'one'],
    ]);
    expect(parseText('The U.S. is big.')).toEqual([['the', 'u', '.'], ['s', '.'], ['is', 'big', '.']]);
    expect(parseText('a\r\n\r\nb')).toEqual([['a'], ['b']]);
    expect(parseText(' \n\n ')).toEqual([]);
  });
  it('control characters are bad_input', () => {
    expect(err(() => parseText('ab\u0000c')).where.offset).toBe(2);
  });
});

describe('decodeText', () => {
  it('strict UTF-8, a leading BOM skipped', () => {
    expect(decodeText(utf8('\ufeffcafé'))).toBe('café');
    const e = err(() => decodeText(new Uint8Array([0x61, 0xff]), 'my.txt'));
    expect(e.code).toBe('bad_input');
    expect(e.where.file).toBe('my.txt');
  });
});
