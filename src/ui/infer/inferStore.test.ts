import { beforeEach, describe, expect, it } from 'vitest';
import { ensureLoaded, generate, inferStore, removeObject, resetInferStore, runDeterminism, verdict, chooseProfile } from './inferStore';
import type { InferEventMsg, InferRequestMsg, RunResult } from './protocol';

const spec = { kind: 'repeat' as const, prompt: 'p', n: 1 };
const run = (backend: RunResult['backend'], replies: string[], traces: string[], extra: Partial<RunResult> = {}): RunResult =>
  ({ backend, spec, done: replies.length, replies, traces, tokens: 3, ms: 10, ...extra });

describe('verdict', () => {
  it('equal only when every reply hash and every trace hash agree', () => {
    expect(verdict({})).toEqual({ state: 'none', reply: null, trace: null });
    expect(verdict({ worker: { running: true, done: 0, total: 1 } }).state).toBe('running');
    expect(verdict({ worker: run('worker', ['a', 'a'], ['t', 't']), webgpu: run('webgpu', ['a'], ['t']) })).toEqual({ state: 'equal', reply: 'a', trace: 't' });
    expect(verdict({ worker: run('worker', ['a'], ['t']), webgpu: run('webgpu', ['b'], ['t']) }).state).toBe('differ');
    expect(verdict({ worker: run('worker', ['a'], ['t']), worker2: run('worker2', ['a'], ['u']) }).state).toBe('differ');
    // A backend without a result (no WebGPU), with an error, or cancelled takes no part.
    expect(verdict({ worker: run('worker', ['a'], ['t']), webgpu: run('webgpu', [], [], { note: 'no WebGPU' }) }).state).toBe('equal');
    expect(verdict({ worker: run('worker', ['a'], ['t']), main: run('main', ['b'], ['t'], { cancelled: true }) }).state).toBe('equal');
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

const row = { role: 'ngram', id: 'object://ai/brain/ngram/mx2lm-brown', hash: 'sha256:00', size: 30e6, state: 'verifying' as const };
const loaded = (w: FakeWorker) => w.emit({ type: 'loaded', objects: [{ ...row, state: 'verified' }], ms: 5, vocab: 10, profile: { mode: 'hybrid', collapse: { alpha: 0.5, beta: 0.2, gamma: 0.3 }, maxTokens: 8 }, profiles: ['object://ai/inference/mx2lm-brown', 'object://ai/inference/mx2lm-demo'] });

describe('the store folds the worker messages', () => {
  beforeEach(() => resetInferStore());

  it('loading, progress, trace events per step, reply and typed errors', () => {
    const w = new FakeWorker();
    ensureLoaded(() => w as unknown as Worker, 'http://x/');
    expect(w.sent[0]).toMatchObject({ type: 'load', base: 'http://x/', swaps: [] });
    expect(inferStore.getState().load).toBe('loading');
    w.emit({ type: 'progress', message: 'verifying …', objects: [row] });
    expect(inferStore.getState().objects[0].state).toBe('verifying');
    loaded(w);
    expect(inferStore.getState().load).toBe('ready');
    expect(inferStore.getState().profiles).toHaveLength(2);

    generate('The jury');
    const g = w.sent[1] as Extract<InferRequestMsg, { type: 'generate' }>;
    expect(g.request).toEqual({ '@request': 'ai.inference', prompt: 'The jury', profile: 'object://ai/inference/mx2lm-brown', projection: 'agent.reply' });
    expect(g.trace).toBe(true);
    w.emit({ type: 'trace', id: g.id, event: { type: 'object.inference.layer', step: 0, context: [1, 1], matrix: null, svg: { from: 1, edges: 2 } } });
    w.emit({ type: 'trace', id: g.id, event: { type: 'object.inference.collapsed', step: 0, weights: null, domains: { matrix: null, svg: null, ngram: null }, collapsed: [], excluded: [], chosen: { id: 4, token: 'the', c: 0.5, stop: false } } });
    w.emit({ type: 'trace', id: g.id + 99, event: { type: 'object.inference.layer', step: 1, context: [], matrix: null, svg: { from: 1, edges: 0 } } });
    const steps = inferStore.getState().gen!.steps;
    expect(steps).toHaveLength(1);
    expect(steps[0].collapsed!.chosen.token).toBe('the');
    expect(inferStore.getState().gen!.tokens).toEqual(['the']);
    w.emit({ type: 'reply', id: g.id, text: 'the jury the', bytes: new ArrayBuffer(1), hash: 'sha256:ab', traceHash: 'sha256:cd', tokens: 1, ms: 2 });
    expect(inferStore.getState().gen).toMatchObject({ status: 'done', text: 'the jury the', hash: 'sha256:ab' });

    generate('x');
    const g2 = w.sent[2] as Extract<InferRequestMsg, { type: 'generate' }>;
    w.emit({ type: 'error', id: g2.id, error: { code: 'inference_error.bad_request', message: 'too long', path: '$.prompt' } });
    expect(inferStore.getState().gen).toMatchObject({ status: 'error', error: { code: 'inference_error.bad_request' } });
  });

  it('trace off: the tokens stream alone; no trace hash', () => {
    const w = new FakeWorker();
    ensureLoaded(() => w as unknown as Worker, 'http://x/');
    loaded(w);
    generate('The', false);
    const g = w.sent[1] as Extract<InferRequestMsg, { type: 'generate' }>;
    expect(g.trace).toBe(false);
    w.emit({ type: 'token', id: g.id, token: 'jury', tokenId: 21 });
    w.emit({ type: 'token', id: g.id, token: 'said', tokenId: 6 });
    expect(inferStore.getState().gen!.tokens).toEqual(['jury', 'said']);
    expect(inferStore.getState().gen!.steps).toEqual([]);
    w.emit({ type: 'reply', id: g.id, text: 'the jury said', bytes: new ArrayBuffer(1), hash: 'sha256:ab', traceHash: null, tokens: 2, ms: 2 });
    expect(inferStore.getState().gen).toMatchObject({ status: 'done', traceHash: null });
  });

  it('a swap built by the worker reloads with it; a removal reloads with a removal entry; another profile clears the swaps', () => {
    const w = new FakeWorker();
    ensureLoaded(() => w as unknown as Worker, 'http://x/');
    loaded(w);
    const entry = { role: 'weights' as const, id: 'object://ai/weights/mx2lm-brown', file: 'new.safetensors', descriptor: new Uint8Array([123, 125]), payload: new Uint8Array(4), hash: 'sha256:11' };
    w.emit({ type: 'swap-built', entry, old: 'sha256:22' });
    const reload = w.sent.at(-1) as Extract<InferRequestMsg, { type: 'load' }>;
    expect(reload.type).toBe('load');
    expect(reload.swaps).toEqual([entry]);
    expect(inferStore.getState().swaps).toEqual([{ role: 'weights', id: entry.id, file: 'new.safetensors', hash: 'sha256:11', old: 'sha256:22' }]);
    expect(inferStore.getState().load).toBe('loading');
    removeObject('svg', 'object://ai/brain/svg/mx2lm-brown');
    const again = w.sent.at(-1) as Extract<InferRequestMsg, { type: 'load' }>;
    expect(again.swaps.map((s) => [s.id, s.descriptor === null])).toEqual([[entry.id, false], ['object://ai/brain/svg/mx2lm-brown', true]]);
    chooseProfile('object://ai/inference/mx2lm-demo');
    const demo = w.sent.at(-1) as Extract<InferRequestMsg, { type: 'load' }>;
    expect(demo).toMatchObject({ profile: 'object://ai/inference/mx2lm-demo', swaps: [] });
    expect(inferStore.getState().swaps).toEqual([]);
  });

  it('the main thread does not load a big object set: it says why instead of freezing the page', async () => {
    const w = new FakeWorker();
    ensureLoaded(() => w as unknown as Worker, 'http://x/');
    loaded(w); // a 30 MB object in the graph
    await runDeterminism({ kind: 'repeat', prompt: 'The', n: 1 }, ['main']);
    const r = inferStore.getState().runs.main as RunResult;
    expect(r.replies).toEqual([]);
    expect(r.note).toMatch(/not run: the objects are 30\.0 MB/);
  });
});
