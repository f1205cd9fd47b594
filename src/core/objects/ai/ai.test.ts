import { describe, expect, it } from 'vitest';
import { utf8 } from '../../bytes/utf8.ts';
import { encodeSafetensors, encodeFloats } from '../../tensors/safetensors.ts';
import { payloadHash } from '../server.ts';
import { shapeHash, checkWeights } from './weights.ts';
import { checkVocab } from './vocab.ts';
import { checkAiObject } from './legality.ts';
import { globalFindings } from './global.ts';
import { rulesetHash, checkTokenizer } from './tokenizer.ts';
import { checkProfile } from './profile.ts';
import { checkSvgBrain } from './svg-brain.ts';
import { describeFinding } from './findings.ts';
import { bytesSource, CountingSource } from '../../bytes/source.ts';

const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

describe('AI-WEIGHTS shape_hash', () => {
  it('is SHA-256 of the JCS bytes of layer_map (test vectors)', () => {
    // JCS: {"embed.weight":[4,2],"out.bias":[4],"out.weight":[4,2]} (members sorted, no whitespace)
    expect(shapeHash({ 'out.weight': [4, 2], 'embed.weight': [4, 2], 'out.bias': [4] })).toBe('sha256:060fc8034365f51bf3dbc5bdc5e1bfcccb9c02e0e250ae11abbb0caac7bcd276');
    expect(shapeHash({ a: [] })).toBe('sha256:50e8660084976a10f0b3b9b3a6352d5881cbd219b5587a26224971a60ff2cc55');
  });

  it('checks shapes, dtypes, missing / undeclared tensors and gradients by tensor name', () => {
    const f32 = (n: number) => encodeFloats(new Array(n).fill(0.5), 'F32');
    const file = encodeSafetensors([
      { name: 'w', dtype: 'F32', shape: [2, 3], data: f32(6) },
      { name: 'extra', dtype: 'F32', shape: [1], data: f32(1) },
      { name: 'w.grad', dtype: 'F32', shape: [1], data: f32(1) },
      { name: 'h', dtype: 'F64', shape: [1], data: encodeFloats([1], 'F64') },
    ]);
    const layer_map = { w: [3, 2], h: [1], 'w.grad': [1], gone: [4] };
    const r = checkWeights({ format: 'safetensors', dtype: 'fp32', shape_hash: shapeHash(layer_map), layer_map }, file);
    expect(r.findings.map((f) => [f.code, f.tensor])).toEqual([
      ['weights.dtype_mismatch', 'h'],
      ['weights.undeclared_tensor', 'extra'],
      ['weights.shape_mismatch', 'w'],
      ['weights.gradient_tensor', 'w.grad'],
      ['weights.missing_tensor', 'gone'],
    ]);
    expect(describeFinding(r.findings[2])).toBe('weights.shape_mismatch: shape [2, 3], layer_map declares [3, 2] (at $.layer_map.w, tensor "w")');
    expect(codes(checkWeights({ format: 'safetensors', dtype: 'fp32', shape_hash: shapeHash({ w: [1] }), layer_map }, file))[0]).toBe('weights.shape_hash_mismatch');
    expect(codes(checkWeights({ format: 'safetensors', dtype: 'fp32', layer_map }, utf8('not safetensors')))).toEqual(['weights.bad_safetensors']);
  });
});

describe('AI-LIFECYCLE payload reads', () => {
  it('weights in a ByteSource: only the length and the header are read', async () => {
    const data = encodeFloats(new Array(1 << 16).fill(0.25), 'F32');
    const file = encodeSafetensors([{ name: 'w', dtype: 'F32', shape: [256, 256], data }]);
    const layer_map = { w: [256, 256] };
    const descriptor = { $schema: 'object://schema/ai.model.weights.v1', type: 'ai.model.weights', id: 'object://ai/w/x', hash: payloadHash(file), payload: { type: 'binary' }, projections: { default: { type: 'binary' } }, format: 'safetensors', dtype: 'fp32', shape_hash: shapeHash(layer_map), layer_map };
    const src = new CountingSource(bytesSource(file));
    const r = await checkAiObject({ descriptor, payload: src });
    expect(r.ok).toBe(true);
    expect(src.bytesRead).toBe(file.length - data.length);
    const bad = await checkAiObject({ descriptor: { ...descriptor, layer_map: { w: [256, 255] }, shape_hash: shapeHash({ w: [256, 255] }) }, payload: new CountingSource(bytesSource(file)) });
    expect(bad.findings.map((f) => [f.code, f.tensor])).toEqual([['weights.shape_mismatch', 'w']]);
  });
});

describe('AI-VOCAB', () => {
  it('list form: duplicates at the JSON path; size checked', () => {
    const r = checkVocab({ size: 4 }, utf8('{"tokens":["a","b","a",""]}'));
    expect(r.findings.map((f) => [f.code, f.path])).toEqual([
      ['vocab.duplicate_token', 'payload$.tokens[2]'],
      ['vocab.bad_token', 'payload$.tokens[3]'],
    ]);
    expect(codes(checkVocab({ size: 3 }, utf8('{"tokens":["a","b"]}')))).toEqual(['vocab.size_mismatch']);
  });
  it('vocab.json form: ids one to one and dense', () => {
    expect(checkVocab({ size: 2 }, utf8('{"a":0,"b":1}')).ok).toBe(true);
    expect(codes(checkVocab({ size: 2 }, utf8('{"a":0,"b":0}')))).toEqual(['vocab.duplicate_id']);
    expect(codes(checkVocab({ size: 2 }, utf8('{"a":0,"b":2}')))).toEqual(['vocab.id_gap']);
    expect(codes(checkVocab({ size: 2 }, utf8('{"a":0,"a":1}')))).toEqual(['vocab.bad_payload']);
    expect(codes(checkVocab({ size: 2 }, utf8('[1,2]')))).toEqual(['vocab.bad_payload']);
  });
});

describe('AI-TOKENIZER over tokenizer.json', () => {
  const vocabTable = (tokens: string[]) => ({ tokens, ids: new Map(tokens.map((t, i) => [t, i])), count: tokens.length });
  const tj = (model: object, extra: object = {}) => ({ version: '1.0', added_tokens: [], normalizer: { type: 'Lowercase' }, pre_tokenizer: { type: 'Whitespace' }, post_processor: null, decoder: null, model, ...extra });
  it('BPE merges must be made of vocabulary tokens', () => {
    const t = tj({ type: 'BPE', vocab: { '[UNK]': 0, a: 1, b: 2, ab: 3 }, merges: ['a b', 'ab c'], unk_token: '[UNK]' });
    const r = checkTokenizer({ tokenizer_type: 'bpe', ruleset_hash: rulesetHash(t) }, utf8(JSON.stringify(t)), { vocab: vocabTable(['[UNK]', 'a', 'b', 'ab']) });
    expect(r.findings.map((f) => [f.code, f.path])).toEqual([['tokenizer.bad_merge', 'payload$.model.merges[1]']]);
  });
  it('a WordPiece model without an unk token emits ids outside the vocab on unknown text', () => {
    const t = tj({ type: 'WordPiece', vocab: { the: 0, cat: 1 }, continuing_subword_prefix: '##', max_input_chars_per_word: 100 });
    const r = checkTokenizer({ tokenizer_type: 'wordpiece', ruleset_hash: rulesetHash(t) }, utf8(JSON.stringify(t)), { vocab: vocabTable(['the', 'cat']) });
    expect(codes(r)).toContain('tokenizer.emits_outside_vocab');
  });
  it('declared type, ruleset hash, unk token and added tokens', () => {
    const t = tj({ type: 'WordLevel', vocab: { a: 0, b: 1 }, unk_token: '<unk>' }, { added_tokens: [{ id: 5, content: 'a' }] });
    const r = checkTokenizer({ tokenizer_type: 'bpe', ruleset_hash: 'sha256:' + '0'.repeat(64) }, utf8(JSON.stringify(t)), { vocab: vocabTable(['a', 'b']) });
    expect(codes(r).slice(0, 4)).toEqual(['tokenizer.type_mismatch', 'tokenizer.ruleset_hash_mismatch', 'tokenizer.unk_not_in_vocab', 'tokenizer.added_token_conflict']);
  });
});

describe('AI-GLOBAL and AI-SCHEMA', () => {
  it('§16.1 global invariants are findings at the descriptor path', () => {
    const f = globalFindings({ executable: true, authority: 'write', payload: { type: 'stream' }, projections: { default: { emit: { t: '@meta.projected_at' }, requires: ['my.host.hook'] } } });
    expect(f.map((x) => [x.code, x.path])).toEqual([
      ['ai.no_execution', '$.executable'],
      ['ai.immutable_payload', '$.authority'],
      ['ai.projection_only', '$.authority'],
      ['ai.hash_authority', '$.payload.type'],
      ['ai.deterministic', '$.projections.default.emit.t'],
      ['ai.host_agnostic', '$.projections.default.requires[0]'],
    ]);
  });
  it('schema errors carry the JSON path', async () => {
    const payload = utf8('{"tokens":["a"]}');
    const base = { $schema: 'object://schema/ai.vocab.v1', type: 'ai.vocab', id: 'object://ai/vocab/x', hash: payloadHash(payload), payload: { type: 'json' }, projections: { default: {} }, size: 1, mapping: 'token_to_symbol', encoding: 'utf-8' };
    expect((await checkAiObject({ descriptor: base, payload })).ok).toBe(true);
    const bad = await checkAiObject({ descriptor: { ...base, size: 0, mapping: 'x' }, payload });
    expect(bad.findings.map((f) => [f.code, f.path])).toEqual([['ai.schema', '$.size'], ['ai.schema', '$.mapping']]);
    const notAi = await checkAiObject({ descriptor: { id: 'object://a/b' }, payload });
    expect(codes(notAi)).toEqual(['ai.not_ai_object']);
  });
});

describe('AI-SVG-BRAIN', () => {
  it('violations are findings with element path, rule and line/column', () => {
    const r = checkSvgBrain({ geometry_space: '3d' }, utf8('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n  <line x2="1"/>\n  <script>x()</script>\n  <line x2="0"/>\n</svg>'));
    expect(r.findings.map((f) => [f.code, f.path, f.line, f.column])).toEqual([
      ['svg.geometry_space', '$.geometry_space', undefined, undefined],
      ['svg.forbidden-element', '/svg/script[1]', 3, 3],
      ['svg.zero-length', '/svg/line[2]', undefined, undefined], // traversal rules are found on the model, which has no offsets
    ]);
  });
});

describe('AI-PROFILE', () => {
  it('no sampling, argmax, collapse weights summing to 1', () => {
    const p = { mode: 'hybrid', objects: { ngram: 'object://ai/brain/n' }, collapse: { alpha: 0.5, beta: 0.5, gamma: 0.5 }, selector: 'sample', tie: 'lowest_id', context: 2, max_tokens: 8, temperature: 0.7 };
    const r = checkProfile({ mode: 'hybrid', inputs: ['ai.brain.*', 'ai.tokenizer'] }, utf8(JSON.stringify(p)));
    expect(r.findings.map((f) => [f.code, f.path])).toEqual([
      ['profile.sampling_forbidden', 'payload$.temperature'],
      ['profile.bad_selector', 'payload$.selector'],
      ['profile.bad_collapse', 'payload$.collapse'],
      ['profile.missing_input', 'payload$.objects'],
    ]);
  });
});
