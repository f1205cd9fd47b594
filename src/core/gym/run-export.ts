/**
 * A GymRun's state as a fold bundle (docs/laws.md G-RUN "export"): export.ts `exportFold` over
 * the run's deltas (in the run's F-QREC form), the last step's gradients (f32), the optimizer's
 * spec and state, the template's `@control`, `@flow`, version and description, and the run's
 * `@metrics` (timestamp = steps since the base). The file name is `<fold_id>.step-<t>.fold`;
 * the hash is F-BUNDLE's bundle hash.
 */
import { toHex } from '../bytes/hex.ts';
import { exportFold } from './export.ts';
import type { GymRun } from './run.ts';

export function foldBundleOf(run: GymRun): { bytes: Uint8Array; hash: string; name: string } {
  const m = run.metrics();
  const { bytes } = exportFold({
    foldId: run.fold.fold_id,
    baseId: run.fold.model_base,
    deltas: run.deltas(),
    gradients: run.lastGrads ?? undefined,
    optimizer: run.step > 0 ? { spec: run.optimizer.spec, state: run.optimizer.state } : undefined,
    control: run.fold['@control'],
    flow: run.fold['@flow'],
    metrics: { steps_trained: m.steps_trained ?? run.step, loss_curve: m.loss_curve, gradient_norm: m.gradient_norm, timestamp: m.timestamp },
    form: run.options.form,
    version: run.fold.version,
    description: run.fold.description,
  });
  // F-BUNDLE: the bundle hash is its 32-byte trailer (SHA-256 of every byte before it).
  const hash = `sha256:${toHex(bytes.subarray(bytes.length - 32))}`;
  return { bytes, hash, name: `${run.fold.fold_id}.step-${run.step}.fold` };
}
