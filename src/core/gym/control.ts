/**
 * `@control` (mx2gym.md §3; docs/laws.md G-FOLD-APPLY): the precise meaning of a fold's
 * target_layers, mode, scale, clamp, apply and conditions, and `applyFold`, which applies one
 * fold's deltas to a TensorSet. Pure; f64 arithmetic on f32 inputs, each result rounded once to
 * f32. A fold is checked whole before anything is written, so a failing fold changes nothing.
 *
 * Per element, with W the base value, Δ the delta value, s the effective scale and
 * clamp(x) = min(max(x, lo), hi) (identity without `clamp`):
 *   additive  R = W + clamp(s·Δ)
 *   multiply  R = W · (1 + clamp(s·Δ))          (relative change; a zero delta is a no-op)
 *   replace   R = min(max((1 − s)·W + s·Δ, W + lo), W + hi)   (s = 1, no clamp: R = Δ exactly)
 *   hybrid    replace on tensors of rank ≤ 1 (biases, norms, scalars), additive on rank ≥ 2
 * s = delta.scale (default 1), capped by conditions.max_scale: s = sign(s)·min(|s|, max_scale).
 */
import { AsxError } from '../errors.ts';
import { compareUtf8 } from '../bytes/utf8.ts';
import type { FoldV1 } from '../fold/fold.ts';
import { numel, type Tensor, type TensorSet } from './tensor.ts';
import { flowEvents, flowStages, type FlowEvent } from './flow.ts';

export type ControlMode = FoldV1['@control']['mode'];
export const CONTROL_MODES: readonly ControlMode[] = ['additive', 'replace', 'multiply', 'hybrid'];

/** What a delta may be: bare values (length must equal the base tensor's) or a tensor (shape must equal). */
export type DeltaValue = Float32Array | Tensor;
export type DeltaMap = ReadonlyMap<string, DeltaValue>;

export interface ApplyContext {
  /** The current optimizer step (conditional cooldown). */
  step?: number;
  /** The step this fold was last applied at; undefined or null = never. */
  lastAppliedStep?: number | null;
  /** Validation loss without / with the fold. */
  lossBefore?: number;
  lossAfter?: number;
  /** When the losses are not given: the validation loss of a model (called on base and on the candidate). */
  evaluate?: (tensors: TensorSet) => number;
  /** Fold ids the caller names: the only way a `manual` fold is applied. */
  manual?: Iterable<string>;
}

export type SkipReason = 'manual' | 'cooldown' | 'no_step' | 'no_loss' | 'loss_not_improved' | 'no_target';

export interface LayerTrace {
  readonly layer: string;
  /** JSON path of the delta in the fold. */
  readonly path: string;
  readonly targeted: boolean;
  /** The mode applied (hybrid resolved to additive or replace); null when not targeted. */
  readonly mode: 'additive' | 'replace' | 'multiply' | null;
  readonly scale: number;
  /** Elements where the clamp changed the value. */
  readonly clamped: number;
  /** ‖Δ‖₂ of the raw delta. */
  readonly delta_norm: number;
  /** ‖R − W‖₂ (0 when not applied). */
  readonly change_norm: number;
  readonly norm_before: number;
  readonly norm_after: number;
}

export interface ApplyResult {
  /** The tensors after the fold: untouched tensors are the base's own objects, touched ones new. */
  readonly tensors: TensorSet;
  readonly applied: boolean;
  /** 'applied' or why not. */
  readonly reason: 'applied' | SkipReason;
  readonly lossBefore?: number;
  readonly lossAfter?: number;
  readonly trace: readonly LayerTrace[];
  readonly flow: readonly FlowEvent[];
}

const globCache = new Map<string, RegExp>();

/**
 * Does a `target_layers` pattern match a tensor name? A pattern with `*` or `?` is a glob over
 * the whole name (`*` any run of characters, dots included; `?` one character). Otherwise both
 * are split into tokens at `.` and `_` and the pattern's tokens must occur as a contiguous run of
 * the name's tokens: `attn` matches `model.layers.0.self_attn.q_proj.weight`, `layers.0` matches
 * `layers.0.mlp.weight` but not `layers.10.mlp.weight`, `q_proj` matches `…q_proj.weight`.
 * Case-sensitive. An absent or empty target_layers targets every delta.
 */
export function targetMatches(pattern: string, name: string): boolean {
  if (/[*?]/.test(pattern)) {
    let re = globCache.get(pattern);
    if (!re) {
      re = new RegExp(`^${[...pattern].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'u');
      globCache.set(pattern, re);
    }
    return re.test(name);
  }
  const p = pattern.split(/[._]/);
  const n = name.split(/[._]/);
  for (let i = 0; i + p.length <= n.length; i++) {
    let ok = true;
    for (let j = 0; j < p.length && ok; j++) ok = n[i + j] === p[j];
    if (ok) return true;
  }
  return false;
}

export function isTargeted(fold: Pick<FoldV1, '@control'>, layer: string): boolean {
  const t = fold['@control'].target_layers;
  return !t || t.length === 0 || t.some((p) => targetMatches(p, layer));
}

/** The effective scale of a delta: its `scale` (default 1) capped by `conditions.max_scale`. */
export function effectiveScale(fold: Pick<FoldV1, '@control'>, scale: number | undefined): number {
  const s = scale ?? 1;
  const cap = fold['@control'].conditions?.max_scale;
  return cap === undefined || Math.abs(s) <= cap ? s : Math.sign(s) * cap;
}

/** The mode applied to a tensor of this rank (hybrid: replace for rank ≤ 1, additive otherwise). */
export function resolveMode(mode: ControlMode, rank: number): 'additive' | 'replace' | 'multiply' {
  if (mode === 'hybrid') return rank <= 1 ? 'replace' : 'additive';
  return mode;
}

/**
 * One element. Returns R (not yet rounded) and whether the clamp changed it.
 */
export function applyElement(mode: 'additive' | 'replace' | 'multiply', w: number, d: number, s: number, lo: number, hi: number): { r: number; clamped: boolean } {
  if (mode === 'replace') {
    const t = (1 - s) * w + s * d;
    if (t < w + lo) return { r: w + lo, clamped: true };
    if (t > w + hi) return { r: w + hi, clamped: true };
    return { r: t, clamped: false };
  }
  let u = s * d;
  let clamped = false;
  if (u < lo) { u = lo; clamped = true; } else if (u > hi) { u = hi; clamped = true; }
  return { r: mode === 'additive' ? w + u : w * (1 + u), clamped };
}

function norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

function valuesOf(d: DeltaValue): Float32Array { return d instanceof Float32Array ? d : d.data; }

function deltaPath(i: number, field: 'layer' | 'ref' | 'scale'): string { return `$["@data"].deltas[${i}].${field}`; }

/**
 * Check a fold against a base and its deltas (every delta, targeted or not): the mode is known
 * (`bad_fold` at `$["@control"].mode`), blend_mode is known, scales are finite (`bad_fold`), each
 * layer has a delta (`bad_ref` at the delta's ref), is in the base (`missing_layer` at its layer),
 * has the base's shape (`shape_mismatch` at its layer) and finite values (`non_finite` at its ref).
 */
export function checkFoldAgainst(base: ReadonlyMap<string, Tensor>, fold: FoldV1, deltas: DeltaMap): void {
  const c = fold['@control'];
  if (!(CONTROL_MODES as readonly string[]).includes(c.mode)) throw new AsxError('bad_fold', `unknown mode ${JSON.stringify(c.mode)} (additive, replace, multiply, hybrid)`, { path: '$["@control"].mode' });
  if (c.clamp && !(c.clamp[0] <= c.clamp[1])) throw new AsxError('bad_fold', 'clamp must be [lo, hi] with lo ≤ hi', { path: '$["@control"].clamp' });
  flowStages(fold);
  fold['@data'].deltas.forEach((ref, i) => {
    if (ref.scale !== undefined && !Number.isFinite(ref.scale)) throw new AsxError('bad_fold', `scale ${ref.scale} is not finite`, { path: deltaPath(i, 'scale') });
    const d = deltas.get(ref.layer);
    if (!d) throw new AsxError('bad_ref', `no delta given for ${ref.ref} (layer ${JSON.stringify(ref.layer)})`, { path: deltaPath(i, 'ref') });
    const w = base.get(ref.layer);
    if (!w) throw new AsxError('missing_layer', `the base has no tensor ${JSON.stringify(ref.layer)}`, { path: deltaPath(i, 'layer') });
    const v = valuesOf(d);
    if (!(d instanceof Float32Array) && (d.shape.length !== w.shape.length || d.shape.some((x, k) => x !== w.shape[k]))) {
      throw new AsxError('shape_mismatch', `delta shape ${JSON.stringify(d.shape)} ≠ base shape ${JSON.stringify(w.shape)} for ${JSON.stringify(ref.layer)}`, { path: deltaPath(i, 'layer') });
    }
    if (v.length !== numel(w.shape) || w.data.length !== v.length) {
      throw new AsxError('shape_mismatch', `delta has ${v.length} elements, base ${JSON.stringify(ref.layer)} of shape ${JSON.stringify(w.shape)} has ${numel(w.shape)}`, { path: deltaPath(i, 'layer') });
    }
    for (let k = 0; k < v.length; k++) {
      if (!Number.isFinite(v[k])) throw new AsxError('non_finite', `delta element ${k} of ${JSON.stringify(ref.layer)} is ${v[k]}`, { path: deltaPath(i, 'ref') });
    }
  });
}

/** The gate (§ apply + conditions) on what the context says; null = apply. Losses are resolved by the caller. */
export function gate(fold: Pick<FoldV1, 'fold_id' | '@control'>, ctx: ApplyContext, loss: () => { before?: number; after?: number }): SkipReason | null {
  const c = fold['@control'];
  const cond = c.conditions ?? {};
  if (c.apply === 'always') return null;
  if (c.apply === 'manual') return [...(ctx.manual ?? [])].includes(fold.fold_id) ? null : 'manual';
  if (cond.cooldown_steps !== undefined && ctx.lastAppliedStep !== undefined && ctx.lastAppliedStep !== null) {
    if (ctx.step === undefined) return 'no_step';
    if (ctx.step - ctx.lastAppliedStep < cond.cooldown_steps) return 'cooldown';
  }
  const needLoss = c.apply === 'if_loss_improves' || cond.min_loss_improvement !== undefined;
  if (!needLoss) return null;
  const { before, after } = loss();
  if (before === undefined || after === undefined || !Number.isFinite(before) || !Number.isFinite(after)) return 'no_loss';
  const m = cond.min_loss_improvement ?? 0;
  if (c.apply === 'if_loss_improves' && !(after < before)) return 'loss_not_improved';
  if (!(before - after >= m)) return 'loss_not_improved';
  return null;
}

/**
 * Apply one fold to `base`. Never mutates `base` (unless `into` is `base`): the result shares
 * untouched tensors and has new tensors for the layers the fold changed. Not applied (gated or
 * nothing targeted) → the result has the base's tensors, with the reason; the trace then
 * describes the candidate when one was computed (loss gates), else each delta with change 0 and
 * clamped 0. Errors (typed,
 * with the fold's JSON path) are raised before the gate, so a malformed fold is refused whatever
 * the context. `into`: a map to write the changed tensors into (an accumulator; merges use it so
 * no fold copies the model); it is only written when the fold is applied.
 */
export function applyFold(base: ReadonlyMap<string, Tensor>, fold: FoldV1, deltas: DeltaMap, ctx: ApplyContext = {}, into?: TensorSet): ApplyResult {
  checkFoldAgainst(base, fold, deltas);
  const c = fold['@control'];
  const [lo, hi] = c.clamp ?? [-Infinity, Infinity];
  const stages = flowStages(fold);
  const refs = fold['@data'].deltas.map((ref, i) => ({ ref, i })).sort((a, b) => compareUtf8(a.ref.layer, b.ref.layer));
  const changed = new Map<string, Tensor>();
  const trace: LayerTrace[] = [];
  const flow: FlowEvent[] = [];
  let computed = false;
  const compute = () => {
    computed = true;
    for (const { ref, i } of refs) {
      const w = base.get(ref.layer)!;
      const d = valuesOf(deltas.get(ref.layer)!);
      const s = effectiveScale(fold, ref.scale);
      const nb = norm(w.data);
      if (!isTargeted(fold, ref.layer)) {
        trace.push(Object.freeze({ layer: ref.layer, path: deltaPath(i, 'layer'), targeted: false, mode: null, scale: s, clamped: 0, delta_norm: norm(d), change_norm: 0, norm_before: nb, norm_after: nb }));
        continue;
      }
      const mode = resolveMode(c.mode, w.shape.length);
      const out = new Float32Array(w.data.length);
      let clamped = 0, cc = 0;
      for (let k = 0; k < out.length; k++) {
        const e = applyElement(mode, w.data[k], d[k], s, lo, hi);
        out[k] = e.r;
        if (!Number.isFinite(out[k])) throw new AsxError('non_finite', `element ${k} of ${JSON.stringify(ref.layer)} becomes ${out[k]} (${mode}, scale ${s})`, { path: deltaPath(i, 'ref') });
        if (e.clamped) clamped++;
        const ch = out[k] - w.data[k];
        cc += ch * ch;
      }
      changed.set(ref.layer, { shape: w.shape, data: out });
      trace.push(Object.freeze({ layer: ref.layer, path: deltaPath(i, 'layer'), targeted: true, mode, scale: s, clamped, delta_norm: norm(d), change_norm: Math.sqrt(cc), norm_before: nb, norm_after: norm(out) }));
      flow.push(...flowEvents(fold.fold_id, stages, ref.layer, w.data, out));
    }
  };
  const overlay = () => { const m: TensorSet = new Map(base); for (const [k, v] of changed) m.set(k, v); return m; };
  let lossBefore: number | undefined, lossAfter: number | undefined;
  const anyTarget = refs.some(({ ref }) => isTargeted(fold, ref.layer));
  const reason: SkipReason | null = !anyTarget ? 'no_target' : gate(fold, ctx, () => {
    compute();
    lossBefore = ctx.lossBefore ?? ctx.evaluate?.(new Map(base));
    lossAfter = ctx.lossAfter ?? ctx.evaluate?.(overlay());
    return { before: lossBefore, after: lossAfter };
  });
  const losses = { ...(lossBefore !== undefined ? { lossBefore } : {}), ...(lossAfter !== undefined ? { lossAfter } : {}) };
  if (reason && !computed) {
    for (const { ref, i } of refs) {
      const w = base.get(ref.layer)!;
      const targeted = isTargeted(fold, ref.layer);
      const nb = norm(w.data);
      trace.push(Object.freeze({ layer: ref.layer, path: deltaPath(i, 'layer'), targeted, mode: targeted ? resolveMode(c.mode, w.shape.length) : null, scale: effectiveScale(fold, ref.scale), clamped: 0, delta_norm: norm(valuesOf(deltas.get(ref.layer)!)), change_norm: 0, norm_before: nb, norm_after: nb }));
    }
  }
  if (reason) return { tensors: into ?? new Map(base), applied: false, reason, ...losses, trace: Object.freeze(trace), flow: Object.freeze([]) };
  if (!computed) compute();
  let tensors: TensorSet;
  if (into) { for (const [k, v] of changed) into.set(k, v); tensors = into; } else tensors = overlay();
  return { tensors, applied: true, reason: 'applied', ...losses, trace: Object.freeze(trace), flow: Object.freeze(flow) };
}
