/**
 * A determinism run on a loaded model, the same code on every backend (the page's main thread,
 * the tab's worker, a second worker, the worker with WebGPU): either the same prompt N times (one
 * reply hash and one trace hash per run), or the seeded prompt set of MX2LM-INFER
 * (src/core/infer/seeded-prompts.ts: SHA-256 of the replies each + LF, and of the traces each + LF).
 * It yields to the event loop between requests, so progress shows, a cancel arrives, and the
 * page's thread is never held for longer than one request.
 */
import { sha256 } from '../../core/hash/sha256';
import { toHex } from '../../core/bytes/hex';
import { utf8 } from '../../core/bytes/utf8';
import { runInference, type InferenceModel, type IntMatmul } from '../../core/infer/engine';
import { RepliesDigest, seededPrompts } from '../../core/infer/seeded-prompts';
import { traceJson, type TraceEvent } from '../../core/infer/trace';
import type { Backend, InferErrorInfo, RunResult, RunSpec } from './protocol';

export function requestFor(prompt: string, profile: string): unknown {
  return { '@request': 'ai.inference', prompt, profile, projection: 'agent.reply' };
}

const yieldNow = () => new Promise<void>((r) => setTimeout(r, 0));

export interface RunHooks {
  matmul?: IntMatmul;
  cancelled(): boolean;
  progress(done: number, total: number): void;
  errorInfo(e: unknown): InferErrorInfo;
}

export async function executeRun(model: InferenceModel, backend: Backend, spec: RunSpec, hooks: RunHooks): Promise<RunResult> {
  const res: RunResult = { backend, spec, done: 0, replies: [], traces: [], tokens: 0, ms: 0 };
  const total = spec.n;
  const prompts = spec.kind === 'seeded' ? seededPrompts(model.tokens, spec.n) : null;
  const replies = new RepliesDigest(), traces = new RepliesDigest();
  const t0 = performance.now();
  let last = t0;
  try {
    for (let i = 0; i < total; i++) {
      if (hooks.cancelled()) { res.cancelled = true; break; }
      const events: TraceEvent[] = [];
      const prompt = prompts ? prompts[i] : (spec as { prompt: string }).prompt;
      const r = await runInference(model, requestFor(prompt, model.profileId), { matmul: hooks.matmul, onTrace: (e) => events.push(e) });
      const trace = utf8(traceJson(events));
      if (prompts) { replies.add(r.bytes); traces.add(trace); } else { res.replies.push(r.hash); res.traces.push(`sha256:${toHex(sha256(trace))}`); }
      res.tokens += r.tokens.length;
      res.done = i + 1;
      const now = performance.now();
      if (now - last > 100 || i + 1 === total) { last = now; hooks.progress(i + 1, total); await yieldNow(); }
    }
    if (prompts && !res.cancelled) { res.replies.push(`sha256:${replies.hex()}`); res.traces.push(`sha256:${traces.hex()}`); }
  } catch (e) {
    res.error = hooks.errorInfo(e);
  }
  res.ms = performance.now() - t0;
  return res;
}
