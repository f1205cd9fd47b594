/// <reference lib="webworker" />
/**
 * The Gym's training worker: the core's GymRun (src/core/gym/run.ts) stepped in slices of about
 * 60 ms, yielding to the event loop between slices so pause, resume, checkpoint and cancel are
 * taken between two optimizer steps. Every fold it posts is a complete, verified-on-open bundle;
 * cancelling or diverging posts a final fold of the last good step, so nothing is lost.
 */
import { AsxError } from '../../core/errors';
import { parseFold } from '../../core/fold/fold';
import { utf8 } from '../../core/bytes/utf8';
import { parseText } from '../../core/mx2lm/corpus';
import { sentencesOfLines, splitUserSentences, tokenIdsOf } from '../../core/mx2lm/encode';
import { tensorSetOf } from '../../core/gym/load';
import { GymRun, matrixConfigOf } from '../../core/gym/run';
import { foldBundleOf } from '../../core/gym/run-export';
import { histogramOf, tensorViewOf } from '../../core/gym/analyze';
import type { GymEvent, GymRequest, GymStartRequest, StepReport } from './protocol';

const post = (e: GymEvent, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(e, transfer);

let paused = false;
let cancel = false;
let checkpoint = false;
let wake: (() => void) | null = null;

function sleepUntilWoken(): Promise<void> {
  return new Promise((r) => { wake = r; });
}

const yieldNow = () => new Promise<void>((r) => setTimeout(r, 0));

function postFold(run: GymRun, reason: 'every' | 'checkpoint' | 'final'): void {
  const { bytes, hash, name } = foldBundleOf(run);
  const copy = bytes.slice().buffer;
  post({ type: 'fold', step: run.step, name, bytes: copy, hash, reason }, [copy]);
}

function postViews(run: GymRun): void {
  const deltas = run.deltas();
  const grads = run.lastGrads;
  const views = [...deltas].map(([name, t]) => tensorViewOf(name, t));
  post({ type: 'histograms', step: run.step, grad: histogramOf(grads ? [...grads.values()] : []), delta: histogramOf([...deltas.values()]), deltas: views }, views.map((v) => v.values.buffer));
}

async function start(req: GymStartRequest): Promise<void> {
  const fold = parseFold(utf8(req.fold));
  const { tensors } = await tensorSetOf(new Uint8Array(req.base), req.baseName);
  const config = matrixConfigOf(tensors, req.activation);
  let tokenizerJson: unknown;
  try { tokenizerJson = JSON.parse(req.tokenizer); } catch { throw new AsxError('bad_input', 'the tokenizer is not JSON', { path: '$' }); }
  const ids = tokenIdsOf(tokenizerJson);
  if (ids.size !== config.vocabSize) throw new AsxError('bad_input', `the tokenizer has ${ids.size} tokens, the model's embed.weight ${config.vocabSize} rows`, { path: 'embed.weight' });
  let trainS: string[][], validS: string[][];
  if (req.corpus.format === 'lines') {
    trainS = sentencesOfLines(req.corpus.train);
    validS = sentencesOfLines(req.corpus.valid);
  } else {
    const split = splitUserSentences(req.corpus.files.map((f) => parseText(f.text, f.name)));
    trainS = split.train;
    validS = split.valid;
  }
  if (trainS.length === 0) throw new AsxError('bad_input', 'the training text has no sentences', { path: '$.corpus' });
  if (validS.length === 0) throw new AsxError('bad_input', 'no sentence is held out for validation (give at least ten sentences)', { path: '$.corpus' });
  const train = ids.encode(trainS), valid = ids.encode(validS);
  const o = req.options;
  const run = new GymRun(tensors, config, fold, train, valid, {
    steps: o.steps, batchSize: o.batchSize, seed: o.seed, evalEvery: o.evalEvery, evalTokens: o.evalTokens, form: o.form,
    markers: { bos: ids.bos, eos: ids.eos },
  });
  const base = run.evaluateParams(run.base);
  let params = 0;
  for (const t of tensors.values()) params += t.data.length;
  post({
    type: 'prepared', vocab: config.vocabSize, params, trainTokens: train.length, validTokens: run.validIds.length,
    tensors: [...tensors].map(([name, t]) => ({ name, shape: [...t.shape] })),
    baseValid: { step: 0, validNll: base.meanNll, validPpl: base.perplexity, trainPpl: Number.NaN },
  });

  const t0 = performance.now();
  let tokens = 0;
  let lastPost = 0;
  let pausedPosted = false;
  while (!run.done) {
    if (checkpoint) { checkpoint = false; postFold(run, 'checkpoint'); }
    if (cancel) break;
    if (paused) {
      if (!pausedPosted) { post({ type: 'paused', step: run.step }); pausedPosted = true; }
      await sleepUntilWoken();
      continue;
    }
    if (pausedPosted) { post({ type: 'resumed', step: run.step }); pausedPosted = false; }
    const sliceEnd = performance.now() + 60;
    let last: StepReport | null = null;
    while (!run.done && performance.now() < sliceEnd) {
      const s = run.next();
      if (s.divergence) break;
      tokens += s.tokens;
      const secs = (performance.now() - t0) / 1000;
      last = { step: s.step, loss: s.loss, gradNorm: s.gradNorm, gradNorms: s.gradNorms, deltaNorm: Number.NaN, tokens, stepsPerSec: run.step / secs, tokensPerSec: tokens / secs };
      if (run.step % o.evalEvery === 0 || run.done) {
        const e = run.evaluate();
        post({ type: 'eval', report: { step: run.step, validNll: e.valid.meanNll, validPpl: e.valid.perplexity, trainPpl: Math.exp(e.trainLoss) } });
        postViews(run);
      }
      if (o.exportEvery > 0 && run.step % o.exportEvery === 0 && !run.done) postFold(run, 'every');
      if (performance.now() - lastPost > 50) { post({ type: 'step', report: { ...last, deltaNorm: run.deltaNorm() } }); lastPost = performance.now(); last = null; }
    }
    if (last) post({ type: 'step', report: { ...last, deltaNorm: run.deltaNorm() } });
    await yieldNow();
  }
  if (run.stopped) {
    postFold(run, 'final');
    post({ type: 'stopped', reason: 'diverged', step: run.step, message: `training diverged at step ${run.stopped.step} (${run.stopped.cause}, loss ${run.stopped.loss}); the final fold holds the last good step, ${run.step}` });
    return;
  }
  // A cancelled run ends between evaluations: close its last interval so the fold's loss curve has it.
  if (cancel && run.step > 0 && run.step % o.evalEvery !== 0) {
    const e = run.evaluate();
    post({ type: 'eval', report: { step: run.step, validNll: e.valid.meanNll, validPpl: e.valid.perplexity, trainPpl: Math.exp(e.trainLoss) } });
    postViews(run);
  }
  postFold(run, 'final');
  post(cancel
    ? { type: 'stopped', reason: 'cancelled', step: run.step, message: `cancelled after step ${run.step}; the final fold holds it` }
    : { type: 'stopped', reason: 'done', step: run.step, message: `${run.step} steps done` });
}

self.onmessage = (ev: MessageEvent<GymRequest>) => {
  const m = ev.data;
  if (m.type === 'start') {
    start(m).catch((e: unknown) => {
      if (e instanceof AsxError) post({ type: 'error', code: e.code, message: e.message, path: e.where.path });
      else post({ type: 'error', code: 'internal', message: e instanceof Error ? e.message : String(e) });
    });
  } else if (m.type === 'pause') paused = true;
  else if (m.type === 'resume') { paused = false; wake?.(); wake = null; }
  else if (m.type === 'checkpoint') { checkpoint = true; wake?.(); wake = null; }
  else if (m.type === 'cancel') { cancel = true; wake?.(); wake = null; }
};
post({ type: 'ready' });
