/**
 * `mx2gym.train.fold` (docs/laws.md G-RUN): one training run of the MX2LM matrix path driven by
 * a fold.v1 document, step by step, so the same driver serves the browser's training worker and
 * `asx gym train` and both give the same bytes.
 *
 *   - The fold document is the run's template: `fold_id`, `model_base`, `@control`, `@flow` are
 *     kept; `@data.optimizer` names the optimizer and its hyper-parameters; `@control.
 *     target_layers` chooses the tensors that train (control.ts `isTargeted`; none listed = all);
 *     the others stay at the base. `@data.deltas`/`gradients`/`optimizer.state` and `@metrics`
 *     of the template are ignored and written by the run.
 *   - Batches: train.ts `makeBatches(train, k, batchSize, seed)`; one optimizer step a batch.
 *   - Evaluation: train.ts `evaluate` over the first `evalTokens` ids of the validation stream
 *     (cut at a sentence end), so the figure is comparable from step to step and cheap enough
 *     to run live; `perplexity` is per predicted token (words, `<unk>` and `</s>`).
 *   - Divergence (train.ts rule): the step is refused, the params stay those of the last good
 *     step, and the run stops with the cause; every fold exported before stays valid.
 *   - The fold at step t: deltas Δ = params − base for each trained tensor (f32 subtraction),
 *     the last step's gradients, the optimizer state; `@metrics` = steps_trained t, loss_curve
 *     (the mean training loss of each evaluation interval, in order), gradient_norm (the last
 *     step's global L2), delta_norm (‖Δ‖₂ over all trained tensors, f64 in UTF-8 name order),
 *     timestamp = t (a logical clock: the number of optimizer steps since the base, never the
 *     wall clock, so the same run gives the same bytes).
 *
 * Pure: no DOM, no Node, no clock. The caller decides when to step, evaluate and export.
 */
import type { FoldV1 } from '../fold/fold.ts';
import type { QForm } from '../fold/qrecord.ts';
import { MatrixWorkspace, checkParams, type MatrixConfig } from '../mx2lm/matrix.ts';
import { isTargeted } from './control.ts';
import { createOptimizer, type Optimizer, type OptimizerSpec } from './optim/optimizer.ts';
import { cloneTensors, sortedNames, type Tensor, type TensorSet } from './tensor.ts';
import { DEFAULT_MARKERS, evaluate, examplesOf, gradNorms, makeBatches, divergence, defaultLossBound, type BatchStream, type DivergenceCause, type Evaluation, type Markers } from './train.ts';
import { backward } from '../mx2lm/matrix.ts';
import { AsxError } from '../errors.ts';

export interface GymRunOptions {
  steps: number;
  batchSize: number;
  seed: number;
  /** Evaluate every this many steps (and at the end). */
  evalEvery: number;
  /** Validation tokens used by the live evaluation (cut at a sentence end). */
  evalTokens: number;
  /** Form of the delta tensors in exported folds (F-QREC). */
  form: QForm;
  markers?: Markers;
  lossBound?: number;
}

export const DEFAULT_RUN_OPTIONS: Omit<GymRunOptions, 'steps'> = {
  batchSize: 64, seed: 1, evalEvery: 100, evalTokens: 20_000, form: 'f32',
};

export interface RunStep {
  step: number;
  loss: number;
  gradNorm: number;
  gradNorms: Record<string, number>;
  tokens: number;
  divergence: DivergenceCause | null;
}

export interface RunEval { step: number; valid: Evaluation; trainLoss: number }

function bad(message: string, path: string): AsxError {
  return new AsxError('bad_fold', message, { path });
}

/** The optimizer spec a fold document declares (`@data.optimizer`, defaults per G-OPTIM). */
export function optimizerSpecOf(fold: FoldV1): OptimizerSpec {
  const o = fold['@data'].optimizer;
  if (!o) return { type: 'adamw', lr: 1e-3 };
  const { state: _state, ...rest } = o;
  return rest as OptimizerSpec;
}

/** The first ids of a stream up to and including the `</s>` at or after `limit` tokens. */
export function streamPrefix(ids: Int32Array, limit: number, eos: number): Int32Array {
  if (ids.length <= limit) return ids;
  let end = limit;
  while (end < ids.length && ids[end - 1] !== eos) end++;
  return ids.subarray(0, end);
}

export class GymRun {
  readonly params: TensorSet;
  readonly base: TensorSet;
  readonly trained: string[];
  readonly optimizer: Optimizer;
  readonly ws: MatrixWorkspace;
  readonly batches: BatchStream;
  readonly validIds: Int32Array;
  readonly markers: Markers;
  step = 0;
  lastGrads: TensorSet | null = null;
  lastGradNorm = 0;
  stopped: { cause: DivergenceCause; step: number; loss: number } | null = null;
  /** Mean training loss of each evaluation interval (the fold's loss_curve). */
  readonly lossCurve: number[] = [];
  private intervalLoss = 0;
  private intervalSteps = 0;
  private readonly bound: number;

  constructor(base: ReadonlyMap<string, Tensor>, readonly config: MatrixConfig, readonly fold: FoldV1, trainIds: Int32Array, validIds: Int32Array, readonly options: GymRunOptions) {
    checkParams(base, config);
    for (const [k, v] of [['steps', options.steps], ['batchSize', options.batchSize], ['evalEvery', options.evalEvery], ['evalTokens', options.evalTokens]] as const) {
      if (!Number.isSafeInteger(v) || v < 1) throw new AsxError('bad_input', `run option ${k} must be a positive integer, got ${v}`, { path: `$.${k}` });
    }
    this.markers = options.markers ?? DEFAULT_MARKERS;
    this.base = cloneTensors(base);
    this.params = cloneTensors(base);
    this.trained = sortedNames(base).filter((n) => isTargeted(fold, n));
    if (this.trained.length === 0) throw bad(`no tensor of the base matches @control.target_layers ${JSON.stringify(fold['@control'].target_layers)}`, '$["@control"].target_layers');
    this.optimizer = createOptimizer(optimizerSpecOf(fold));
    this.ws = new MatrixWorkspace(config);
    this.batches = makeBatches(trainIds, config.context, options.batchSize, options.seed, this.markers);
    this.validIds = streamPrefix(validIds, options.evalTokens, this.markers.eos);
    if (examplesOf(this.validIds, this.markers).positions.length === 0) throw new AsxError('bad_input', 'the validation text has no tokens to predict', { path: '$.valid' });
    this.bound = options.lossBound ?? defaultLossBound(config.vocabSize);
  }

  get done(): boolean { return this.stopped !== null || this.step >= this.options.steps; }

  /** One optimizer step on the next batch (a refused step stops the run; params unchanged). */
  next(): RunStep {
    if (this.done) throw new AsxError('bad_input', `the run is over (step ${this.step})`, { path: '$.steps' });
    const batch = this.batches.next();
    const { loss, grads } = backward(this.params, batch.contexts, batch.targets, this.ws);
    const norms = gradNorms(grads);
    const cause = divergence(loss, norms.global, this.bound);
    const report: RunStep = { step: this.step + 1, loss, gradNorm: norms.global, gradNorms: norms.perTensor, tokens: batch.size, divergence: cause };
    if (cause !== null) {
      this.stopped = { cause, step: this.step + 1, loss };
      return report;
    }
    const p: TensorSet = new Map();
    const g: TensorSet = new Map();
    for (const n of this.trained) { p.set(n, this.params.get(n)!); g.set(n, grads.get(n)!); }
    this.optimizer.step(p, g);
    // The workspace owns `grads` and reuses them next step: keep a copy for the fold.
    this.lastGrads = cloneTensors(g);
    this.lastGradNorm = norms.global;
    this.step += 1;
    this.intervalLoss += loss;
    this.intervalSteps += 1;
    return report;
  }

  /** Evaluate on the validation prefix; closes the current loss-curve interval. */
  evaluate(): RunEval {
    const valid = evaluate(this.params, this.validIds, this.ws, 64, this.markers);
    const trainLoss = this.intervalSteps ? this.intervalLoss / this.intervalSteps : Number.NaN;
    if (this.intervalSteps) this.lossCurve.push(trainLoss);
    this.intervalLoss = 0;
    this.intervalSteps = 0;
    return { step: this.step, valid, trainLoss };
  }

  /** Validation of any params under this run's prefix (the base's figure, a merge's). */
  evaluateParams(params: ReadonlyMap<string, Tensor>): Evaluation {
    return evaluate(params, this.validIds, this.ws, 64, this.markers);
  }

  /** Δ = params − base for every trained tensor (f32 subtraction). */
  deltas(): TensorSet {
    const out: TensorSet = new Map();
    for (const n of this.trained) {
      const p = this.params.get(n)!, b = this.base.get(n)!;
      const d = new Float32Array(p.data.length);
      for (let i = 0; i < d.length; i++) d[i] = p.data[i] - b.data[i];
      out.set(n, { shape: [...p.shape], data: d });
    }
    return out;
  }

  /** ‖Δ‖₂ over the trained tensors (f64, UTF-8 name order, index order). */
  deltaNorm(): number {
    let s = 0;
    for (const n of this.trained) {
      const p = this.params.get(n)!.data, b = this.base.get(n)!.data;
      for (let i = 0; i < p.length; i++) { const d = Math.fround(p[i] - b[i]); s += d * d; }
    }
    return Math.sqrt(s);
  }

  /** `@metrics` of the fold at this step (G-RUN: timestamp = steps since the base). */
  metrics(): NonNullable<FoldV1['@metrics']> {
    return { steps_trained: this.step, loss_curve: [...this.lossCurve], gradient_norm: this.lastGradNorm, delta_norm: this.deltaNorm(), timestamp: this.step };
  }
}

/**
 * The matrix-path config of a weights file, read from its shapes (embed.weight [V, d],
 * hidden.weight [H, k·d]); the activation is declared by the weights object's `architecture`
 * (safetensors carries no such field). Shapes that do not fit are `bad_input` naming the tensor.
 */
export function matrixConfigOf(tensors: ReadonlyMap<string, Tensor>, activation: 'tanh' | 'relu'): MatrixConfig {
  const e = tensors.get('embed.weight'), h = tensors.get('hidden.weight');
  if (!e || e.shape.length !== 2) throw new AsxError('bad_input', 'an MX2LM matrix path needs embed.weight [V, d]', { path: 'embed.weight' });
  if (!h || h.shape.length !== 2) throw new AsxError('bad_input', 'an MX2LM matrix path needs hidden.weight [H, k·d]', { path: 'hidden.weight' });
  const [V, d] = e.shape as [number, number];
  const [H, kd] = h.shape as [number, number];
  if (d < 1 || kd % d !== 0) throw new AsxError('bad_input', `hidden.weight's input width ${kd} is not a multiple of the embedding width ${d}`, { path: 'hidden.weight' });
  const config: MatrixConfig = { vocabSize: V, context: kd / d, embedDim: d, hidden: H, activation };
  try { checkParams(tensors, config); } catch (err) {
    throw new AsxError('bad_input', `not an MX2LM matrix path: ${err instanceof Error ? err.message : String(err)}`, { path: '$' });
  }
  return config;
}
