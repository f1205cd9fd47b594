/**
 * Messages between the Inference tab and its worker (infer.worker.ts). The worker resolves and
 * verifies the inference objects itself (its own HttpObjectStore over the page's origin, the
 * core's Object Server lifecycle), keeps the loaded model, runs requests and streams the engine's
 * trace events (§20.12) as they are emitted.
 */
import type { TraceEvent } from '../../core/infer/trace';

export type Backend = 'worker' | 'worker2' | 'webgpu';

export interface InferErrorInfo { code: string; message: string; path?: string }

export type InferRequestMsg =
  | { type: 'load'; base: string; profile: string }
  | { type: 'generate'; id: number; request: unknown }
  | { type: 'repeat'; id: number; backend: 'worker' | 'webgpu'; request: unknown; n: number }
  ;

export interface ObjectRow {
  role: string;
  id: string;
  hash: string | null;
  size: number | null;
  state: 'pending' | 'verifying' | 'verified' | 'failed';
  code?: string;
}

export interface RepeatResult {
  backend: Backend;
  n: number;
  /** One entry per run: `sha256:<hex>` of the reply bytes and of traceJson. */
  replies: string[];
  traces: string[];
  tokens: number;
  ms: number;
  /** WebGPU: the adapter; a sentence when there is none. */
  note?: string;
  error?: InferErrorInfo;
}

export type InferEventMsg =
  | { type: 'progress'; message: string; objects: ObjectRow[] }
  | { type: 'loaded'; objects: ObjectRow[]; ms: number; vocab: number; profile: { mode: string; collapse: { alpha: number; beta: number; gamma: number }; maxTokens: number } }
  | { type: 'load-error'; error: InferErrorInfo; objects: ObjectRow[] }
  | { type: 'trace'; id: number; event: TraceEvent }
  | { type: 'reply'; id: number; text: string; bytes: ArrayBuffer; hash: string; traceHash: string; tokens: number; ms: number }
  | { type: 'error'; id: number; error: InferErrorInfo }
  | { type: 'repeat-done'; id: number; result: RepeatResult };
