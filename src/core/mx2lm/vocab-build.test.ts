import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '@huggingface/tokenizers';
import { loadBrownSplit, sentencesOf } from '../../cli/brown.ts';
import { checkTokenizer, rulesetHash } from '../objects/ai/tokenizer.ts';
import { checkVocab } from '../objects/ai/vocab.ts';
import { buildVocab, MX2LM_MIN_COUNT, oovCount, tokenizerBytes, tokenizerJson, vocabBytes } from './vocab-build.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('buildVocab rules', () => {
  it('specials first, then count descending, ties in UTF-8 byte order, count ≥ minCount', () => {
    const s = [['b', 'a', 'é', 'z', 'a'], ['b', '\u{1f642}', '\uffff', 'z', 'rare'], ['\u{1f642}', '\uffff', 'é', '<s>']];
    expect(buildVocab(s, 2)).toEqual(['<unk>', '<s>', '</s>', 'a', 'b', 'z', 'é', '\uffff', '\u{1f642}']);
    expect(buildVocab([...s].reverse(), 2)).toEqual(buildVocab(s, 2));
    expect(() => buildVocab(s, 0)).toThrow(RangeError);
  });
});

describe('the Brown vocabulary and tokenizer (docs/laws.md MX2LM-CORPUS)', () => {
  const split = loadBrownSplit();
  const train = sentencesOf(split.train);
  const tokens = buildVocab(train);
  const tjBytes = tokenizerBytes(tokens);
  const vBytes = vocabBytes(tokens);

  it('8,693 tokens from the train words with count ≥ 8, byte-for-byte fixed', () => {
    expect(MX2LM_MIN_COUNT).toBe(8);
    expect(tokens.length).toBe(8693);
    expect(tokens.slice(0, 12)).toEqual(['<unk>', '<s>', '</s>', 'the', ',', '.', 'of', 'and', 'to', 'a', 'in', '"']);
    expect(tokens.slice(-3)).toEqual(['yugoslav', 'zinc', 'zone']);
    expect([tjBytes.length, sha(tjBytes)]).toEqual([198639, 'b8fb6fc82a906913f9c3a6fc9c56c6747158d1e7952c3058b5d08033e9d127e1']);
    expect([vBytes.length, sha(vBytes)]).toEqual([85904, '0bf2ac616b8fcff9ae79ef3596274345df490042d5966e4c51fab97212cc41d5']);
  });

  it('OOV (<unk>) tokens of each split', () => {
    expect(oovCount(train, tokens)).toEqual({ tokens: 968054, unk: 64515 });
    expect(oovCount(sentencesOf(split.validation), tokens)).toEqual({ tokens: 120230, unk: 10778 });
    expect(oovCount(sentencesOf(split.test), tokens)).toEqual({ tokens: 120760, unk: 10793 });
  });

  it('the vocab and the tokenizer are legal ai.vocab.v1 / ai.tokenizer.v1 payloads', () => {
    const v = checkVocab({ size: tokens.length }, vBytes);
    expect(v.findings).toEqual([]);
    const tj = tokenizerJson(tokens);
    const t = checkTokenizer({ tokenizer_type: 'wordlevel', ruleset_hash: rulesetHash(tj) }, tjBytes, { vocab: v.table! });
    expect(t.findings).toEqual([]);
  });

  it('@huggingface/tokenizers encodes a sentence to the expected ids', () => {
    const tok = new Tokenizer(JSON.parse(new TextDecoder().decode(tjBytes)) as object, { unk_token: '<unk>' });
    const e = tok.encode('The jury said, "Atlanta\'s election was quietly conducted by zxqv."', { add_special_tokens: false });
    expect(e.ids.map(Number)).toEqual([3, 1519, 69, 4, 11, 2539, 12, 25, 1360, 16, 2398, 1929, 29, 0, 0]);
    expect(e.tokens.slice(-2)).toEqual(['zxqv', '."']); // both outside the vocabulary
    expect(tok.decode([3, 1519, 69])).toBe('the jury said');
  });
});
