import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildDemoAiObjects, DEMO_AI_IDS, type DemoAiObject } from './demo-ai-objects.ts';
import { checkAiObject, type AiResolver } from '../core/objects/ai/legality.ts';
import { rulesetHash } from '../core/objects/ai/tokenizer.ts';
import { shapeHash } from '../core/objects/ai/weights.ts';
import { MemoryStore, ObjectServer, payloadHash } from '../core/objects/server.ts';
import { utf8 } from '../core/bytes/utf8.ts';
import { sha256 } from '../core/hash/sha256.ts';
import { toHex } from '../core/bytes/hex.ts';
import { readArpa } from '../core/ngram/arpa.ts';

const objects = await buildDemoAiObjects();
const byId = new Map(objects.map((o) => [o.id, o]));
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function resolverOver(list: DemoAiObject[]): AiResolver {
  const m = new Map(list.map((o) => [o.id, o]));
  return async (id) => { const o = m.get(id); return o ? { descriptor: o.descriptor, payload: async () => o.payload } : null; };
}
const resolve = resolverOver(objects);

/** The object with a new payload and/or descriptor members; hash and size follow the payload. */
function mutate(id: string, payload?: Uint8Array, patch: Record<string, unknown> = {}): DemoAiObject {
  const o = byId.get(id)!;
  const p = payload ?? o.payload;
  const d = { ...o.descriptor, ...patch, hash: payloadHash(p), payload: { ...(o.descriptor.payload as object), size: p.length } };
  return { id, descriptor: d, payload: p };
}
async function codesOf(o: DemoAiObject, r: AiResolver = resolve): Promise<string[]> {
  return (await checkAiObject({ descriptor: o.descriptor, payload: o.payload, resolve: r })).findings.map((f) => f.code);
}

describe('AI-DEMO objects', () => {
  it('one object of each of the 7 types, each legal (schema, §16.1, payload)', async () => {
    const types = [];
    for (const o of objects) {
      const r = await checkAiObject({ descriptor: o.descriptor, payload: o.payload, resolve });
      expect(r.findings, o.id).toEqual([]);
      types.push(r.type);
    }
    expect(types).toEqual(['ai.vocab', 'ai.tokenizer', 'ai.model.weights', 'ai.brain.ngram', 'ai.brain.svg-tensor', 'ai.inference.profile', 'ai.agent.reply']);
  });

  it('is deterministic: two builds are byte-identical; hash = sha256(payload)', async () => {
    const again = await buildDemoAiObjects();
    expect(again.map((o) => [o.id, JSON.stringify(o.descriptor), toHex(o.payload)])).toEqual(objects.map((o) => [o.id, JSON.stringify(o.descriptor), toHex(o.payload)]));
    // Golden payload hashes (docs/laws.md AI-DEMO): the same bytes on every machine.
    expect(objects.map((o) => (o.descriptor.hash as string).slice(7, 15))).toEqual(['d009cdf0', '2952fc08', '2efd1437', 'b56564b3', '87e22d33', '3adcae30', '10d4f842']);
    for (const o of objects) {
      expect(o.descriptor.hash).toBe(`sha256:${toHex(sha256(o.payload))}`);
      expect((o.descriptor.payload as { size: number }).size).toBe(o.payload.length);
    }
  });

  it('the objects serve through the Object Server lifecycle (verify runs ai.legality)', async () => {
    const store = new MemoryStore();
    for (const o of objects) { store.putPayload(o.payload); store.putDescriptor(o.id, o.descriptor); }
    const server = new ObjectServer({ store });
    for (const o of objects) {
      const r = await server.handle({ path: o.id });
      expect(r.ok ? r.status : JSON.stringify(r.json), o.id).toBe(200);
      if (r.ok) expect(r.verification.map((s) => s.check)).toContain('ai.legality');
    }
    const reply = await server.handle({ path: DEMO_AI_IDS.reply, projection: 'text' });
    expect(reply.ok && dec(reply.body as Uint8Array)).toBe('"the city."');
  });

  it('a mutated object fails verification with 422 and the finding', async () => {
    const store = new MemoryStore();
    for (const o of objects) { store.putPayload(o.payload); store.putDescriptor(o.id, o.descriptor); }
    const tokens = JSON.parse(dec(byId.get(DEMO_AI_IDS.vocab)!.payload)).tokens as string[];
    tokens[5] = tokens[4];
    const bad = mutate(DEMO_AI_IDS.vocab, utf8(JSON.stringify({ tokens })));
    store.putPayload(bad.payload); store.putDescriptor(bad.id, bad.descriptor);
    const server = new ObjectServer({ store });
    const r = await server.handle({ path: DEMO_AI_IDS.vocab });
    expect(!r.ok && [r.status, r.json.error.code, r.json.error.message]).toEqual([422, 'invariant_violation', `ai.vocab legality: vocab.duplicate_token: token ${JSON.stringify(tokens[4])} is also id 4 (at payload$.tokens[5])`]);
    // The tokenizer referencing it is refused too: its vocab_ref no longer names a legal vocab.
    const t = await server.handle({ path: DEMO_AI_IDS.tokenizer });
    expect(!t.ok && [t.status, t.json.error.path]).toEqual([422, '$.vocab_ref']);
    expect(!t.ok && t.json.error.message).toMatch(/tokenizer.vocab_ref_illegal/);
  });

  it('a legal result is reused while the object and its references are unchanged; a changed reference re-runs the check', async () => {
    const store = new MemoryStore();
    for (const o of objects) { store.putPayload(o.payload); store.putDescriptor(o.id, o.descriptor); }
    const server = new ObjectServer({ store });
    expect((await server.handle({ path: DEMO_AI_IDS.tokenizer })).status).toBe(200);
    const reads = store.payloadReads;
    expect((await server.handle({ path: DEMO_AI_IDS.tokenizer })).status).toBe(200);
    expect(store.payloadReads).toBe(reads); // neither payload read again
    const tokens = JSON.parse(dec(byId.get(DEMO_AI_IDS.vocab)!.payload)).tokens as string[];
    const bad = mutate(DEMO_AI_IDS.vocab, utf8(JSON.stringify({ tokens: [...tokens.slice(0, -1), 'the'] })));
    store.putPayload(bad.payload); store.putDescriptor(bad.id, bad.descriptor);
    const r = await server.handle({ path: DEMO_AI_IDS.tokenizer });
    expect(!r.ok && [r.status, r.json.error.path]).toEqual([422, '$.vocab_ref']);
  });

  it('mutations fail with the right codes', async () => {
    // duplicate vocab token
    const tokens = JSON.parse(dec(byId.get(DEMO_AI_IDS.vocab)!.payload)).tokens as string[];
    expect(await codesOf(mutate(DEMO_AI_IDS.vocab, utf8(JSON.stringify({ tokens: [...tokens.slice(0, -1), 'the'] }))))).toEqual(['vocab.duplicate_token']);
    expect(await codesOf(mutate(DEMO_AI_IDS.vocab, undefined, { size: tokens.length + 1 }))).toEqual(['vocab.size_mismatch']);

    // weights: a shape that differs from layer_map (shape_hash recomputed, and not)
    const w = byId.get(DEMO_AI_IDS.weights)!;
    const lm = { ...(w.descriptor.layer_map as Record<string, number[]>), 'out.bias': [tokens.length + 1] };
    expect(await codesOf(mutate(DEMO_AI_IDS.weights, undefined, { layer_map: lm, shape_hash: shapeHash(lm) }))).toEqual(['weights.shape_mismatch']);
    expect(await codesOf(mutate(DEMO_AI_IDS.weights, undefined, { layer_map: lm }))).toEqual(['weights.shape_hash_mismatch', 'weights.shape_mismatch']);
    expect(await codesOf(mutate(DEMO_AI_IDS.weights, undefined, { dtype: 'bf16' }))).toEqual(Array(5).fill('weights.dtype_mismatch'));

    // n-gram: probabilities that do not sum to 1, at the line of the context
    const arpa = dec(byId.get(DEMO_AI_IDS.ngram)!.payload);
    const lines = arpa.split('\n');
    const i = lines.findIndex((l) => /\tthe city$/.test(l));
    lines[i] = lines[i].replace(/^[^\t]+/, '-0.2');
    const r = await checkAiObject({ descriptor: mutate(DEMO_AI_IDS.ngram, utf8(lines.join('\n'))).descriptor, payload: utf8(lines.join('\n')), resolve });
    expect(r.findings.map((f) => [f.code, f.line])).toEqual([['ngram.not_normalized', 9]]);
    expect(readArpa(arpa).lines[0].get('the')).toBe(9);
    expect(await codesOf(mutate(DEMO_AI_IDS.ngram, utf8(arpa.replace('ngram 2=', 'ngram 2=1'))))).toEqual(['ngram.arpa.bad_count']);
    expect(await codesOf(mutate(DEMO_AI_IDS.ngram, undefined, { order: 3 }))).toEqual(['ngram.order_mismatch']);

    // tokenizer: a token id outside the vocab object, emitted when encoding
    const tj = JSON.parse(dec(byId.get(DEMO_AI_IDS.tokenizer)!.payload));
    tj.model.vocab.the = tokens.length + 5;
    const tcodes = await codesOf(mutate(DEMO_AI_IDS.tokenizer, utf8(JSON.stringify(tj)), { ruleset_hash: rulesetHash(tj) }));
    expect(tcodes).toEqual(['tokenizer.token_outside_vocab', 'tokenizer.emits_outside_vocab', 'tokenizer.emits_outside_vocab']);
    // … whose vocab reference does not resolve, or names the wrong type
    expect(await codesOf(byId.get(DEMO_AI_IDS.tokenizer)!, resolverOver(objects.filter((o) => o.id !== DEMO_AI_IDS.vocab)))).toEqual(['tokenizer.vocab_ref_unresolved']);
    expect(await codesOf(mutate(DEMO_AI_IDS.tokenizer, undefined, { vocab_ref: DEMO_AI_IDS.weights }))).toEqual(['tokenizer.vocab_ref_wrong_type']);

    // illegal SVG brains: a forbidden element, a zero-length edge, pretty-printed bytes
    const svg = dec(byId.get(DEMO_AI_IDS.svg)!.payload);
    expect(await codesOf(mutate(DEMO_AI_IDS.svg, utf8(svg.replace('</svg>', '<script>x()</script></svg>'))))).toEqual(['svg.forbidden-element']);
    expect(await codesOf(mutate(DEMO_AI_IDS.svg, utf8(svg.replace(/d="M(\d+) (\d+) L\d+ \d+"/, 'd="M$1 $2 L$1 $2"'))))).toEqual(['svg.zero-length']);
    expect(await codesOf(mutate(DEMO_AI_IDS.svg, utf8(svg.replace('><g', '>\n<g'))))).toEqual(['svg.not_canonical']);

    // profile with sampling; reply with an id outside the vocab; a global invariant
    const prof = JSON.parse(dec(byId.get(DEMO_AI_IDS.profile)!.payload));
    expect(await codesOf(mutate(DEMO_AI_IDS.profile, utf8(JSON.stringify({ ...prof, top_k: 5 }))))).toEqual(['profile.sampling_forbidden']);
    expect(await codesOf(mutate(DEMO_AI_IDS.profile, utf8(JSON.stringify({ ...prof, objects: { ...prof.objects, ngram: DEMO_AI_IDS.svg } }))))).toEqual(['profile.input_wrong_type']);
    const rep = JSON.parse(dec(byId.get(DEMO_AI_IDS.reply)!.payload));
    expect(await codesOf(mutate(DEMO_AI_IDS.reply, utf8(JSON.stringify({ ...rep, tokens: [...rep.tokens, 9999] }))))).toEqual(['reply.token_outside_vocab']);
    expect(await codesOf(mutate(DEMO_AI_IDS.reply, undefined, { authority: 'read' }))).toEqual(['ai.projection_only']);
  });

  it('never throws: mutated payloads and descriptors give findings (fuzz, 700 cases)', async () => {
    await fc.assert(fc.asyncProperty(fc.nat(objects.length - 1), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.option(fc.tuple(fc.constantFrom('size', 'order', 'layer_map', 'vocab_ref', 'tokenizer_type', 'format', 'mode', 'inputs', 'geometry_space', 'type'), fc.jsonValue({ maxDepth: 2 }))), async (k, muts, patch) => {
      const o = objects[k];
      const p = new Uint8Array(o.payload);
      for (const [i, v] of muts) p[i % p.length] = v;
      const m = mutate(o.id, p, patch ? { [patch[0]]: patch[1] } : {});
      const r = await checkAiObject({ descriptor: m.descriptor, payload: m.payload, resolve });
      expect(typeof r.ok).toBe('boolean');
      for (const f of r.findings) { expect(f.code).toMatch(/^[a-z]+(\.[a-z0-9_.-]+)+$/); expect(f.code, f.message).not.toBe('ai.check_failed'); }
    }), { numRuns: 700 });
  }, 60_000);
});
