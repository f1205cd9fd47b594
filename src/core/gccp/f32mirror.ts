/**
 * The f32 mirror: shaders/gccp.wgsl's ROTATE, MEASURE, ALIGN and SUPPRESS re-written
 * operation by operation in TypeScript with `Math.fround` after every f32 operation
 * (correct rounding, no fused multiply-add). A GPU may round `+ - *` either way and fuse;
 * the ALIGN band is sized for that (docs/laws.md), and this mirror is what lets Node
 * test the band on millions of inputs: a *certain* decision must never disagree with the
 * exact mirror.
 */
import { ALIGN_TAU, kernelConstants, type PiProfile } from './profile.ts';
import { f32Bits, exactAccumulate, collapseFromExact, certifyCollapse, recordToAccum, type ExactRecord } from './exact.ts';
import { cpuWeight, collapseFromWeights, checkPairs } from './mirror.ts';

const f = Math.fround;
const PI_F = f(Math.PI);
const HALF_PI_F = f(Math.PI / 2);
const QUARTER_PI_F = f(Math.PI / 4);
const TAN_PI_8_F = f(0.41421356);
// Cephes atanf coefficients (|x| ≤ tan(π/8)); the same literals are in shaders/gccp.wgsl.
const C3 = f(8.05374449538e-2), C2 = f(-1.38776856032e-1), C1 = f(1.99777106478e-1), C0 = f(-3.33329491539e-1);

/** Unbiased exponent of the top bit of |component|; -1000 for ±0. */
export function topExp(bits: number): number {
  const e = (bits >>> 23) & 0xff;
  const m = bits & 0x7fffff;
  if (e !== 0) return e - 127;
  if (m === 0) return -1000;
  return 31 - Math.clz32(m) - 149;
}

/** value·2^-k rebuilt from the bits (so subnormal inputs are not flushed by a float load). */
export function scaledComponent(bits: number, k: number): number {
  const e = (bits >>> 23) & 0xff;
  let m = bits & 0x7fffff;
  let ex = -149;
  if (e !== 0) { m |= 0x800000; ex = e - 150; }
  const v = f(m * 2 ** (ex - k));
  return bits >>> 31 ? -v : v;
}

export function isZeroBits(xb: number, yb: number): boolean {
  return ((xb | yb) & 0x7fffffff) === 0;
}

/** Scale a vector by a power of two so its larger component lies in [1, 2): exact, angle-preserving. */
export function scaleVec(xb: number, yb: number): [number, number] {
  const k = Math.max(topExp(xb), topExp(yb));
  return [scaledComponent(xb, k), scaledComponent(yb, k)];
}

function atanUnit(t: number): number {
  let x = t, base = 0;
  if (t > TAN_PI_8_F) { x = f(f(t - 1) / f(t + 1)); base = QUARTER_PI_F; }
  const z = f(x * x);
  let p = f(f(C3 * z) + C2);
  p = f(f(p * z) + C1);
  p = f(f(p * z) + C0);
  p = f(f(f(p * z) * x) + x);
  return f(base + p);
}

/** atan2(c, d) for c ≥ 0, in [0, π], from + − × ÷ only (no transcendental builtins). */
export function angleBetween(c: number, d: number): number {
  const ad = Math.abs(d);
  let r: number;
  if (c <= ad) r = ad === 0 ? 0 : atanUnit(f(c / ad));
  else r = f(HALF_PI_F - atanUnit(f(ad / c)));
  if (d < 0) r = f(PI_F - r);
  return r;
}

export interface F32Constants { sinEps: number; cosEps: number; sinRot: number; cosRot: number; tau: number }

export function f32Constants(p: Pick<PiProfile, 'epsilon' | 'rotation' | 'suppress_k' | '@pi_profile'>): F32Constants {
  const k = kernelConstants(p as PiProfile);
  return { sinEps: f(k.SIN_EPS), cosEps: f(k.COS_EPS), sinRot: f(k.SIN_ROT), cosRot: f(k.COS_ROT), tau: f(ALIGN_TAU) };
}

/** ROTATE: vecB scaled to [1,2) then rotated, in f32. Zero stays zero. */
export function rotateModel(bxb: number, byb: number, c: F32Constants): [number, number] {
  if (isZeroBits(bxb, byb)) return [0, 0];
  const [x, y] = scaleVec(bxb, byb);
  return [f(f(x * c.cosRot) - f(y * c.sinRot)), f(f(x * c.sinRot) + f(y * c.cosRot))];
}

/** Decision codes: 0 reject, 1 accept, 2 uncertain (settled by the CPU). */
export type Certainty = 0 | 1 | 2;

export interface PairModel { phase: number; decision: Certainty; g: number; s: number }

/** MEASURE + ALIGN for one pair, from the f32 bits of a and the rotated b. */
export function pairModel(axb: number, ayb: number, rbx: number, rby: number, bZero: boolean, c: F32Constants): PairModel {
  if (bZero || isZeroBits(axb, ayb)) return { phase: NaN, decision: 0, g: 0, s: 0 };
  const [ax, ay] = scaleVec(axb, ayb);
  const dot = f(f(ax * rbx) + f(ay * rby));
  const cr = Math.abs(f(f(ax * rby) - f(ay * rbx)));
  const phase = angleBetween(cr, dot);
  const g = f(f(c.sinEps * dot) - f(c.cosEps * cr));
  const s = f(f(Math.abs(ax) + Math.abs(ay)) * f(Math.abs(rbx) + Math.abs(rby)));
  const decision: Certainty = Math.abs(g) <= f(c.tau * s) ? 2 : g > 0 ? 1 : 0;
  return { phase, decision, g, s };
}

export interface ModelRun {
  phase: Float32Array;
  /** ALIGN's decisions before settlement (uncertain ones are 0). */
  rawWeight: Float32Array;
  /** Indices ALIGN could not decide, ascending. */
  uncertain: number[];
  /** Weights after the CPU settled the uncertain band. */
  weight: Float32Array;
  record: ExactRecord;
  /** The kernel's collapse from the exact sums. */
  kernelCollapse: number;
  certified: boolean;
  bound: number;
  /** The result: kernelCollapse when certified, else the authority's sequential collapse. */
  collapse: number;
  accX: number;
  accY: number;
}

/** Settle the uncertain band on the CPU: the authority decides, on the same f32 inputs. */
export function settle(a32: Float32Array, b32: Float32Array, uncertain: number[], profile: Pick<PiProfile, 'epsilon' | 'rotation'>): Uint8Array {
  const out = new Uint8Array(uncertain.length);
  for (let j = 0; j < uncertain.length; j++) out[j] = cpuWeight(a32, b32, uncertain[j], profile.epsilon, profile.rotation);
  return out;
}

/** Finish a run from the exact record: certify, or settle the collapse on the CPU. */
export function finishCollapse(a32: Float32Array, weight: ArrayLike<number>, record: ExactRecord, kernelCollapse: number): { certified: boolean; bound: number; collapse: number; accX: number; accY: number } {
  const cert = certifyCollapse(record);
  if (cert.certified) return { ...cert, collapse: kernelCollapse, ...recordToAccum(record) };
  const seq = collapseFromWeights(a32, weight);
  return { ...cert, collapse: seq.collapse, accX: seq.accX, accY: seq.accY };
}

/** The whole GPU algorithm on the CPU in f32 (what the kernels compute, barring rounding freedom). */
export function gccpF32(a32: Float32Array, b32: Float32Array, profile: PiProfile): ModelRun {
  const n = checkPairs(a32, b32);
  const c = f32Constants(profile);
  const phase = new Float32Array(n), rawWeight = new Float32Array(n);
  const uncertain: number[] = [];
  for (let i = 0; i < n; i++) {
    const bxb = f32Bits(b32[2 * i]), byb = f32Bits(b32[2 * i + 1]);
    const [rx, ry] = rotateModel(bxb, byb, c);
    const m = pairModel(f32Bits(a32[2 * i]), f32Bits(a32[2 * i + 1]), rx, ry, isZeroBits(bxb, byb), c);
    phase[i] = m.phase;
    if (m.decision === 2) uncertain.push(i);
    rawWeight[i] = m.decision === 1 ? 1 : 0;
  }
  const weight = rawWeight.slice();
  const settled = settle(a32, b32, uncertain, profile);
  for (let j = 0; j < uncertain.length; j++) weight[uncertain[j]] = settled[j];
  const record = exactAccumulate(a32, weight);
  const kernelCollapse = collapseFromExact(record.X, record.Y);
  const fin = finishCollapse(a32, weight, record, kernelCollapse);
  return { phase, rawWeight, uncertain, weight, record, kernelCollapse, ...fin };
}
