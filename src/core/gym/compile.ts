/**
 * `mx2gym.compile.safetensors()` (docs/laws.md G-FOLD-APPLY): a base model and folds (with their
 * expanded deltas) → `model.safetensors` bytes and `metrics.json` bytes.
 *
 *  - The model is the horizontal merge of the folds into a copy of the base (merge.ts), every
 *    tensor written F32 by the project's writer (`saveSafetensors`, reference layout, metadata
 *    `{"format":"pt"}` unless the caller gives other metadata or null): the same bytes the
 *    reference `safetensors.torch.save_file(t, f, {"format": "pt"})` writes for these tensors.
 *  - metrics.json is RFC 8785 canonical JSON:
 *      {"applied":n,"base_shape_hash":…,"folds":[…],"format":"mx2gym.compile-metrics.v1",
 *       "model_sha256":"sha256:<hex of the safetensors bytes>","shape_hash":…,"skipped":m,"tensors":k}
 *    shape hashes per AI-WEIGHTS (`shapeHash` of the name → shape map) of the base and the result;
 *    one entry per fold in application order: fold_id, order, priority, apply, mode, applied,
 *    reason ("applied" or why not), loss_before / loss_after when a loss gate ran and they are finite, and per delta
 *    layer (UTF-8 order) layer, targeted, mode, scale, clamped, delta_norm, change_norm,
 *    norm_before, norm_after.
 * Same inputs → the same bytes, both files.
 */
import { canonicalJsonBytes } from '../json/jcs.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import { encodeFloats } from '../tensors/safetensors.ts';
import { saveSafetensors } from '../tensors/write.ts';
import { shapeHash } from '../objects/ai/weights.ts';
import type { FoldV1 } from '../fold/fold.ts';
import type { ApplyContext } from './control.ts';
import { mergeHorizontal, type FoldInput } from './merge.ts';
import { sortedNames, type Tensor, type TensorSet } from './tensor.ts';

export const COMPILE_METRICS_FORMAT = 'mx2gym.compile-metrics.v1';

export interface CompileOptions {
  context?: (fold: FoldV1) => ApplyContext;
  /** safetensors `__metadata__`: undefined → {"format":"pt"}; null → none; an object → exactly it. */
  metadata?: Record<string, string> | null;
}

export interface CompileResult {
  /** model.safetensors */
  safetensors: Uint8Array;
  /** metrics.json (canonical JSON bytes) */
  metricsJson: Uint8Array;
  /** The same metrics as a value. */
  metrics: Record<string, unknown>;
  tensors: TensorSet;
}

export function layerMap(t: ReadonlyMap<string, Tensor>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const n of sortedNames(t)) out[n] = [...t.get(n)!.shape];
  return out;
}

/** model.safetensors bytes of a TensorSet: F32, reference layout, `{"format":"pt"}` by default. */
export function tensorsToSafetensors(t: ReadonlyMap<string, Tensor>, metadata?: Record<string, string> | null): Uint8Array {
  return saveSafetensors(sortedNames(t).map((name) => {
    const x = t.get(name)!;
    return { name, dtype: 'F32' as const, shape: [...x.shape], data: encodeFloats(x.data, 'F32') };
  }), metadata);
}

export function compileSafetensors(base: TensorSet, folds: readonly FoldInput[], opts: CompileOptions = {}): CompileResult {
  const baseShapeHash = shapeHash(layerMap(base));
  const { tensors, outcomes } = mergeHorizontal(base, folds, { context: opts.context });
  const safetensors = tensorsToSafetensors(tensors, opts.metadata);
  const byId = new Map(folds.map((f) => [f.fold.fold_id, f.fold]));
  const foldEntries = outcomes.map((o) => {
    const c = byId.get(o.fold_id)!['@control'];
    return {
      fold_id: o.fold_id, order: o.order, priority: c.priority, apply: c.apply, mode: c.mode,
      applied: o.applied, reason: o.reason,
      ...(Number.isFinite(o.result.lossBefore) ? { loss_before: o.result.lossBefore } : {}),
      ...(Number.isFinite(o.result.lossAfter) ? { loss_after: o.result.lossAfter } : {}),
      layers: o.result.trace.map((t) => ({
        layer: t.layer, targeted: t.targeted, mode: t.mode, scale: t.scale, clamped: t.clamped,
        delta_norm: t.delta_norm, change_norm: o.applied ? t.change_norm : 0, norm_before: t.norm_before, norm_after: o.applied ? t.norm_after : t.norm_before,
      })),
    };
  });
  const metrics = {
    format: COMPILE_METRICS_FORMAT,
    base_shape_hash: baseShapeHash,
    shape_hash: shapeHash(layerMap(tensors)),
    model_sha256: `sha256:${toHex(sha256(safetensors))}`,
    tensors: tensors.size,
    applied: outcomes.filter((o) => o.applied).length,
    skipped: outcomes.filter((o) => !o.applied).length,
    folds: foldEntries,
  };
  return { safetensors, metricsJson: canonicalJsonBytes(metrics), metrics, tensors };
}
