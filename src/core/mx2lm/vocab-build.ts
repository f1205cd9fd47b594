/**
 * The MX2LM vocabulary and word-level tokenizer (docs/laws.md MX2LM-CORPUS), built from the
 * train split's sentences: `<unk>`, `<s>`, `</s>` (ids 0, 1, 2), then every word with count ≥
 * `minCount` (default MX2LM_MIN_COUNT), by count descending, ties in UTF-8 byte order. The
 * tokenizer is a Hugging Face `tokenizer.json` of the same shape as the demo's
 * (src/cli/demo-ai-objects.ts): WordLevel over that vocabulary with `<unk>` as unk_token, the
 * `Lowercase` normaliser and the `Whitespace` pre-tokenizer, the three specials as added
 * tokens; serialised as `JSON.stringify(value, null, 2)` + LF. The `ai.vocab.v1` payload is
 * `{"tokens": [...]}` (id = index), `JSON.stringify` without spaces.
 */
import { compareUtf8, utf8 } from '../bytes/utf8.ts';
import { BOS, EOS, UNK } from '../ngram/kneser-ney.ts';

export const MX2LM_MIN_COUNT = 8;
export const SPECIAL_TOKENS: readonly string[] = [UNK, BOS, EOS];

/** Word counts of sentences. */
export function countWords(sentences: readonly (readonly string[])[]): Map<string, number> {
  const freq = new Map<string, number>();
  for (const s of sentences) for (const w of s) freq.set(w, (freq.get(w) ?? 0) + 1);
  return freq;
}

/** The vocabulary (token by id). A word spelled like a special token is not listed twice. */
export function buildVocab(sentences: readonly (readonly string[])[], minCount = MX2LM_MIN_COUNT): string[] {
  if (!Number.isInteger(minCount) || minCount < 1) throw new RangeError(`minCount ${minCount}: an integer ≥ 1`);
  const freq = countWords(sentences);
  const ws = [...freq].filter(([w, c]) => c >= minCount && !SPECIAL_TOKENS.includes(w))
    .sort((a, b) => b[1] - a[1] || compareUtf8(a[0], b[0])).map(([w]) => w);
  return [...SPECIAL_TOKENS, ...ws];
}

/** The HF tokenizer.json value of a vocabulary (token by id, the specials first). */
export function tokenizerJson(tokens: readonly string[]): Record<string, unknown> {
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((t, i) => special(i, t)),
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab: Object.fromEntries(tokens.map((t, i) => [t, i])), unk_token: UNK },
  };
}

/** The tokenizer.json bytes. */
export function tokenizerBytes(tokens: readonly string[]): Uint8Array {
  return utf8(`${JSON.stringify(tokenizerJson(tokens), null, 2)}\n`);
}

/** The `ai.vocab.v1` payload bytes. */
export function vocabBytes(tokens: readonly string[]): Uint8Array {
  return utf8(JSON.stringify({ tokens }));
}

/** Words outside the vocabulary as `<unk>` (the tokenizer's mapping of already-split words). */
export function mapUnknown(sentences: readonly (readonly string[])[], tokens: readonly string[]): string[][] {
  const known = new Set(tokens);
  return sentences.map((s) => s.map((w) => (known.has(w) ? w : UNK)));
}

/** Tokens and `<unk>` tokens of sentences (words only, `</s>` not counted). */
export function oovCount(sentences: readonly (readonly string[])[], tokens: readonly string[]): { tokens: number; unk: number } {
  const known = new Set(tokens);
  let n = 0, u = 0;
  for (const s of sentences) for (const w of s) { n++; if (!known.has(w)) u++; }
  return { tokens: n, unk: u };
}
