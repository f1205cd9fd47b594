/**
 * The MX2LM corpus readers (docs/laws.md MX2LM-CORPUS): one Brown-corpus file (Form C, tagged
 * `word/tag`) or a user's plain text → sentences of words, both with the one normalisation the
 * project's word-level tokenizer applies (so a model's training words are exactly the words its
 * `tokenizer.json` emits for the same text):
 *
 *   words(text) = text.toLowerCase().match(/\w+|[^\w\s]+/g)
 *
 * which is the HF `Lowercase` normaliser followed by the HF `Whitespace` pre-tokenizer as
 * `@huggingface/tokenizers` implements them (JavaScript regexes without the `u` flag: `\w` is
 * ASCII `[A-Za-z0-9_]`, a run of anything else that is not whitespace is one word).
 *
 * Brown: a sentence is one non-blank line (the files indent each with a tab and separate them by
 * blank lines). Each whitespace-separated item is `word/tag`; the tag is after the LAST `/`
 * (`1/2/cd` is the word `1/2`). The tag is dropped whatever it is (suffixes `-hl` headline,
 * `-tl` title, `-nc` cited, `fw-` foreign, `*` negation do not matter: every item is kept).
 * Brown's quote marks `` and '' both become `"` (the mark plain text uses); every other word
 * goes through `words` as it is (`Atlanta's` → `atlanta ' s`, `1/2` → `1 / 2`, `,` → `,`).
 * An item without `/`, with an empty word or an empty tag, or a control character other than
 * tab/CR/LF is malformed (AsxError `bad_input`, with the byte offset of the item).
 *
 * Plain text: the same `words`; a sentence ends after a word that is all punctuation and holds
 * `.`, `!` or `?` (so `.`, `?!`, `."`), at a blank line (a line of only whitespace), or at the end
 * of the text. Other line breaks are spaces. Empty sentences are dropped.
 */
import { AsxError } from '../errors.ts';
import { decodeUtf8Strict } from '../bytes/utf8.ts';

/** The tokenizer's normalisation + pre-tokenization of a text (see above). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/\w+|[^\w\s]+/g) ?? [];
}

/** Brown's two quote marks, mapped to the plain-text one. */
const BROWN_QUOTES = new Set(['``', "''"]);
// Controls other than tab, LF, CR (and DEL): never in a corpus file.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function byteOffset(text: string, index: number): number {
  // ASCII fast path; otherwise count the UTF-8 bytes before index.
  let n = 0;
  for (let i = 0; i < index; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < index) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/** One Brown file's text → its sentences (each a list of words); `file` names it in errors. */
export function parseBrown(text: string, file?: string): string[][] {
  const out: string[][] = [];
  const item = /\S+/g;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    const bad = CONTROL.exec(line);
    if (bad) throw new AsxError('bad_input', `control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} in a Brown file`, { file, offset: byteOffset(text, lineStart + bad.index) });
    const sentence: string[] = [];
    item.lastIndex = 0;
    for (let m = item.exec(line); m; m = item.exec(line)) {
      const it = m[0];
      const slash = it.lastIndexOf('/');
      if (slash <= 0 || slash === it.length - 1) {
        const why = slash < 0 ? 'has no /tag' : slash === 0 ? 'has an empty word' : 'has an empty tag';
        throw new AsxError('bad_input', `Brown item ${JSON.stringify(it.slice(0, 64))} ${why} (items are word/tag)`, { file, offset: byteOffset(text, lineStart + m.index) });
      }
      const w = it.slice(0, slash);
      if (BROWN_QUOTES.has(w)) sentence.push('"');
      else for (const x of words(w)) sentence.push(x);
    }
    if (sentence.length > 0) out.push(sentence);
    lineStart = lineEnd + 1;
  }
  return out;
}

const TERMINAL = /^[^\w\s]*[.!?][^\w\s]*$/;

/** A user's plain text → sentences of words (see above). */
export function parseText(text: string, file?: string): string[][] {
  const bad = CONTROL.exec(text);
  if (bad) throw new AsxError('bad_input', `control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} in a text file`, { file, offset: byteOffset(text, bad.index) });
  const out: string[][] = [];
  for (const para of text.split(/\n[^\S\n]*\n/)) {
    let s: string[] = [];
    for (const w of words(para)) {
      s.push(w);
      if (TERMINAL.test(w)) { out.push(s); s = []; }
    }
    if (s.length > 0) out.push(s);
  }
  return out;
}

/** Strict UTF-8 (a leading BOM is skipped) → text; malformed bytes are AsxError `bad_input`. */
export function decodeText(bytes: Uint8Array, file?: string): string {
  let t: string;
  try { t = decodeUtf8Strict(bytes); } catch {
    throw new AsxError('bad_input', 'the text is not valid UTF-8', { file });
  }
  return t.startsWith('\ufeff') ? t.slice(1) : t;
}
