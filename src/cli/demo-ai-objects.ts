/**
 * The demo AI object set (docs/laws.md AI-DEMO): one legal object of each §16 type, built
 * deterministically from a tiny corpus written below (Brown-corpus-like news and fiction
 * sentences, written for this file). Same code → byte-identical payloads and descriptors.
 *
 *   vocab      object://ai/vocab/mx2lm-demo          {"tokens": [...]}  (<unk> <s> </s>, then words by frequency, ties in UTF-8 order)
 *   tokenizer  object://ai/tokenizer/mx2lm-demo      Hugging Face tokenizer.json, WordLevel + Lowercase + Whitespace
 *   weights    object://ai/weights/mx2lm-demo        safetensors, MX2LM matrix path, seeded init (untrained)
 *   n-gram     object://ai/brain/ngram/mx2lm-demo    ARPA, interpolated Kneser-Ney bigram (D = 0.75)
 *   svg brain  object://ai/brain/svg/mx2lm-demo      canonical SVG-tensor token transition graph
 *   profile    object://ai/inference/mx2lm-demo      graph mode, collapse = the n-gram brain, argmax
 *   reply      object://ai/agent/reply/mx2lm-demo    the profile's greedy continuation of "the"
 *
 * Nothing here reads files, the clock or the environment; the caller stores the result.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { utf8, compareUtf8 } from '../core/bytes/utf8.ts';
import { encodeFloats } from '../core/tensors/safetensors.ts';
import { saveSafetensors } from '../core/tensors/write.ts';
import { writeArpa } from '../core/ngram/arpa.ts';
import { conditional, indexModel } from '../core/ngram/conservation.ts';
import { kneserNeyBigram, BOS, EOS, UNK } from '../core/ngram/kneser-ney.ts';
import { canonicalize } from '../core/svg/canonical.ts';
import { rulesetHash } from '../core/objects/ai/tokenizer.ts';
import { shapeHash } from '../core/objects/ai/weights.ts';
import { aiDescriptor } from '../core/objects/ai/describe.ts';

export interface DemoAiObject {
  id: string;
  descriptor: Record<string, unknown>;
  payload: Uint8Array;
}

export const DEMO_AI_IDS = {
  vocab: 'object://ai/vocab/mx2lm-demo',
  tokenizer: 'object://ai/tokenizer/mx2lm-demo',
  weights: 'object://ai/weights/mx2lm-demo',
  ngram: 'object://ai/brain/ngram/mx2lm-demo',
  svg: 'object://ai/brain/svg/mx2lm-demo',
  profile: 'object://ai/inference/mx2lm-demo',
  reply: 'object://ai/agent/reply/mx2lm-demo',
} as const;

/** The built-in corpus (one sentence a line). */
export const DEMO_CORPUS: readonly string[] = [
  'The jury said the election was conducted well.',
  'The city council said it would study the plan.',
  'The man walked into the room and sat down.',
  'She said the house was quiet in the evening.',
  'The president said the state would act.',
  'It was a long day for the men in the field.',
  'The committee said the report was fair.',
  'He walked to the door and looked at the city.',
  'The woman said it was time to go home.',
  'They said the money was spent on the schools.',
  'The state will study the report in the fall.',
  'The room was dark and the house was quiet.',
  'He said the jury would act in the morning.',
  'The men looked at the plan for a long time.',
  'It was the first time the council had met.',
  'The schools in the city were open in the fall.',
];

/** The pre-tokenization of the tokenizer (Lowercase, then Whitespace `\w+|[^\w\s]+`), for ASCII text. */
export function demoWords(sentence: string): string[] {
  return sentence.toLowerCase().match(/\w+|[^\w\s]+/g) ?? [];
}

/** xorshift32 in [−scale, scale), rounded to f32; one stream for all tensors in declaration order. */
function seededValues(n: number, state: { x: number }, scale: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let x = state.x;
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    state.x = x >>> 0;
    out.push(Math.fround(((state.x / 2 ** 32) * 2 - 1) * scale));
  }
  return out;
}


const GLOBAL = ['deterministic', 'no_execution', 'immutable_payload', 'projection_only', 'no_side_effects', 'hash_authority', 'host_agnostic'];
const RAW = { type: 'binary' };
const JSON_PROJECTIONS = { default: { type: 'json' }, payload: RAW };
const BINARY_PROJECTIONS = { default: RAW, payload: RAW };

export const DEMO_DIMS = { embed: 8, context: 2, hidden: 16 } as const;

export async function buildDemoAiObjects(): Promise<DemoAiObject[]> {
  // Corpus → words → vocabulary (specials first, then frequency, ties in UTF-8 order).
  const sentences = DEMO_CORPUS.map(demoWords);
  const freq = new Map<string, number>();
  for (const s of sentences) for (const w of s) freq.set(w, (freq.get(w) ?? 0) + 1);
  const words = [...freq.keys()].sort((a, b) => freq.get(b)! - freq.get(a)! || compareUtf8(a, b));
  const tokens = [UNK, BOS, EOS, ...words];
  const V = tokens.length;

  // vocab
  const vocabBytes = utf8(JSON.stringify({ tokens }));
  const vocab = aiDescriptor('ai.vocab', DEMO_AI_IDS.vocab, vocabBytes, { type: 'json', mime: 'application/json', location: './vocab.json' },
    [...GLOBAL, 'one_to_one_mapping'], { size: V, mapping: 'token_to_symbol', encoding: 'utf-8' },
    { default: { type: 'json', emit: '@payload.tokens' }, payload: RAW });

  // tokenizer.json (WordLevel: a word is a token, anything else <unk>)
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tj = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, UNK), special(1, BOS), special(2, EOS)],
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab: Object.fromEntries(tokens.map((t, i) => [t, i])), unk_token: UNK },
  };
  const tokBytes = utf8(`${JSON.stringify(tj, null, 2)}\n`);
  const tokenizer = aiDescriptor('ai.tokenizer', DEMO_AI_IDS.tokenizer, tokBytes, { type: 'json', mime: 'application/json', location: './tokenizer.json' },
    [...GLOBAL, 'fixed_vocab', 'no_context_dependency'], { tokenizer_type: 'wordlevel', ruleset_hash: rulesetHash(tj), vocab_ref: DEMO_AI_IDS.vocab },
    JSON_PROJECTIONS);

  // weights: embeddings of the last k tokens, concatenated, → tanh dense → logits over the vocab.
  const { embed, context, hidden } = DEMO_DIMS;
  const specs: { name: string; shape: number[] }[] = [
    { name: 'embed.weight', shape: [V, embed] },
    { name: 'hidden.weight', shape: [hidden, context * embed] },
    { name: 'hidden.bias', shape: [hidden] },
    { name: 'out.weight', shape: [V, hidden] },
    { name: 'out.bias', shape: [V] },
  ];
  const rng = { x: 20030101 };
  const tensors = specs.map((s) => ({ name: s.name, dtype: 'F32' as const, shape: s.shape, data: encodeFloats(seededValues(s.shape.reduce((a, b) => a * b, 1), rng, s.name.endsWith('.bias') ? 0 : 0.1), 'F32') }));
  const weightsBytes = saveSafetensors(tensors);
  const layerMap = Object.fromEntries(specs.map((s) => [s.name, s.shape]));
  const weights = aiDescriptor('ai.model.weights', DEMO_AI_IDS.weights, weightsBytes, { type: 'binary', mime: 'application/x-safetensors', location: './model.safetensors' },
    [...GLOBAL, 'shape_consistent', 'no_training'],
    { format: 'safetensors', dtype: 'fp32', shape_hash: shapeHash(layerMap), layer_map: layerMap, architecture: { name: 'mx2lm', context, embed, hidden, activation: 'tanh', init: 'xorshift32 seed 20030101, uniform ±0.1, biases 0' } },
    BINARY_PROJECTIONS);

  // n-gram brain
  const model = kneserNeyBigram(tokens, sentences);
  const arpaBytes = utf8(writeArpa(model));
  const ngram = aiDescriptor('ai.brain.ngram', DEMO_AI_IDS.ngram, arpaBytes, { type: 'binary', mime: 'text/x-arpa', location: './brain.arpa' },
    [...GLOBAL, 'order_fixed', 'probability_conserved'], { order: 2, domain: 'token', transition_space: 'closed', vocab_ref: DEMO_AI_IDS.vocab, smoothing: 'interpolated-kneser-ney', discount: 0.75 },
    BINARY_PROJECTIONS);

  // SVG-tensor brain: node i on a 10-wide grid; an edge path per listed bigram h → w (h ≠ w),
  // stroke-width = P(w | h) to 3 decimals (confidence), one group per context.
  const ix = indexModel(model);
  const pos = (i: number) => [(i % 10) * 10 + 5, Math.floor(i / 10) * 10 + 5];
  const idOf = new Map(tokens.map((t, i) => [t, i]));
  const groups = new Map<number, string[]>();
  for (const e of model.grams[1]) {
    const h = idOf.get(e.words[0])!, w = idOf.get(e.words[1])!;
    if (h === w) continue;
    const p = conditional(ix, [e.words[0]], e.words[1]);
    const [x1, y1] = pos(h), [x2, y2] = pos(w);
    let g = groups.get(h);
    if (!g) groups.set(h, (g = []));
    g.push(`<path id="e${h}-${w}" d="M${x1} ${y1} L${x2} ${y2}" stroke-width="${Math.max(0.001, Number(p.toFixed(3)))}"/>`);
  }
  const rows = Math.ceil(V / 10);
  const svgSource = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 ${rows * 10}">${[...groups].map(([h, g]) => `<g id="t${h}">${g.join('')}</g>`).join('')}</svg>`;
  const svgBytes = canonicalize(svgSource).bytes;
  const svg = aiDescriptor('ai.brain.svg-tensor', DEMO_AI_IDS.svg, svgBytes, { type: 'binary', mime: 'application/vnd.asx.svg-tensor', location: './brain.svg' },
    [...GLOBAL, 'geometry_is_weight', 'no_visual_semantics', 'deterministic_traversal'],
    { geometry_space: '2d', weight_encoding: 'path', topology: 'graph', vocab_ref: DEMO_AI_IDS.vocab, node_layout: 'token id i at ((i mod 10)·10 + 5, floor(i / 10)·10 + 5); group t<h> holds the edges from token h' },
    BINARY_PROJECTIONS);

  // profile: graph mode, the collapse is the n-gram brain alone (the demo weights are untrained).
  const profilePayload = {
    mode: 'graph',
    objects: { tokenizer: DEMO_AI_IDS.tokenizer, vocab: DEMO_AI_IDS.vocab, weights: DEMO_AI_IDS.weights, ngram: DEMO_AI_IDS.ngram, svg: DEMO_AI_IDS.svg },
    collapse: { alpha: 0, beta: 0, gamma: 1 },
    selector: 'argmax',
    tie: 'lowest_id',
    context: 1,
    max_tokens: 12,
    stop: EOS,
  };
  const profileBytes = utf8(JSON.stringify(profilePayload));
  const profile = aiDescriptor('ai.inference.profile', DEMO_AI_IDS.profile, profileBytes, { type: 'json', mime: 'application/json', location: './inference.json' },
    [...GLOBAL, 'no_sampling', 'no_randomness', 'no_external_state'], { mode: 'graph', inputs: ['ai.tokenizer', 'ai.vocab', 'ai.brain.*'], output: 'token-stream' },
    JSON_PROJECTIONS);

  // reply: encode the prompt with the tokenizer, then argmax P_ngram(w | previous) (lowest id on ties) until </s>.
  const tok = new Tokenizer(tj, { unk_token: UNK });
  const prompt = 'The';
  const promptIds = tok.encode(prompt, { add_special_tokens: false }).ids.map(Number);
  const out: number[] = [];
  let prev = tokens[promptIds[promptIds.length - 1]];
  for (let step = 0; step < profilePayload.max_tokens; step++) {
    let best = -1, bestP = -1;
    for (let w = 0; w < V; w++) {
      if (tokens[w] === BOS) continue;
      const p = conditional(ix, [prev], tokens[w]);
      if (p > bestP) { best = w; bestP = p; }
    }
    if (tokens[best] === EOS) break;
    out.push(best);
    prev = tokens[best];
  }
  const replyPayload = {
    format: 'structured',
    prompt,
    prompt_ids: promptIds,
    tokens: out,
    text: tok.decode([...promptIds, ...out]),
    profile: DEMO_AI_IDS.profile,
    selector: 'argmax over P_ngram(w | previous token), lowest id on ties, stop at </s>',
  };
  const replyBytes = utf8(JSON.stringify(replyPayload));
  const reply = aiDescriptor('ai.agent.reply', DEMO_AI_IDS.reply, replyBytes, { type: 'json', mime: 'application/json', location: './reply.json' },
    [...GLOBAL], { format: 'structured', postprocessing: 'detokenize', vocab_ref: DEMO_AI_IDS.vocab, profile_ref: DEMO_AI_IDS.profile },
    { default: { type: 'json' }, text: { type: 'json', emit: '@payload.text' }, payload: RAW });

  return [
    { id: DEMO_AI_IDS.vocab, descriptor: vocab, payload: vocabBytes },
    { id: DEMO_AI_IDS.tokenizer, descriptor: tokenizer, payload: tokBytes },
    { id: DEMO_AI_IDS.weights, descriptor: weights, payload: weightsBytes },
    { id: DEMO_AI_IDS.ngram, descriptor: ngram, payload: arpaBytes },
    { id: DEMO_AI_IDS.svg, descriptor: svg, payload: svgBytes },
    { id: DEMO_AI_IDS.profile, descriptor: profile, payload: profileBytes },
    { id: DEMO_AI_IDS.reply, descriptor: reply, payload: replyBytes },
  ];
}
