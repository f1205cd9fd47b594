/**
 * RMSprop (docs/laws.md G-OPTIM), PyTorch `torch.optim.RMSprop` (single-tensor path), every
 * tensor operation rounded to f32 in PyTorch's order (`add(x, alpha)` and `addcmul` as one
 * fused multiply-add, fma32):
 *
 *   g ← g + wd·p                              L2 (wd ≠ 0 only)
 *   s ← α·s + (1 − α)·g·g                     square_avg
 *   centered: a ← α·a + (1 − α)·g (grad_avg);  avg ← √(s − a·a) + eps
 *   else:     avg ← √s + eps                  eps outside the root
 *   momentum > 0: b ← μ·b + g / avg (momentum_buffer);  p ← p + (−lr)·b
 *   else:         p ← p + (−lr)·g / avg
 */
import { fma32 } from './f32.ts';
import type { RMSpropSpec } from './optimizer.ts';

const f = Math.fround;

export interface RMSpropScalars {
  wd: number; alpha: number; oma: number; eps: number; momentum: number; negLr: number; centered: boolean;
}

export function rmspropScalars(s: RMSpropSpec): RMSpropScalars {
  return { wd: f(s.weight_decay), alpha: f(s.alpha), oma: f(1 - s.alpha), eps: f(s.eps), momentum: f(s.momentum), negLr: f(-s.lr), centered: s.centered };
}

export function rmspropTensor(p: Float32Array, g: Float32Array, st: Record<string, Float32Array>, k: RMSpropScalars): void {
  const sq = st['square_avg']!;
  const buf = k.momentum > 0 ? st['momentum_buffer']! : undefined;
  const ga = k.centered ? st['grad_avg']! : undefined;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    let gi = g[i]!;
    if (k.wd !== 0) gi = fma32(pi, k.wd, gi); // grad.add(param, alpha=wd)
    const si = fma32(f(k.oma * gi), gi, f(sq[i]! * k.alpha)); // s.mul_(α).addcmul_(g, g, value=1−α)
    sq[i] = si;
    let avg: number;
    if (ga) {
      const ai = fma32(gi, k.oma, f(ga[i]! * k.alpha)); // a.mul_(α).add_(g, alpha=1−α)
      ga[i] = ai;
      avg = f(Math.sqrt(fma32(-ai, ai, si))); // s.addcmul(a, a, value=−1).sqrt_()
    } else {
      avg = f(Math.sqrt(si));
    }
    avg = f(avg + k.eps);
    if (buf) {
      const bi = f(f(buf[i]! * k.momentum) + f(gi / avg));
      buf[i] = bi;
      p[i] = fma32(bi, k.negLr, pi); // p.add_(b, alpha=−lr)
    } else {
      p[i] = f(pi + f(f(k.negLr * gi) / avg));
    }
  }
}
