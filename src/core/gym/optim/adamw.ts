/**
 * AdamW (docs/laws.md G-OPTIM), PyTorch `torch.optim.AdamW` (single-tensor path), every
 * tensor operation rounded to f32 in PyTorch's order (`add_(x, alpha)` and `addcmul_` as one
 * fused multiply-add, fma32):
 *
 *   p ← p·(1 − lr·wd)                       decoupled decay, first
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g·g
 *   v_max ← max(v_max, v)                   amsgrad only; then v̂ = v_max, else v̂ = v
 *   denom ← √v̂ / √(1 − β2^t) + eps          eps outside the root
 *   p ← p + (−lr / (1 − β1^t))·m / denom
 */
import { fma32, powInt } from './f32.ts';
import type { AdamWSpec } from './optimizer.ts';

const f = Math.fround;

export interface AdamWScalars {
  decay: number; b1: number; omb1: number; b2: number; omb2: number;
  negStepSize: number; bc2Sqrt: number; eps: number; amsgrad: boolean;
}

/** The step's scalars: f64 arithmetic, each rounded to f32 once (PyTorch's scalar → f32 cast). */
export function adamwScalars(s: AdamWSpec, t: number): AdamWScalars {
  const [beta1, beta2] = s.betas;
  const bc1 = 1 - powInt(beta1, t);
  const bc2 = 1 - powInt(beta2, t);
  return {
    decay: f(1 - s.lr * s.weight_decay),
    b1: f(beta1), omb1: f(1 - beta1), b2: f(beta2), omb2: f(1 - beta2),
    negStepSize: f(-(s.lr / bc1)),
    bc2Sqrt: f(Math.sqrt(bc2)),
    eps: f(s.eps),
    amsgrad: s.amsgrad,
  };
}

export function adamwTensor(p: Float32Array, g: Float32Array, st: Record<string, Float32Array>, k: AdamWScalars): void {
  const m = st['m']!;
  const v = st['v']!;
  const vMax = k.amsgrad ? st['v_max']! : undefined;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    const pi = f(p[i]! * k.decay);
    const mi = fma32(gi, k.omb1, f(m[i]! * k.b1)); // m.mul_(β1).add_(g, alpha=1−β1)
    const vi = fma32(f(k.omb2 * gi), gi, f(v[i]! * k.b2)); // v.mul_(β2).addcmul_(g, g, value=1−β2)
    let vHat = vi;
    if (vMax) {
      vHat = Math.max(vMax[i]!, vi);
      vMax[i] = vHat;
    }
    const denom = f(f(f(Math.sqrt(vHat)) / k.bc2Sqrt) + k.eps);
    p[i] = f(pi + f(f(k.negStepSize * mi) / denom));
    m[i] = mi;
    v[i] = vi;
  }
}
