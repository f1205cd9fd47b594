import { describe, expect, it } from 'vitest';
import { ensureLoaded, generate, inferStore, verdict } from './inferStore';
import type { InferEventMsg, InferRequestMsg, RepeatResult } from './protocol';

const run = (backend: RepeatResult['backend'], replies: string[], traces: string[], extra: Partial<RepeatResult> = {}): RepeatResult =>
  ({ backend, n: replies.length, replies, traces, tokens: 3, ms: 10, ...extra });

describe('verdict', () => {
  it('equal only when every reply hash and every trace hash agree', () => {
    expect(verdict({})).toEqual({ state: 'none', reply: null, trace: null });
    expect(verdict({ worker: 'running' }).state).toBe('running');
    expect(verdict({ worker: run('worker', ['a', 'a'], ['t', 't']), webgpu: run('webgpu', ['a'], ['t']) })).toEqual({ state: 'equal', reply: 'a', trace: 't' });
    expect(verdict({ worker: run('worker', ['a'], ['t']), webgpu: run('webgpu', ['b'], ['t']) }).state).toBe('differ');
    expect(verdict({ worker: run('worker', ['a'], ['t']), worker2: run('worker2', ['a'], ['u']) }).state).toBe('differ');
    // A backend without a result (no WebGPU) or with an error takes no part.
    expect(verdict({ worker: run('worker', ['a'], ['t']), webgpu: run('webgpu', [], [], { note: 'no WebGPU' }) }).state).toBe('equal');
  });
});

class FakeWorker {
  onmessage: ((e: MessageEvent<InferEventMsg>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  sent: InferRequestMsg[] = [];
  postMessage(m: InferRequestMsg) { this.sent.push(m); }
  terminate() {}
  emit(m: InferEventMsg) { this.onmessage?.({ data: m } as MessageEvent<InferEventMsg>); }
}

describe('the store folds the worker messages', () => {
  it('loading, progress, trace events per step, reply and typed errors', () => {
    const w = new FakeWorker();
    ensureLoaded(() => w as unknown as Worker, 'http://x/');
    expect(w.sent[0]).toMatchObject({ type: 'load', base: 'http://x/' });
    expect(inferStore.getState().load).toBe('loading');
    const row = { role: 'ngram', id: 'object://ai/brain/ngram/mx2lm-brown', hash: 'sha256:00', size: 1, state: 'verifying' as const };
    w.emit({ type: 'progress', message: 'verifying …', objects: [row] });
    expect(inferStore.getState().objects[0].state).toBe('verifying');
    w.emit({ type: 'loaded', objects: [{ ...row, state: 'verified' }], ms: 5, vocab: 10, profile: { mode: 'hybrid', collapse: { alpha: 0.5, beta: 0.2, gamma: 0.3 }, maxTokens: 8 } });
    expect(inferStore.getState().load).toBe('ready');

    generate('The jury');
    const g = w.sent[1] as Extract<InferRequestMsg, { type: 'generate' }>;
    expect(g.request).toEqual({ '@request': 'ai.inference', prompt: 'The jury', profile: 'object://ai/inference/mx2lm-brown', projection: 'agent.reply' });
    w.emit({ type: 'trace', id: g.id, event: { type: 'object.inference.layer', step: 0, context: [1, 1], matrix: null, svg: { from: 1, edges: 2 } } });
    w.emit({ type: 'trace', id: g.id, event: { type: 'object.inference.collapsed', step: 0, weights: null, domains: { matrix: null, svg: null, ngram: null }, collapsed: [], excluded: [], chosen: { id: 4, token: 'the', c: 0.5, stop: false } } });
    w.emit({ type: 'trace', id: g.id + 99, event: { type: 'object.inference.layer', step: 1, context: [], matrix: null, svg: { from: 1, edges: 0 } } });
    const steps = inferStore.getState().gen!.steps;
    expect(steps).toHaveLength(1);
    expect(steps[0].collapsed!.chosen.token).toBe('the');
    w.emit({ type: 'reply', id: g.id, text: 'the jury the', bytes: new ArrayBuffer(1), hash: 'sha256:ab', traceHash: 'sha256:cd', tokens: 1, ms: 2 });
    expect(inferStore.getState().gen).toMatchObject({ status: 'done', text: 'the jury the', hash: 'sha256:ab' });

    generate('x');
    const g2 = w.sent[2] as Extract<InferRequestMsg, { type: 'generate' }>;
    w.emit({ type: 'error', id: g2.id, error: { code: 'inference_error.bad_request', message: 'too long', path: '$.prompt' } });
    expect(inferStore.getState().gen).toMatchObject({ status: 'error', error: { code: 'inference_error.bad_request' } });
  });
});
