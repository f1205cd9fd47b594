/**
 * `mx2gym.export.fold()` (docs/laws.md G-FOLD-APPLY): a training state → one fold bundle
 * (F-BUNDLE) whose `@data` references name F-QREC records, and `importFold`, its inverse.
 *
 *  - Layers in UTF-8 order. Entry names: `<layer>.delta` (in the chosen form), `<layer>.grad`
 *    (f32) when the layer name is an entry-name component of ≤ 240 characters, else
 *    `layer-<i>.delta` / `layer-<i>.grad` with i the layer's position in UTF-8 order; optimizer
 *    state `optimizer.<state>.state` (f32, shape [N]): the concatenation, over the delta layers in
 *    `@data.deltas` order, of each layer's state buffer (every delta layer must have every state
 *    buffer, of its element count). Two entries with one name → `bad_input`.
 *  - `@data.deltas[i]` = {layer, encoding: "scxq2", ref} (no scale: 1); `@data.gradients` likewise;
 *    `@data.optimizer` = the resolved spec's type, lr and the hyper-parameters fold.v1 allows for
 *    that type, and `state` name → ref.
 *  - `@metrics`: steps_trained and loss_curve as given; delta_norm = ‖Δ‖₂ over all deltas (f64,
 *    UTF-8 layer order, index order) of the deltas given (before quantization); gradient_norm as
 *    given, else ‖gradients‖₂ the same way when gradients are given; **timestamp = a logical clock,
 *    the number of optimizer steps since the base model** (default steps_trained; never the wall
 *    clock), so the same training gives the same bytes. With optimizer state, state.step must equal
 *    the timestamp, and importFold restores step = timestamp.
 *  - Same inputs → the same bytes (F-BUNDLE's writer is deterministic, quantization is F-QREC's).
 *
 * importFold verifies the whole bundle first (verifyFoldBundle: trailer, every entry hash, every
 * reference, every record) and refuses it with the first problem's code, offset and path; then
 * dequantizes every record (F-QREC values).
 */
import { AsxError, type AsxErrorCode } from '../errors.ts';
import { compareUtf8 } from '../bytes/utf8.ts';
import { OPTIMIZER_PARAMS, type FoldV1 } from '../fold/fold.ts';
import { formatScxq2Ref, parseScxq2Ref } from '../fold/ref.ts';
import { dequantize, encodeQRecord, quantize, type QForm } from '../fold/qrecord.ts';
import { openFoldBundle, verifyFoldBundle, writeFoldBundle } from '../fold/bundle.ts';
import { resolveOptimizerSpec, type OptimizerSpec, type OptimizerState, type ResolvedOptimizerSpec } from './optim/optimizer.ts';
import { numel, sortedNames, type Tensor, type TensorSet } from './tensor.ts';

export interface ExportInput {
  foldId: string;
  /** `model_base` of the fold. */
  baseId: string;
  deltas: ReadonlyMap<string, Tensor>;
  gradients?: ReadonlyMap<string, Tensor>;
  optimizer?: { spec: OptimizerSpec; state: OptimizerState };
  control: FoldV1['@control'];
  flow?: FoldV1['@flow'];
  metrics: { steps_trained: number; loss_curve?: number[]; gradient_norm?: number; timestamp?: number };
  form: QForm;
  version?: string;
  description?: string;
}

export interface ExportResult { bytes: Uint8Array; fold: FoldV1 }

const SAFE_LAYER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,239}$/;

function norm(set: ReadonlyMap<string, Tensor>): number {
  let s = 0;
  for (const n of sortedNames(set)) { const d = set.get(n)!.data; for (let i = 0; i < d.length; i++) s += d[i] * d[i]; }
  return Math.sqrt(s);
}

function entryName(layer: string, i: number, kind: 'delta' | 'grad'): string {
  return SAFE_LAYER.test(layer) ? `${layer}.${kind}` : `layer-${i}.${kind}`;
}

function checkTensor(t: Tensor, path: string): void {
  if (numel(t.shape) !== t.data.length) throw new AsxError('shape_mismatch', `shape ${JSON.stringify(t.shape)} has ${numel(t.shape)} elements, the data ${t.data.length}`, { path });
  for (let k = 0; k < t.data.length; k++) if (!Number.isFinite(t.data[k])) throw new AsxError('non_finite', `element ${k} is ${t.data[k]}`, { path });
}

function optimizerBlock(spec: ResolvedOptimizerSpec): NonNullable<FoldV1['@data']['optimizer']> {
  const out: Record<string, unknown> = { type: spec.type, lr: spec.lr };
  for (const k of OPTIMIZER_PARAMS[spec.type]) {
    const v = (spec as unknown as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = Array.isArray(v) ? [...v] : v;
  }
  return out as NonNullable<FoldV1['@data']['optimizer']>;
}

export function exportFold(input: ExportInput): ExportResult {
  const { foldId, form } = input;
  const entries: Array<{ name: string; bytes: Uint8Array }> = [];
  const names = new Set<string>();
  const add = (name: string, bytes: Uint8Array, path: string) => {
    if (names.has(name)) throw new AsxError('bad_input', `entry name ${JSON.stringify(name)} is used twice`, { path });
    names.add(name);
    entries.push({ name, bytes });
  };
  const ref = (name: string) => formatScxq2Ref({ foldId, name });
  const layers = sortedNames(input.deltas);
  const deltas = layers.map((layer, i) => {
    const t = input.deltas.get(layer)!;
    checkTensor(t, `$.deltas${JSON.stringify([layer])}`);
    const name = entryName(layer, i, 'delta');
    add(name, encodeQRecord(quantize(t.data, t.shape, form)), `$.deltas${JSON.stringify([layer])}`);
    return { layer, encoding: 'scxq2' as const, ref: ref(name) };
  });
  const gradients = input.gradients ? sortedNames(input.gradients).map((layer, i) => {
    const t = input.gradients!.get(layer)!;
    checkTensor(t, `$.gradients${JSON.stringify([layer])}`);
    const name = entryName(layer, i, 'grad');
    add(name, encodeQRecord(quantize(t.data, t.shape, 'f32')), `$.gradients${JSON.stringify([layer])}`);
    return { layer, encoding: 'scxq2' as const, ref: ref(name) };
  }) : undefined;
  const timestamp = input.metrics.timestamp ?? input.metrics.steps_trained;
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new AsxError('bad_input', `timestamp ${timestamp} must be a step count (an integer ≥ 0)`, { path: '$.metrics.timestamp' });
  let optimizer: FoldV1['@data']['optimizer'];
  if (input.optimizer) {
    const spec = resolveOptimizerSpec(input.optimizer.spec);
    const st = input.optimizer.state;
    if (st.step !== timestamp) throw new AsxError('bad_input', `optimizer state step ${st.step} ≠ the fold's timestamp ${timestamp} (steps since the base)`, { path: '$.optimizer.state.step' });
    for (const p of st.buffers.keys()) if (!input.deltas.has(p)) throw new AsxError('bad_input', `optimizer state for ${JSON.stringify(p)}, which has no delta`, { path: `$.optimizer.state.buffers${JSON.stringify([p])}` });
    const stateNames = [...new Set(layers.flatMap((l) => Object.keys(st.buffers.get(l) ?? {})))].sort(compareUtf8);
    const state: Record<string, string> = {};
    for (const k of stateNames) {
      const total = layers.reduce((a, l) => a + input.deltas.get(l)!.data.length, 0);
      const flat = new Float32Array(total);
      let o = 0;
      for (const l of layers) {
        const b = st.buffers.get(l)?.[k];
        const n = input.deltas.get(l)!.data.length;
        const path = `$.optimizer.state.buffers${JSON.stringify([l, k])}`;
        if (!b) throw new AsxError('bad_input', `layer ${JSON.stringify(l)} has no ${k} buffer`, { path });
        if (b.length !== n) throw new AsxError('shape_mismatch', `${k} of ${JSON.stringify(l)} has ${b.length} elements, the layer ${n}`, { path });
        flat.set(b, o);
        o += n;
      }
      checkTensor({ shape: [total], data: flat }, `$.optimizer.state.buffers.*.${k}`);
      const name = `optimizer.${k}.state`;
      add(name, encodeQRecord(quantize(flat, [total], 'f32')), `$.optimizer.state.${k}`);
      state[k] = ref(name);
    }
    optimizer = { ...optimizerBlock(spec), ...(stateNames.length ? { state } : {}) };
  }
  const m = input.metrics;
  const gradNorm = m.gradient_norm ?? (input.gradients ? norm(input.gradients) : undefined);
  const fold: FoldV1 = {
    fold_id: foldId,
    version: input.version ?? '1.0.0',
    model_base: input.baseId,
    mx2gym_format: 'fold.v1',
    ...(input.description !== undefined ? { description: input.description } : {}),
    '@data': { deltas, ...(gradients ? { gradients } : {}), ...(optimizer ? { optimizer } : {}) },
    '@control': input.control,
    ...(input.flow ? { '@flow': input.flow } : {}),
    '@metrics': {
      steps_trained: m.steps_trained,
      ...(m.loss_curve ? { loss_curve: [...m.loss_curve] } : {}),
      ...(gradNorm !== undefined ? { gradient_norm: gradNorm } : {}),
      delta_norm: norm(input.deltas),
      timestamp,
    },
  };
  return { bytes: writeFoldBundle(fold, entries), fold };
}

export interface ImportResult {
  fold: FoldV1;
  bundleHash: string;
  deltas: TensorSet;
  /** The F-QREC form each delta was stored in. */
  forms: Map<string, QForm>;
  gradients: TensorSet;
  optimizer?: { spec: OptimizerSpec; state: OptimizerState };
}

export function importFold(bytes: Uint8Array): ImportResult {
  const v = verifyFoldBundle(bytes);
  if (!v.ok) {
    const p = v.problems[0];
    const code: AsxErrorCode = p.code === 'missing_ref' ? 'bad_ref' : p.code;
    throw new AsxError(code, `fold bundle refused: ${p.message}${v.problems.length > 1 ? ` (and ${v.problems.length - 1} more)` : ''}`, { ...(p.offset !== undefined ? { offset: p.offset } : {}), ...(p.path !== undefined ? { path: p.path } : {}) });
  }
  const b = openFoldBundle(bytes);
  const fold = b.fold;
  const deltas: TensorSet = new Map();
  const forms = new Map<string, QForm>();
  for (const d of fold['@data'].deltas) {
    const r = b.resolveRecord(d.ref).record;
    deltas.set(d.layer, { shape: [...r.shape], data: dequantize(r) });
    forms.set(d.layer, r.form);
  }
  const gradients: TensorSet = new Map();
  for (const g of fold['@data'].gradients ?? []) {
    const r = b.resolveRecord(g.ref).record;
    gradients.set(g.layer, { shape: [...r.shape], data: dequantize(r) });
  }
  const o = fold['@data'].optimizer;
  let optimizer: ImportResult['optimizer'];
  if (o) {
    const { state: refs, ...spec } = o;
    const buffers = new Map<string, Record<string, Float32Array>>();
    for (const [k, sref] of Object.entries(refs ?? {}).sort(([a], [c]) => compareUtf8(a, c))) {
      const flat = dequantize(b.resolveRecord(sref).record);
      const path = `$["@data"].optimizer.state${JSON.stringify([k])}`;
      let off = 0;
      for (const d of fold['@data'].deltas) {
        const n = deltas.get(d.layer)!.data.length;
        if (off + n > flat.length) throw new AsxError('shape_mismatch', `${parseScxq2Ref(sref).name} has ${flat.length} elements, fewer than the delta layers'`, { path });
        const rec = buffers.get(d.layer) ?? {};
        rec[k] = flat.slice(off, off + n);
        buffers.set(d.layer, rec);
        off += n;
      }
      if (off !== flat.length) throw new AsxError('shape_mismatch', `${parseScxq2Ref(sref).name} has ${flat.length} elements, the delta layers ${off}`, { path });
    }
    const amsgrad = o.type === 'adamw' && (spec as OptimizerSpec).amsgrad === undefined ? { amsgrad: Object.hasOwn(refs ?? {}, 'v_max') } : {};
    optimizer = { spec: { ...(spec as OptimizerSpec), ...amsgrad }, state: { step: fold['@metrics']?.timestamp ?? 0, buffers } };
  }
  return { fold, bundleHash: b.bundleHash, deltas, forms, gradients, optimizer };
}
