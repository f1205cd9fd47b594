/**
 * Trace events of exact inference (§20.12; docs/laws.md MX2LM-INFER "trace"): plain JSON data,
 * delivered in order to an optional listener, read-only. The engine builds them only when a
 * listener is given; nothing in them feeds back into the reply (tested: listener on or off, the
 * reply bytes are the same). `traceJson(events)` is the trace file's bytes.
 *
 * Pure: no DOM, no Node.
 */

export interface TraceCandidate { id: number; token: string; p: number }

export interface ObjectRef { role: string; id: string; hash: string }

export type TraceEvent =
  | { type: 'object.inference.started'; request: { '@request': string; prompt: string; profile: string; projection: string }; objects: ObjectRef[];
      prompt: { tokens: number[]; symbols: string[] }; collapse: { alpha: number; beta: number; gamma: number }; repeat: { window: number; ngram: number } | null }
  | { type: 'object.inference.layer'; step: number; context: number[];
      /** null when the matrix path does not run (alpha 0). */
      matrix: null | { x_scale: number; hidden: { width: number; activation: string; min: number; max: number; mean_abs: number; scale: number; saturated: number;
        /** The hidden layer's activations as the int8 codes the second product uses (a_i ≈ codes[i]·scale), in unit order. */
        codes: number[] }; logits: { min: number; max: number } };
      svg: { from: number; edges: number } }
  | { type: 'object.inference.collapsed'; step: number;
      weights: { alpha: number; beta: number; gamma: number } | null;
      domains: { matrix: TraceCandidate[] | null; svg: TraceCandidate[] | null; ngram: TraceCandidate[] | null };
      collapsed: TraceCandidate[]; excluded: number[]; chosen: { id: number; token: string; c: number; stop: boolean } }
  | { type: 'object.inference.completed'; tokens: number[]; stop: 'stop_token' | 'max_tokens' | 'no_candidate'; reply_sha256: string };

export type TraceListener = (e: TraceEvent) => void;

/** The trace file: `{"events": [...]}` with a newline. */
export function traceJson(events: readonly TraceEvent[]): string {
  return `${JSON.stringify({ events })}\n`;
}
