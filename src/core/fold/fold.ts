/**
 * The fold.v1 format (mx2gym.md "Fold Trainer JSON Format"; docs/laws.md F-FOLD): its JSON
 * Schema, checked with the project's validator (src/core/objects/schema.ts), plus the rules a
 * schema cannot say (refs belong to this fold, clamp ordered, optimizer state names per optimizer,
 * no layer twice, no interaction with itself). Every issue carries the JSON path.
 */
import { AsxError } from '../errors.ts';
import { parsePayloadJson, pathSegment, type Json } from '../objects/json.ts';
import { validate, type Schema, type SchemaIssue } from '../objects/schema.ts';
import { FOLD_ID_RE, parseScxq2Ref, SCXQ2_REF_PATTERN } from './ref.ts';

export type FoldOptimizerType = 'adamw' | 'lion' | 'rmsprop';

export interface FoldTensorRef { layer: string; encoding: 'scxq2'; ref: string; scale?: number }

export interface FoldV1 {
  fold_id: string;
  version: string;
  model_base: string;
  mx2gym_format: 'fold.v1';
  description?: string;
  '@data': {
    deltas: FoldTensorRef[];
    gradients?: FoldTensorRef[];
    optimizer?: {
      type: FoldOptimizerType; state?: Record<string, string>; lr: number; betas?: [number, number];
      weight_decay?: number; eps?: number; alpha?: number; momentum?: number; centered?: boolean; amsgrad?: boolean;
    };
  };
  '@control': {
    apply: 'always' | 'conditional' | 'if_loss_improves' | 'manual';
    priority: number;
    mode: 'additive' | 'replace' | 'multiply' | 'hybrid';
    target_layers?: string[];
    clamp?: [number, number];
    conditions?: { min_loss_improvement?: number; cooldown_steps?: number; max_scale?: number };
  };
  '@flow'?: {
    entry?: string; route?: string[]; exit?: string; merge_strategy?: 'horizontal' | 'vertical' | 'hybrid';
    interaction?: string[]; blend_mode?: string;
  };
  '@metrics'?: {
    steps_trained?: number; loss_curve?: number[]; gradient_norm?: number; delta_norm?: number; timestamp?: number;
  };
}

const ref: Schema = { type: 'string', pattern: SCXQ2_REF_PATTERN, maxLength: 300 };
const nonNeg: Schema = { type: 'number', minimum: 0 };
const stage: Schema = { type: 'string', pattern: '^@[A-Za-z][A-Za-z0-9_]{0,63}$' };
const foldId: Schema = { type: 'string', pattern: FOLD_ID_RE.source };

/** The fold.v1 JSON Schema (2020-12 subset the project's validator runs; monaco takes it as is). */
export const FOLD_V1_SCHEMA: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'asx:fold.v1',
  title: 'MX2GYM fold.v1',
  type: 'object',
  required: ['fold_id', 'version', 'model_base', 'mx2gym_format', '@data', '@control'],
  additionalProperties: false,
  properties: {
    fold_id: foldId,
    version: { type: 'string', pattern: '^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$' },
    model_base: { type: 'string', minLength: 1, maxLength: 256 },
    mx2gym_format: { const: 'fold.v1' },
    description: { type: 'string', maxLength: 4096 },
    '@data': {
      type: 'object', required: ['deltas'], additionalProperties: false,
      properties: {
        deltas: { type: 'array', maxItems: 65536, items: { $ref: '#/$defs/tensorRef' } },
        gradients: { type: 'array', maxItems: 65536, items: { $ref: '#/$defs/gradRef' } },
        optimizer: {
          type: 'object', required: ['type', 'lr'], additionalProperties: false,
          properties: {
            type: { enum: ['adamw', 'lion', 'rmsprop'] },
            state: { type: 'object', maxProperties: 16, additionalProperties: ref },
            lr: nonNeg,
            betas: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number', minimum: 0, maximum: 1 } },
            weight_decay: nonNeg,
            eps: nonNeg,
            alpha: { type: 'number', minimum: 0, maximum: 1 },
            momentum: nonNeg,
            centered: { type: 'boolean' },
            amsgrad: { type: 'boolean' },
          },
        },
      },
    },
    '@control': {
      type: 'object', required: ['apply', 'priority', 'mode'], additionalProperties: false,
      properties: {
        apply: { enum: ['always', 'conditional', 'if_loss_improves', 'manual'] },
        priority: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
        mode: { enum: ['additive', 'replace', 'multiply', 'hybrid'] },
        target_layers: { type: 'array', maxItems: 4096, items: { type: 'string', minLength: 1, maxLength: 512 } },
        clamp: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } },
        conditions: {
          type: 'object', additionalProperties: false,
          properties: {
            min_loss_improvement: nonNeg,
            cooldown_steps: { type: 'integer', minimum: 0 },
            max_scale: nonNeg,
          },
        },
      },
    },
    '@flow': {
      type: 'object', additionalProperties: false,
      properties: {
        entry: stage,
        route: { type: 'array', maxItems: 256, items: stage },
        exit: stage,
        merge_strategy: { enum: ['horizontal', 'vertical', 'hybrid'] },
        interaction: { type: 'array', maxItems: 4096, uniqueItems: true, items: foldId },
        blend_mode: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$' },
      },
    },
    '@metrics': {
      type: 'object', additionalProperties: false,
      properties: {
        steps_trained: { type: 'integer', minimum: 0 },
        loss_curve: { type: 'array', maxItems: 1 << 20, items: { type: 'number' } },
        gradient_norm: nonNeg,
        delta_norm: nonNeg,
        timestamp: { type: 'integer', minimum: 0 },
      },
    },
  },
  $defs: {
    tensorRef: {
      type: 'object', required: ['layer', 'encoding', 'ref'], additionalProperties: false,
      properties: { layer: { type: 'string', minLength: 1, maxLength: 512 }, encoding: { const: 'scxq2' }, ref, scale: { type: 'number' } },
    },
    gradRef: {
      type: 'object', required: ['layer', 'encoding', 'ref'], additionalProperties: false,
      properties: { layer: { type: 'string', minLength: 1, maxLength: 512 }, encoding: { const: 'scxq2' }, ref },
    },
  },
};

/** Optimizer state tensors each optimizer keeps (PyTorch's state names; Lion: its paper's m). */
export const OPTIMIZER_STATE: Readonly<Record<FoldOptimizerType, readonly string[]>> = {
  adamw: ['m', 'v', 'v_max'],
  lion: ['m'],
  rmsprop: ['square_avg', 'momentum_buffer', 'grad_avg'],
};
/** Hyper-parameters each optimizer takes besides type, state and lr. */
export const OPTIMIZER_PARAMS: Readonly<Record<FoldOptimizerType, readonly string[]>> = {
  adamw: ['betas', 'eps', 'weight_decay', 'amsgrad'],
  lion: ['betas', 'weight_decay'],
  rmsprop: ['alpha', 'eps', 'weight_decay', 'momentum', 'centered'],
};

/** Every scxq2 reference of the fold with its JSON path, in source order. */
export function foldRefs(f: FoldV1): Array<{ path: string; ref: string }> {
  const out: Array<{ path: string; ref: string }> = [];
  f['@data'].deltas.forEach((d, i) => out.push({ path: `$["@data"].deltas[${i}].ref`, ref: d.ref }));
  (f['@data'].gradients ?? []).forEach((d, i) => out.push({ path: `$["@data"].gradients[${i}].ref`, ref: d.ref }));
  for (const [k, r] of Object.entries(f['@data'].optimizer?.state ?? {})) out.push({ path: `$["@data"].optimizer.state${pathSegment(k)}`, ref: r });
  return out;
}

export type FoldCheck = { ok: true; fold: FoldV1 } | { ok: false; issues: SchemaIssue[] };

/** Schema, then the cross-field rules (F-FOLD). */
export function checkFold(value: unknown): FoldCheck {
  const issues = validate(FOLD_V1_SCHEMA, value);
  if (issues.length) return { ok: false, issues };
  const f = value as FoldV1;
  const add = (path: string, message: string) => issues.push({ path, message });
  for (const { path, ref: r } of foldRefs(f)) {
    const { foldId } = parseScxq2Ref(r, path);
    if (foldId !== f.fold_id) add(path, `refers to fold ${JSON.stringify(foldId)}, not this fold ${JSON.stringify(f.fold_id)}`);
  }
  for (const list of ['deltas', 'gradients'] as const) {
    const seen = new Map<string, number>();
    (f['@data'][list] ?? []).forEach((d, i) => {
      const j = seen.get(d.layer);
      if (j !== undefined) add(`$["@data"].${list}[${i}].layer`, `layer ${JSON.stringify(d.layer)} already has ${list}[${j}]`);
      else seen.set(d.layer, i);
    });
  }
  const opt = f['@data'].optimizer;
  if (opt) {
    for (const k of Object.keys(opt.state ?? {})) {
      if (!OPTIMIZER_STATE[opt.type].includes(k)) add(`$["@data"].optimizer.state${pathSegment(k)}`, `${opt.type} keeps no state ${JSON.stringify(k)} (it keeps ${OPTIMIZER_STATE[opt.type].join(', ')})`);
    }
    for (const k of Object.keys(opt)) {
      if (!['type', 'state', 'lr', ...OPTIMIZER_PARAMS[opt.type]].includes(k)) add(`$["@data"].optimizer${pathSegment(k)}`, `${opt.type} takes no ${k}`);
    }
    if (opt.betas && opt.betas.some((b) => b >= 1)) add('$["@data"].optimizer.betas', 'betas must be < 1');
  }
  const c = f['@control'];
  if (c.clamp && c.clamp[0] > c.clamp[1]) add('$["@control"].clamp', `clamp [${c.clamp[0]}, ${c.clamp[1]}] is empty: the low end must be ≤ the high end`);
  (f['@flow']?.interaction ?? []).forEach((id, i) => {
    if (id === f.fold_id) add(`$["@flow"].interaction[${i}]`, 'a fold cannot interact with itself (a cycle)');
  });
  return issues.length ? { ok: false, issues } : { ok: true, fold: f };
}

/** Parse fold.v1 bytes (bounded JSON) and check them; the first issue as an AsxError bad_fold at its path. */
export function parseFold(bytes: Uint8Array): FoldV1 {
  let v: Json;
  try { v = parsePayloadJson(bytes); } catch (e) {
    const path = (e as { path?: string }).path;
    throw new AsxError('bad_fold', `fold.v1 is not JSON: ${(e as Error).message}`, path ? { path } : {});
  }
  const r = checkFold(v);
  if (!r.ok) throw new AsxError('bad_fold', `${r.issues[0].message}${r.issues.length > 1 ? ` (and ${r.issues.length - 1} more)` : ''}`, { path: r.issues[0].path });
  return r.fold;
}

/**
 * A cycle in the `@flow.interaction` graph over a set of folds (fold id → the ids it interacts
 * with), as the list of fold ids around it starting from the smallest id on it, or null.
 * Interactions with folds outside the set are ignored. Deterministic: ids are visited in
 * code-unit order.
 */
export function interactionCycle(folds: ReadonlyArray<Pick<FoldV1, 'fold_id' | '@flow'>>): string[] | null {
  const edges = new Map<string, string[]>();
  for (const f of folds) edges.set(f.fold_id, [...(f['@flow']?.interaction ?? [])].sort());
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const ids = [...edges.keys()].sort();
  const visit = (id: string): string[] | null => {
    state.set(id, 1); stack.push(id);
    for (const n of edges.get(id) ?? []) {
      if (!edges.has(n)) continue;
      if (state.get(n) === 1) {
        const cyc = stack.slice(stack.indexOf(n));
        const m = cyc.indexOf([...cyc].sort()[0]);
        return [...cyc.slice(m), ...cyc.slice(0, m)];
      }
      if (!state.has(n)) { const c = visit(n); if (c) return c; }
    }
    stack.pop(); state.set(id, 2);
    return null;
  };
  for (const id of ids) if (!state.has(id)) { const c = visit(id); if (c) return c; }
  return null;
}
