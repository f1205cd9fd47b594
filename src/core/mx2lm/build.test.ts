/**
 * The MX2LM Brown object set (docs/laws.md MX2LM-OBJECTS) on the real corpus: ids, object.v1 and
 * §16 legality of every descriptor, corpus line counts, the base weights' shapes and shape_hash,
 * and the payload hashes (deterministic: the same corpus gives these bytes).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBrownSplit, type BrownDocument } from '../../cli/brown.ts';
import type { SplitDocuments } from './split.ts';
import { sentencesOfLines } from './encode.ts';
import { BROWN_ARCHITECTURE, BROWN_IDS, BROWN_OBJECT_IDS, BROWN_TRAINED_WEIGHTS_ID, buildBrownSet, servedDescriptor, type BrownBuild } from './build.ts';
import { checkAiObject } from '../objects/ai/legality.ts';
import { aiTypeOf } from '../objects/ai/schemas.ts';
import { shapeHash } from '../objects/ai/weights.ts';
import { parseDescriptor } from '../objects/descriptor.ts';
import { payloadHash } from '../objects/server.ts';
import { parseSafetensorsHeader } from '../tensors/safetensors.ts';
import { utf8 } from '../bytes/utf8.ts';

const HASHES: Record<string, [number, string]> = {
  'object://corpus/brown/train': [4_924_393, 'sha256:6eac96a928e6c56b5de40ce50ee596f650c243c4b00379f7170186b3acaf014e'],
  'object://corpus/brown/validation': [614_267, 'sha256:d8a3dded280a6120c5e36ef19e5c0bad139b2fc6f49296ca3edc6b87b92f6a74'],
  'object://corpus/brown/test': [618_640, 'sha256:d448834afcbbc45023904b18ba6f4b7030ee3d446465d7b3c0a1904c40e29dae'],
  'object://ai/vocab/mx2lm-brown': [85_904, 'sha256:0bf2ac616b8fcff9ae79ef3596274345df490042d5966e4c51fab97212cc41d5'],
  'object://ai/tokenizer/mx2lm-brown': [198_639, 'sha256:b8fb6fc82a906913f9c3a6fc9c56c6747158d1e7952c3058b5d08033e9d127e1'],
  'object://ai/brain/ngram/mx2lm-brown': [25_756_173, 'sha256:c2fecd5a2b119d9177e3d1a95b3ea7c14baac83d8a3720fbd32a45cce3f8c0be'],
  'object://ai/brain/svg/mx2lm-brown': [331_411, 'sha256:43f5994627cbf8099760c12a2fe7fb831eb08fe0a6a2b6dc5f7ea6272783ad1a'],
  'object://ai/weights/mx2lm-brown-base': [5_648_388, 'sha256:022a42eacdd35545248bf582340eb00f76d51122b34a4fed880cee4814c43729'],
  'object://ai/inference/mx2lm-brown': [417, 'sha256:c1d25ec94f7966b6a60dcfe09f22fe7c3efd0f7bd366725eeaba31144b90114d'],
  'object://ai/agent/reply/mx2lm-brown': [39, 'sha256:52715c7028982bcf1332109ad70777222750735e31c3ccb078831925005e49f4'],
};

describe('the MX2LM Brown object set', () => {
  let split: SplitDocuments<BrownDocument>;
  let set: BrownBuild;
  beforeAll(async () => {
    split = loadBrownSplit();
    set = await buildBrownSet(split);
  }, 60_000);
  const obj = (id: string) => set.objects.find((o) => o.id === id)!;

  it('builds the ten ids, each payload with the recorded size and hash', () => {
    expect(set.objects.map((o) => o.id)).toEqual([...BROWN_OBJECT_IDS]);
    expect(BROWN_OBJECT_IDS).not.toContain(BROWN_TRAINED_WEIGHTS_ID);
    const got = Object.fromEntries(set.objects.map((o) => [o.id, [o.payload.length, payloadHash(o.payload)]]));
    expect(got).toEqual(HASHES);
    for (const o of set.objects) {
      expect(o.descriptor.id).toBe(o.id);
      expect(o.descriptor.hash).toBe(HASHES[o.id]![1]);
      expect((o.descriptor.payload as { size: number }).size).toBe(o.payload.length);
    }
  });

  it('every descriptor is a valid object.v1 (as built and as served), and every AI object is §16-legal with its references resolved', async () => {
    const byId = new Map(set.objects.map((o) => [o.id, o]));
    const resolve = async (id: string) => { const o = byId.get(id); return o ? { descriptor: o.descriptor, payload: async () => o.payload } : null; };
    let ai = 0;
    for (const o of set.objects) {
      for (const d of [o.descriptor, servedDescriptor(o.descriptor)]) expect(parseDescriptor(utf8(JSON.stringify(d)), o.id).id).toBe(o.id);
      expect(servedDescriptor(o.descriptor).invariants).toContain('auditable');
      if (!aiTypeOf(o.descriptor)) { expect(o.id.startsWith('object://corpus/brown/')).toBe(true); continue; }
      ai++;
      const r = await checkAiObject({ descriptor: o.descriptor, payload: o.payload, resolve });
      expect(r.findings, o.id).toEqual([]);
      expect(r.ok).toBe(true);
    }
    expect(ai).toBe(7);
  }, 60_000);

  it('corpus objects: one normalised sentence a line, as many lines as the split has sentences', () => {
    for (const name of ['train', 'validation', 'test'] as const) {
      const o = obj(BROWN_IDS[name]);
      const sentences = split[name].flatMap((d) => d.sentences);
      const text = new TextDecoder().decode(o.payload);
      expect(text.endsWith('\n')).toBe(true);
      expect(text.split('\n').length - 1).toBe(sentences.length);
      expect(set.counts[name].sentences).toBe(sentences.length);
      expect(o.descriptor.payload).toMatchObject({ type: 'binary', mime: 'text/plain', semantics: 'mx2lm.corpus.lines' });
      expect((o.descriptor.projections as Record<string, unknown>).payload).toEqual({ type: 'binary', source: '@payload', encoding: 'raw' });
      if (name !== 'train') expect(sentencesOfLines(text)).toEqual(sentences);
    }
    expect([set.counts.train.sentences, set.counts.validation.sentences, set.counts.test.sentences]).toEqual([46_175, 5_523, 5_642]);
    expect([set.counts.train.words, set.counts.validation.words, set.counts.test.words]).toEqual([968_054, 120_230, 120_760]);
  });

  it('the base weights: the matrix path over the 8,693-token vocabulary, declared shapes, shape_hash and architecture', () => {
    const o = obj(BROWN_IDS.weightsBase);
    const d = o.descriptor as { layer_map: Record<string, number[]>; shape_hash: string; architecture: unknown; dtype: string };
    const V = 8693;
    expect(d.layer_map).toEqual({ 'embed.weight': [V, 32], 'hidden.bias': [128], 'hidden.weight': [128, 96], 'out.bias': [V], 'out.weight': [V, 128] });
    expect(d.shape_hash).toBe(shapeHash(d.layer_map));
    expect(d.shape_hash).toBe('sha256:7d3e7da52bf9b527385baf162b26aab0ab4c971376f55f0cd0c68a726e85ff39');
    expect(d.architecture).toEqual({ ...BROWN_ARCHITECTURE });
    expect(d.architecture).toMatchObject({ name: 'mx2lm', context: 3, embed: 32, hidden: 128, activation: 'tanh' });
    const h = parseSafetensorsHeader(o.payload, o.payload.length);
    expect(Object.fromEntries(h.tensors.map((t) => [t.name, t.shape]))).toEqual(d.layer_map);
    expect(h.tensors.every((t) => t.dtype === 'F32')).toBe(true);
    expect(h.metadata).toEqual({ format: 'pt' });
  });

  it('the profile: hybrid collapse over the set, argmax, lowest id on ties, the base weights until the trained ones exist', () => {
    const p = JSON.parse(new TextDecoder().decode(obj(BROWN_IDS.profile).payload));
    expect(p).toEqual({
      mode: 'hybrid',
      objects: { tokenizer: BROWN_IDS.tokenizer, vocab: BROWN_IDS.vocab, weights: BROWN_IDS.weightsBase, ngram: BROWN_IDS.ngram, svg: BROWN_IDS.svg },
      collapse: { alpha: 0.2, beta: 0.05, gamma: 0.75 },
      selector: 'argmax', tie: 'lowest_id', context: 3, max_tokens: 32, stop: '</s>', repeat: { window: 32, ngram: 2 },
    });
  });
});
