/**
 * Messages between the Gym tab and its training worker (gym.worker.ts). The worker runs the
 * core's GymRun (src/core/gym/run.ts) in slices of steps and yields between slices, so pause,
 * resume, checkpoint and cancel are handled between two optimizer steps: nothing is cut in
 * half and every fold it has posted stays valid.
 */
export interface GymStartRequest {
  type: 'start';
  /** The base model: MX2LM safetensors bytes (transferred). */
  base: ArrayBuffer;
  baseName: string;
  /** HF tokenizer.json text of the base model's tokenizer. */
  tokenizer: string;
  /** The base's declared activation (its weights object's `architecture`). */
  activation: 'tanh' | 'relu';
  /**
   * Corpus. `lines`: the bundled split objects, one normalised sentence a line (train and
   * valid given). `text`: the user's own files; each file's every tenth sentence (index mod 10
   * = 9) is held out for validation (G-RUN "user text").
   */
  corpus: { format: 'lines'; train: string; valid: string } | { format: 'text'; files: Array<{ name: string; text: string }> };
  /** The fold document (fold.v1 JSON text) as edited. */
  fold: string;
  options: GymRunOptionsMessage;
}

export interface GymRunOptionsMessage {
  steps: number;
  batchSize: number;
  seed: number;
  evalEvery: number;
  exportEvery: number;
  /** Validation tokens of the live evaluation. */
  evalTokens: number;
  /** F-QREC form of the delta tensors in exported folds. */
  form: 'f32' | 'binary' | 'ternary' | 'int2' | 'int8';
}

export type GymRequest =
  | GymStartRequest
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'checkpoint' }
  | { type: 'cancel' };

import type { Histogram, TensorView } from '../../core/gym/analyze';

export type { Histogram, TensorView };

export interface StepReport {
  step: number;
  loss: number;
  gradNorm: number;
  gradNorms: Record<string, number>;
  deltaNorm: number;
  tokens: number;
  stepsPerSec: number;
  tokensPerSec: number;
}

export interface EvalReport { step: number; validNll: number; validPpl: number; trainPpl: number }


export type GymEvent =
  | { type: 'ready' }
  | { type: 'prepared'; vocab: number; params: number; trainTokens: number; validTokens: number; tensors: Array<{ name: string; shape: number[] }>; baseValid: EvalReport }
  | { type: 'step'; report: StepReport }
  | { type: 'eval'; report: EvalReport }
  | { type: 'histograms'; step: number; grad: Histogram; delta: Histogram; deltas: TensorView[] }
  | { type: 'fold'; step: number; name: string; bytes: ArrayBuffer; hash: string; reason: 'every' | 'checkpoint' | 'final' }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | { type: 'stopped'; reason: 'done' | 'cancelled' | 'diverged'; step: number; message: string }
  | { type: 'error'; code: string; message: string; path?: string };
