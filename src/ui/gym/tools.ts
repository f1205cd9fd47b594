/**
 * The Gym's short jobs, for its tools worker (tools.worker.ts) or inline: open a fold bundle
 * (verify every hash, then summarise its tensors and draw its deltas), and compile a base model
 * with chosen folds into model.safetensors + metrics.json, with the validation perplexity of
 * the base, of the base with each fold alone, and of the merge (compile.safetensors).
 */
import { AsxError } from '../../core/errors';
import { importFold } from '../../core/gym/export';
import { compileSafetensors } from '../../core/gym/compile';
import { mergeHorizontal } from '../../core/gym/merge';
import { tensorSetOf } from '../../core/gym/load';
import { matrixConfigOf, streamPrefix } from '../../core/gym/run';
import { evaluate } from '../../core/gym/train';
import { tensorStats, tensorViewOf, type TensorStats, type TensorView } from '../../core/gym/analyze';
import { MatrixWorkspace } from '../../core/mx2lm/matrix';
import { sentencesOfLines, tokenIdsOf } from '../../core/mx2lm/encode';
import type { FoldV1 } from '../../core/fold/fold';
import type { QForm } from '../../core/fold/qrecord';
import type { TensorSet } from '../../core/gym/tensor';
import type { UiError } from '../store';
import { toUiError } from '../tensors/source';

export interface FoldSummary {
  name: string;
  size: number;
  bundleHash: string;
  fold: FoldV1;
  deltas: Array<TensorStats & { form: QForm }>;
  gradients: TensorStats[];
  optimizerSteps: number | null;
  views: TensorView[];
}

export interface CompileRequest {
  base: ArrayBuffer;
  baseName: string;
  folds: Array<{ name: string; bytes: ArrayBuffer }>;
  activation: 'tanh' | 'relu';
  tokenizer: string | null;
  valid: string | null;
  evalTokens: number;
}

export interface CompileResult {
  safetensors: Uint8Array;
  metricsJson: Uint8Array;
  perplexity: { base: number; each: Array<{ name: string; ppl: number }>; merged: number } | null;
  outcomes: Array<{ fold_id: string; applied: boolean; reason?: string }>;
}

export type GymToolJob = { type: 'inspect'; name: string; bytes: ArrayBuffer } | ({ type: 'compile' } & CompileRequest);
export interface GymToolResults { inspect: FoldSummary; compile: CompileResult }
export interface GymToolStage { label: string }

function inspect(name: string, bytes: Uint8Array): FoldSummary {
  const imp = importFold(bytes);
  const deltas = [...imp.deltas].map(([n, t]) => ({ ...tensorStats(n, t), form: imp.forms.get(n) ?? 'f32' as QForm }));
  const gradients = [...imp.gradients].map(([n, t]) => tensorStats(n, t));
  return {
    name, size: bytes.length, bundleHash: imp.bundleHash, fold: imp.fold, deltas, gradients,
    optimizerSteps: imp.optimizer ? imp.optimizer.state.step : null,
    views: [...imp.deltas].map(([n, t]) => tensorViewOf(n, t, 96, 96)),
  };
}

async function compile(req: CompileRequest, onStage: (s: GymToolStage) => void): Promise<CompileResult> {
  onStage({ label: 'reading the base model' });
  const { tensors: base } = await tensorSetOf(new Uint8Array(req.base), req.baseName);
  const folds = req.folds.map((f) => {
    onStage({ label: `verifying ${f.name}` });
    try {
      const imp = importFold(new Uint8Array(f.bytes));
      return { name: f.name, fold: imp.fold, deltas: imp.deltas };
    } catch (e) {
      if (e instanceof AsxError) throw new AsxError(e.code, e.message, { ...e.where, file: f.name });
      throw e;
    }
  });
  onStage({ label: 'compiling' });
  const r = compileSafetensors(base, folds);
  let perplexity: CompileResult['perplexity'] = null;
  if (req.tokenizer && req.valid) {
    const ids = tokenIdsOf(JSON.parse(req.tokenizer));
    const stream = streamPrefix(ids.encode(sentencesOfLines(req.valid)), req.evalTokens, ids.eos);
    const ppl = (t: TensorSet) => evaluate(t, stream, new MatrixWorkspace(matrixConfigOf(t, req.activation)), 64, { bos: ids.bos, eos: ids.eos }).perplexity;
    onStage({ label: 'validation perplexity: base' });
    const b = ppl(base);
    const each = folds.map((f) => { onStage({ label: `validation perplexity: base + ${f.name}` }); return { name: f.name, ppl: ppl(mergeHorizontal(base, [f]).tensors) }; });
    onStage({ label: 'validation perplexity: merged' });
    perplexity = { base: b, each, merged: ppl(r.tensors) };
  }
  const metrics = r.metrics as unknown as { folds?: Array<{ fold_id: string; applied: boolean; reason?: string }> };
  return { safetensors: r.safetensors, metricsJson: r.metricsJson, perplexity, outcomes: (metrics.folds ?? []).map((x) => ({ fold_id: x.fold_id, applied: x.applied, ...(x.reason ? { reason: x.reason } : {}) })) };
}

export async function runGymTool(job: GymToolJob, onStage: (s: GymToolStage) => void): Promise<unknown> {
  if (job.type === 'inspect') return inspect(job.name, new Uint8Array(job.bytes));
  return compile(job, onStage);
}

export function gymToolError(e: unknown): UiError {
  return toUiError(e, e instanceof AsxError ? e.where.file ?? '' : '');
}

export function gymToolTransfer(result: unknown): Transferable[] {
  const r = result as Partial<CompileResult & FoldSummary>;
  const out: Transferable[] = [];
  if (r.safetensors) out.push(r.safetensors.buffer as ArrayBuffer);
  if (r.metricsJson) out.push(r.metricsJson.buffer as ArrayBuffer);
  for (const v of r.views ?? []) out.push(v.values.buffer as ArrayBuffer);
  return out;
}
