/**
 * JSON Schemas of the §16 AI descriptors (docs/laws.md AI-SCHEMA). Each `ai.*.v1` descriptor
 * is an `object.v1` descriptor (validated first, O-SCHEMA) with the members of its §16
 * section; these schemas describe only those members (other members are allowed, as in
 * object.v1). They are run by the project's own interpreter (schema.ts), errors at the JSON
 * path.
 */
import type { Schema } from '../schema.ts';

export const AI_TYPES = [
  'ai.tokenizer', 'ai.vocab', 'ai.model.weights', 'ai.brain.ngram', 'ai.brain.svg-tensor', 'ai.inference.profile', 'ai.agent.reply',
] as const;
export type AiType = (typeof AI_TYPES)[number];

export function schemaUri(t: AiType): string { return `object://schema/${t}.v1`; }

const HASH = '^sha256:[0-9a-f]{64}$';
const INVARIANT_LIST: Schema = { type: 'array', maxItems: 64 };
const OBJECT_ID: Schema = { type: 'string', format: 'object-id' };

function aiSchema(t: AiType, required: string[], properties: Record<string, Schema>): Schema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: schemaUri(t),
    title: `${t}.v1 descriptor (§16)`,
    type: 'object',
    required: ['$schema', 'type', ...required],
    properties: { $schema: { const: schemaUri(t) }, type: { const: t }, invariants: INVARIANT_LIST, ...properties },
  };
}

export const AI_SCHEMAS: Readonly<Record<AiType, Schema>> = {
  // §16.2. `wordlevel` is added to the spec's list: Hugging Face's WordLevel model.
  'ai.tokenizer': aiSchema('ai.tokenizer', ['tokenizer_type', 'ruleset_hash', 'vocab_ref'], {
    tokenizer_type: { enum: ['bpe', 'unigram', 'wordpiece', 'wordlevel', 'char'] },
    ruleset_hash: { type: 'string', pattern: HASH },
    vocab_ref: OBJECT_ID,
  }),
  // §16.3
  'ai.vocab': aiSchema('ai.vocab', ['size', 'mapping', 'encoding'], {
    size: { type: 'integer', minimum: 1, maximum: 16_777_216 },
    mapping: { enum: ['token_to_symbol', 'symbol_to_token'] },
    encoding: { enum: ['utf-8', 'byte'] },
  }),
  // §16.4
  'ai.model.weights': aiSchema('ai.model.weights', ['format', 'dtype', 'shape_hash', 'layer_map'], {
    format: { enum: ['safetensors', 'raw-tensor'] },
    dtype: { enum: ['fp32', 'fp16', 'bf16', 'int8', 'custom'] },
    shape_hash: { type: 'string', pattern: HASH },
    layer_map: {
      type: 'object',
      minProperties: 1,
      maxProperties: 65_536,
      propertyNames: { minLength: 1, maxLength: 1024 },
      additionalProperties: { type: 'array', maxItems: 16, items: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER } },
    },
  }),
  // §16.5. `vocab_ref` (optional) ties the n-gram words to a vocab object.
  'ai.brain.ngram': aiSchema('ai.brain.ngram', ['order', 'domain', 'transition_space'], {
    order: { type: 'integer', minimum: 1, maximum: 16 },
    domain: { enum: ['token', 'symbol'] },
    transition_space: { const: 'closed' },
    vocab_ref: OBJECT_ID,
  }),
  // §16.6
  'ai.brain.svg-tensor': aiSchema('ai.brain.svg-tensor', ['geometry_space', 'weight_encoding', 'topology'], {
    geometry_space: { enum: ['2d', '2.5d', '3d'] },
    weight_encoding: { enum: ['path', 'transform', 'adjacency'] },
    topology: { enum: ['graph', 'lattice', 'manifold'] },
    vocab_ref: OBJECT_ID,
  }),
  // §16.7
  'ai.inference.profile': aiSchema('ai.inference.profile', ['mode', 'inputs', 'output'], {
    mode: { enum: ['matrix', 'graph', 'hybrid'] },
    inputs: { type: 'array', minItems: 1, maxItems: 16, uniqueItems: true, items: { type: 'string', pattern: '^ai\\.(tokenizer|vocab|model\\.weights|brain\\.(ngram|svg-tensor|\\*))$' } },
    output: { const: 'token-stream' },
  }),
  // §16.8. `vocab_ref` (optional): the vocab the reply's token ids index.
  'ai.agent.reply': aiSchema('ai.agent.reply', ['format', 'postprocessing'], {
    format: { enum: ['text', 'tokens', 'structured'] },
    postprocessing: { enum: ['none', 'normalize', 'detokenize'] },
    vocab_ref: OBJECT_ID,
    profile_ref: OBJECT_ID,
  }),
};

/** The §16 type of a descriptor (`$schema` `object://schema/ai.x.v1` or `type`), or null. */
export function aiTypeOf(d: { $schema?: unknown; type?: unknown }): AiType | null {
  if (typeof d.$schema === 'string') {
    const m = /^object:\/\/schema\/(ai\.[a-z.-]+)\.v1$/.exec(d.$schema);
    if (m && (AI_TYPES as readonly string[]).includes(m[1])) return m[1] as AiType;
  }
  if (typeof d.type === 'string' && (AI_TYPES as readonly string[]).includes(d.type)) return d.type as AiType;
  return null;
}
