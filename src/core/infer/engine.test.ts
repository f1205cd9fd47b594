/**
 * The exact inference engine on the demo AI object set (src/cli/demo-ai-objects.ts): a fixed
 * reply and its hash, determinism (reply and trace bytes), listener on/off, another IntMatmul
 * backend, 1,000 seeded prompts under the demo's graph profile and under a hybrid profile that
 * runs the quantized matrix path (SHA-256 of all replies as literals), an engineered exact tie in
 * the matrix path, a missing object, and bad envelopes (docs/laws.md MX2LM-INFER).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemoAiObjects, DEMO_AI_IDS, type DemoAiObject } from '../../cli/demo-ai-objects.ts';
import { aiDescriptor } from '../objects/ai/describe.ts';
import { MemoryStore } from '../objects/server.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import { utf8 } from '../bytes/utf8.ts';
import { parseSafetensorsHeader } from '../tensors/safetensors.ts';
import { DEMO_HYBRID_PROFILE, DEMO_OBJECT_REFS, tiedWeights, tieProfile, TIE_IDS } from './testkit.ts';
import { shapeHash } from '../objects/ai/weights.ts';
import { AsxError } from '../errors.ts';
import { checkMatmulArgs, type IntMatmul } from './intmatmul.ts';
import { infer, loadInference, runInference, type InferenceModel } from './engine.ts';
import { traceJson, type TraceEvent } from './trace.ts';
import { RepliesDigest, seededPrompts } from './seeded-prompts.ts';

const GLOBAL = ['deterministic', 'no_execution', 'immutable_payload', 'projection_only', 'no_side_effects', 'hash_authority', 'host_agnostic'];
const req = (prompt: string, profile: string = DEMO_AI_IDS.profile) => ({ '@request': 'ai.inference', prompt, profile, projection: 'agent.reply' });
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const hex = (b: Uint8Array) => toHex(sha256(b));

function storeOf(objects: readonly DemoAiObject[]): MemoryStore {
  const s = new MemoryStore();
  for (const o of objects) { s.putPayload(o.payload); s.putDescriptor(o.id, o.descriptor); }
  return s;
}

/** The demo set with its profile replaced (same id, so the reply object's profile_ref holds). */
function withProfile(objects: readonly DemoAiObject[], payload: Record<string, unknown>): DemoAiObject[] {
  const pb = utf8(JSON.stringify(payload));
  const d = aiDescriptor('ai.inference.profile', DEMO_AI_IDS.profile, pb, { type: 'json', mime: 'application/json', location: './inference.json' },
    [...GLOBAL, 'no_sampling', 'no_randomness', 'no_external_state'],
    { mode: payload.mode, inputs: ['ai.tokenizer', 'ai.vocab', 'ai.model.weights', 'ai.brain.*'], output: 'token-stream' }, { default: { type: 'json' }, payload: { type: 'binary' } });
  return objects.map((o) => (o.id === DEMO_AI_IDS.profile ? { id: o.id, descriptor: d, payload: pb } : o));
}

const OBJECTS = DEMO_OBJECT_REFS;
const HYBRID = DEMO_HYBRID_PROFILE;

async function allReplies(model: InferenceModel, prompts: readonly string[]): Promise<{ hash: string; stops: Record<string, number> }> {
  const digest = new RepliesDigest();
  const stops: Record<string, number> = {};
  for (const p of prompts) {
    const r = await runInference(model, req(p, model.profileId));
    digest.add(r.bytes);
    stops[r.stop] = (stops[r.stop] ?? 0) + 1;
  }
  return { hash: digest.hex(), stops };
}

describe('exact inference on the demo set', () => {
  let demo: DemoAiObject[];
  let graph: InferenceModel;
  let hybrid: InferenceModel;
  beforeAll(async () => {
    demo = await buildDemoAiObjects();
    graph = await loadInference(storeOf(demo), DEMO_AI_IDS.profile);
    hybrid = await loadInference(storeOf(withProfile(demo, HYBRID)), DEMO_AI_IDS.profile);
  });

  it('the demo profile\'s reply to "The jury": fixed bytes and hash; "The" gives the demo reply object\'s tokens', async () => {
    const r = await infer(storeOf(demo), req('The jury'));
    expect(text(r.bytes)).toBe('{"format":"structured","prompt":"The jury","prompt_ids":[3,21],"tokens":[6,3,10,4],"text":"the jury said the city.","profile":"object://ai/inference/mx2lm-demo"}');
    expect(r.hash).toBe(`sha256:${hex(r.bytes)}`);
    expect(r.hash).toBe('sha256:58aef8b3533a1140f5ed3831e4dc0fee762de811e1ce195ee310776bd6d5b302');
    const stored = JSON.parse(text(demo.find((o) => o.id === DEMO_AI_IDS.reply)!.payload));
    const the = await runInference(graph, req('The'));
    expect(the.tokens).toEqual(stored.tokens);
    expect(the.payload.text).toBe(stored.text);
  });

  it('the hybrid profile runs the quantized matrix path: fixed reply, trace with layer activations', async () => {
    const events: TraceEvent[] = [];
    const r = await runInference(hybrid, req('She walked'), { onTrace: (e) => events.push(e) });
    expect(text(r.bytes)).toBe('{"format":"structured","prompt":"She walked","prompt_ids":[57,33],"tokens":[32,3,10,4],"text":"she walked to the city.","profile":"object://ai/inference/mx2lm-demo"}');
    const layer = events.find((e) => e.type === 'object.inference.layer')!;
    expect(layer.type === 'object.inference.layer' && layer.matrix?.hidden.width).toBe(16);
    // The activations as the int8 codes of the second product: 16 of them, per-vector max-abs scaled (one is ±127).
    const codes = layer.type === 'object.inference.layer' ? layer.matrix!.hidden.codes : [];
    expect(codes).toHaveLength(16);
    expect(codes.every((q) => Number.isInteger(q) && q >= -127 && q <= 127)).toBe(true);
    expect(Math.max(...codes.map(Math.abs))).toBe(127);
    expect(events.map((e) => e.type)).toEqual(['object.inference.started', ...r.tokens.flatMap(() => ['object.inference.layer', 'object.inference.collapsed']), ...(r.stop === 'max_tokens' ? [] : ['object.inference.layer', 'object.inference.collapsed']), 'object.inference.completed']);
    expect(hex(utf8(traceJson(events)))).toBe('d17e6273dac0fff438f7facb9965084ae6f5983021dc4c44e40056fccfebac87');
  });

  it('the same request twice: identical reply and trace bytes; the listener off changes no reply byte', async () => {
    for (const model of [graph, hybrid]) {
      const runs = [];
      for (let i = 0; i < 2; i++) {
        const ev: TraceEvent[] = [];
        const r = await runInference(model, req('the man walked', model.profileId), { onTrace: (e) => ev.push(e) });
        runs.push({ bytes: text(r.bytes), trace: traceJson(ev) });
      }
      expect(runs[1]).toEqual(runs[0]);
      const off = await runInference(model, req('the man walked', model.profileId));
      expect(text(off.bytes)).toBe(runs[0].bytes);
    }
  });

  it('another IntMatmul backend (reversed sums, recording its calls) gives the same bytes; the engine hands it read-only int8 only', async () => {
    const calls: string[] = [];
    const other: IntMatmul = {
      name: 'reversed',
      async matmul(a, rows, cols, x, batch) {
        checkMatmulArgs(a, rows, cols, x, batch);
        calls.push(`${rows}x${cols}`);
        const out = new Int32Array(batch * rows);
        for (let r = rows - 1; r >= 0; r--) { let s = 0; for (let c = cols - 1; c >= 0; c--) s += a[r * cols + c] * x[c]; out[r] = s; }
        return out;
      },
    };
    for (const p of ['the state', 'It was', 'zebra']) {
      expect(text((await runInference(hybrid, req(p), { matmul: other })).bytes)).toBe(text((await runInference(hybrid, req(p))).bytes));
    }
    expect(new Set(calls)).toEqual(new Set(['16x16', `${hybrid.tokens.length}x16`]));
  });

  it('1,000 seeded prompts: the SHA-256 of all replies, graph and hybrid profiles', async () => {
    const prompts = seededPrompts(graph.tokens);
    expect(prompts.slice(0, 3)).toEqual(['FAIR DOOR . REPORT', 'and', 'they city act city']);
    const g = await allReplies(graph, prompts);
    const h = await allReplies(hybrid, prompts);
    expect([g, h]).toEqual([
      { hash: '42ff2f2b9f182b97e78b6a4c05c98114551c077178190808c76dfb5a1650d6e7', stops: { stop_token: 1000 } },
      { hash: '6c8a6cc5ce08e8a0a50bbefc756a772b744eae11f694cef00535ef21f0285206', stops: { stop_token: 1000 } },
    ]);
  }, 60_000);

  it('an engineered exact tie in the matrix path: identical output rows and biases → the lowest id', async () => {
    // testkit.ts tiedWeights: tokens 5 and 9 share their output row and bias, the top logits.
    const V = graph.tokens.length;
    const wb = tiedWeights(V);
    const h = parseSafetensorsHeader(wb.subarray(0, 8 + Number(new DataView(wb.buffer, wb.byteOffset, 8).getBigUint64(0, true))), wb.length);
    const layerMap = Object.fromEntries(h.tensors.map((t) => [t.name, t.shape]));
    const wd = aiDescriptor('ai.model.weights', DEMO_AI_IDS.weights, wb, { type: 'binary', mime: 'application/x-safetensors', location: './model.safetensors' },
      [...GLOBAL, 'shape_consistent', 'no_training'],
      { format: 'safetensors', dtype: 'fp32', shape_hash: shapeHash(layerMap), layer_map: layerMap, architecture: { name: 'mx2lm', context: 2, embed: 8, hidden: 16, activation: 'tanh' } }, { default: { type: 'binary' }, payload: { type: 'binary' } });
    const objs = withProfile(demo, JSON.parse(text(tieProfile())) as Record<string, unknown>)
      .map((o) => (o.id === DEMO_AI_IDS.weights ? { id: o.id, descriptor: wd, payload: wb } : o));
    const events: TraceEvent[] = [];
    const r = await infer(storeOf(objs), req('the'), { onTrace: (e) => events.push(e) });
    const col = events.filter((e): e is Extract<TraceEvent, { type: 'object.inference.collapsed' }> => e.type === 'object.inference.collapsed');
    const { low: B, high: A } = TIE_IDS;
    expect(col[0].collapsed[0].p).toBe(col[0].collapsed[1].p); // an exact tie
    expect(col[0].collapsed.slice(0, 2).map((c) => c.id)).toEqual([B, A]);
    // Step 0 picks B (lowest id); the repetition rule (unigram window) then excludes B, so step 1 picks A.
    expect(r.tokens).toEqual([B, A]);
  });

  it('a missing object: inference_error.missing_object naming it', async () => {
    for (const gone of [DEMO_AI_IDS.svg, DEMO_AI_IDS.weights, DEMO_AI_IDS.reply, DEMO_AI_IDS.profile]) {
      const err = await infer(storeOf(demo.filter((o) => o.id !== gone)), req('the')).catch((e: unknown) => e);
      expect(err, gone).toBeInstanceOf(AsxError);
      expect((err as AsxError).code).toBe('inference_error.missing_object');
      expect((err as AsxError).message).toContain(gone === DEMO_AI_IDS.reply ? `ai.agent.reply with profile_ref ${DEMO_AI_IDS.profile}` : gone);
    }
    // The n-gram brain is optional (§20.2): without it, its weight is renormalised away.
    const noNgram = withProfile(demo, { ...HYBRID, objects: { ...OBJECTS, ngram: undefined } }).filter((o) => o.id !== DEMO_AI_IDS.ngram);
    expect((await infer(storeOf(noNgram), req('the'))).tokens.length).toBeGreaterThan(0);
  });

  it('bad envelopes: inference_error.bad_request, nothing else accepted', async () => {
    const s = storeOf(demo);
    const bad: unknown[] = [
      { ...req('the'), temperature: 0.7 },
      { ...req('the'), max_tokens: 3 },
      { '@request': 'ai.inference', prompt: 'the', profile: DEMO_AI_IDS.profile },
      { ...req('the'), '@request': 'ai.generate' },
      { ...req('the'), projection: 'text' },
      { ...req('the'), profile: 'default' },
      { ...req('the'), prompt: 7 },
      [req('the')],
      '{"@request": "ai.inference"',
      { ...req('x'.repeat(4097)) },
    ];
    for (const b of bad) {
      const err = await infer(s, b).catch((e: unknown) => e);
      expect((err as AsxError).code, JSON.stringify(b).slice(0, 80)).toBe('inference_error.bad_request');
    }
    const err = await runInference(graph, req('the', 'object://ai/inference/other')).catch((e: unknown) => e);
    expect((err as AsxError).code).toBe('inference_error.bad_request');
    expect(text((await infer(s, JSON.stringify(req('the')))).bytes)).toBe(text((await runInference(graph, req('the'))).bytes));
  });
});
