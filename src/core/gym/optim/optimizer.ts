/**
 * `mx2gym.optimize.step` (issue 11; docs/laws.md G-OPTIM): AdamW, Lion and RMSprop over a
 * `TensorSet`, one law a file (adamw.ts, lion.ts, rmsprop.ts), dispatched here.
 *
 * Arithmetic law: parameters and state are f32. Each element update is the reference's
 * sequence of tensor operations (PyTorch's `torch.optim.AdamW` / `torch.optim.RMSprop`, the
 * Lion paper's reference code), every operation rounded to f32 with `Math.fround`, in the
 * reference's order; scalar hyper-parameter arithmetic (1 − lr·wd, 1 − β, lr / (1 − β1^t),
 * √(1 − β2^t)) is done in f64 and rounded to f32 once where it meets a tensor, as PyTorch
 * casts a Python scalar to the tensor's dtype. β^t is computed by binary exponentiation (a
 * fixed sequence of f64 multiplications), never `**`/`Math.pow`. Only + − × ÷ √ (IEEE,
 * correctly rounded), `Math.fround`, `Math.sign` and `Math.max` are used, so Node, a browser
 * and a worker give identical bytes.
 *
 * A step checks everything first (names, shapes, state, every gradient finite) and only then
 * updates, so a rejected step changes nothing. Parameters are visited in `sortedNames` order.
 */
import { AsxError } from '../../errors.ts';
import { numel, sortedNames, type TensorSet } from '../tensor.ts';
import { adamwScalars, adamwTensor } from './adamw.ts';
import { lionScalars, lionTensor } from './lion.ts';
import { rmspropScalars, rmspropTensor } from './rmsprop.ts';

export type OptimizerType = 'adamw' | 'lion' | 'rmsprop';

/** What a caller (or a fold's `@data.optimizer`) gives; omitted fields take the defaults. */
export interface OptimizerSpec {
  type: OptimizerType;
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weight_decay?: number;
  alpha?: number;
  momentum?: number;
  centered?: boolean;
  amsgrad?: boolean;
}

export interface AdamWSpec { type: 'adamw'; lr: number; betas: [number, number]; eps: number; weight_decay: number; amsgrad: boolean }
export interface LionSpec { type: 'lion'; lr: number; betas: [number, number]; weight_decay: number }
export interface RMSpropSpec { type: 'rmsprop'; lr: number; alpha: number; eps: number; weight_decay: number; momentum: number; centered: boolean }
export type ResolvedOptimizerSpec = AdamWSpec | LionSpec | RMSpropSpec;

/**
 * `step` counts completed steps (PyTorch's per-parameter `step`, shared here by all
 * parameters). `buffers`: parameter name → state name (fold.ts OPTIMIZER_STATE: adamw m, v and
 * v_max when amsgrad; lion m; rmsprop square_avg, momentum_buffer when momentum > 0, grad_avg
 * when centered) → f32 values, one per element of the parameter.
 */
export interface OptimizerState {
  step: number;
  buffers: Map<string, Record<string, Float32Array>>;
}

export interface Optimizer {
  readonly spec: ResolvedOptimizerSpec;
  /** The live state (the one passed to createOptimizer, if any): clone it to keep a copy. */
  readonly state: OptimizerState;
  /** One step: updates `params` and the state in place; throws AsxError `bad_input` before touching anything. */
  step(params: TensorSet, grads: TensorSet): void;
}

/** PyTorch's defaults (Lion: its paper's). */
export const OPTIMIZER_DEFAULTS = {
  adamw: { type: 'adamw', lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 1e-2, amsgrad: false },
  lion: { type: 'lion', lr: 1e-4, betas: [0.9, 0.99], weight_decay: 0 },
  rmsprop: { type: 'rmsprop', lr: 1e-2, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false },
} as const satisfies Record<OptimizerType, ResolvedOptimizerSpec>;

const ALLOWED: Record<OptimizerType, readonly string[]> = {
  adamw: ['type', 'lr', 'betas', 'eps', 'weight_decay', 'amsgrad'],
  lion: ['type', 'lr', 'betas', 'weight_decay'],
  rmsprop: ['type', 'lr', 'alpha', 'eps', 'weight_decay', 'momentum', 'centered'],
};

function bad(message: string, path?: string): AsxError {
  return new AsxError('bad_input', message, path === undefined ? {} : { path });
}

function num(v: unknown, name: string, ok: (x: number) => boolean, rule: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw bad(`optimizer ${name} must be ${rule}, got ${String(v)}`, name);
  return v;
}
function bool(v: unknown, name: string): boolean {
  if (typeof v !== 'boolean') throw bad(`optimizer ${name} must be true or false, got ${String(v)}`, name);
  return v;
}
function betas(v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw bad('optimizer betas must be two numbers', 'betas');
  const r = (x: number) => x >= 0 && x < 1;
  return [num(v[0], 'betas[0]', r, 'in [0, 1)'), num(v[1], 'betas[1]', r, 'in [0, 1)')];
}

/** Fill defaults and check ranges (PyTorch's checks); unknown fields for the type are errors. */
export function resolveOptimizerSpec(spec: OptimizerSpec): ResolvedOptimizerSpec {
  const type = spec.type;
  if (type !== 'adamw' && type !== 'lion' && type !== 'rmsprop') throw bad(`unknown optimizer type ${JSON.stringify(type)} (adamw, lion, rmsprop)`, 'type');
  for (const k of Object.keys(spec)) {
    if ((spec as unknown as Record<string, unknown>)[k] !== undefined && !ALLOWED[type].includes(k)) throw bad(`${type} takes no ${k}`, k);
  }
  const d = OPTIMIZER_DEFAULTS[type];
  const nonNeg = (x: number) => x >= 0;
  const lr = num(spec.lr ?? d.lr, 'lr', nonNeg, 'a finite number ≥ 0');
  const weight_decay = num(spec.weight_decay ?? d.weight_decay, 'weight_decay', nonNeg, 'a finite number ≥ 0');
  if (type === 'adamw') {
    const a = OPTIMIZER_DEFAULTS.adamw;
    return { type, lr, betas: betas(spec.betas ?? a.betas), eps: num(spec.eps ?? a.eps, 'eps', nonNeg, 'a finite number ≥ 0'), weight_decay, amsgrad: bool(spec.amsgrad ?? a.amsgrad, 'amsgrad') };
  }
  if (type === 'lion') return { type, lr, betas: betas(spec.betas ?? OPTIMIZER_DEFAULTS.lion.betas), weight_decay };
  const r = OPTIMIZER_DEFAULTS.rmsprop;
  return {
    type, lr, weight_decay,
    alpha: num(spec.alpha ?? r.alpha, 'alpha', (x) => x >= 0 && x < 1, 'in [0, 1)'),
    eps: num(spec.eps ?? r.eps, 'eps', nonNeg, 'a finite number ≥ 0'),
    momentum: num(spec.momentum ?? r.momentum, 'momentum', nonNeg, 'a finite number ≥ 0'),
    centered: bool(spec.centered ?? r.centered, 'centered'),
  };
}

/** The state names this resolved spec keeps, in OPTIMIZER_STATE order. */
export function stateNames(spec: ResolvedOptimizerSpec): string[] {
  if (spec.type === 'adamw') return spec.amsgrad ? ['m', 'v', 'v_max'] : ['m', 'v'];
  if (spec.type === 'lion') return ['m'];
  return ['square_avg', ...(spec.momentum > 0 ? ['momentum_buffer'] : []), ...(spec.centered ? ['grad_avg'] : [])];
}

export function emptyOptimizerState(): OptimizerState {
  return { step: 0, buffers: new Map() };
}

/** A deep copy (new Float32Arrays). */
export function cloneOptimizerState(s: OptimizerState): OptimizerState {
  const buffers = new Map<string, Record<string, Float32Array>>();
  for (const name of sortedNames(s.buffers)) {
    const rec: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(s.buffers.get(name)!)) rec[k] = new Float32Array(v);
    buffers.set(name, rec);
  }
  return { step: s.step, buffers };
}

/** Check params, grads and state; throws before anything is changed. */
function check(spec: ResolvedOptimizerSpec, state: OptimizerState, params: TensorSet, grads: TensorSet): string[] {
  if (!Number.isSafeInteger(state.step) || state.step < 0 || state.step >= Number.MAX_SAFE_INTEGER) throw bad(`optimizer state step must be an integer ≥ 0, got ${String(state.step)}`, 'step');
  const names = sortedNames(params);
  for (const name of sortedNames(grads)) if (!params.has(name)) throw bad(`gradient ${JSON.stringify(name)} has no parameter`, name);
  for (const name of sortedNames(state.buffers)) if (!params.has(name)) throw bad(`optimizer state for ${JSON.stringify(name)} has no parameter`, name);
  const want = stateNames(spec);
  for (const name of names) {
    const p = params.get(name)!;
    const g = grads.get(name);
    if (!g) throw bad(`parameter ${JSON.stringify(name)} has no gradient`, name);
    const n = p.data.length;
    if (numel(p.shape) !== n) throw bad(`parameter ${JSON.stringify(name)} has ${n} values for shape [${p.shape.join(', ')}]`, name);
    if (g.shape.length !== p.shape.length || g.shape.some((d, i) => d !== p.shape[i]) || g.data.length !== n) {
      throw bad(`gradient ${JSON.stringify(name)} has shape [${g.shape.join(', ')}], the parameter [${p.shape.join(', ')}]`, name);
    }
    const gd = g.data;
    for (let i = 0; i < n; i++) {
      const x = gd[i]!;
      if (!Number.isFinite(x)) throw bad(`gradient ${JSON.stringify(name)} is ${Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf'} at element ${i}`, name);
    }
    const rec = state.buffers.get(name);
    if (!rec) {
      if (state.step > 0) throw bad(`optimizer state at step ${state.step} has no buffers for ${JSON.stringify(name)}`, name);
      continue;
    }
    const keys = Object.keys(rec);
    for (const k of keys) if (!want.includes(k)) throw bad(`${spec.type} state for ${JSON.stringify(name)} has ${k}; this optimizer keeps ${want.join(', ')}`, name);
    for (const k of want) {
      const b = rec[k];
      if (!(b instanceof Float32Array)) throw bad(`${spec.type} state for ${JSON.stringify(name)} lacks ${k}`, name);
      if (b.length !== n) throw bad(`${spec.type} state ${k} for ${JSON.stringify(name)} has ${b.length} values, the parameter ${n}`, name);
    }
  }
  return names;
}

export function createOptimizer(spec: OptimizerSpec, state: OptimizerState = emptyOptimizerState()): Optimizer {
  const resolved = resolveOptimizerSpec(spec);
  const want = stateNames(resolved);
  return {
    spec: resolved,
    state,
    step(params: TensorSet, grads: TensorSet): void {
      const names = check(resolved, state, params, grads);
      // Everything is valid: from here on nothing throws.
      for (const name of names) {
        if (!state.buffers.has(name)) {
          const n = params.get(name)!.data.length;
          const rec: Record<string, Float32Array> = {};
          for (const k of want) rec[k] = new Float32Array(n);
          state.buffers.set(name, rec);
        }
      }
      state.step += 1;
      const t = state.step;
      if (resolved.type === 'adamw') {
        const k = adamwScalars(resolved, t);
        for (const name of names) adamwTensor(params.get(name)!.data, grads.get(name)!.data, state.buffers.get(name)!, k);
      } else if (resolved.type === 'lion') {
        const k = lionScalars(resolved);
        for (const name of names) lionTensor(params.get(name)!.data, grads.get(name)!.data, state.buffers.get(name)!, k);
      } else {
        const k = rmspropScalars(resolved);
        for (const name of names) rmspropTensor(params.get(name)!.data, grads.get(name)!.data, state.buffers.get(name)!, k);
      }
    },
  };
}
