/**
 * The demo fold object (docs/laws.md O-FOLD-OBJECT): fold `mx2lm_demo_v1` trained by the gym
 * on the MX2LM demo model (src/cli/demo-ai-objects.ts) over its built-in corpus, 300 AdamW
 * steps of 8 examples, seed 1, deltas as int8 records; served as an object whose payload is
 * the fold bundle, so the Objects tab verifies it entry by entry and opens it in the Gym.
 * Deterministic: the same code gives the same bundle bytes.
 */
import { parseFold } from '../core/fold/fold.ts';
import { utf8 } from '../core/bytes/utf8.ts';
import { parseText } from '../core/mx2lm/corpus.ts';
import { splitUserSentences, tokenIdsOf } from '../core/mx2lm/encode.ts';
import { tensorSetOf } from '../core/gym/load.ts';
import { GymRun, matrixConfigOf } from '../core/gym/run.ts';
import { foldBundleOf } from '../core/gym/run-export.ts';
import { DEMO_AI_IDS, DEMO_CORPUS, type DemoAiObject } from './demo-ai-objects.ts';

export const DEMO_FOLD_ID = 'object://ai/fold/mx2lm-demo-v1';
export const FOLD_BUNDLE_MIME = 'application/vnd.asx.fold-bundle';

export async function demoFold(ai: readonly DemoAiObject[]): Promise<{ bytes: Uint8Array; hash: string; validPpl: [number, number] }> {
  const of = (id: string) => ai.find((o) => o.id === id)!.payload;
  const { tensors } = await tensorSetOf(of(DEMO_AI_IDS.weights), 'demo weights');
  const config = matrixConfigOf(tensors, 'tanh');
  const ids = tokenIdsOf(JSON.parse(new TextDecoder().decode(of(DEMO_AI_IDS.tokenizer))));
  const split = splitUserSentences([parseText(DEMO_CORPUS.join('\n\n'), 'demo corpus')]);
  const fold = parseFold(utf8(JSON.stringify({
    fold_id: 'mx2lm_demo_v1', version: '1.0.0', model_base: DEMO_AI_IDS.weights, mx2gym_format: 'fold.v1',
    description: 'The gym\'s fold of the MX2LM demo model: every tensor, 300 AdamW steps on the demo corpus.',
    '@data': { deltas: [], optimizer: { type: 'adamw', lr: 0.01 } },
    '@control': { apply: 'always', priority: 1, mode: 'additive' },
    '@flow': { entry: '@Pop', route: ['@Wo', '@Sek'], exit: '@Xul', merge_strategy: 'horizontal', blend_mode: 'hard' },
  })));
  const run = new GymRun(tensors, config, fold, ids.encode(split.train), ids.encode(split.valid), { steps: 300, batchSize: 8, seed: 1, evalEvery: 100, evalTokens: 10_000, form: 'int8', markers: { bos: ids.bos, eos: ids.eos } });
  const before = run.evaluateParams(run.base).perplexity;
  while (!run.done) { run.next(); if (run.step % 100 === 0) run.evaluate(); }
  const after = run.evaluateParams(run.params).perplexity;
  const b = foldBundleOf(run);
  return { bytes: b.bytes, hash: b.hash, validPpl: [before, after] };
}
