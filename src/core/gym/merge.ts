/**
 * Merges (mx2gym.md `mx2gym.merge.*`; docs/laws.md G-FOLD-APPLY):
 *
 *  - horizontal: many folds into one model, one at a time into one accumulator, in `foldOrder`
 *    (priority ascending, ties by fold_id in UTF-8 order, interactions first), each fold with its
 *    own mode, clamp, scale and gate (control.ts). Equal to applying the folds one by one with
 *    applyFold in that order. Folds whose `@flow.merge_strategy` is `vertical` or `hybrid` are
 *    refused (`bad_fold` at `$[i]["@flow"].merge_strategy`): they expect a stacked model.
 *  - vertical: stack layers from several models (mergekit's passthrough), by a spec of slices.
 *  - hybrid: horizontal merges into each source (folds whose model_base names it), then the
 *    vertical stack, then the vertical/hybrid folds onto the stack.
 */
import { AsxError } from '../errors.ts';
import { compareUtf8 } from '../bytes/utf8.ts';
import type { FoldV1 } from '../fold/fold.ts';
import { cloneTensors, sortedNames, type Tensor, type TensorSet } from './tensor.ts';
import { applyFold, type ApplyContext, type ApplyResult, type DeltaMap } from './control.ts';
import { foldOrder } from './flow.ts';

export interface FoldInput { fold: FoldV1; deltas: DeltaMap }

export interface FoldOutcome {
  readonly fold_id: string;
  /** Position in the application order. */
  readonly order: number;
  readonly applied: boolean;
  readonly reason: ApplyResult['reason'];
  readonly result: Omit<ApplyResult, 'tensors'>;
}

export interface HorizontalOptions {
  /** The context each fold is gated with (default {}). */
  context?: (fold: FoldV1) => ApplyContext;
  /** Write into `base` itself instead of a copy of it (the caller gives up the base). */
  inPlace?: boolean;
}

export interface MergeResult { tensors: TensorSet; outcomes: FoldOutcome[] }

function pathIn(i: number, path: string | undefined): string { return `$[${i}]${(path ?? '$').slice(1)}`; }

/** Re-raise a fold's error with its position in the merge prefixed to the JSON path. */
function located<T>(i: number, f: () => T): T {
  try { return f(); } catch (e) {
    if (e instanceof AsxError) throw new AsxError(e.code, `fold ${i}: ${e.message}`, { ...e.where, path: pathIn(i, e.where.path) });
    throw e;
  }
}

export function mergeHorizontal(base: TensorSet, folds: readonly FoldInput[], opts: HorizontalOptions = {}): MergeResult {
  return horizontal(base, folds, opts, false);
}

function horizontal(base: TensorSet, folds: readonly FoldInput[], opts: HorizontalOptions, onStack: boolean): MergeResult {
  folds.forEach(({ fold }, i) => {
    const ms = fold['@flow']?.merge_strategy;
    if (!onStack && (ms === 'vertical' || ms === 'hybrid')) throw new AsxError('bad_fold', `fold ${JSON.stringify(fold.fold_id)} expects a ${ms} merge`, { path: `$[${i}]["@flow"].merge_strategy` });
  });
  const order = foldOrder(folds.map((f) => f.fold));
  const acc = opts.inPlace ? base : cloneTensors(base);
  const outcomes: FoldOutcome[] = [];
  order.forEach((i, pos) => {
    const { fold, deltas } = folds[i];
    const r = located(i, () => applyFold(acc, fold, deltas, opts.context?.(fold) ?? {}, acc));
    const { tensors: _t, ...rest } = r;
    outcomes.push(Object.freeze({ fold_id: fold.fold_id, order: pos, applied: r.applied, reason: r.reason, result: rest }));
  });
  return { tensors: acc, outcomes };
}

/**
 * A vertical slice: tensors of model `model`, either the layers `layers: [start, end)` (every
 * tensor with that layer index, renumbered consecutively in the output) or the tensors `names`
 * (copied under the same name, or `rename[name]`).
 */
export type VerticalSlice =
  | { model: string; layers: [number, number] }
  | { model: string; names: string[]; rename?: Record<string, string> };

export interface VerticalSpec {
  /** The model unindexed tensors (embeddings, final norms, heads) are taken from; default the first slice's model. */
  base?: string;
  slices: VerticalSlice[];
}

const MX2LM_HIDDEN = /^hidden\.(weight|bias)$/;
const DIGITS = /^(0|[1-9][0-9]*)$/;

/**
 * The layer index of a tensor name: the first dot-separated component that is a canonical decimal
 * integer (`model.layers.3.mlp.weight` → 3, `h.0.attn` → 0), with its component position; the
 * MX2LM single-hidden-layer names `hidden.weight` / `hidden.bias` read as `hidden.0.weight` /
 * `hidden.0.bias` (layer 0). null: unindexed.
 */
export function layerIndex(name: string): { index: number; component: number; parts: string[] } | null {
  const m = MX2LM_HIDDEN.exec(name);
  const parts = m ? ['hidden', '0', m[1]] : name.split('.');
  const c = parts.findIndex((p) => DIGITS.test(p));
  if (c < 0) return null;
  const index = Number(parts[c]);
  return Number.isSafeInteger(index) ? { index, component: c, parts } : null;
}

/** The name with its layer index replaced. */
export function renameLayer(name: string, index: number): string {
  const li = layerIndex(name);
  if (!li) throw new AsxError('bad_input', `${JSON.stringify(name)} has no layer index`);
  const parts = [...li.parts];
  parts[li.component] = String(index);
  return parts.join('.');
}

/**
 * Stack layers (mergekit passthrough). Output layer indices run 0, 1, … over the range slices in
 * spec order (a range [a, b) gives b − a output layers, each source layer's tensors renamed to the
 * output index). Name slices copy tensors by name. The unindexed tensors of `base` not given by a
 * name slice are copied too. Every output tensor has its own new data. Errors: an unknown model
 * (`bad_input` at `$.slices[i].model`), an empty or reversed range or a source layer with no
 * tensor (`missing_layer` at `$.slices[i].layers`), a name the model lacks (`missing_layer` at
 * `$.slices[i].names[j]`), two slices writing one output name (`bad_input` at the later slice).
 */
export function mergeVertical(models: ReadonlyMap<string, ReadonlyMap<string, Tensor>>, spec: VerticalSpec): TensorSet {
  const out: TensorSet = new Map();
  const from = new Map<string, string>();
  const put = (name: string, t: Tensor, path: string) => {
    if (out.has(name)) throw new AsxError('bad_input', `output tensor ${JSON.stringify(name)} is written twice (first by ${from.get(name)})`, { path });
    out.set(name, { shape: [...t.shape], data: new Float32Array(t.data) });
    from.set(name, path);
  };
  const modelOf = (id: string, path: string) => {
    const m = models.get(id);
    if (!m) throw new AsxError('bad_input', `no model ${JSON.stringify(id)} among the sources`, { path });
    return m;
  };
  let next = 0;
  spec.slices.forEach((sl, i) => {
    const m = modelOf(sl.model, `$.slices[${i}].model`);
    if ('layers' in sl) {
      const [a, b] = sl.layers;
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b <= a) throw new AsxError('missing_layer', `layer range [${a}, ${b}) is empty or not integers`, { path: `$.slices[${i}].layers` });
      const byLayer = new Map<number, string[]>();
      for (const name of sortedNames(m)) {
        const li = layerIndex(name);
        if (li && li.index >= a && li.index < b) { const l = byLayer.get(li.index) ?? []; l.push(name); byLayer.set(li.index, l); }
      }
      for (let l = a; l < b; l++) {
        const names = byLayer.get(l);
        if (!names) throw new AsxError('missing_layer', `model ${JSON.stringify(sl.model)} has no tensor of layer ${l}`, { path: `$.slices[${i}].layers` });
        for (const name of names) put(renameLayer(name, next), m.get(name)!, `$.slices[${i}]`);
        next++;
      }
    } else {
      sl.names.forEach((name, j) => {
        const t = m.get(name);
        if (!t) throw new AsxError('missing_layer', `model ${JSON.stringify(sl.model)} has no tensor ${JSON.stringify(name)}`, { path: `$.slices[${i}].names[${j}]` });
        put(sl.rename?.[name] ?? name, t, `$.slices[${i}]`);
      });
    }
  });
  if (spec.slices.length || spec.base !== undefined) {
    const baseId = spec.base ?? spec.slices[0].model;
    const m = modelOf(baseId, '$.base');
    for (const name of sortedNames(m)) if (!layerIndex(name) && !out.has(name)) put(name, m.get(name)!, '$.base');
  }
  return out;
}

export interface HybridSpec extends VerticalSpec {
  /** The folds; those with merge_strategy absent or horizontal go into their model_base source first. */
  folds: readonly FoldInput[];
}

export interface HybridResult { tensors: TensorSet; sources: Map<string, FoldOutcome[]>; stacked: FoldOutcome[] }

/**
 * Hybrid merge: (1) each source model (ids in UTF-8 order) gets the horizontal merge of the folds
 * with merge_strategy absent or `horizontal` whose `model_base` is its id (a horizontal fold whose
 * model_base names no source is `bad_fold` at `$.folds[i].model_base`); (2) the sources are stacked
 * by the vertical spec; (3) the folds with merge_strategy `vertical` or `hybrid` are merged
 * horizontally onto the stack (their layers name output tensors). Sources are not mutated.
 */
export function mergeHybrid(models: ReadonlyMap<string, TensorSet>, spec: HybridSpec, opts: Omit<HorizontalOptions, 'inPlace'> = {}): HybridResult {
  const early = new Map<string, number[]>();
  const late: number[] = [];
  spec.folds.forEach(({ fold }, i) => {
    const ms = fold['@flow']?.merge_strategy;
    if (ms === 'vertical' || ms === 'hybrid') { late.push(i); return; }
    if (!models.has(fold.model_base)) throw new AsxError('bad_fold', `model_base ${JSON.stringify(fold.model_base)} names no source model`, { path: `$.folds[${i}].model_base` });
    const l = early.get(fold.model_base) ?? [];
    l.push(i);
    early.set(fold.model_base, l);
  });
  const relocate = <T>(ix: number[], f: () => T): T => {
    try { return f(); } catch (e) {
      if (e instanceof AsxError && e.where.path?.startsWith('$[')) {
        const m = /^\$\[(\d+)\]/.exec(e.where.path)!;
        throw new AsxError(e.code, e.message, { ...e.where, path: `$.folds[${ix[Number(m[1])]}]${e.where.path.slice(m[0].length)}` });
      }
      throw e;
    }
  };
  const merged = new Map<string, TensorSet>();
  const sources = new Map<string, FoldOutcome[]>();
  for (const id of [...models.keys()].sort(compareUtf8)) {
    const ix = early.get(id) ?? [];
    if (!ix.length) { merged.set(id, models.get(id)!); sources.set(id, []); continue; }
    const r = relocate(ix, () => mergeHorizontal(models.get(id)!, ix.map((i) => spec.folds[i]), opts));
    merged.set(id, r.tensors);
    sources.set(id, r.outcomes);
  }
  const stack = mergeVertical(merged, spec);
  const r = relocate(late, () => horizontal(stack, late.map((i) => spec.folds[i]), { ...opts, inPlace: true }, true));
  return { tensors: r.tensors, sources, stacked: r.outcomes };
}
