/**
 * Swapping objects of the inference graph (swap.ts; docs/laws.md MX2LM-INFER "swap") on the demo
 * set: an edited profile, retrained weights, a Hugging Face tokenizer.json, removal, and files
 * that are none of these. Replies are compared with the engine's vectors (engine.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemoAiObjects, DEMO_AI_IDS, type DemoAiObject } from '../../cli/demo-ai-objects.ts';
import { MemoryStore, type ObjectStore } from '../objects/server.ts';
import { parseDescriptor } from '../objects/descriptor.ts';
import { AsxError } from '../errors.ts';
import { utf8 } from '../bytes/utf8.ts';
import { loadInference, runInference } from './engine.ts';
import { RepliesDigest, seededPrompts } from './seeded-prompts.ts';
import { removalEntry, swapEntry, swapRoleOf, swapStore, type SwapEntry } from './swap.ts';
import { demoHybridProfile, tiedWeights, tieProfile, TIE_IDS } from './testkit.ts';
import type { Role } from './objects.ts';
import { traceJson, type TraceEvent } from './trace.ts';

const req = (prompt: string) => ({ '@request': 'ai.inference', prompt, profile: DEMO_AI_IDS.profile, projection: 'agent.reply' });
const text = (b: Uint8Array) => new TextDecoder().decode(b);

let demo: DemoAiObject[];
let base: MemoryStore;
beforeAll(async () => {
  demo = await buildDemoAiObjects();
  base = new MemoryStore();
  for (const o of demo) { base.putPayload(o.payload); base.putDescriptor(o.id, o.descriptor); }
});

async function swap(store: ObjectStore, role: Role, bytes: Uint8Array, file: string): Promise<SwapEntry> {
  const id = (DEMO_AI_IDS as Record<string, string>)[role];
  const cur = JSON.parse(text((await store.descriptor(id)) as Uint8Array)) as Record<string, unknown>;
  return swapEntry(role, id, cur, bytes, file);
}

describe('swap.ts', () => {
  it('reads the role of a file from its bytes; anything else is inference_error.unrecognized_file', () => {
    const by = (id: string) => demo.find((o) => o.id === id)!.payload;
    expect(swapRoleOf(by(DEMO_AI_IDS.weights), 'model.safetensors')).toBe('weights');
    expect(swapRoleOf(by(DEMO_AI_IDS.ngram), 'brain.arpa')).toBe('ngram');
    expect(swapRoleOf(by(DEMO_AI_IDS.svg), 'brain.svg')).toBe('svg');
    expect(swapRoleOf(by(DEMO_AI_IDS.profile), 'inference.json')).toBe('profile');
    expect(swapRoleOf(by(DEMO_AI_IDS.tokenizer), 'tokenizer.json')).toBe('tokenizer');
    expect(swapRoleOf(by(DEMO_AI_IDS.vocab), 'vocab.json')).toBe('vocab');
    for (const [bytes, path] of [[utf8('hello'), 'payload$'], [utf8('{"a": 1}'), 'payload$'], [utf8('{"a": '), 'payload$'], [new Uint8Array(0), 'payload$']] as const) {
      const e = (() => { try { swapRoleOf(bytes, 'x.bin'); return null; } catch (err) { return err; } })();
      expect(e).toBeInstanceOf(AsxError);
      expect((e as AsxError).code).toBe('inference_error.unrecognized_file');
      expect((e as AsxError).where).toMatchObject({ path, file: 'x.bin' });
    }
  });

  it('an edited profile (the hybrid collapse): the reply changes and the 1,000 seeded prompts give the hybrid vector', async () => {
    const graph = await loadInference(base, DEMO_AI_IDS.profile);
    const before = new RepliesDigest();
    for (const p of seededPrompts(graph.tokens)) before.add((await runInference(graph, req(p))).bytes);
    expect(before.hex()).toBe('42ff2f2b9f182b97e78b6a4c05c98114551c077178190808c76dfb5a1650d6e7');
    const e = await swap(base, 'profile', demoHybridProfile(), 'hybrid.json');
    const d = parseDescriptor(e.descriptor!, e.id);
    expect(d.hash).toBe(e.hash);
    expect((d as unknown as { mode: string }).mode).toBe('hybrid');
    const model = await loadInference(swapStore(base, [e]), DEMO_AI_IDS.profile);
    expect(model.objects.find((o) => o.role === 'profile')!.hash).toBe(e.hash);
    const after = await runInference(model, req('She walked'));
    expect(text(after.bytes)).toBe('{"format":"structured","prompt":"She walked","prompt_ids":[57,33],"tokens":[32,3,10,4],"text":"she walked to the city.","profile":"object://ai/inference/mx2lm-demo"}');
    const digest = new RepliesDigest(), traces = new RepliesDigest();
    for (const p of seededPrompts(model.tokens)) {
      const events: TraceEvent[] = [];
      digest.add((await runInference(model, req(p), { onTrace: (ev) => events.push(ev) })).bytes);
      traces.add(utf8(traceJson(events)));
    }
    expect(digest.hex()).toBe('6c8a6cc5ce08e8a0a50bbefc756a772b744eae11f694cef00535ef21f0285206');
    // The traces name the objects' hashes, so this digest is that of this swapped profile's bytes.
    expect(traces.hex()).toBe('443972a5a2229c769a35efa526f531c1d515cbc85b8bd3720f2950995dce9980');
  }, 60_000);

  it('retrained weights: layer_map and shape_hash recomputed, the object verifies, the exact tie goes to the lowest id', async () => {
    const V = demo.length && (JSON.parse(text(demo.find((o) => o.id === DEMO_AI_IDS.vocab)!.payload)).tokens as string[]).length;
    const p = await swap(base, 'profile', tieProfile(), 'tie.json');
    const w = await swap(base, 'weights', tiedWeights(V), 'tied.safetensors');
    const wd = JSON.parse(text(w.descriptor!)) as { layer_map: Record<string, number[]>; shape_hash: string; dtype: string };
    expect(wd.layer_map['out.weight']).toEqual([V, 16]);
    expect(wd.dtype).toBe('fp32');
    const model = await loadInference(swapStore(base, [p, w]), DEMO_AI_IDS.profile);
    expect(model.objects.find((o) => o.role === 'weights')!.hash).toBe(w.hash);
    expect((await runInference(model, req('the'))).tokens).toEqual([TIE_IDS.low, TIE_IDS.high]);
  });

  it('weights of the wrong shape are inference_error.illegal_object; a removed object is missing_object naming it', async () => {
    const hybrid = await swap(base, 'profile', demoHybridProfile(), 'hybrid.json');
    const wrong = await swap(base, 'weights', tiedWeights(12), 'small.safetensors');
    const e1 = await loadInference(swapStore(base, [hybrid, wrong]), DEMO_AI_IDS.profile).catch((e: unknown) => e);
    expect((e1 as AsxError).code).toBe('inference_error.illegal_object');
    for (const role of ['svg', 'weights', 'tokenizer'] as const) {
      const id = DEMO_AI_IDS[role];
      const e2 = await loadInference(swapStore(base, [removalEntry(role, id)]), DEMO_AI_IDS.profile).catch((e: unknown) => e);
      expect((e2 as AsxError).code).toBe('inference_error.missing_object');
      expect((e2 as AsxError).message).toContain(id);
    }
  });

  it('a Hugging Face tokenizer.json: ruleset_hash recomputed; a smaller vocabulary changes the prompt ids and the reply', async () => {
    const tok = JSON.parse(text(demo.find((o) => o.id === DEMO_AI_IDS.tokenizer)!.payload)) as { model: { vocab: Record<string, number> } };
    const jury = tok.model.vocab.jury;
    delete tok.model.vocab.jury; // "jury" is now an unknown word
    const e = await swap(base, 'tokenizer', utf8(JSON.stringify(tok)), 'tokenizer.json');
    const orig = await runInference(await loadInference(base, DEMO_AI_IDS.profile), req('The jury'));
    const r = await runInference(await loadInference(swapStore(base, [e]), DEMO_AI_IDS.profile), req('The jury'));
    expect(orig.promptIds).toEqual([3, jury]);
    expect(r.promptIds).toEqual([3, 0]);
    expect(r.hash).not.toBe(orig.hash);
    // An unchanged ruleset_hash with changed bytes would fail legality: prove the recomputation mattered.
    const stale = { ...e, descriptor: utf8(JSON.stringify({ ...JSON.parse(text(e.descriptor!)), ruleset_hash: JSON.parse(text((await base.descriptor(DEMO_AI_IDS.tokenizer))!)).ruleset_hash })) };
    const bad = await loadInference(swapStore(base, [stale]), DEMO_AI_IDS.profile).catch((x: unknown) => x);
    expect((bad as AsxError).code).toBe('inference_error.illegal_object');
  });
});
