/**
 * The CPU exact-math mirror of §12.4: the authority ("CPU is truth"). Double precision,
 * `Math.acos` (no approximation), clamped dot product, iteration in index order, a zero
 * accumulator collapses to 0. `gccpReference` is §12.4's function verbatim; `gccpExact`
 * computes the same collapse (bit for bit, asserted by tests) and also returns the phase
 * and weight arrays and the accumulator.
 *
 * Vectors are interleaved: `[x0, y0, x1, y1, …]`.
 */
import { AsxError } from '../errors.ts';
import type { PiProfile } from './profile.ts';

export type Vec2Array = ArrayLike<number>;

/** §12.4, verbatim (objects `{x, y}`), kept as the literal reference the mirror is tested against. */
export function gccpReference(vecA: { x: number; y: number }[], vecB: { x: number; y: number }[], epsilon: number): number {
  let accX = 0, accY = 0;

  for (let i = 0; i < vecA.length; i++) {
    const a = vecA[i];
    const b = vecB[i];

    const dot =
      (a.x * b.x + a.y * b.y) /
      (Math.hypot(a.x, a.y) * Math.hypot(b.x, b.y));

    const phase = Math.acos(Math.max(-1, Math.min(1, dot)));
    const weight = Math.abs(phase) <= epsilon ? 1 : 0;

    accX += a.x * weight;
    accY += a.y * weight;
  }

  const mag = Math.hypot(accX, accY);
  return mag === 0 ? 0 : accX / mag;
}

/** Phase of one pair exactly as §12.4 computes it (NaN when either vector is zero). */
export function pairPhase(ax: number, ay: number, bx: number, by: number): number {
  const dot = (ax * bx + ay * by) / (Math.hypot(ax, ay) * Math.hypot(bx, by));
  return Math.acos(Math.max(-1, Math.min(1, dot)));
}

/**
 * The ROTATE stage on the CPU: vecB rotated by `rotation` radians, in double precision.
 * Rotation 0 is the identity (bit for bit), so a profile without rotation is exactly §12.4.
 */
export function rotatePair(bx: number, by: number, rotation: number): [number, number] {
  if (rotation === 0) return [bx, by];
  const c = Math.cos(rotation), s = Math.sin(rotation);
  return [bx * c - by * s, bx * s + by * c];
}

/** The CPU's decision for pair `i` (used to settle the GPU's uncertain band). */
export function cpuWeight(a: Vec2Array, b: Vec2Array, i: number, epsilon: number, rotation: number): 0 | 1 {
  const [bx, by] = rotatePair(b[2 * i], b[2 * i + 1], rotation);
  const phase = pairPhase(a[2 * i], a[2 * i + 1], bx, by);
  return Math.abs(phase) <= epsilon ? 1 : 0;
}

export interface GccpResult {
  phase: Float64Array;
  weight: Float64Array;
  accX: number;
  accY: number;
  collapse: number;
}

export function checkPairs(a: Vec2Array, b: Vec2Array): number {
  if (a.length !== b.length) throw new AsxError('bad_vectors', `vecA has ${a.length / 2} vectors and vecB ${b.length / 2}; they are paired by index`);
  if (a.length % 2 !== 0) throw new AsxError('bad_vectors', 'interleaved vectors need an even number of values');
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new AsxError('bad_vectors', `vecA[${i >> 1}] is not finite`, { path: `vecA[${i >> 1}]` });
    if (!Number.isFinite(b[i])) throw new AsxError('bad_vectors', `vecB[${i >> 1}] is not finite`, { path: `vecB[${i >> 1}]` });
  }
  return a.length / 2;
}

/** The exact mirror: §12.4 plus the profile's ROTATE stage, with all intermediate arrays. */
export function gccpExact(a: Vec2Array, b: Vec2Array, profile: Pick<PiProfile, 'epsilon' | 'rotation'>): GccpResult {
  const n = checkPairs(a, b);
  const phase = new Float64Array(n);
  const weight = new Float64Array(n);
  const epsilon = profile.epsilon;
  let accX = 0, accY = 0;
  for (let i = 0; i < n; i++) {
    const ax = a[2 * i], ay = a[2 * i + 1];
    const [bx, by] = rotatePair(b[2 * i], b[2 * i + 1], profile.rotation);
    const p = pairPhase(ax, ay, bx, by);
    const w = Math.abs(p) <= epsilon ? 1 : 0;
    phase[i] = p;
    weight[i] = w;
    accX += ax * w;
    accY += ay * w;
  }
  const mag = Math.hypot(accX, accY);
  return { phase, weight, accX, accY, collapse: mag === 0 ? 0 : accX / mag };
}

/** Collapse only: the tight loop (what the benchmark times against C). */
export function gccpCollapse(a: Vec2Array, b: Vec2Array, epsilon: number): number {
  const n = a.length >> 1;
  let accX = 0, accY = 0;
  for (let i = 0; i < n; i++) {
    const ax = a[2 * i], ay = a[2 * i + 1], bx = b[2 * i], by = b[2 * i + 1];
    const dot = (ax * bx + ay * by) / (Math.hypot(ax, ay) * Math.hypot(bx, by));
    const phase = Math.acos(Math.max(-1, Math.min(1, dot)));
    const w = Math.abs(phase) <= epsilon ? 1 : 0;
    accX += ax * w;
    accY += ay * w;
  }
  const mag = Math.hypot(accX, accY);
  return mag === 0 ? 0 : accX / mag;
}

/**
 * Collapse from given weights, summing in index order in double precision: how the
 * authority turns a weight vector into the scalar (used when the GPU's exact sum cannot be
 * certified to be within tolerance of this sequential sum).
 */
export function collapseFromWeights(a: Vec2Array, weight: ArrayLike<number>): { accX: number; accY: number; collapse: number } {
  let accX = 0, accY = 0;
  for (let i = 0; i < weight.length; i++) {
    const w = weight[i];
    accX += a[2 * i] * w;
    accY += a[2 * i + 1] * w;
  }
  const mag = Math.hypot(accX, accY);
  return { accX, accY, collapse: mag === 0 ? 0 : accX / mag };
}
