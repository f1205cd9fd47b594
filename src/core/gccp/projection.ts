/**
 * The control plane's output object (§11.3): what `object://retrieve/semantic.v1` consumes.
 * `profile_hash` is added to the spec's example fields because the Object Server's rule 2
 * ("verify π-profile hash") needs it. `phase` is acos(clamp(score)) — the angle whose
 * cosine the collapse scalar is — in double precision.
 */
import { AsxError } from '../errors.ts';

export interface SemanticProjection {
  '@intent': 'retrieve.semantic.v1';
  score: number;
  phase: number;
  index_hash: string;
  profile: string;
  profile_hash: string;
}

const HASH_RE = /^sha256:[0-9a-f]{64}$/;

export function projectSemantic(score: number, index_hash: string, profile: string, profile_hash: string): SemanticProjection {
  if (!Number.isFinite(score) || score < -1 || score > 1) throw new AsxError('bad_input', 'score must be a collapse scalar in [-1, 1]', { path: 'score' });
  if (!HASH_RE.test(index_hash)) throw new AsxError('bad_input', 'index_hash must be sha256:<64 hex>', { path: 'index_hash' });
  if (!HASH_RE.test(profile_hash)) throw new AsxError('bad_input', 'profile_hash must be sha256:<64 hex>', { path: 'profile_hash' });
  return { '@intent': 'retrieve.semantic.v1', score, phase: Math.acos(Math.max(-1, Math.min(1, score))), index_hash, profile, profile_hash };
}
