/**
 * The MX2LM Brown object set (docs/laws.md MX2LM-OBJECTS; `asx mx2lm build`,
 * src/server/brownStore.ts): from the Brown split, deterministically,
 *
 *   object://corpus/brown/{train,validation,test}  one normalised sentence a line (text/plain, object.v1)
 *   object://ai/vocab/mx2lm-brown                  {"tokens": [...]} (vocab-build.ts)
 *   object://ai/tokenizer/mx2lm-brown              HF tokenizer.json, WordLevel + Lowercase + Whitespace
 *   object://ai/brain/ngram/mx2lm-brown            ARPA, interpolated Kneser-Ney trigram (ngram-brain.ts)
 *   object://ai/brain/svg/mx2lm-brown              canonical SVG-tensor token graph (svg-graph.ts)
 *   object://ai/weights/mx2lm-brown-base           safetensors, the seeded untrained matrix path (matrix.ts)
 *   object://ai/inference/mx2lm-brown              hybrid profile, C = 0.2·P_matrix + 0.05·P_svg + 0.75·P_ngram
 *   object://ai/agent/reply/mx2lm-brown            the reply form of the profile (text, detokenize; src/core/infer)
 *
 * Descriptors have the shapes of the demo set (src/cli/demo-ai-objects.ts, AI-DEMO). The trained
 * weights `object://ai/weights/mx2lm-brown` are not built here (the gym trains them); the profile
 * names the base weights unless `opts.profileWeightsId` says otherwise, because a profile's inputs
 * must resolve for it to be legal.
 *
 * Pure: no Node, no clock; the same split gives the same bytes.
 */
import { utf8 } from '../bytes/utf8.ts';
import { payloadHash } from '../objects/server.ts';
import { writeArpa, type ArpaModel } from '../ngram/arpa.ts';
import { EOS, KN_DISCOUNT } from '../ngram/kneser-ney.ts';
import { rulesetHash } from '../objects/ai/tokenizer.ts';
import { shapeHash } from '../objects/ai/weights.ts';
import { aiDescriptor } from '../objects/ai/describe.ts';
import { safetensorsOf } from '../gym/load.ts';
import type { SplitDocuments, SplitName } from './split.ts';
import { linesOfSentences } from './encode.ts';
import { buildVocab, tokenizerJson, tokenizerBytes, vocabBytes, MX2LM_MIN_COUNT } from './vocab-build.ts';
import { buildNgramBrain, MX2LM_NGRAM_ORDER } from './ngram-brain.ts';
import { buildSvgGraph, SVG_GRAPH_NODES, SVG_GRAPH_SUCCESSORS } from './svg-graph.ts';
import { initMatrix, matrixShapes, type MatrixConfig } from './matrix.ts';

import { BROWN_IDS, BROWN_TRAINED_WEIGHTS_ID } from './brown-ids.ts';

export { BROWN_IDS, BROWN_TRAINED_WEIGHTS_ID };

/** Every id `buildBrownObjects` returns, in its order. */
export const BROWN_OBJECT_IDS: readonly string[] = Object.values(BROWN_IDS);

export const BROWN_SEED = 20030101;
export const BROWN_ARCHITECTURE = {
  name: 'mx2lm',
  context: 3,
  embed: 32,
  hidden: 128,
  activation: 'tanh',
  init: 'initMatrix (src/core/mx2lm/matrix.ts): one sfc32 stream Rng(20030101), u32/2^32 rounded to f32, tensors embed.weight, hidden.weight, hidden.bias, out.weight, out.bias row-major; embed uniform ±√3, hidden.* ±1/√(context·embed), out.* ±1/√hidden',
} as const;

/**
 * The collapse weights of the profile (§20.8): α matrix, β SVG brain, γ n-gram brain. Chosen on
 * the validation split by bench/tune-collapse.ts (docs/laws.md MX2LM-OBJECTS "Collapse weights"):
 * the lowest per-word perplexity of the collapse over the grid of multiples of 0.05 with α, γ > 0
 * (validation prefix of 39,997 predicted tokens: 153.60; the former hand-set 0.5, 0.1, 0.4 gave
 * 165.89), and the six sample replies checked to stay English-looking without loops.
 */
export const BROWN_COLLAPSE = { alpha: 0.2, beta: 0.05, gamma: 0.75 } as const;

/**
 * The profile's repetition rule (docs/laws.md MX2LM-INFER): a token that would repeat an
 * `ngram`-gram already in the last `window` tokens is not selected.
 */
export const BROWN_REPEAT = { window: 32, ngram: 2 } as const;

export interface BrownObject {
  id: string;
  descriptor: Record<string, unknown>;
  payload: Uint8Array;
}

export interface BrownBuildOptions {
  /** The weights the profile names (default: the trained weights when given, else the base). */
  profileWeightsId?: string;
  /**
   * The trained matrix path (safetensors; `scripts/train-bundled.sh`, committed as
   * `data/mx2lm-brown.safetensors`): served as BROWN_TRAINED_WEIGHTS_ID with the base's
   * architecture and layer map (its shapes are checked against them).
   */
  trainedWeights?: Uint8Array;
  /** Called before each stage (e.g. progress on stderr). */
  onStage?: (stage: string) => void;
  /** Awaited between stages (e.g. `setImmediate`, so a server's event loop is not held for the whole build). */
  pause?: () => Promise<void>;
}

export interface BrownBuild {
  objects: BrownObject[];
  /** The vocabulary (token by id). */
  tokens: string[];
  /** The n-gram brain's model (for perplexity without parsing the ARPA again). */
  ngram: ArpaModel;
  /** Sentences per split (`</s>` not counted in words). */
  counts: Record<SplitName, { documents: number; sentences: number; words: number }>;
}

const GLOBAL = ['deterministic', 'no_execution', 'immutable_payload', 'projection_only', 'no_side_effects', 'hash_authority', 'host_agnostic'];
/** object.v1's built-in invariants for the corpus objects (`auditable` is added where served, `servedDescriptor`). */
const CORPUS_INVARIANTS = ['immutable_payload', 'no_execution', 'projection_only', 'no_side_effects', 'deterministic'];
const RAW = { type: 'binary', source: '@payload', encoding: 'raw' } as const;
const JSON_PROJECTIONS = { default: { type: 'json' }, payload: RAW };
const BINARY_PROJECTIONS = { default: RAW, payload: RAW };


/** The three corpus objects, the AI objects, and what the CLI reports. */
export async function buildBrownSet(split: SplitDocuments<{ id: string; sentences: string[][] }>, opts: BrownBuildOptions = {}): Promise<BrownBuild> {
  const stage = async (s: string) => { opts.onStage?.(s); if (opts.pause) await opts.pause(); };
  const objects: BrownObject[] = [];
  const counts = {} as BrownBuild['counts'];

  await stage('corpus');
  const sentencesOf = (name: SplitName) => split[name].flatMap((d) => d.sentences);
  const train = sentencesOf('train');
  for (const name of ['train', 'validation', 'test'] as const) {
    const sentences = name === 'train' ? train : sentencesOf(name);
    const bytes = utf8(linesOfSentences(sentences));
    let words = 0;
    for (const s of sentences) words += s.length;
    const c = { documents: split[name].length, sentences: sentences.length, words };
    counts[name] = c;
    const id = BROWN_IDS[name];
    objects.push({
      id,
      payload: bytes,
      descriptor: {
        $schema: 'object://schema/object.v1',
        id,
        hash: payloadHash(bytes),
        payload: { type: 'binary', mime: 'text/plain', location: `./brown-${name}.txt`, encoding: 'utf-8', size: bytes.length, semantics: 'mx2lm.corpus.lines' },
        authority: 'none',
        executable: false,
        identity: { name: `corpus.brown.${name}`, version: '1.0.0' },
        projections: {
          default: { type: 'json', emit: { split: name, documents: c.documents, sentences: c.sentences, words: c.words, first_document: split[name][0]?.id ?? null, last_document: split[name][split[name].length - 1]?.id ?? null, bytes: '@meta.size', hash: '@meta.hash' } },
          payload: RAW,
        },
        invariants: CORPUS_INVARIANTS,
        events: { on_load: ['log'], on_verify: ['audit'], on_project: ['audit'] },
        description: `Brown corpus, ${name} split (docs/laws.md MX2LM-CORPUS): ${c.documents} documents, ${c.sentences} sentences, one normalised sentence a line (words joined by one space, LF after each)`,
      },
    });
  }

  await stage('vocab');
  const tokens = buildVocab(train);
  const V = tokens.length;
  const vb = vocabBytes(tokens);
  objects.push({
    id: BROWN_IDS.vocab, payload: vb,
    descriptor: aiDescriptor('ai.vocab', BROWN_IDS.vocab, vb, { type: 'json', mime: 'application/json', location: './vocab.json' },
      [...GLOBAL, 'one_to_one_mapping'], { size: V, mapping: 'token_to_symbol', encoding: 'utf-8' },
      { default: { type: 'json', emit: '@payload.tokens' }, payload: RAW },
      `MX2LM vocabulary of the Brown train split: <unk> <s> </s>, then every word with count ≥ ${MX2LM_MIN_COUNT} by count, ties in UTF-8 order`),
  });
  const tb = tokenizerBytes(tokens);
  objects.push({
    id: BROWN_IDS.tokenizer, payload: tb,
    descriptor: aiDescriptor('ai.tokenizer', BROWN_IDS.tokenizer, tb, { type: 'json', mime: 'application/json', location: './tokenizer.json' },
      [...GLOBAL, 'fixed_vocab', 'no_context_dependency'], { tokenizer_type: 'wordlevel', ruleset_hash: rulesetHash(tokenizerJson(tokens)), vocab_ref: BROWN_IDS.vocab },
      JSON_PROJECTIONS, 'Hugging Face tokenizer.json over the MX2LM Brown vocabulary (WordLevel, Lowercase, Whitespace)'),
  });

  await stage('ngram');
  const ngram = buildNgramBrain(tokens, train);
  await stage('arpa');
  const arpa = utf8(writeArpa(ngram));
  objects.push({
    id: BROWN_IDS.ngram, payload: arpa,
    descriptor: aiDescriptor('ai.brain.ngram', BROWN_IDS.ngram, arpa, { type: 'binary', mime: 'text/x-arpa', location: './brain.arpa' },
      [...GLOBAL, 'order_fixed', 'probability_conserved'],
      { order: MX2LM_NGRAM_ORDER, domain: 'token', transition_space: 'closed', vocab_ref: BROWN_IDS.vocab, smoothing: 'interpolated-kneser-ney', discount: KN_DISCOUNT },
      BINARY_PROJECTIONS, `Interpolated Kneser-Ney trigram (D = ${KN_DISCOUNT}) of the Brown train split, ARPA`),
  });

  await stage('svg');
  const graph = buildSvgGraph(tokens, train);
  objects.push({
    id: BROWN_IDS.svg, payload: graph.bytes,
    descriptor: aiDescriptor('ai.brain.svg-tensor', BROWN_IDS.svg, graph.bytes, { type: 'binary', mime: 'application/vnd.asx.svg-tensor', location: './brain.svg' },
      [...GLOBAL, 'geometry_is_weight', 'no_visual_semantics', 'deterministic_traversal'],
      {
        geometry_space: '2d', weight_encoding: 'path', topology: 'graph', vocab_ref: BROWN_IDS.vocab,
        node_layout: `token id i < ${SVG_GRAPH_NODES} at ((i mod 32)·10 + 5, floor(i / 32)·10 + 5); group t<h> holds the top ${SVG_GRAPH_SUCCESSORS} edges from token h; path length = distance + 10·P(w | h), stroke width = (c − 0.75) / c`,
      },
      BINARY_PROJECTIONS, `SVG-tensor token transition graph of the Brown train bigrams (${graph.nodes} nodes, ${graph.edges} edges)`),
  });

  await stage('weights');
  const config: MatrixConfig = { vocabSize: V, context: BROWN_ARCHITECTURE.context, embedDim: BROWN_ARCHITECTURE.embed, hidden: BROWN_ARCHITECTURE.hidden, activation: BROWN_ARCHITECTURE.activation };
  const wb = safetensorsOf(initMatrix(config, BROWN_SEED));
  const layerMap = Object.fromEntries(matrixShapes(config));
  objects.push({
    id: BROWN_IDS.weightsBase, payload: wb,
    descriptor: aiDescriptor('ai.model.weights', BROWN_IDS.weightsBase, wb, { type: 'binary', mime: 'application/x-safetensors', location: './model.safetensors' },
      [...GLOBAL, 'shape_consistent', 'no_training'],
      { format: 'safetensors', dtype: 'fp32', shape_hash: shapeHash(layerMap), layer_map: layerMap, architecture: { ...BROWN_ARCHITECTURE } },
      BINARY_PROJECTIONS, `MX2LM matrix path over the Brown vocabulary (V = ${V}, k = 3, d = 32, H = 128, tanh), seeded and untrained: the gym's starting point`),
  });

  if (opts.trainedWeights) {
    const tw = opts.trainedWeights;
    const { tensorSetOf } = await import('../gym/load.ts');
    const { checkParams } = await import('./matrix.ts');
    checkParams((await tensorSetOf(tw, 'trained weights')).tensors, config);
    objects.push({
      id: BROWN_TRAINED_WEIGHTS_ID, payload: tw,
      descriptor: aiDescriptor('ai.model.weights', BROWN_TRAINED_WEIGHTS_ID, tw, { type: 'binary', mime: 'application/x-safetensors', location: './model.safetensors' },
        [...GLOBAL, 'shape_consistent', 'no_training'],
        { format: 'safetensors', dtype: 'fp32', shape_hash: shapeHash(layerMap), layer_map: layerMap, architecture: { ...BROWN_ARCHITECTURE } },
        BINARY_PROJECTIONS, `MX2LM matrix path over the Brown vocabulary (V = ${V}, k = 3, d = 32, H = 128, tanh), trained by the gym from ${BROWN_IDS.weightsBase} (scripts/train-bundled.sh: fold mx2lm_brown_v1 compiled onto the base)`),
    });
  }

  await stage('profile');
  const weightsId = opts.profileWeightsId ?? (opts.trainedWeights ? BROWN_TRAINED_WEIGHTS_ID : BROWN_IDS.weightsBase);
  const profilePayload = {
    mode: 'hybrid',
    objects: { tokenizer: BROWN_IDS.tokenizer, vocab: BROWN_IDS.vocab, weights: weightsId, ngram: BROWN_IDS.ngram, svg: BROWN_IDS.svg },
    collapse: { ...BROWN_COLLAPSE },
    selector: 'argmax',
    tie: 'lowest_id',
    context: BROWN_ARCHITECTURE.context,
    max_tokens: 32,
    stop: EOS,
    repeat: { ...BROWN_REPEAT },
  };
  const pb = utf8(JSON.stringify(profilePayload));
  objects.push({
    id: BROWN_IDS.profile, payload: pb,
    descriptor: aiDescriptor('ai.inference.profile', BROWN_IDS.profile, pb, { type: 'json', mime: 'application/json', location: './inference.json' },
      [...GLOBAL, 'no_sampling', 'no_randomness', 'no_external_state'],
      { mode: 'hybrid', inputs: ['ai.tokenizer', 'ai.vocab', 'ai.model.weights', 'ai.brain.ngram', 'ai.brain.svg-tensor'], output: 'token-stream' },
      JSON_PROJECTIONS, `MX2LM Brown inference profile: C = ${BROWN_COLLAPSE.alpha}·P_matrix + ${BROWN_COLLAPSE.beta}·P_svg + ${BROWN_COLLAPSE.gamma}·P_ngram, argmax, lowest id on ties, weights ${weightsId}`),
  });

  await stage('reply');
  // The reply form (§16.8, §20.11): the engine (src/core/infer) projects replies of the profile in
  // this object's format and postprocessing; its own payload is the empty reply.
  const rb = utf8(JSON.stringify({ format: 'text', tokens: [], text: '' }));
  objects.push({
    id: BROWN_IDS.reply, payload: rb,
    descriptor: aiDescriptor('ai.agent.reply', BROWN_IDS.reply, rb, { type: 'json', mime: 'application/json', location: './reply.json' },
      [...GLOBAL], { format: 'text', postprocessing: 'detokenize', vocab_ref: BROWN_IDS.vocab, profile_ref: BROWN_IDS.profile },
      { default: { type: 'json' }, text: { type: 'json', emit: '@payload.text' }, payload: RAW },
      'MX2LM Brown reply form: text, detokenized (words joined by one space, none before . , ; : ! ? ) ] } % nor after ( [ { $); the payload is the empty reply'),
  });

  return { objects, tokens, ngram, counts };
}

/** The Brown object set (see the file comment), in BROWN_OBJECT_IDS order. */
export async function buildBrownObjects(split: SplitDocuments<{ id: string; sentences: string[][] }>, opts: BrownBuildOptions = {}): Promise<BrownObject[]> {
  return (await buildBrownSet(split, opts)).objects;
}

/**
 * The descriptor as served or stored: `auditable` added to the invariants (the object hosts
 * always listen to their events, as for the demo set in src/cli/demo-objects.ts).
 */
export function servedDescriptor(d: Record<string, unknown>): Record<string, unknown> {
  const inv = (d.invariants as unknown[] | undefined) ?? [];
  return { ...d, invariants: inv.includes('auditable') ? inv : [...inv, 'auditable'] };
}
