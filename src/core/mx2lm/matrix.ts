/**
 * The MX2LM matrix path (DESIGN.md "MX2LM", docs/laws.md MX2LM-MATRIX): the embeddings of the
 * last k tokens, concatenated, through one dense layer with a declared activation, to logits over
 * the vocab (Bengio et al. 2003). Tensor names and the PyTorch Linear [out, in] convention are
 * those of the demo weights (src/cli/demo-ai-objects.ts, AI-DEMO):
 *
 *   embed.weight  [V, d]      x = concat(embed[c_0], …, embed[c_{k-1}])   (c_0 the oldest token)
 *   hidden.weight [H, k·d]    a = act(hidden.weight · x + hidden.bias)
 *   hidden.bias   [H]
 *   out.weight    [V, H]      logits = out.weight · a + out.bias
 *   out.bias      [V]         loss = mean over the batch of (logsumexp(logits) − logits[target])
 *
 * Arithmetic: parameters and gradients are stored f32; every intermediate (inputs, activations,
 * logits, softmax, back-propagated errors, gradient accumulators) is an f64 JS number in a
 * Float64Array, every sum runs in ascending index order starting from the bias (forward) or 0
 * (backward), and only the final gradients are rounded to f32 (by storing them). JS arithmetic is
 * IEEE-754 double with no contraction, so the same inputs give byte-identical losses and gradients
 * in Node, the browser and a worker; softmax uses the project's fdlibm ports, identical on every
 * engine (exp, log, and tanh for the activation: src/core/math/fdlibm.ts, docs/laws.md
 * MX2LM-MATH — Math.exp/log/tanh differ between engines). Training runs in float; inference's
 * exact quantized path is a later issue. The loops below are blocked (four batch rows or four
 * vocab rows at a time) only in ways that keep each sum in that order: `s + a + b` is
 * `(s + a) + b` in JS.
 *
 * Pure: no DOM, no Node. Scratch lives in a `MatrixWorkspace`, reused across calls.
 */
import { Rng } from '../gccp/random.ts';
import { exp, log, tanh } from '../math/fdlibm.ts';
import type { Tensor, TensorSet } from '../gym/tensor.ts';

export type Activation = 'tanh' | 'relu';

export interface MatrixConfig {
  /** V: the number of tokens in the vocab. */
  readonly vocabSize: number;
  /** k: the number of context tokens (the demo descriptor's `architecture.context`). */
  readonly context: number;
  /** d: the embedding width (`architecture.embed`). */
  readonly embedDim: number;
  /** H: the hidden width (`architecture.hidden`). */
  readonly hidden: number;
  /** `architecture.activation`. */
  readonly activation: Activation;
}

/** The tensor names, in UTF-8 order (the order safetensors writes them). */
export const MATRIX_TENSOR_NAMES = ['embed.weight', 'hidden.bias', 'hidden.weight', 'out.bias', 'out.weight'] as const;

/** name → shape for a config. */
export function matrixShapes(c: MatrixConfig): Map<string, number[]> {
  return new Map([
    ['embed.weight', [c.vocabSize, c.embedDim]],
    ['hidden.bias', [c.hidden]],
    ['hidden.weight', [c.hidden, c.context * c.embedDim]],
    ['out.bias', [c.vocabSize]],
    ['out.weight', [c.vocabSize, c.hidden]],
  ]);
}

function checkConfig(c: MatrixConfig): void {
  for (const [k, v] of [['vocabSize', c.vocabSize], ['context', c.context], ['embedDim', c.embedDim], ['hidden', c.hidden]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`MatrixConfig.${k} must be a positive integer, got ${v}`);
  }
  if (c.activation !== 'tanh' && c.activation !== 'relu') throw new RangeError(`MatrixConfig.activation must be 'tanh' or 'relu', got ${String(c.activation)}`);
}

/**
 * The config of a weights object: dims from the tensor shapes, activation from the descriptor's
 * `architecture` (`{name: 'mx2lm', context, embed, hidden, activation}`, as the demo declares it).
 */
export function configFromArchitecture(architecture: { context: number; embed: number; hidden: number; activation: string }, vocabSize: number): MatrixConfig {
  const c: MatrixConfig = { vocabSize, context: architecture.context, embedDim: architecture.embed, hidden: architecture.hidden, activation: architecture.activation as Activation };
  checkConfig(c);
  return c;
}

/** Throws unless `params` holds exactly the five tensors with the config's shapes. */
export function checkParams(params: ReadonlyMap<string, Tensor>, c: MatrixConfig): void {
  const shapes = matrixShapes(c);
  for (const [name, shape] of shapes) {
    const t = params.get(name);
    if (!t) throw new RangeError(`missing tensor ${name}`);
    if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) throw new RangeError(`${name}: shape [${t.shape.join(',')}] ≠ [${shape.join(',')}]`);
    if (t.data.length !== shape.reduce((a, b) => a * b, 1)) throw new RangeError(`${name}: ${t.data.length} values for shape [${shape.join(',')}]`);
  }
  if (params.size !== shapes.size) throw new RangeError(`expected exactly the tensors ${[...shapes.keys()].join(', ')}`);
}

/**
 * Seeded initialisation. One sfc32 stream (`Rng(seed)`, src/core/gccp/random.ts) draws every
 * value as `lo + (hi − lo)·u32/2³²` rounded to f32, tensors in the order embed.weight,
 * hidden.weight, hidden.bias, out.weight, out.bias, each row-major:
 *   embed.weight  uniform [−√3, √3)   (zero mean, unit variance, like PyTorch's N(0, 1) Embedding)
 *   hidden.*      uniform [−1/√(k·d), 1/√(k·d))   (PyTorch Linear: ±1/√fan_in)
 *   out.*         uniform [−1/√H, 1/√H)
 */
export function initMatrix(config: MatrixConfig, seed: number): TensorSet {
  checkConfig(config);
  const shapes = matrixShapes(config);
  const rng = new Rng(seed >>> 0);
  const bound = new Map([
    ['embed.weight', Math.sqrt(3)],
    ['hidden.weight', 1 / Math.sqrt(config.context * config.embedDim)],
    ['hidden.bias', 1 / Math.sqrt(config.context * config.embedDim)],
    ['out.weight', 1 / Math.sqrt(config.hidden)],
    ['out.bias', 1 / Math.sqrt(config.hidden)],
  ]);
  const made = new Map<string, Tensor>();
  for (const name of ['embed.weight', 'hidden.weight', 'hidden.bias', 'out.weight', 'out.bias']) {
    const shape = shapes.get(name)!;
    const b = bound.get(name)!;
    const data = new Float32Array(shape.reduce((x, y) => x * y, 1));
    for (let i = 0; i < data.length; i++) data[i] = rng.range(-b, b);
    made.set(name, { shape, data });
  }
  const out: TensorSet = new Map();
  for (const name of MATRIX_TENSOR_NAMES) out.set(name, made.get(name)!);
  return out;
}

/** Scratch buffers for one config, grown to the largest batch seen. The grads are owned here. */
export class MatrixWorkspace {
  readonly config: MatrixConfig;
  /** Gradients of the last `backward` (overwritten by the next call). */
  readonly grads: TensorSet;
  /** Per-row negative log-likelihood of the last `forward`/`backward` (f64, first `batch` entries). */
  nll: Float64Array = new Float64Array(0);
  private cap = 0;
  x = new Float64Array(0);
  pre = new Float64Array(0);
  act = new Float64Array(0);
  logits = new Float64Array(0);
  dAct = new Float64Array(0);
  dx = new Float64Array(0);
  readonly gEmbed: Float64Array;
  readonly rowAcc: Float64Array;
  readonly rowAcc2: Float64Array;

  constructor(config: MatrixConfig, batch = 1) {
    checkConfig(config);
    this.config = config;
    this.grads = new Map();
    for (const [name, shape] of matrixShapes(config)) this.grads.set(name, { shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)) });
    this.gEmbed = new Float64Array(config.vocabSize * config.embedDim);
    this.rowAcc = new Float64Array(Math.max(config.hidden, config.context * config.embedDim));
    this.rowAcc2 = new Float64Array(config.hidden);
    this.ensure(batch);
  }

  ensure(batch: number): void {
    if (batch <= this.cap) return;
    const { vocabSize: V, context: k, embedDim: d, hidden: H } = this.config;
    this.cap = batch;
    this.x = new Float64Array(batch * k * d);
    this.pre = new Float64Array(batch * H);
    this.act = new Float64Array(batch * H);
    this.logits = new Float64Array(batch * V);
    this.dAct = new Float64Array(batch * H);
    this.dx = new Float64Array(batch * k * d);
    this.nll = new Float64Array(batch);
  }
}

function batchOf(contexts: Int32Array, targets: Int32Array | null, c: MatrixConfig): number {
  const k = c.context;
  if (contexts.length % k !== 0) throw new RangeError(`contexts length ${contexts.length} is not a multiple of k = ${k}`);
  const B = contexts.length / k;
  if (targets && targets.length !== B) throw new RangeError(`${targets.length} targets for ${B} contexts`);
  const V = c.vocabSize;
  for (let i = 0; i < contexts.length; i++) if (!(contexts[i] >= 0 && contexts[i] < V)) throw new RangeError(`context token ${contexts[i]} out of [0, ${V})`);
  if (targets) for (let i = 0; i < B; i++) if (!(targets[i] >= 0 && targets[i] < V)) throw new RangeError(`target token ${targets[i]} out of [0, ${V})`);
  return B;
}

/**
 * Forward pass for B rows: fills ws.x, ws.pre, ws.act and ws.logits (logits, then, when
 * `targets` is given, replaced by exp(logit − max)), ws.nll; returns Σ nll in row order (f64).
 */
function run(params: ReadonlyMap<string, Tensor>, contexts: Int32Array, targets: Int32Array | null, ws: MatrixWorkspace, B: number): number {
  const c = ws.config;
  const V = c.vocabSize, k = c.context, d = c.embedDim, H = c.hidden, K = k * d;
  const E = params.get('embed.weight')!.data;
  const W1 = params.get('hidden.weight')!.data;
  const b1 = params.get('hidden.bias')!.data;
  const W2 = params.get('out.weight')!.data;
  const b2 = params.get('out.bias')!.data;
  const { x, pre, act, logits, nll } = ws;
  const relu = c.activation === 'relu';

  // x = concat of embeddings.
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < k; j++) {
      const src = contexts[b * k + j] * d, dst = b * K + j * d;
      for (let q = 0; q < d; q++) x[dst + q] = E[src + q];
    }
  }
  // Hidden layer: pre[b,i] = b1[i] + Σ_m W1[i,m]·x[b,m].
  for (let b = 0; b < B; b++) {
    const xo = b * K;
    for (let i = 0; i < H; i++) {
      const wo = i * K;
      let s = b1[i];
      for (let m = 0; m < K; m++) s += W1[wo + m] * x[xo + m];
      pre[b * H + i] = s;
      act[b * H + i] = relu ? (s > 0 ? s : 0) : tanh(s);
    }
  }
  // Output layer: logits[b,v] = b2[v] + Σ_i W2[v,i]·act[b,i], a block of four batch rows × two
  // vocab rows at a time (each sum still in ascending i).
  let b = 0;
  for (; b + 4 <= B; b += 4) {
    const a0 = b * H, a1 = a0 + H, a2 = a1 + H, a3 = a2 + H;
    const l0 = b * V, l1 = l0 + V, l2 = l1 + V, l3 = l2 + V;
    let v = 0;
    for (; v + 2 <= V; v += 2) {
      const wo = v * H, wp = wo + H;
      let s0 = b2[v], s1 = s0, s2 = s0, s3 = s0;
      let t0 = b2[v + 1], t1 = t0, t2 = t0, t3 = t0;
      for (let i = 0; i < H; i++) {
        const w = W2[wo + i], u = W2[wp + i];
        const x0 = act[a0 + i], x1 = act[a1 + i], x2 = act[a2 + i], x3 = act[a3 + i];
        s0 += w * x0; s1 += w * x1; s2 += w * x2; s3 += w * x3;
        t0 += u * x0; t1 += u * x1; t2 += u * x2; t3 += u * x3;
      }
      logits[l0 + v] = s0; logits[l1 + v] = s1; logits[l2 + v] = s2; logits[l3 + v] = s3;
      logits[l0 + v + 1] = t0; logits[l1 + v + 1] = t1; logits[l2 + v + 1] = t2; logits[l3 + v + 1] = t3;
    }
    for (; v < V; v++) {
      const wo = v * H;
      let s0 = b2[v], s1 = s0, s2 = s0, s3 = s0;
      for (let i = 0; i < H; i++) {
        const w = W2[wo + i];
        s0 += w * act[a0 + i]; s1 += w * act[a1 + i]; s2 += w * act[a2 + i]; s3 += w * act[a3 + i];
      }
      logits[l0 + v] = s0; logits[l1 + v] = s1; logits[l2 + v] = s2; logits[l3 + v] = s3;
    }
  }
  for (; b < B; b++) {
    const a0 = b * H, l0 = b * V;
    for (let v = 0; v < V; v++) {
      const wo = v * H;
      let s0 = b2[v];
      for (let i = 0; i < H; i++) s0 += W2[wo + i] * act[a0 + i];
      logits[l0 + v] = s0;
    }
  }
  if (!targets) return 0;
  // Softmax cross-entropy, stable: nll = (max − l[t]) + log Σ exp(l − max); logits ← exp(l − max).
  let total = 0;
  for (let r = 0; r < B; r++) {
    const lo = r * V;
    let mx = -Infinity;
    for (let v = 0; v < V; v++) if (logits[lo + v] > mx) mx = logits[lo + v];
    const lt = logits[lo + targets[r]];
    let sum = 0;
    for (let v = 0; v < V; v++) {
      const e = exp(logits[lo + v] - mx);
      logits[lo + v] = e;
      sum += e;
    }
    const n = (mx - lt) + log(sum);
    nll[r] = n;
    total += n;
  }
  return total;
}

/**
 * Mean cross-entropy (nats) of `targets[b]` given `contexts[b·k … b·k+k−1]` (oldest first), f64.
 * Per-row values are left in `ws.nll`.
 */
export function forward(params: ReadonlyMap<string, Tensor>, contexts: Int32Array, targets: Int32Array, ws: MatrixWorkspace): number {
  const B = batchOf(contexts, targets, ws.config);
  if (B === 0) return 0;
  checkParams(params, ws.config);
  ws.ensure(B);
  return run(params, contexts, targets, ws, B) / B;
}

/**
 * Forward and backward: the mean loss and ∂loss/∂params as `ws.grads` (same names and shapes,
 * f32, overwritten by the next call). The embedding gradient of a token used at several
 * positions is the sum over (row ascending, position ascending).
 */
export function backward(params: ReadonlyMap<string, Tensor>, contexts: Int32Array, targets: Int32Array, ws: MatrixWorkspace): { loss: number; grads: TensorSet } {
  const c = ws.config;
  const B = batchOf(contexts, targets, c);
  if (B === 0) throw new RangeError('backward of an empty batch');
  checkParams(params, c);
  ws.ensure(B);
  const total = run(params, contexts, targets, ws, B);
  const V = c.vocabSize, k = c.context, d = c.embedDim, H = c.hidden, K = k * d;
  const W1 = params.get('hidden.weight')!.data;
  const W2 = params.get('out.weight')!.data;
  const { x, pre, act, logits: dl, dAct, dx, gEmbed, rowAcc } = ws;
  const g = ws.grads;
  const gW2 = g.get('out.weight')!.data, gb2 = g.get('out.bias')!.data;
  const gW1 = g.get('hidden.weight')!.data, gb1 = g.get('hidden.bias')!.data;
  const gE = g.get('embed.weight')!.data;
  const relu = c.activation === 'relu';

  // dlogits[b,v] = (softmax − onehot(target)) / B, in place of exp(l − max).
  for (let r = 0; r < B; r++) {
    const lo = r * V;
    let sum = 0;
    for (let v = 0; v < V; v++) sum += dl[lo + v];
    const scale = 1 / (sum * B);
    for (let v = 0; v < V; v++) dl[lo + v] *= scale;
    dl[lo + targets[r]] -= 1 / B;
  }
  // out.bias: Σ_b dl[b,v].  out.weight[v,i]: Σ_b dl[b,v]·act[b,i], b ascending; two vocab rows ×
  // four batch rows at a time (`acc + g0·a0 + g1·a1 + …` is the sequential sum).
  const acc0 = rowAcc, acc1 = ws.rowAcc2;
  let v = 0;
  for (; v < V; v += 2) {
    const two = v + 1 < V;
    const u = two ? v + 1 : v;
    let sb = 0, tb = 0;
    for (let r = 0; r < B; r++) { sb += dl[r * V + v]; tb += dl[r * V + u]; }
    gb2[v] = sb;
    if (two) gb2[u] = tb;
    acc0.fill(0, 0, H);
    acc1.fill(0, 0, H);
    let r = 0;
    for (; r + 4 <= B; r += 4) {
      const o0 = r * V, o1 = o0 + V, o2 = o1 + V, o3 = o2 + V;
      const g0 = dl[o0 + v], g1 = dl[o1 + v], g2 = dl[o2 + v], g3 = dl[o3 + v];
      const h0 = dl[o0 + u], h1 = dl[o1 + u], h2 = dl[o2 + u], h3 = dl[o3 + u];
      const a0 = r * H, a1 = a0 + H, a2 = a1 + H, a3 = a2 + H;
      for (let i = 0; i < H; i++) {
        const x0 = act[a0 + i], x1 = act[a1 + i], x2 = act[a2 + i], x3 = act[a3 + i];
        acc0[i] = acc0[i] + g0 * x0 + g1 * x1 + g2 * x2 + g3 * x3;
        acc1[i] = acc1[i] + h0 * x0 + h1 * x1 + h2 * x2 + h3 * x3;
      }
    }
    for (; r < B; r++) {
      const g0 = dl[r * V + v], h0 = dl[r * V + u], a0 = r * H;
      for (let i = 0; i < H; i++) { const x0 = act[a0 + i]; acc0[i] += g0 * x0; acc1[i] += h0 * x0; }
    }
    const wo = v * H;
    for (let i = 0; i < H; i++) gW2[wo + i] = acc0[i];
    if (two) for (let i = 0; i < H; i++) gW2[wo + H + i] = acc1[i];
  }
  // dAct[b,i] = Σ_v dl[b,v]·W2[v,i], v ascending; two batch rows × four vocab rows at a time.
  dAct.fill(0, 0, B * H);
  for (let r = 0; r < B; r += 2) {
    const two = r + 1 < B;
    const q = two ? r + 1 : r;
    const ao = r * H, aq = q * H, lo = r * V, lq = q * V;
    let vv = 0;
    for (; vv + 4 <= V; vv += 4) {
      const g0 = dl[lo + vv], g1 = dl[lo + vv + 1], g2 = dl[lo + vv + 2], g3 = dl[lo + vv + 3];
      const h0 = two ? dl[lq + vv] : 0, h1 = two ? dl[lq + vv + 1] : 0, h2 = two ? dl[lq + vv + 2] : 0, h3 = two ? dl[lq + vv + 3] : 0;
      const w0 = vv * H, w1 = w0 + H, w2 = w1 + H, w3 = w2 + H;
      if (two) {
        for (let i = 0; i < H; i++) {
          const y0 = W2[w0 + i], y1 = W2[w1 + i], y2 = W2[w2 + i], y3 = W2[w3 + i];
          dAct[ao + i] = dAct[ao + i] + g0 * y0 + g1 * y1 + g2 * y2 + g3 * y3;
          dAct[aq + i] = dAct[aq + i] + h0 * y0 + h1 * y1 + h2 * y2 + h3 * y3;
        }
      } else {
        for (let i = 0; i < H; i++) dAct[ao + i] = dAct[ao + i] + g0 * W2[w0 + i] + g1 * W2[w1 + i] + g2 * W2[w2 + i] + g3 * W2[w3 + i];
      }
    }
    for (; vv < V; vv++) {
      const g0 = dl[lo + vv], h0 = dl[lq + vv], w0 = vv * H;
      for (let i = 0; i < H; i++) dAct[ao + i] += g0 * W2[w0 + i];
      if (two) for (let i = 0; i < H; i++) dAct[aq + i] += h0 * W2[w0 + i];
    }
  }
  for (let p = 0; p < B * H; p++) dAct[p] = relu ? (pre[p] > 0 ? dAct[p] : 0) : dAct[p] * (1 - act[p] * act[p]);
  // hidden.bias: Σ_b dpre[b,i].  hidden.weight[i,m]: Σ_b dpre[b,i]·x[b,m].
  for (let i = 0; i < H; i++) {
    let sb = 0;
    rowAcc.fill(0, 0, K);
    for (let r = 0; r < B; r++) {
      const gi = dAct[r * H + i];
      sb += gi;
      const xo = r * K;
      for (let m = 0; m < K; m++) rowAcc[m] += gi * x[xo + m];
    }
    gb1[i] = sb;
    const wo = i * K;
    for (let m = 0; m < K; m++) gW1[wo + m] = rowAcc[m];
  }
  // dx[b,m] = Σ_i dpre[b,i]·W1[i,m]; scattered into the embedding rows (row, then position, ascending).
  dx.fill(0, 0, B * K);
  for (let r = 0; r < B; r++) {
    const xo = r * K;
    for (let i = 0; i < H; i++) {
      const gi = dAct[r * H + i], wo = i * K;
      for (let m = 0; m < K; m++) dx[xo + m] += gi * W1[wo + m];
    }
  }
  gEmbed.fill(0);
  for (let r = 0; r < B; r++) {
    for (let j = 0; j < k; j++) {
      const eo = contexts[r * k + j] * d, xo = r * K + j * d;
      for (let q = 0; q < d; q++) gEmbed[eo + q] += dx[xo + q];
    }
  }
  gE.set(gEmbed);
  return { loss: total / B, grads: g };
}

/**
 * log P(· | context) over the vocab for one context of k token ids (oldest first), f64:
 * (logit − max) − log Σ exp(logit − max).
 */
export function logProbs(params: ReadonlyMap<string, Tensor>, context: Int32Array, ws: MatrixWorkspace): Float64Array {
  const c = ws.config;
  if (context.length !== c.context) throw new RangeError(`context of ${context.length} tokens, expected ${c.context}`);
  batchOf(context, null, c);
  checkParams(params, c);
  ws.ensure(1);
  run(params, context, null, ws, 1);
  const V = c.vocabSize;
  const out = new Float64Array(V);
  const l = ws.logits;
  let mx = -Infinity;
  for (let v = 0; v < V; v++) if (l[v] > mx) mx = l[v];
  let sum = 0;
  for (let v = 0; v < V; v++) sum += exp(l[v] - mx);
  const ls = log(sum);
  for (let v = 0; v < V; v++) out[v] = (l[v] - mx) - ls;
  return out;
}
