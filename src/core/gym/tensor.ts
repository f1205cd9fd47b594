/**
 * The gym's tensor currency (issue 11): a named, row-major f32 tensor. Training, optimizers,
 * folds, merges and compile all exchange `TensorSet`s. A Map's insertion order carries no
 * meaning: whenever order matters (hashing, writing, reductions over several tensors) iterate
 * `sortedNames(set)`, which is UTF-8 byte order (the order safetensors headers and fold bundles
 * use), so the same set gives the same bytes whatever order it was built in.
 */
import { compareUtf8 } from '../bytes/utf8.ts';

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type TensorSet = Map<string, Tensor>;

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sortedNames(set: ReadonlyMap<string, unknown>): string[] {
  return [...set.keys()].sort(compareUtf8);
}

/** A deep copy (new Float32Arrays), so the copy can be updated in place. */
export function cloneTensors(set: ReadonlyMap<string, Tensor>): TensorSet {
  const out: TensorSet = new Map();
  for (const name of sortedNames(set)) {
    const t = set.get(name)!;
    out.set(name, { shape: [...t.shape], data: new Float32Array(t.data) });
  }
  return out;
}
