/**
 * Messages between the Inference tab and its worker (infer.worker.ts). The worker resolves and
 * verifies the inference objects itself (its own HttpObjectStore over the page's origin, with the
 * user's swaps applied by src/core/infer/swap.ts, through the core's Object Server lifecycle),
 * keeps the loaded model, runs requests and streams the engine's trace events (§20.12) — or, with
 * the trace off, only the tokens — as they are emitted.
 */
import type { TraceEvent } from '../../core/infer/trace';
import type { SwapEntry } from '../../core/infer/swap';

/** main: the page's own thread; worker: the tab's worker; worker2: a second worker; webgpu: the tab's worker with createGpuIntMatmul. */
export type Backend = 'main' | 'worker' | 'worker2' | 'webgpu';

export interface InferErrorInfo { code: string; message: string; path?: string; file?: string }

/** What a determinism run computes: the same prompt N times, or the seeded prompt set (seeded-prompts.ts). */
export type RunSpec = { kind: 'repeat'; prompt: string; n: number } | { kind: 'seeded'; n: number };

export type InferRequestMsg =
  | { type: 'load'; base: string; profile: string; swaps: SwapEntry[] }
  | { type: 'swap'; name: string; bytes: ArrayBuffer }
  | { type: 'generate'; id: number; request: unknown; trace: boolean }
  | { type: 'run'; id: number; backend: 'worker' | 'webgpu'; profile: string; spec: RunSpec }
  | { type: 'cancel'; id: number }
  | { type: 'svg-node'; id: number; from: number }
  ;

export interface ObjectRow {
  role: string;
  id: string;
  hash: string | null;
  size: number | null;
  state: 'pending' | 'verifying' | 'verified' | 'failed';
  code?: string;
}

export interface RunResult {
  backend: Backend;
  spec: RunSpec;
  /** Runs finished (requests). */
  done: number;
  /** repeat: one entry per run (`sha256:<hex>` of the reply bytes and of traceJson); seeded: one digest each. */
  replies: string[];
  traces: string[];
  tokens: number;
  ms: number;
  /** WebGPU: the adapter; a sentence when the backend cannot run here. */
  note?: string;
  cancelled?: boolean;
  error?: InferErrorInfo;
}

export interface SvgEdge { id: number; token: string; p: number }

export type InferEventMsg =
  | { type: 'progress'; message: string; objects: ObjectRow[] }
  | { type: 'loaded'; objects: ObjectRow[]; ms: number; vocab: number; profile: { mode: string; collapse: { alpha: number; beta: number; gamma: number }; maxTokens: number }; profiles: string[] }
  | { type: 'load-error'; error: InferErrorInfo; objects: ObjectRow[]; profiles: string[] }
  | { type: 'swap-built'; entry: SwapEntry; old: string | null }
  | { type: 'swap-error'; error: InferErrorInfo }
  | { type: 'trace'; id: number; event: TraceEvent }
  | { type: 'token'; id: number; token: string; tokenId: number }
  | { type: 'reply'; id: number; text: string; bytes: ArrayBuffer; hash: string; traceHash: string | null; tokens: number; ms: number }
  | { type: 'error'; id: number; error: InferErrorInfo }
  | { type: 'run-progress'; id: number; done: number; total: number }
  | { type: 'run-done'; id: number; result: RunResult }
  | { type: 'svg-node'; id: number; from: number; token: string; edges: SvgEdge[]; total: number };
