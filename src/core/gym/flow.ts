/**
 * `@flow` (mx2gym.md §4; docs/laws.md G-FOLD-APPLY): a declared, traced stage pipeline, kept
 * honest and small. What each member means here:
 *
 *  - `entry`, `route[]`, `exit` are named checkpoints. A fold's change to a tensor (from W to the
 *    result R that `@control` defines) travels through them: at a stage with blend factor β the
 *    tensor is W_β = fround(W + β·(R − W)) (β = 0 → W exactly, β = 1 → R exactly) and the trace
 *    records its L2 norm and the norm of W_β − W. entry has β = 0, exit β = 1.
 *  - `blend_mode` (default `hard`) chooses the route's ramp: `hard` β_k = 1 at every route stage
 *    (the whole change at the first route stage); `smooth` β_k = (1 − cos(π·k/R))/2 for route stage
 *    k = 1..R (a cosine ramp reaching 1 at the last route stage). Every path ends at β = 1: the
 *    result does not depend on blend_mode, only the path the trace records does. Any other
 *    blend_mode is `bad_fold` at `$["@flow"].blend_mode`.
 *  - `merge_strategy` says which merge the fold expects (merge.ts: horizontal and absent folds go
 *    into horizontal merges, vertical and hybrid folds onto a stacked model in mergeHybrid).
 *  - `interaction` lists folds that must be applied before this one when they are in the same
 *    merge (`foldOrder`); ids outside the merge are ignored; a cycle is `interaction_cycle`.
 *
 * Traces are frozen arrays of frozen events.
 */
import { AsxError } from '../errors.ts';
import { compareUtf8 } from '../bytes/utf8.ts';
import { interactionCycle, type FoldV1 } from '../fold/fold.ts';

export type BlendMode = 'hard' | 'smooth';
export const BLEND_MODES: readonly BlendMode[] = ['hard', 'smooth'];

export interface FlowStage { readonly name: string; readonly kind: 'entry' | 'route' | 'exit'; readonly beta: number }

export interface FlowEvent {
  readonly fold_id: string;
  readonly stage: string;
  readonly kind: 'entry' | 'route' | 'exit';
  /** Position of the stage in [entry, ...route, exit]. */
  readonly index: number;
  readonly beta: number;
  readonly layer: string;
  /** ‖W_β‖₂ (f64 sum of squares in index order). */
  readonly norm: number;
  /** ‖W_β − W‖₂. */
  readonly change_norm: number;
}

type FlowOf = Pick<FoldV1, 'fold_id' | '@flow'>;

export function blendMode(fold: FlowOf): BlendMode {
  const m = fold['@flow']?.blend_mode ?? 'hard';
  if (!(BLEND_MODES as readonly string[]).includes(m)) {
    throw new AsxError('bad_fold', `blend_mode ${JSON.stringify(m)} is not one of ${BLEND_MODES.join(', ')}`, { path: '$["@flow"].blend_mode' });
  }
  return m as BlendMode;
}

/** The fold's stages with their blend factors; [] when it declares no `@flow`. */
export function flowStages(fold: FlowOf): FlowStage[] {
  const f = fold['@flow'];
  if (!f) return [];
  const mode = blendMode(fold);
  const out: FlowStage[] = [];
  if (f.entry !== undefined) out.push({ name: f.entry, kind: 'entry', beta: 0 });
  const route = f.route ?? [];
  route.forEach((name, i) => {
    const k = i + 1;
    const beta = mode === 'hard' || k === route.length ? 1 : (1 - Math.cos((Math.PI * k) / route.length)) / 2;
    out.push({ name, kind: 'route', beta });
  });
  if (f.exit !== undefined) out.push({ name: f.exit, kind: 'exit', beta: 1 });
  return out;
}

/** Trace events of one layer going from `before` to `after` through the stages. */
export function flowEvents(foldId: string, stages: readonly FlowStage[], layer: string, before: Float32Array, after: Float32Array): FlowEvent[] {
  return stages.map((st, index) => {
    let ss = 0, cc = 0;
    for (let i = 0; i < before.length; i++) {
      const w = before[i];
      const v = st.beta === 0 ? w : st.beta === 1 ? after[i] : Math.fround(w + st.beta * (after[i] - w));
      ss += v * v;
      cc += (v - w) * (v - w);
    }
    return Object.freeze({ fold_id: foldId, stage: st.name, kind: st.kind, index, beta: st.beta, layer, norm: Math.sqrt(ss), change_norm: Math.sqrt(cc) });
  });
}

type OrderOf = Pick<FoldV1, 'fold_id' | '@control' | '@flow'>;

/**
 * The order a merge applies folds in (indices into `folds`): `@control.priority` ascending (the
 * highest priority is applied last and has the last word), ties by fold_id in UTF-8 order, except
 * that a fold comes after every fold of the set it lists in `@flow.interaction`. Kahn's algorithm
 * taking the smallest (priority, fold_id) ready fold each time. Errors: a fold_id twice
 * (`bad_input` at `$[i].fold_id`), a cycle (`interaction_cycle` at the interaction list of the
 * cycle's smallest fold id, the cycle in the message).
 */
export function foldOrder(folds: readonly OrderOf[]): number[] {
  const ix = new Map<string, number>();
  folds.forEach((f, i) => {
    if (ix.has(f.fold_id)) throw new AsxError('bad_input', `fold ${JSON.stringify(f.fold_id)} is in the merge twice (also at ${ix.get(f.fold_id)})`, { path: `$[${i}].fold_id` });
    ix.set(f.fold_id, i);
  });
  const cyc = interactionCycle(folds);
  if (cyc) {
    throw new AsxError('interaction_cycle', `@flow.interaction cycle: ${[...cyc, cyc[0]].join(' → ')} (each must be applied before the previous)`, { path: `$[${ix.get(cyc[0])}]["@flow"].interaction` });
  }
  const before = (a: number, b: number) => (folds[a]['@control'].priority - folds[b]['@control'].priority) || compareUtf8(folds[a].fold_id, folds[b].fold_id);
  const waiting = folds.map((f) => new Set((f['@flow']?.interaction ?? []).filter((id) => ix.has(id) && id !== f.fold_id)));
  const dependents = folds.map(() => [] as number[]);
  waiting.forEach((deps, i) => { for (const id of deps) dependents[ix.get(id)!].push(i); });
  const ready: number[] = [];
  folds.forEach((_, i) => { if (waiting[i].size === 0) ready.push(i); });
  const out: number[] = [];
  while (ready.length) {
    let best = 0;
    for (let j = 1; j < ready.length; j++) if (before(ready[j], ready[best]) < 0) best = j;
    const i = ready.splice(best, 1)[0];
    out.push(i);
    for (const d of dependents[i]) {
      waiting[d].delete(folds[i].fold_id);
      if (waiting[d].size === 0) ready.push(d);
    }
  }
  return out;
}
