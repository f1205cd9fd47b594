/**
 * Synthesis (the spec's "fold → synthesize → knobs" step it never defines; law L-SYNTH):
 *
 *   W[k] = amp · tanh(vec[k] / temp)        computed as t = vec[k] / temp; W = amp * tanh(t)
 *
 * with amp and temp the lane's knobs (knobs.ts; defaults 0.08 and 0.70 from the spec's
 * example `"*"` entries). Why: the spec promises "your synthesis already stays small" and
 * quantization clamps |w·s_class| to 1 with s_class up to 1.60 after auto-tuning; tanh
 * bounds |W| <= amp, so with amp < 0.625 (= 1/1.60) no weight can ever clip, whatever
 * the stream magnitudes. temp is a temperature: larger is softer (closer to linear, vec·amp/temp for
 * small vec), smaller saturates sooner. The map is odd and monotone, so sign and order of
 * the folded values survive; 0 maps to +0.
 *
 * tanh is tanh.ts (law L-TANH). "knobs" in the spec's order is the per-lane choice of
 * (amp, temp); the pipeline resolves them before synthesis and this function applies
 * both, which is the same as synthesizing with temp and then scaling by amp.
 */
import { tanh } from './tanh.ts';

export function synthesizeLane(vec: ArrayLike<number>, amp: number, temp: number): Float64Array {
  const out = new Float64Array(vec.length);
  for (let k = 0; k < vec.length; k++) {
    const w = amp * tanh(vec[k] / temp);
    out[k] = w === 0 ? 0 : w; // no negative zero in a weight
  }
  return out;
}
