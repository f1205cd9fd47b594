/**
 * The streams document and its pipeline config: types, defaults, bounds and validation
 * (law L-INPUT). Every rejection is AsxError('bad_input', sentence, { path }) with a JSON
 * path such as `$.streams.policy[3]` or `$.config.amp["policy@t*"]`. Sizes are checked
 * before anything is copied, so an absurd document fails fast instead of allocating.
 */
import { AsxError } from '../../errors.ts';
import { MAX_DIMS, MAX_LANES } from '../layout.ts';
import { DEFAULT_PACK_OPTIONS, DIMS_LADDER, TOTAL_BUDGET, checkLadder, type PackSizeOptions } from './budget.ts';
import { DEFAULT_DECAY } from './decay.ts';
import { DEFAULT_AMP, DEFAULT_TEMP, type KnobMap } from './knobs.ts';
import { DEFAULT_A, DEFAULT_B, X } from './streams.ts';
import { DEFAULT_WINDOWS, MAX_WINDOWS } from './temporal.ts';

export type MatrixShape = 'upper-tri' | '4x4' | 'none';

export interface PipelineConfig {
  /** K temporal windows per base stream. */
  windows: number;
  /** Decay retention r in (0, 1]; null = no `<base>@t*` lane. */
  decay: number | null;
  /** Emit `<base>@early/@mid/@late`. */
  presets: boolean;
  /** Emit the 3 preset interactions (needs presets). */
  presetInteractions: boolean;
  /** Interaction bases A ⊗ B. */
  a: string;
  b: string;
  /** Temporal interaction matrix: upper triangle (spec default), full K×K, or none. */
  matrix: MatrixShape;
  /** Emit the row/column/global matrix summaries. */
  summaries: boolean;
  /** Pack byte budget; null (or 0 in the document) = unbounded. */
  budget: number | null;
  /** Fixed dims; only with an unbounded budget (default then 64). */
  dims: number | null;
  /** Strictly descending adaptive-dims ladder; the last entry is the forced floor. */
  dimsLadder: number[];
  amp: Record<string, number>;
  temp: Record<string, number>;
  pack: PackSizeOptions;
}

export const DEFAULT_CONFIG: Readonly<PipelineConfig> = Object.freeze({
  windows: DEFAULT_WINDOWS,
  decay: DEFAULT_DECAY,
  presets: true,
  presetInteractions: true,
  a: DEFAULT_A,
  b: DEFAULT_B,
  matrix: 'upper-tri',
  summaries: true,
  budget: TOTAL_BUDGET,
  dims: null,
  dimsLadder: [...DIMS_LADDER],
  amp: { '*': DEFAULT_AMP },
  temp: { '*': DEFAULT_TEMP },
  pack: { ...DEFAULT_PACK_OPTIONS },
});

export const LIMITS = Object.freeze({
  maxStreams: 1024,
  maxStreamLength: 65536,
  maxTotalSamples: 1 << 20,
  /** |sample| bound: keeps every fold sum finite (no Infinity − Infinity = NaN). */
  maxAbsValue: 1e12,
  maxNameLength: 64,
  maxKnobKeys: 1024,
  maxKnobKeyLength: 256,
  maxBudget: 0xffffffff,
  minTemp: 1e-6,
  maxTemp: 1e6,
});

/** Base stream names: ASCII letters, digits, `_`, `.`, `-`; no `__x__` (the interaction separator). */
export const NAME_RE = /^[A-Za-z0-9_.-]+$/;

export function isValidBaseName(s: string): boolean {
  return s.length >= 1 && s.length <= LIMITS.maxNameLength && NAME_RE.test(s) && !s.includes(X);
}

export function pathKey(parent: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

export function bad(msg: string, path: string): AsxError {
  return new AsxError('bad_input', msg, { path });
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function nameError(name: string): string {
  if (name.length === 0) return 'is empty';
  if (name.length > LIMITS.maxNameLength) return `is longer than ${LIMITS.maxNameLength} characters`;
  if (name.includes(X)) return `contains the interaction separator ${X}`;
  return 'may only use ASCII letters, digits, "_", "." and "-" (no "@", "*" or spaces)';
}

/** Validate `streams`: returns [name, samples] sorted by UTF-8 name. */
export function validateStreams(v: unknown, path: string): Array<[string, Float64Array]> {
  if (!isPlainObject(v)) throw bad('streams must be an object of name → array of numbers', path);
  const names = Object.keys(v);
  if (names.length === 0) throw bad('streams is empty: give at least one stream', path);
  if (names.length > LIMITS.maxStreams) throw bad(`${names.length} streams exceed the limit of ${LIMITS.maxStreams}`, path);
  let total = 0;
  for (const name of names) {
    const p = pathKey(path, name);
    if (!isValidBaseName(name)) throw bad(`stream name ${JSON.stringify(name)} ${nameError(name)}`, p);
    const arr = v[name];
    if (!Array.isArray(arr)) throw bad('a stream must be an array of numbers', p);
    if (arr.length === 0) throw bad('a stream must have at least one sample', p);
    if (arr.length > LIMITS.maxStreamLength) throw bad(`${arr.length} samples exceed the per-stream limit of ${LIMITS.maxStreamLength}`, p);
    total += arr.length;
    if (total > LIMITS.maxTotalSamples) throw bad(`more than ${LIMITS.maxTotalSamples} samples in all`, p);
  }
  const out: Array<[string, Float64Array]> = [];
  for (const name of names) {
    const arr = v[name] as unknown[];
    const p = pathKey(path, name);
    const s = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const x = arr[i];
      if (typeof x !== 'number') throw bad(`sample is ${x === null ? 'null' : typeof x}, not a number`, `${p}[${i}]`);
      if (!Number.isFinite(x)) throw bad(`sample ${String(x)} is not finite`, `${p}[${i}]`);
      if (Math.abs(x) > LIMITS.maxAbsValue) throw bad(`|sample| ${x} exceeds ${LIMITS.maxAbsValue}`, `${p}[${i}]`);
      s[i] = x === 0 ? 0 : x; // -0 → +0
    }
    out.push([name, s]);
  }
  return out.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)); // ASCII names: UTF-16 order = UTF-8 order
}

function num(v: unknown, path: string, lo: number, hi: number, opts: { int?: boolean; openLo?: boolean } = {}): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`must be a finite number, got ${describe(v)}`, path);
  if (opts.int && !Number.isInteger(v)) throw bad(`must be an integer, got ${v}`, path);
  if (opts.openLo ? !(v > lo) : v < lo) throw bad(`must be ${opts.openLo ? '>' : '>='} ${lo}, got ${v}`, path);
  if (v > hi) throw bad(`must be <= ${hi}, got ${v}`, path);
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw bad(`must be true or false, got ${describe(v)}`, path);
  return v;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return typeof v === 'object' ? 'an object' : String(v);
}

function knobMap(v: unknown, path: string, lo: number, hi: number, openLo: boolean): Record<string, number> {
  if (!isPlainObject(v)) throw bad('must be an object of lane id or glob → number', path);
  const keys = Object.keys(v);
  if (keys.length > LIMITS.maxKnobKeys) throw bad(`${keys.length} keys exceed the limit of ${LIMITS.maxKnobKeys}`, path);
  const out: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const k of keys) {
    const p = pathKey(path, k);
    if (k.length === 0 || k.length > LIMITS.maxKnobKeyLength) throw bad(`a knob key must have 1..${LIMITS.maxKnobKeyLength} characters`, p);
    out[k] = num(v[k], p, lo, hi, { openLo });
  }
  return out;
}

const PACK_KEYS = ['qscale', 'audit', 'laneAudits', 'merkle', 'signed'] as const;

function packOptions(v: unknown, path: string): Partial<PackSizeOptions> {
  if (!isPlainObject(v)) throw bad('must be an object', path);
  const out: Partial<PackSizeOptions> = {};
  for (const k of Object.keys(v)) {
    const p = pathKey(path, k);
    if (k === 'laneAudits') out.laneAudits = num(v[k], p, 0, MAX_LANES, { int: true });
    else if ((PACK_KEYS as readonly string[]).includes(k)) (out as Record<string, boolean>)[k] = bool(v[k], p);
    else throw bad(`unknown pack option ${JSON.stringify(k)} (known: ${PACK_KEYS.join(', ')})`, p);
  }
  return out;
}

export const CONFIG_KEYS = [
  'windows', 'decay', 'presets', 'presetInteractions', 'a', 'b', 'matrix', 'summaries',
  'budget', 'dims', 'dimsLadder', 'amp', 'temp', 'pack',
] as const;

export type ConfigPatch = Partial<Omit<PipelineConfig, 'pack'>> & { pack?: Partial<PackSizeOptions> };

/** Validate one config object (document or override) into a patch. */
export function validateConfig(v: unknown, path: string): ConfigPatch {
  if (!isPlainObject(v)) throw bad('config must be an object', path);
  const c: ConfigPatch = {};
  for (const k of Object.keys(v)) {
    const p = pathKey(path, k);
    const x = v[k];
    switch (k) {
      case 'windows': c.windows = num(x, p, 1, MAX_WINDOWS, { int: true }); break;
      case 'decay': c.decay = x === null ? null : num(x, p, 0, 1, { openLo: true }); break;
      case 'presets': c.presets = bool(x, p); break;
      case 'presetInteractions': c.presetInteractions = bool(x, p); break;
      case 'summaries': c.summaries = bool(x, p); break;
      case 'a': case 'b':
        if (typeof x !== 'string' || !isValidBaseName(x)) {
          throw bad(`must be a stream name, got ${describe(x)}${typeof x === 'string' ? ` (${nameError(x)})` : ''}`, p);
        }
        c[k] = x;
        break;
      case 'matrix':
        if (x !== 'upper-tri' && x !== '4x4' && x !== 'none') throw bad(`must be "upper-tri", "4x4" or "none", got ${describe(x)}`, p);
        c.matrix = x;
        break;
      case 'budget': c.budget = x === null ? null : num(x, p, 0, LIMITS.maxBudget, { int: true }) || null; break;
      case 'dims': c.dims = x === null ? null : num(x, p, 1, MAX_DIMS, { int: true }); break;
      case 'dimsLadder': {
        if (!Array.isArray(x)) throw bad('must be an array of integers', p);
        if (x.length > 16) throw bad('has more than 16 entries', p);
        x.forEach((d, i) => num(d, `${p}[${i}]`, 1, MAX_DIMS, { int: true }));
        try { checkLadder(x as number[]); } catch (e) { throw bad((e as Error).message, p); }
        c.dimsLadder = [...(x as number[])];
        break;
      }
      case 'amp': c.amp = knobMap(x, p, 0, 1, false); break;
      case 'temp': c.temp = knobMap(x, p, LIMITS.minTemp, LIMITS.maxTemp, false); break;
      case 'pack': c.pack = packOptions(x, p); break;
      default: throw bad(`unknown config key ${JSON.stringify(k)} (known: ${CONFIG_KEYS.join(', ')})`, p);
    }
  }
  return c;
}

/** Defaults ← patches in order; `pack` merges key by key, knob maps are replaced whole. */
export function resolveConfig(patches: ReadonlyArray<{ patch: ConfigPatch; path: string }>): PipelineConfig {
  const d = DEFAULT_CONFIG;
  let cfg: PipelineConfig = { ...d, dimsLadder: [...d.dimsLadder], amp: { ...d.amp }, temp: { ...d.temp }, pack: { ...d.pack } };
  let dimsPath = '$.config.dims';
  for (const { patch, path } of patches) {
    const { pack, ...rest } = patch;
    cfg = { ...cfg, ...rest, pack: { ...cfg.pack, ...pack } };
    if (patch.dims != null) dimsPath = pathKey(path, 'dims');
  }
  if (cfg.dims !== null && cfg.budget !== null) {
    throw bad('dims is chosen by the budget; set "budget": null to fix dims (or narrow "dimsLadder")', dimsPath);
  }
  return cfg;
}
