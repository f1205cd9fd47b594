/**
 * Token streams for training and evaluation (docs/laws.md G-RUN "streams"): sentences → vocab
 * ids, each sentence followed by `</s>` (train.ts gives the first tokens of a sentence `<s>`
 * context itself). The corpus objects hold one normalised sentence a line (words joined by one
 * space), so `sentencesOfLines(linesOfSentences(s))` is `s`.
 *
 * A word-level tokenizer of the project's shape (WordLevel + Lowercase + Whitespace,
 * vocab-build.ts) is applied as its vocab map: the words are already the pre-tokenizer's
 * output (corpus.ts `words`), so the map gives what `@huggingface/tokenizers` gives (tested
 * against it on real text). Any other tokenizer.json (BPE, WordPiece, Unigram) is run through
 * `@huggingface/tokenizers` sentence by sentence.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { AsxError } from '../errors.ts';
import { words } from './corpus.ts';

export function sentencesOfLines(text: string): string[][] {
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    const w = words(line);
    if (w.length > 0) out.push(w);
  }
  return out;
}

export function linesOfSentences(sentences: readonly (readonly string[])[]): string {
  let s = '';
  for (const x of sentences) s += `${x.join(' ')}\n`;
  return s;
}

export interface TokenIds {
  /** Vocab size (the largest id + 1). */
  readonly size: number;
  readonly unk: number;
  readonly bos: number;
  readonly eos: number;
  encode(sentences: readonly (readonly string[])[]): Int32Array;
  decode(id: number): string;
}

function bad(message: string, path: string): AsxError {
  return new AsxError('bad_input', message, { path });
}

/** The encoder a tokenizer.json describes; `<s>`, `</s>` and `<unk>` must be in its vocab. */
export function tokenIdsOf(tokenizerJson: unknown): TokenIds {
  if (!tokenizerJson || typeof tokenizerJson !== 'object') throw bad('the tokenizer is not a JSON object', '$');
  const tj = tokenizerJson as { model?: { type?: unknown; vocab?: unknown; unk_token?: unknown }; normalizer?: { type?: unknown } | null; pre_tokenizer?: { type?: unknown } | null; added_tokens?: Array<{ id?: unknown; content?: unknown }> };
  const model = tj.model;
  if (!model || typeof model !== 'object') throw bad('the tokenizer has no model', '$.model');
  const byToken = new Map<string, number>();
  if (model.vocab && typeof model.vocab === 'object' && !Array.isArray(model.vocab)) {
    for (const [t, id] of Object.entries(model.vocab as Record<string, unknown>)) if (Number.isSafeInteger(id)) byToken.set(t, id as number);
  } else if (Array.isArray(model.vocab)) {
    (model.vocab as unknown[]).forEach((e, i) => { if (Array.isArray(e) && typeof e[0] === 'string') byToken.set(e[0], i); });
  }
  for (const a of tj.added_tokens ?? []) if (typeof a?.content === 'string' && Number.isSafeInteger(a.id)) byToken.set(a.content, a.id as number);
  const need = (t: string) => {
    const id = byToken.get(t);
    if (id === undefined) throw bad(`the tokenizer has no ${t} token (the gym marks sentences with <s> and </s> and unknown words with <unk>)`, '$.model.vocab');
    return id;
  };
  const unk = need('<unk>'), bos = need('<s>'), eos = need('</s>');
  let size = 0;
  const byId: string[] = [];
  for (const [t, id] of byToken) { size = Math.max(size, id + 1); byId[id] = t; }
  const fast = model.type === 'WordLevel' && tj.normalizer?.type === 'Lowercase' && tj.pre_tokenizer?.type === 'Whitespace';
  const hf = fast ? null : new Tokenizer(tokenizerJson as object, typeof model.unk_token === 'string' ? { unk_token: model.unk_token } : {});
  return {
    size, unk, bos, eos,
    decode: (id) => byId[id] ?? '<unk>',
    encode(sentences) {
      const parts: number[][] = [];
      let n = 0;
      for (const s of sentences) {
        let ids: number[];
        if (hf) ids = (hf.encode(s.join(' '), { add_special_tokens: false }) as { ids: number[] }).ids;
        else ids = s.map((w) => byToken.get(w) ?? unk);
        parts.push(ids);
        n += ids.length + 1;
      }
      const out = new Int32Array(n);
      let o = 0;
      for (const ids of parts) { out.set(ids, o); o += ids.length; out[o++] = eos; }
      return out;
    },
  };
}

/**
 * A user's own text files as train and validation sentences (G-RUN "user text"): each file is
 * read by corpus.ts `parseText`; in each file, sentence i goes to validation when i mod 10 = 9,
 * otherwise to train. Files are taken in the order given.
 */
export function splitUserSentences(files: ReadonlyArray<readonly (readonly string[])[]>): { train: string[][]; valid: string[][] } {
  const train: string[][] = [], valid: string[][] = [];
  for (const sentences of files) sentences.forEach((s, i) => (i % 10 === 9 ? valid : train).push([...s]));
  return { train, valid };
}
