/**
 * Merkle root and inclusion proofs over INDEX leaf hashes (packs spec §3.2–3.3, addendum 5).
 * Pairs hash as sha256(left || right); an odd level duplicates its last node; one leaf is
 * its own root; no leaves, no root. Proof `dir` 0 = sibling on the right, 1 = on the left.
 */
import { AsxError } from '../errors.ts';
import { merkleRootFlat, sha256Pair, sha256PairsLevel } from '../hash/sha256.ts';
import { bytesEqual, fromHex, toHex } from '../bytes/hex.ts';

export interface ProofStep { dir: 0 | 1; sibling_hash: string }
export interface MerkleProof { lane_sym: string; leaf_hash: string; path: ProofStep[]; lane_id?: string; leaf_index?: number; leaf_count?: number }

/** Leaves packed 32 bytes each, or null when one is not 32 bytes (then the generic path runs). */
function flatten(leaves: readonly Uint8Array[]): Uint8Array | null {
  const flat = new Uint8Array(32 * leaves.length);
  for (let i = 0; i < leaves.length; i++) {
    if (leaves[i].length !== 32) return null;
    flat.set(leaves[i], 32 * i);
  }
  return flat;
}

export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array | null {
  if (leaves.length === 0) return null;
  const flat = flatten(leaves);
  if (flat) return merkleRootFlat(flat, leaves.length);
  let level = leaves.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const l = level[i];
      const r = i + 1 < level.length ? level[i + 1] : level[i];
      next.push(sha256Pair(l, r));
    }
    level = next;
  }
  return level[0];
}

export function merkleProof(leaves: readonly Uint8Array[], index: number, laneSym: string): MerkleProof {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new AsxError('no_such_lane', `leaf ${index} is not in 0..${leaves.length - 1}`);
  const path: ProofStep[] = [];
  const flat = flatten(leaves);
  if (flat) {
    // Whole levels hashed in batch; only the sibling of each level is read out.
    let level = flat;
    let n = leaves.length;
    let i = index;
    while (n > 1) {
      const isRight = i % 2 === 1;
      const s = isRight ? i - 1 : (i + 1 < n ? i + 1 : i);
      path.push({ dir: isRight ? 1 : 0, sibling_hash: toHex(level.subarray(32 * s, 32 * s + 32)) });
      const next = new Uint8Array(32 * ((n + 1) >> 1));
      n = sha256PairsLevel(level, n, next);
      level = next;
      i = Math.floor(i / 2);
    }
    return { lane_sym: laneSym, leaf_hash: toHex(leaves[index]), path };
  }
  let level = leaves.slice();
  let i = index;
  while (level.length > 1) {
    const isRight = i % 2 === 1;
    const sib = isRight ? level[i - 1] : (i + 1 < level.length ? level[i + 1] : level[i]);
    path.push({ dir: isRight ? 1 : 0, sibling_hash: toHex(sib) });
    const next: Uint8Array[] = [];
    for (let k = 0; k < level.length; k += 2) next.push(sha256Pair(level[k], k + 1 < level.length ? level[k + 1] : level[k]));
    level = next;
    i = Math.floor(i / 2);
  }
  return { lane_sym: laneSym, leaf_hash: toHex(leaves[index]), path };
}

export type ProofCheck = { ok: true; root: string } | { ok: false; code: 'bad_proof' | 'root_mismatch'; message: string; path?: string };

/** Verify a proof object (untrusted JSON) against a root. Returns a result, never throws. */
export function verifyProof(proof: unknown, rootHex: string): ProofCheck {
  const bad = (message: string, path?: string): ProofCheck => ({ ok: false, code: 'bad_proof', message, path });
  if (!proof || typeof proof !== 'object') return bad('proof is not an object', '$');
  const p = proof as Record<string, unknown>;
  if (typeof p.lane_sym !== 'string') return bad('lane_sym is missing', '$.lane_sym');
  const leaf = typeof p.leaf_hash === 'string' ? fromHex(p.leaf_hash) : null;
  if (!leaf || leaf.length !== 32) return bad('leaf_hash is not 32 bytes of hex', '$.leaf_hash');
  if (!Array.isArray(p.path) || p.path.length > 64) return bad('path is not an array of at most 64 steps', '$.path');
  const root = fromHex(rootHex);
  if (!root || root.length !== 32) return bad('root is not 32 bytes of hex', '$root');
  let h = leaf;
  for (let k = 0; k < p.path.length; k++) {
    const step = p.path[k] as Record<string, unknown> | null;
    if (!step || typeof step !== 'object') return bad('path step is not an object', `$.path[${k}]`);
    const sib = typeof step.sibling_hash === 'string' ? fromHex(step.sibling_hash) : null;
    if (!sib || sib.length !== 32) return bad('sibling_hash is not 32 bytes of hex', `$.path[${k}].sibling_hash`);
    if (step.dir === 0) h = sha256Pair(h, sib);
    else if (step.dir === 1) h = sha256Pair(sib, h);
    else return bad('dir must be 0 or 1', `$.path[${k}].dir`);
  }
  if (!bytesEqual(h, root)) return { ok: false, code: 'root_mismatch', message: `proof leads to ${toHex(h)}, not the root ${toHex(root)}` };
  return { ok: true, root: toHex(root) };
}
