/**
 * The Tensors face's heavy work — statistics and histograms of one tensor, the tensor-by-tensor
 * diff of two models — as jobs for its worker (tensors.worker.ts) or, without workers, inline.
 * Each job reopens its models from their Blobs (headers only) and reads tensors in bounded
 * chunks, reporting progress in bytes (stats) or tensors (diff).
 */
import { AsxError } from '../../core/errors';
import { DEFAULT_CHUNK_BYTES } from '../../core/tensors/safetensors';
import { diffTensor, tensorStats, type ChunkedTensors, type TensorDiff, type TensorStats } from '../../core/tensors/stats';
import type { UiError } from '../store';
import { openModel, toUiError, type ModelSpec } from './source';

export type TensorJob =
  | { type: 'stats'; model: ModelSpec; name: string; bins: number }
  | { type: 'diff'; a: ModelSpec; b: ModelSpec; names: string[] };

export interface TensorJobResults { stats: TensorStats; diff: TensorDiff[] }

export interface JobStage { done: number; total: number; unit: 'bytes' | 'tensors'; label: string }

/** A reader whose chunk reads are counted (progress of a stats job). */
function counting(t: ChunkedTensors, onBytes: (n: number) => void): ChunkedTensors {
  return {
    info: (n) => t.info(n),
    view: (n, s, c) => t.view(n, s, c),
    async *chunks(name, chunkBytes) {
      for await (const c of t.chunks(name, chunkBytes)) {
        onBytes(c.bytes.length);
        yield c;
      }
    },
  };
}

export async function runTensorJob(req: TensorJob, onStage: (s: JobStage) => void): Promise<unknown> {
  if (req.type === 'stats') {
    const m = await openModel(req.model);
    const info = m.tensors.info(req.name);
    const size = info.end - info.begin;
    // Two passes (min/max, then the histogram) when the tensor is over one chunk.
    const total = size > DEFAULT_CHUNK_BYTES ? 2 * size : size;
    let done = 0;
    onStage({ done, total, unit: 'bytes', label: req.name });
    return tensorStats(counting(m.tensors, (n) => { done += n; onStage({ done, total, unit: 'bytes', label: req.name }); }), req.name, { bins: req.bins });
  }
  const [a, b] = await Promise.all([openModel(req.a), openModel(req.b)]);
  const out: TensorDiff[] = [];
  for (const [i, name] of req.names.entries()) {
    onStage({ done: i, total: req.names.length, unit: 'tensors', label: name });
    out.push(await diffTensor(a.tensors, b.tensors, name));
  }
  onStage({ done: req.names.length, total: req.names.length, unit: 'tensors', label: '' });
  return out;
}

/** What the worker posts for a failed job (plain data: an Error does not keep its fields across). */
export function jobErrorPayload(e: unknown): UiError {
  return toUiError(e, e instanceof AsxError ? e.where.file ?? '' : '');
}
