/**
 * The ids of the MX2LM Brown object set (docs/laws.md MX2LM-OBJECTS), apart from the code that
 * builds it, so the page, the CLI and the benches name them without importing the builders.
 */
export const BROWN_IDS = {
  train: 'object://corpus/brown/train',
  validation: 'object://corpus/brown/validation',
  test: 'object://corpus/brown/test',
  vocab: 'object://ai/vocab/mx2lm-brown',
  tokenizer: 'object://ai/tokenizer/mx2lm-brown',
  ngram: 'object://ai/brain/ngram/mx2lm-brown',
  svg: 'object://ai/brain/svg/mx2lm-brown',
  weightsBase: 'object://ai/weights/mx2lm-brown-base',
  profile: 'object://ai/inference/mx2lm-brown',
  reply: 'object://ai/agent/reply/mx2lm-brown',
} as const;

/** The trained weights (scripts/train-bundled.sh → data/mx2lm-brown.safetensors). */
export const BROWN_TRAINED_WEIGHTS_ID = 'object://ai/weights/mx2lm-brown';
