/**
 * Files a user could drop on the Inference tab, shared by the unit tests (swap.test.ts) and the
 * browser tests (e2e/infer-swap.spec.ts) so both run the same bytes against the same vectors of
 * docs/laws.md MX2LM-INFER:
 *
 *   demoHybridProfile()   the demo profile edited to the hybrid collapse (alpha 0.5, beta 0.2,
 *                         gamma 0.3, repeat {8, 2}; the matrix path runs): 1,000 seeded prompts →
 *                         replies SHA-256 6c8a6cc5…
 *   tiedWeights(V)        demo-shaped weights (k 2, d 8, H 16) whose output rows and biases of
 *                         tokens 5 and 9 are identical and the top logits: an exact tie that the
 *                         lowest id must win on every backend (adversarial near-ties, issue 12)
 *   tieProfile()          a matrix-only profile for tiedWeights (2 tokens, unigram repeat rule)
 *
 * Pure: no DOM, no Node.
 */
import { Rng } from '../gccp/random.ts';
import { encodeFloats } from '../tensors/safetensors.ts';
import { saveSafetensors } from '../tensors/write.ts';
import { utf8 } from '../bytes/utf8.ts';

export const DEMO_OBJECT_REFS = {
  tokenizer: 'object://ai/tokenizer/mx2lm-demo', vocab: 'object://ai/vocab/mx2lm-demo', weights: 'object://ai/weights/mx2lm-demo',
  ngram: 'object://ai/brain/ngram/mx2lm-demo', svg: 'object://ai/brain/svg/mx2lm-demo',
} as const;

export const DEMO_HYBRID_PROFILE = {
  mode: 'hybrid', objects: DEMO_OBJECT_REFS, collapse: { alpha: 0.5, beta: 0.2, gamma: 0.3 }, selector: 'argmax', tie: 'lowest_id',
  context: 1, max_tokens: 12, stop: '</s>', repeat: { window: 8, ngram: 2 },
} as const;

export const TIE_IDS = { low: 5, high: 9 } as const;

export function demoHybridProfile(): Uint8Array { return utf8(JSON.stringify(DEMO_HYBRID_PROFILE)); }

export function tieProfile(): Uint8Array {
  return utf8(JSON.stringify({ ...DEMO_HYBRID_PROFILE, mode: 'matrix', collapse: { alpha: 1, beta: 0, gamma: 0 }, max_tokens: 2, repeat: { window: 4, ngram: 1 } }));
}

/** Weights for a vocabulary of V tokens with an exact tie between tokens 5 and 9. */
export function tiedWeights(V: number): Uint8Array {
  const { embed, context, hidden } = { embed: 8, context: 2, hidden: 16 };
  const rng = new Rng(7);
  const vals = (n: number, s: number) => Array.from({ length: n }, () => Math.fround(rng.range(-s, s)));
  const row = vals(hidden, 0.5);
  const ob = new Array(V).fill(-1);
  ob[TIE_IDS.low] = 2; ob[TIE_IDS.high] = 2;
  const specs = [
    { name: 'embed.weight', shape: [V, embed], data: vals(V * embed, 1) },
    { name: 'hidden.weight', shape: [hidden, context * embed], data: vals(hidden * context * embed, 0.5) },
    { name: 'hidden.bias', shape: [hidden], data: vals(hidden, 0.1) },
    { name: 'out.weight', shape: [V, hidden], data: Array.from({ length: V }, () => row).flat() },
    { name: 'out.bias', shape: [V], data: ob },
  ];
  return saveSafetensors(specs.map((s) => ({ name: s.name, dtype: 'F32' as const, shape: s.shape, data: encodeFloats(s.data, 'F32') })));
}
