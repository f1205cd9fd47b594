/**
 * π-profiles (§11.2): `{"@pi_profile": name, "epsilon", "suppress_k", "rotation"}`.
 * A profile binds kernel constants, never branches (§11.5). Its identity is
 * `sha256:` + hex(SHA-256(JCS(profile))) over the normalized object (defaults filled in),
 * so two spellings of the same profile have one hash.
 */
import { AsxError } from '../errors.ts';
import { canonicalJson } from '../json/jcs.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import { utf8 } from '../bytes/utf8.ts';

export interface PiProfile {
  '@pi_profile': string;
  epsilon: number;
  suppress_k: number;
  rotation: number;
}

/** §11.1 / §11.2 defaults. */
export const DEFAULT_EPSILON = 0.1745329;
export const DEFAULT_SUPPRESS_K = 0.25;

export const DEFAULT_PROFILE: PiProfile = {
  '@pi_profile': 'semantic.hybrid.v1',
  epsilon: DEFAULT_EPSILON,
  suppress_k: DEFAULT_SUPPRESS_K,
  rotation: 0,
};

const KNOWN = new Set(['@pi_profile', 'epsilon', 'suppress_k', 'rotation']);

function num(o: Record<string, unknown>, key: string, dflt: number, path: string): number {
  const v = o[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new AsxError('bad_profile', `${key} must be a finite number`, { path: `${path}.${key}` });
  return v;
}

/**
 * Validate and normalize a profile (the JSON document); laws (docs/laws.md):
 * name is a non-empty string; epsilon, rotation finite; 0 ≤ suppress_k ≤ 1 (a penalty
 * factor; also keeps SUPPRESS's product a +0); unknown keys are rejected (a typo must not
 * silently fall back to a default).
 */
export function parseProfile(doc: unknown, path = '$'): PiProfile {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new AsxError('bad_profile', 'a π-profile is a JSON object', { path });
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!KNOWN.has(k)) throw new AsxError('bad_profile', `unknown π-profile field ${JSON.stringify(k)}`, { path: `${path}.${k}` });
  const name = o['@pi_profile'];
  if (typeof name !== 'string' || name === '') throw new AsxError('bad_profile', '"@pi_profile" must be a non-empty string', { path: `${path}["@pi_profile"]` });
  const epsilon = num(o, 'epsilon', DEFAULT_EPSILON, path);
  const suppress_k = num(o, 'suppress_k', DEFAULT_SUPPRESS_K, path);
  const rotation = num(o, 'rotation', 0, path);
  if (suppress_k < 0 || suppress_k > 1) throw new AsxError('bad_profile', 'suppress_k must be in [0, 1]', { path: `${path}.suppress_k` });
  return { '@pi_profile': name, epsilon, suppress_k, rotation: rotation === 0 ? 0 : rotation };
}

/** `sha256:<hex>` of the JCS bytes of the normalized profile. */
export function profileHash(p: PiProfile): string {
  const norm = parseProfile(p);
  return `sha256:${toHex(sha256(utf8(canonicalJson(norm))))}`;
}

/** The JSON Schema (draft-07) the lab's editor validates against; mirrors parseProfile. */
export const PROFILE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'π-profile (π-GCCP v1, §11.2)',
  type: 'object',
  additionalProperties: false,
  required: ['@pi_profile'],
  properties: {
    '@pi_profile': { type: 'string', minLength: 1 },
    epsilon: { type: 'number', description: 'phase tolerance in radians (override EPSILON)' },
    suppress_k: { type: 'number', minimum: 0, maximum: 1, description: 'override SUPPRESS_K' },
    rotation: { type: 'number', description: 'ROTATE stage: vecB is rotated by this angle (radians)' },
  },
} as const;

/**
 * Kernel constants for a profile (§11.2 binding table, plus the derived constants the
 * parity engineering needs). Sines and cosines are computed here in double precision and
 * rounded once to f32 by the pipeline, never by the shader's own sin/cos. The angle used
 * for the ALIGN decision is clamped to [0, π]; outside it the decision is the same for
 * every pair except those the uncertain band sends to the CPU (docs/laws.md π-GCCP §ALIGN).
 */
export interface KernelConstants {
  EPSILON: number;
  SUPPRESS_K: number;
  ROTATION: number;
  SIN_EPS: number;
  COS_EPS: number;
  SIN_ROT: number;
  COS_ROT: number;
  TAU: number;
}

/** Half-width of ALIGN's uncertain band, relative to (|ax|+|ay|)(|bx|+|by|). */
export const ALIGN_TAU = 8e-6;

export function kernelConstants(p: PiProfile): KernelConstants {
  const e = Math.min(Math.max(p.epsilon, 0), Math.PI);
  const r = p.rotation;
  return {
    EPSILON: p.epsilon,
    SUPPRESS_K: p.suppress_k,
    ROTATION: r,
    SIN_EPS: Math.sin(e),
    COS_EPS: Math.cos(e),
    SIN_ROT: r === 0 ? 0 : Math.sin(r),
    COS_ROT: r === 0 ? 1 : Math.cos(r),
    TAU: ALIGN_TAU,
  };
}
