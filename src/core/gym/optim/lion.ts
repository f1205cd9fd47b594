/**
 * Lion (docs/laws.md G-OPTIM), as the paper's reference implementation (Chen et al. 2023,
 * google/automl lion_pytorch.py), every tensor operation rounded to f32 in its order
 * (`add_(x, alpha)` as one fused multiply-add, fma32; u is two separate products and a sum):
 *
 *   p ← p·(1 − lr·wd)
 *   u ← β1·m + (1 − β1)·g
 *   p ← p + (−lr)·sign(u)          sign(±0) = ±0: no move
 *   m ← β2·m + (1 − β2)·g
 */
import { fma32 } from './f32.ts';
import type { LionSpec } from './optimizer.ts';

const f = Math.fround;

export interface LionScalars { decay: number; negLr: number; b1: number; omb1: number; b2: number; omb2: number }

export function lionScalars(s: LionSpec): LionScalars {
  const [beta1, beta2] = s.betas;
  return { decay: f(1 - s.lr * s.weight_decay), negLr: f(-s.lr), b1: f(beta1), omb1: f(1 - beta1), b2: f(beta2), omb2: f(1 - beta2) };
}

export function lionTensor(p: Float32Array, g: Float32Array, st: Record<string, Float32Array>, k: LionScalars): void {
  const m = st['m']!;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    const mi = m[i]!;
    const u = f(f(mi * k.b1) + f(gi * k.omb1));
    p[i] = f(f(p[i]! * k.decay) + k.negLr * Math.sign(u));
    m[i] = fma32(gi, k.omb2, f(mi * k.b2)); // m.mul_(β2).add_(g, alpha=1−β2)
  }
}
