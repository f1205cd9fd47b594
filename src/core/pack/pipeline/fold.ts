/**
 * Class-weighted folding (packs spec "Lane-Class Weighting under Adaptive Dims v1.0"
 * §1, §4, §5; "Adaptive Dims" §8; law L-FOLD):
 *
 *   vec = zeros(dims); for i = 0 .. |stream|-1: vec[(i + offset_class) % dims] += stream[i] * w_class
 *
 * with class = classifyLane(id) (first match wins), w_class = CLASS_WEIGHT[class] and
 * offset_class = fnv1a32(class) % dims. Accumulation is f64 in increasing i (the spec's JS
 * uses a Float32Array, its Python f64 floats; we follow Python, law L-F64). No
 * normalization.
 *
 * Spec defect handled: the spec's JS fnv1a32 computes `(h * 0x01000193) >>> 0`; the product
 * exceeds 2^53, loses low bits, and is not FNV-1a (e.g. "policy" would get a different
 * offset than in Python). classes.ts uses Math.imul, which agrees with the Python
 * reference `(h * 0x01000193) & 0xffffffff` (law L-FNV).
 */
import { AsxError } from '../../errors.ts';
import { CLASS_WEIGHT, classOffsets, classifyLane, type LaneClass } from '../classes.ts';

export function foldLaneWeighted(
  stream: ArrayLike<number>, laneId: string, dims: number, offsets: Readonly<Record<LaneClass, number>> = classOffsets(dims),
): Float64Array {
  if (!Number.isInteger(dims) || dims < 1) throw new AsxError('bad_input', `dims must be a positive integer, got ${dims}`, { path: 'dims' });
  const cls = classifyLane(laneId);
  const w = CLASS_WEIGHT[cls];
  const off = offsets[cls];
  const vec = new Float64Array(dims);
  for (let i = 0; i < stream.length; i++) vec[(i + off) % dims] += stream[i] * w;
  return vec;
}
