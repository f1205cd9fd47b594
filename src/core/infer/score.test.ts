/**
 * Scoring under the exact engine's collapse (score.ts; docs/laws.md MX2LM-INFER "Scoring") on
 * the demo AI object set with the hybrid profile of engine.test.ts (matrix path on): the scored
 * C of every token the engine selects equals the trace's `chosen.c` bit for bit (both come from
 * `stepDistributions`), each step's distributions sum to 1, the one-domain figures are that
 * domain's P, and the demo corpus's perplexity as a literal.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemoAiObjects, DEMO_AI_IDS, DEMO_CORPUS, demoWords, type DemoAiObject } from '../../cli/demo-ai-objects.ts';
import { aiDescriptor } from '../objects/ai/describe.ts';
import { MemoryStore } from '../objects/server.ts';
import { utf8 } from '../bytes/utf8.ts';
import { exp, log } from '../math/fdlibm.ts';
import { loadInference, runInference, type InferenceModel } from './engine.ts';
import { perplexityOf, scoreIds, scoreSentences } from './score.ts';
import type { TraceEvent } from './trace.ts';
import { readArpa } from '../ngram/arpa.ts';
import { perplexity } from '../mx2lm/ngram-brain.ts';

const GLOBAL = ['deterministic', 'no_execution', 'immutable_payload', 'projection_only', 'no_side_effects', 'hash_authority', 'host_agnostic'];
const OBJECTS = { tokenizer: DEMO_AI_IDS.tokenizer, vocab: DEMO_AI_IDS.vocab, weights: DEMO_AI_IDS.weights, ngram: DEMO_AI_IDS.ngram, svg: DEMO_AI_IDS.svg };
const HYBRID = { mode: 'hybrid', objects: OBJECTS, collapse: { alpha: 0.5, beta: 0.2, gamma: 0.3 }, selector: 'argmax', tie: 'lowest_id', context: 1, max_tokens: 12, stop: '</s>', repeat: { window: 8, ngram: 2 } };
const req = (prompt: string) => ({ '@request': 'ai.inference', prompt, profile: DEMO_AI_IDS.profile, projection: 'agent.reply' });

/** The demo set with its profile replaced by `payload` (as engine.test.ts does). */
function hybridStore(objects: readonly DemoAiObject[], payload: Record<string, unknown>): MemoryStore {
  const pb = utf8(JSON.stringify(payload));
  const d = aiDescriptor('ai.inference.profile', DEMO_AI_IDS.profile, pb, { type: 'json', mime: 'application/json', location: './inference.json' },
    [...GLOBAL, 'no_sampling', 'no_randomness', 'no_external_state'],
    { mode: payload.mode, inputs: ['ai.tokenizer', 'ai.vocab', 'ai.model.weights', 'ai.brain.*'], output: 'token-stream' }, { default: { type: 'json' }, payload: { type: 'binary' } });
  const s = new MemoryStore();
  for (const o of objects) {
    const [descriptor, bytes] = o.id === DEMO_AI_IDS.profile ? [d, pb] : [o.descriptor, o.payload];
    s.putPayload(bytes); s.putDescriptor(o.id, descriptor);
  }
  return s;
}

const sum = (p: Float64Array) => { let s = 0; for (const v of p) s += v; return s; };

describe('scoring under the collapse', () => {
  let hybrid: InferenceModel;
  let ngramOnly: InferenceModel;
  let ngramFull: InferenceModel;
  let demoNgram: Uint8Array;
  beforeAll(async () => {
    const demo = await buildDemoAiObjects();
    hybrid = await loadInference(hybridStore(demo, HYBRID), DEMO_AI_IDS.profile);
    ngramOnly = await loadInference(hybridStore(demo, { ...HYBRID, collapse: { alpha: 0, beta: 0, gamma: 1 } }), DEMO_AI_IDS.profile);
    ngramFull = await loadInference(hybridStore(demo, { ...HYBRID, collapse: { alpha: 0, beta: 0, gamma: 1 }, context: 8 }), DEMO_AI_IDS.profile);
    demoNgram = demo.find((o) => o.id === DEMO_AI_IDS.ngram)!.payload;
  });

  it('the scored C of each token the engine picks is the trace\'s chosen.c, bit for bit', async () => {
    for (const prompt of ['The jury', 'She walked', 'It was', 'zebra']) {
      const events: TraceEvent[] = [];
      const r = await runInference(hybrid, req(prompt), { onTrace: (e) => events.push(e) });
      const chosen = events.filter((e): e is Extract<TraceEvent, { type: 'object.inference.collapsed' }> => e.type === 'object.inference.collapsed').map((e) => e.chosen);
      // The reply plus the stop token the last step chose: every chosen id, scored after the prompt.
      const ids = [...r.promptIds, ...r.tokens, ...(r.stop === 'stop_token' ? [hybrid.stopId] : [])];
      const s = await scoreIds(hybrid, ids);
      const got = Array.from(s.c.subarray(r.promptIds.length));
      expect(got, prompt).toEqual(chosen.slice(0, got.length).map((c) => c.c));
      expect(got.length, prompt).toBe(r.tokens.length + (r.stop === 'stop_token' ? 1 : 0));
    }
  });

  it('each step\'s C and every domain\'s distribution sum to 1; a domain alone scores its own P', async () => {
    let steps = 0;
    const s = await scoreIds(hybrid, hybrid.encoder.encode([demoWords(DEMO_CORPUS[0])]), {
      onStep: (_pos, target, info, buf) => {
        steps++;
        expect(info.weights).not.toBeNull();
        const w = info.weights!;
        expect(Math.abs(sum(buf.pm) - 1)).toBeLessThan(1e-12);
        expect(Math.abs(sum(buf.pn) - 1)).toBeLessThan(1e-4); // the n-gram brain's tolerance (AI-NGRAM)
        if (info.svgPresent) expect(Math.abs(sum(buf.ps) - 1)).toBeLessThan(1e-12);
        // Σ C = 1 but for the n-gram brain's own deviation, weighted by its γ.
        expect(Math.abs(sum(buf.c) - 1)).toBeLessThan(w.gamma * Math.abs(sum(buf.pn) - 1) + 1e-12);
        let c = w.alpha * buf.pm[target];
        if (info.svgPresent) c = c + w.beta * buf.ps[target];
        c = c + w.gamma * buf.pn[target];
        expect(buf.c[target]).toBe(c);
      },
    });
    expect(steps).toBe(s.c.length);
    // The n-gram-only profile's C is the hybrid run's P_ngram, token for token.
    const n = await scoreIds(ngramOnly, hybrid.encoder.encode([demoWords(DEMO_CORPUS[0])]));
    expect(Array.from(n.c)).toEqual(Array.from(s.ngram));
    expect(Array.from(n.matrix).every(Number.isNaN)).toBe(true);
  });

  it('perplexity: exp(−mean ln P) by fdlibm, P = 0 gives +∞; the demo corpus under the hybrid (literal)', async () => {
    expect(perplexityOf([0.5, 0.125]).perplexity).toBe(exp(-(log(0.5) + log(0.125)) / 2));
    expect(perplexityOf([0.5, 0])).toMatchObject({ perplexity: Infinity, zeros: 1, tokens: 2 });
    expect(() => perplexityOf([])).toThrow(RangeError);
    const s = await scoreSentences(hybrid, DEMO_CORPUS.map(demoWords));
    const words = DEMO_CORPUS.reduce((a, t) => a + demoWords(t).length + 1, 0);
    expect(s.c.length).toBe(words);
    const ppl = { hybrid: perplexityOf(s.c), matrix: perplexityOf(s.matrix), ngram: perplexityOf(s.ngram) };
    // The n-gram brain alone with its full history (context ≥ order − 1) is perplexity() of
    // MX2LM-CORPUS (Math.log10 and 10 ** there, fdlibm here: equal to 1e-12 relative).
    const trigram = await scoreSentences(ngramFull, DEMO_CORPUS.map(demoWords));
    const ref = perplexity(readArpa(demoNgram).model, DEMO_CORPUS.map(demoWords));
    expect(Math.abs(perplexityOf(trigram.c).perplexity / ref.perplexity - 1)).toBeLessThan(1e-12);
    expect({ tokens: s.c.length, hybrid: ppl.hybrid.perplexity, matrix: ppl.matrix.perplexity, ngram: ppl.ngram.perplexity }).toEqual({ tokens: 176, hybrid: 6.836017302459298, matrix: 63.99075727404913, ngram: 5.519214721492347 });
  });
});
