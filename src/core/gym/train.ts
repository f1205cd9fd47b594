/**
 * The gym's deterministic training-step core for the MX2LM matrix path (issue 11; docs/laws.md
 * MX2LM-MATRIX): the batch stream, one training step (forward, backward, gradient norms, the
 * optimizer), evaluation (mean NLL and perplexity per word) and the divergence rule. Independent
 * of the optimizer implementation: anything with `step(params, grads)` will do.
 *
 * Token streams are the tokenized text as vocab ids: sentences one after another, each ended by
 * `</s>` and optionally begun by `<s>` (both forms give the same examples). Pure: no DOM, no Node.
 */
import { Rng } from '../gccp/random.ts';
import { backward, forward, MatrixWorkspace } from '../mx2lm/matrix.ts';
import { exp, log } from '../math/fdlibm.ts';
import { cloneTensors, sortedNames, type Tensor, type TensorSet } from './tensor.ts';

/** What the trainer needs of an optimizer (src/core/gym/optim's `createOptimizer` returns one). */
export interface StepOptimizer {
  step(params: TensorSet, grads: TensorSet): void;
}

/** Ids of the sentence markers; the defaults are the demo vocab's (`<unk>` 0, `<s>` 1, `</s>` 2). */
export interface Markers {
  readonly bos: number;
  readonly eos: number;
}
export const DEFAULT_MARKERS: Markers = { bos: 1, eos: 2 };

/** One batch: `contexts` is size × k ids (oldest first), `targets` size ids. */
export interface Batch {
  readonly contexts: Int32Array;
  readonly targets: Int32Array;
  readonly size: number;
}

/**
 * The examples of a token stream, in stream order: every position p whose token is not `<s>` is
 * a target; its context is tokens p−k … p−1, where any position before the start of p's sentence
 * (the position after the previous `</s>`, or 0) reads `<s>`.
 */
export interface Examples {
  /** Target positions in the stream, ascending. */
  readonly positions: Int32Array;
  /** For each target, the first position of its sentence. */
  readonly starts: Int32Array;
}

export function examplesOf(tokenIds: Int32Array, markers: Markers = DEFAULT_MARKERS): Examples {
  let n = 0;
  for (let p = 0; p < tokenIds.length; p++) if (tokenIds[p] !== markers.bos) n++;
  const positions = new Int32Array(n), starts = new Int32Array(n);
  let start = 0, j = 0;
  for (let p = 0; p < tokenIds.length; p++) {
    const t = tokenIds[p];
    if (t !== markers.bos) { positions[j] = p; starts[j] = start; j++; }
    if (t === markers.eos) start = p + 1;
  }
  return { positions, starts };
}

/** Writes the context of example e (k ids) at contexts[off …] and returns its target. */
function fillExample(tokenIds: Int32Array, ex: Examples, e: number, k: number, bos: number, contexts: Int32Array, off: number): number {
  const p = ex.positions[e], s = ex.starts[e];
  for (let j = 0; j < k; j++) {
    const q = p - k + j;
    contexts[off + j] = q < s ? bos : tokenIds[q];
  }
  return tokenIds[p];
}

/** A deterministic, endless stream of full batches. */
export interface BatchStream {
  next(): Batch;
  /** Epochs begun so far (1 after the first batch). */
  readonly epoch: number;
  /** The number of examples in one epoch. */
  readonly examples: number;
}

/**
 * Batches as a pure function of (tokenIds, k, batchSize, seed, markers): one sfc32 stream
 * `Rng(seed)` (src/core/gccp/random.ts) shuffles the example indices (Fisher–Yates, i from n−1
 * down to 1, j = rng.int(i + 1)) at the start of each epoch; batches take the next batchSize
 * examples of the shuffled order, continuing into the next epoch's shuffle, so every batch is
 * full and each epoch visits every example once.
 */
export function makeBatches(tokenIds: Int32Array, k: number, batchSize: number, seed: number, markers: Markers = DEFAULT_MARKERS): BatchStream {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const ex = examplesOf(tokenIds, markers);
  const n = ex.positions.length;
  if (n === 0) throw new RangeError('the token stream has no targets');
  const rng = new Rng(seed >>> 0);
  const order = new Int32Array(n);
  let cursor = n, epoch = 0;
  const shuffle = () => {
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = order[i]; order[i] = order[j]; order[j] = t;
    }
    cursor = 0;
    epoch++;
  };
  return {
    get epoch() { return epoch; },
    examples: n,
    next(): Batch {
      const contexts = new Int32Array(batchSize * k), targets = new Int32Array(batchSize);
      for (let b = 0; b < batchSize; b++) {
        if (cursor === n) shuffle();
        targets[b] = fillExample(tokenIds, ex, order[cursor++], k, markers.bos, contexts, b * k);
      }
      return { contexts, targets, size: batchSize };
    },
  };
}

export interface GradNorms {
  /** √(Σ over all tensors of Σ g²), f64, tensors in UTF-8 name order. */
  readonly global: number;
  /** √(Σ g²) per tensor, f64, values in index order. */
  readonly perTensor: Record<string, number>;
}

export function gradNorms(grads: ReadonlyMap<string, Tensor>): GradNorms {
  const perTensor: Record<string, number> = {};
  let total = 0;
  for (const name of sortedNames(grads)) {
    const g = grads.get(name)!.data;
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i] * g[i];
    perTensor[name] = Math.sqrt(s);
    total += s;
  }
  return { global: Math.sqrt(total), perTensor };
}

export interface StepMetrics {
  /** Mean cross-entropy of the batch under the params before the update (nats, f64). */
  readonly loss: number;
  readonly gradNorm: GradNorms;
  /** Targets predicted (the batch size). */
  readonly tokens: number;
}

export type DivergenceCause = 'nan-loss' | 'infinite-loss' | 'loss-above-bound' | 'non-finite-gradient';

/** The divergence rule: a loss that is NaN, ±∞ or above `bound`, or a non-finite gradient norm. */
export function divergence(loss: number, gradNormGlobal: number, bound: number): DivergenceCause | null {
  if (Number.isNaN(loss)) return 'nan-loss';
  if (!Number.isFinite(loss)) return 'infinite-loss';
  if (loss > bound) return 'loss-above-bound';
  if (!Number.isFinite(gradNormGlobal)) return 'non-finite-gradient';
  return null;
}

/** The default loss bound: 3·ln V (a uniform model scores ln V; a fresh init scores near it). */
export function defaultLossBound(vocabSize: number): number {
  return 3 * log(vocabSize);
}

export interface StepResult {
  readonly metrics: StepMetrics;
  /** Non-null when the step diverged; the optimizer was then not called. */
  readonly divergence: DivergenceCause | null;
}

/**
 * One training step: loss and gradients of `batch` under `params` (MatrixWorkspace `ws`), the
 * gradient norms, the divergence check against `lossBound`, and, only if it passes,
 * `optimizer.step(params, grads)` (which updates params in place).
 */
export function trainStep(params: TensorSet, batch: Batch, ws: MatrixWorkspace, optimizer: StepOptimizer, lossBound = defaultLossBound(ws.config.vocabSize)): StepResult {
  const { loss, grads } = backward(params, batch.contexts, batch.targets, ws);
  const gradNorm = gradNorms(grads);
  const metrics: StepMetrics = { loss, gradNorm, tokens: batch.size };
  const cause = divergence(loss, gradNorm.global, lossBound);
  if (cause === null) optimizer.step(params, grads);
  return { metrics, divergence: cause };
}

export type StopReason =
  | { readonly kind: 'completed' }
  | { readonly kind: 'diverged'; readonly cause: DivergenceCause; readonly step: number; readonly loss: number; readonly bound: number };

export interface TrainResult {
  /**
   * Completed: the live `params` after every update. Diverged: a copy of the last params whose
   * loss passed the check (the params before the last applied update), or of the initial params
   * if step 0 diverged.
   */
  readonly params: TensorSet;
  /** The number of updates reflected in `params`. */
  readonly updates: number;
  readonly metrics: StepMetrics[];
  readonly stop: StopReason;
}

export interface TrainOptions {
  readonly steps: number;
  readonly lossBound?: number;
  /** Called after each step that passed the check (after the update). */
  readonly onStep?: (step: number, metrics: StepMetrics) => void;
}

function copyInto(dst: TensorSet, src: ReadonlyMap<string, Tensor>): void {
  for (const [name, t] of src) dst.get(name)!.data.set(t.data);
}

/**
 * `steps` training steps on consecutive batches of `batches`, updating `params` in place. Before
 * each update the params whose loss just passed the check are copied aside, so a divergence at
 * step t returns the params of step t − 1.
 */
export function train(params: TensorSet, batches: BatchStream, ws: MatrixWorkspace, optimizer: StepOptimizer, options: TrainOptions): TrainResult {
  const bound = options.lossBound ?? defaultLossBound(ws.config.vocabSize);
  const lastGood = cloneTensors(params);
  let lastGoodUpdates = 0;
  const metrics: StepMetrics[] = [];
  // The params that just passed the check are copied aside before the optimizer changes them.
  const guarded: StepOptimizer = { step(p, g) { copyInto(lastGood, p); optimizer.step(p, g); } };
  for (let step = 0; step < options.steps; step++) {
    const { metrics: m, divergence: cause } = trainStep(params, batches.next(), ws, guarded, bound);
    metrics.push(m);
    if (cause !== null) return { params: lastGood, updates: lastGoodUpdates, metrics, stop: { kind: 'diverged', cause, step, loss: m.loss, bound } };
    lastGoodUpdates = step;
    options.onStep?.(step, m);
  }
  return { params, updates: options.steps, metrics, stop: { kind: 'completed' } };
}

export interface Evaluation {
  /** Total NLL / tokens (nats, f64). */
  readonly meanNll: number;
  /** exp(meanNll): perplexity per predicted token (every word, `<unk>` and `</s>`; never `<s>`). */
  readonly perplexity: number;
  /** The number of predicted tokens. */
  readonly tokens: number;
  /** Σ NLL in stream order (nats, f64). */
  readonly totalNll: number;
}

/**
 * Mean NLL and perplexity of a held-out token stream, every example once in stream order (the
 * examplesOf rule), evaluated `batchSize` at a time; the per-token NLLs are summed in stream
 * order, so the result does not depend on batchSize.
 */
export function evaluate(params: ReadonlyMap<string, Tensor>, tokenIds: Int32Array, ws: MatrixWorkspace, batchSize = 64, markers: Markers = DEFAULT_MARKERS): Evaluation {
  const k = ws.config.context;
  const ex = examplesOf(tokenIds, markers);
  const n = ex.positions.length;
  if (n === 0) throw new RangeError('the token stream has no targets');
  const contexts = new Int32Array(batchSize * k), targets = new Int32Array(batchSize);
  let total = 0;
  for (let e0 = 0; e0 < n; e0 += batchSize) {
    const size = Math.min(batchSize, n - e0);
    for (let b = 0; b < size; b++) targets[b] = fillExample(tokenIds, ex, e0 + b, k, markers.bos, contexts, b * k);
    forward(params, contexts.subarray(0, size * k), targets.subarray(0, size), ws);
    for (let b = 0; b < size; b++) total += ws.nll[b];
  }
  const meanNll = total / n;
  return { meanNll, perplexity: exp(meanNll), tokens: n, totalNll: total };
}
