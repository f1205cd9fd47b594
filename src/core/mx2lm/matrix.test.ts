import { describe, expect, it } from 'vitest';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import { parseSafetensorsHeader, decodeFloats } from '../tensors/safetensors.ts';
import { sortedNames, type TensorSet } from '../gym/tensor.ts';
import { buildDemoAiObjects, DEMO_AI_IDS } from '../../cli/demo-ai-objects.ts';
import {
  backward, checkParams, configFromArchitecture, forward, initMatrix, logProbs, MATRIX_TENSOR_NAMES, MatrixWorkspace, type Activation, type MatrixConfig,
} from './matrix.ts';

function paramHash(p: ReadonlyMap<string, { data: Float32Array }>): string {
  const parts = sortedNames(p).map((n) => new Uint8Array(p.get(n)!.data.buffer, p.get(n)!.data.byteOffset, p.get(n)!.data.byteLength));
  const all = new Uint8Array(parts.reduce((a, b) => a + b.length, 0));
  let o = 0;
  for (const b of parts) { all.set(b, o); o += b.length; }
  return toHex(sha256(all));
}

const tiny = (activation: Activation): MatrixConfig => ({ vocabSize: 7, context: 2, embedDim: 3, hidden: 5, activation });

/** Round every param to a multiple of 2^-8, so p ± 2^-12 is exact in f32. */
function dyadic(p: TensorSet): TensorSet {
  for (const t of p.values()) for (let i = 0; i < t.data.length; i++) t.data[i] = Math.round(t.data[i] * 256) / 256;
  return p;
}

describe('MX2LM matrix path', () => {
  it('initialises the five demo tensors, seeded, within the declared bounds', () => {
    const c: MatrixConfig = { vocabSize: 11, context: 3, embedDim: 4, hidden: 6, activation: 'tanh' };
    const p = initMatrix(c, 42);
    expect([...p.keys()]).toEqual([...MATRIX_TENSOR_NAMES]);
    checkParams(p, c);
    expect(p.get('hidden.weight')!.shape).toEqual([6, 12]);
    expect(p.get('out.weight')!.shape).toEqual([11, 6]);
    const bound = { 'embed.weight': Math.sqrt(3), 'hidden.weight': 1 / Math.sqrt(12), 'hidden.bias': 1 / Math.sqrt(12), 'out.weight': 1 / Math.sqrt(6), 'out.bias': 1 / Math.sqrt(6) };
    for (const [name, t] of p) for (const v of t.data) expect(Math.abs(v)).toBeLessThanOrEqual(Math.fround(bound[name as keyof typeof bound]));
    expect(paramHash(initMatrix(c, 42))).toBe(paramHash(p));
    expect(paramHash(initMatrix(c, 43))).not.toBe(paramHash(p));
  });

  it('reads the demo weights object as a valid model (names, shapes, architecture)', async () => {
    const objs = await buildDemoAiObjects();
    const w = objs.find((o) => o.id === DEMO_AI_IDS.weights)!;
    const vocab = objs.find((o) => o.id === DEMO_AI_IDS.vocab)!;
    const V = (vocab.descriptor as { size: number }).size;
    const arch = (w.descriptor as { architecture: { context: number; embed: number; hidden: number; activation: string } }).architecture;
    const c = configFromArchitecture(arch, V);
    const h = parseSafetensorsHeader(w.payload, w.payload.length);
    const params: TensorSet = new Map();
    for (const t of h.tensors) {
      params.set(t.name, { shape: t.shape, data: new Float32Array(decodeFloats(w.payload.subarray(h.dataStart + t.begin, h.dataStart + t.end), t.dtype)) });
    }
    checkParams(params, c);
    const ws = new MatrixWorkspace(c);
    const lp = logProbs(params, new Int32Array([1, 3]), ws);
    let s = 0;
    for (const x of lp) s += Math.exp(x);
    expect(s).toBeCloseTo(1, 12);
  });

  for (const activation of ['tanh', 'relu'] as const) {
    it(`backward matches central finite differences (${activation})`, () => {
      // V=7, k=2, d=3, H=5, B=6 (a block of four rows plus a tail; V odd exercises the tails).
      // Params are multiples of 2^-8, so θ ± 2^-12 is exact in f32 and the FD is an f64 FD of the
      // loss as a function of the f32 params. Bound: |g − fd| ≤ 1e-7 + 1e-5·|fd| (f32 rounding of
      // g is ~6e-8 relative; the FD's truncation error is O(ε²) ≈ 1e-8; measured worst ≈ 2% of it).
      const c = tiny(activation);
      const p = dyadic(initMatrix(c, 7));
      const ctx = new Int32Array([3, 3, 0, 6, 6, 3, 1, 1, 2, 5, 3, 4]);
      const tg = new Int32Array([4, 3, 0, 6, 2, 3]);
      const ws = new MatrixWorkspace(c);
      const { grads } = backward(p, ctx, tg, ws);
      const g = new Map([...grads].map(([n, t]) => [n, new Float32Array(t.data)]));
      const eps = 2 ** -12;
      let worst = 0, checked = 0;
      for (const name of MATRIX_TENSOR_NAMES) {
        const d = p.get(name)!.data;
        for (let i = 0; i < d.length; i++) {
          const v = d[i];
          d[i] = v + eps; const lp = forward(p, ctx, tg, ws);
          d[i] = v - eps; const lm = forward(p, ctx, tg, ws);
          d[i] = v;
          const fd = (lp - lm) / (2 * eps);
          const an = g.get(name)![i];
          worst = Math.max(worst, Math.abs(an - fd) / (1e-7 + 1e-5 * Math.abs(fd)));
          checked++;
        }
      }
      expect(checked).toBe(7 * 3 + 5 * 6 + 5 + 7 * 5 + 7);
      expect(worst).toBeLessThanOrEqual(1);
      // The repeated id 3 (rows 0, 1, 2, 4) got a nonzero accumulated embedding gradient.
      expect(Array.from(g.get('embed.weight')!.subarray(9, 12)).some((x) => x !== 0)).toBe(true);
    });
  }

  it('log-sum-exp is stable: logits of ±1e4 give the exact finite loss', () => {
    const c = tiny('tanh');
    const p = initMatrix(c, 1);
    p.get('out.weight')!.data.fill(0);
    p.get('out.bias')!.data.set([1e4, -1e4, 1e4, -1e4, -1e4, -1e4, -1e4]);
    const ws = new MatrixWorkspace(c);
    // logsumexp = 1e4 + ln(2 + 5·e^-2e4) = 1e4 + ln 2 in f64, so NLL(0) = ln 2 and NLL(1) = 2e4 + ln 2.
    expect(forward(p, new Int32Array([1, 2]), new Int32Array([0]), ws)).toBe(Math.LN2);
    expect(forward(p, new Int32Array([1, 2]), new Int32Array([1]), ws)).toBe(2e4 + Math.LN2);
    const { loss, grads } = backward(p, new Int32Array([1, 2, 3, 3]), new Int32Array([1, 2]), ws);
    expect(loss).toBe((2e4 + Math.LN2 + Math.LN2) / 2);
    for (const t of grads.values()) for (const x of t.data) expect(Number.isFinite(x)).toBe(true);
    const lp = logProbs(p, new Int32Array([1, 2]), ws);
    expect(lp[0]).toBe(-Math.LN2);
    expect(lp[1]).toBe(-2e4 - Math.LN2);
  });

  it('logProbs agrees with the per-row NLL and rows do not depend on their batch', () => {
    const c: MatrixConfig = { vocabSize: 13, context: 3, embedDim: 4, hidden: 9, activation: 'relu' };
    const p = initMatrix(c, 5);
    const ws = new MatrixWorkspace(c);
    const ctx = new Int32Array([0, 1, 2, 12, 12, 12, 5, 1, 7, 3, 3, 9, 4, 8, 11]);
    const tg = new Int32Array([3, 0, 12, 9, 2]);
    forward(p, ctx, tg, ws);
    const batched = Array.from(ws.nll.subarray(0, 5));
    for (let b = 0; b < 5; b++) {
      const lp = logProbs(p, ctx.subarray(b * 3, b * 3 + 3), ws);
      expect(-lp[tg[b]]).toBeCloseTo(batched[b], 12);
      forward(p, ctx.subarray(b * 3, b * 3 + 3), tg.subarray(b, b + 1), ws);
      expect(ws.nll[0]).toBe(batched[b]);
    }
  });

  it('is deterministic: same inputs, same gradient bytes (vector)', () => {
    const c: MatrixConfig = { vocabSize: 29, context: 3, embedDim: 5, hidden: 11, activation: 'tanh' };
    const p = initMatrix(c, 2003);
    const ctx = new Int32Array(9 * 3).map((_, i) => (i * 7 + 3) % 29);
    const tg = new Int32Array(9).map((_, i) => (i * 11 + 1) % 29);
    const a = backward(p, ctx, tg, new MatrixWorkspace(c));
    const ha = paramHash(a.grads);
    const b = backward(p, ctx, tg, new MatrixWorkspace(c, 64));
    expect(b.loss).toBe(a.loss);
    expect(paramHash(b.grads)).toBe(ha);
    // Vectors (docs/laws.md MX2LM-MATRIX): init seed 2003 and the gradient of this batch.
    expect(paramHash(p)).toBe('d83a2bc6e35d42e76fe712e3d7f677f20af78115e6c59279ab949568532acb28');
    expect(ha).toBe('6e8d8ff0f18cb31b6e7367ba083906eb17570348e6d59e337d0d274ac6e80e57');
    expect(a.loss).toBe(3.323351339134037);
  });

  it('rejects bad ids and shapes', () => {
    const c = tiny('tanh');
    const ws = new MatrixWorkspace(c);
    const p = initMatrix(c, 1);
    expect(() => forward(p, new Int32Array([0, 7]), new Int32Array([0]), ws)).toThrow(RangeError);
    expect(() => forward(p, new Int32Array([0, 1, 2]), new Int32Array([0]), ws)).toThrow(RangeError);
    expect(() => forward(p, new Int32Array([0, 1]), new Int32Array([-1]), ws)).toThrow(RangeError);
    p.delete('out.bias');
    expect(() => forward(p, new Int32Array([0, 1]), new Int32Array([0]), ws)).toThrow(/out.bias/);
  });
});
