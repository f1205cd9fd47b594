import { describe, expect, it } from 'vitest';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import { initMatrix, MatrixWorkspace, type MatrixConfig } from '../mx2lm/matrix.ts';
import { cloneTensors, sortedNames, type TensorSet } from './tensor.ts';
import { defaultLossBound, evaluate, examplesOf, gradNorms, makeBatches, train, trainStep, type StepOptimizer } from './train.ts';

function paramHash(p: ReadonlyMap<string, { data: Float32Array }>): string {
  const parts = sortedNames(p).map((n) => new Uint8Array(p.get(n)!.data.buffer, p.get(n)!.data.byteOffset, p.get(n)!.data.byteLength));
  const all = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const b of parts) { all.set(b, o); o += b.length; }
  return toHex(sha256(all));
}

/** The test's stand-in optimizer: θ ← f32(θ − lr·g). */
function sgd(lr: number): StepOptimizer {
  return {
    step(params: TensorSet, grads: TensorSet) {
      for (const name of sortedNames(params)) {
        const p = params.get(name)!.data, g = grads.get(name)!.data;
        for (let i = 0; i < p.length; i++) p[i] = p[i] - lr * g[i];
      }
    },
  };
}

// Vocab: 0 <unk>, 1 <s>, 2 </s>, 3 a, 4 b, 5 c, 6 d.
const BOS = 1, EOS = 2;
/** `<s> a b c d </s>` and `<s> d c b a </s>`, alternating, n sentences. */
function corpus(n: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(BOS, ...(i % 2 ? [6, 5, 4, 3] : [3, 4, 5, 6]), EOS);
  return new Int32Array(out);
}

const CFG: MatrixConfig = { vocabSize: 7, context: 2, embedDim: 4, hidden: 8, activation: 'tanh' };

describe('gym training core', () => {
  it('examples: every non-<s> token is a target, contexts padded with <s> at a sentence start', () => {
    const withBos = new Int32Array([BOS, 3, 4, EOS, BOS, 5, EOS]);
    const without = new Int32Array([3, 4, EOS, 5, EOS]);
    const expected = [
      [[BOS, BOS], 3], [[BOS, 3], 4], [[3, 4], EOS], [[BOS, BOS], 5], [[BOS, 5], EOS],
    ];
    for (const s of [withBos, without]) {
      const ex = examplesOf(s);
      expect(ex.positions.length).toBe(5);
      const stream = makeBatches(s, 2, 5, 0);
      const b = stream.next();
      const got = Array.from(b.targets, (t, i) => [[b.contexts[2 * i], b.contexts[2 * i + 1]], t]);
      expect(got.sort((x, y) => JSON.stringify(x) < JSON.stringify(y) ? -1 : 1)).toEqual([...expected].sort((x, y) => JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
    }
  });

  it('batches are a pure function of the seed, and an epoch visits each example once', () => {
    const s = corpus(10);
    const take = (seed: number, n: number) => { const st = makeBatches(s, 2, 5, seed); return Array.from({ length: n }, () => st.next()); };
    const a = take(9, 12), b = take(9, 12), c = take(10, 12);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // 10 sentences × 5 targets = 50 examples = 10 batches of 5: the first 10 batches are a
    // permutation of the examples (by multiset of (context, target)).
    const key = (x: { contexts: Int32Array; targets: Int32Array }, i: number) => `${x.contexts[2 * i]},${x.contexts[2 * i + 1]}>${x.targets[i]}`;
    const seen = a.slice(0, 10).flatMap((x) => [0, 1, 2, 3, 4].map((i) => key(x, i))).sort();
    const all = makeBatches(s, 2, 50, 1).next();
    expect(seen).toEqual([...Array(50).keys()].map((i) => key(all, i)).sort());
  });

  it('evaluate: perplexity per word of a uniform model is V; independent of the batch size', () => {
    const p = initMatrix(CFG, 3);
    for (const t of p.values()) t.data.fill(0);
    const ws = new MatrixWorkspace(CFG);
    const e = evaluate(p, corpus(3), ws);
    expect(e.tokens).toBe(15);
    expect(e.perplexity).toBeCloseTo(7, 12);
    const q = initMatrix(CFG, 3);
    const r1 = evaluate(q, corpus(5), ws, 1), r7 = evaluate(q, corpus(5), ws, 7), r64 = evaluate(q, corpus(5), ws, 64);
    expect(r7.totalNll).toBe(r1.totalNll);
    expect(r64.totalNll).toBe(r1.totalNll);
    expect(r1.perplexity).toBe(Math.exp(r1.totalNll / 25));
  });

  it('a few SGD steps on a repetitive corpus drive the loss down substantially', () => {
    // With k = 2 every target is determined by its context ((<s>,<s>) → a or d is the only
    // ambiguity: 2 of the 10 examples per sentence pair, entropy ln 2 each), so the best mean
    // NLL is 0.2·ln 2 ≈ 0.139 nats; a fresh model scores ≈ ln 7 ≈ 1.95. We require < 0.2 (within
    // 0.06 nats of the floor; measured 0.160) after 100 steps of batch 10 (lr 0.5), on a fresh copy.
    const p = initMatrix(CFG, 11);
    const ws = new MatrixWorkspace(CFG, 10);
    const before = evaluate(p, corpus(4), ws);
    expect(before.meanNll).toBeGreaterThan(1.5);
    const r = train(p, makeBatches(corpus(20), 2, 10, 1), ws, sgd(0.5), { steps: 100 });
    expect(r.stop).toEqual({ kind: 'completed' });
    const after = evaluate(r.params, corpus(4), ws);
    expect(after.meanNll).toBeLessThan(0.2);
    expect(after.meanNll).toBeGreaterThan(0.2 * Math.LN2 - 1e-9);
  });

  it('is deterministic: same seed, same param bytes after 3 steps (vector)', () => {
    const run = () => {
      const p = initMatrix(CFG, 2026);
      const ws = new MatrixWorkspace(CFG);
      const r = train(p, makeBatches(corpus(6), 2, 8, 7), ws, sgd(0.1), { steps: 3 });
      return { hash: paramHash(r.params), losses: r.metrics.map((m) => m.loss), norm: r.metrics[2].gradNorm.global };
    };
    const a = run();
    expect(run()).toEqual(a);
    // Vectors (docs/laws.md MX2LM-MATRIX).
    expect(a.hash).toBe('b1fd9d8a7988ad1523229f50f770871d2be9057974e89679ecaef28d28a22cca');
    expect(a.losses).toEqual([2.039160585363742, 2.1279954064988744, 2.111740077408417]);
    expect(a.norm).toBe(0.912991377598907);
  });

  it('trainStep reports loss, tokens and L2 gradient norms per tensor and global', () => {
    const p = initMatrix(CFG, 4);
    const ws = new MatrixWorkspace(CFG);
    const batch = makeBatches(corpus(2), 2, 6, 0).next();
    const before = cloneTensors(p);
    const r = trainStep(p, batch, ws, sgd(0.1));
    expect(r.divergence).toBeNull();
    expect(r.metrics.tokens).toBe(6);
    const n = r.metrics.gradNorm;
    expect(Object.keys(n.perTensor)).toEqual(['embed.weight', 'hidden.bias', 'hidden.weight', 'out.bias', 'out.weight']);
    let s = 0;
    for (const v of Object.values(n.perTensor)) s += v * v;
    expect(n.global).toBeCloseTo(Math.sqrt(s), 14);
    expect(gradNorms(ws.grads)).toEqual(n);
    expect(paramHash(p)).not.toBe(paramHash(before));
  });

  it('divergence: a huge learning rate stops with a typed reason and returns the last good params', () => {
    const make = () => ({ p: initMatrix(CFG, 5), ws: new MatrixWorkspace(CFG), s: makeBatches(corpus(20), 2, 10, 3) });
    const a = make();
    const r = train(a.p, a.s, a.ws, sgd(1e6), { steps: 50 });
    expect(r.stop.kind).toBe('diverged');
    if (r.stop.kind !== 'diverged') return;
    expect(['nan-loss', 'infinite-loss', 'loss-above-bound', 'non-finite-gradient']).toContain(r.stop.cause);
    expect(r.stop.bound).toBe(defaultLossBound(7));
    expect(r.stop.step).toBeGreaterThan(0);
    expect(r.updates).toBe(r.stop.step - 1);
    // Replaying updates (= stop.step − 1) steps gives the same bytes, and those params' loss passed.
    const b = make();
    const replay = train(b.p, b.s, b.ws, sgd(1e6), { steps: r.updates });
    expect(replay.stop.kind).toBe('completed');
    expect(paramHash(r.params)).toBe(paramHash(replay.params));
    expect(r.metrics[r.updates].loss).toBeLessThanOrEqual(r.stop.bound);
    // A diverged step leaves the params untouched by the optimizer.
    const c = make();
    const big = trainStep(c.p, c.s.next(), c.ws, sgd(1e6), -1);
    expect(big.divergence).toBe('loss-above-bound');
    expect(paramHash(c.p)).toBe(paramHash(initMatrix(CFG, 5)));
  });
});
