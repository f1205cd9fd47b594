/**
 * Seeded inputs for the lab, the conformance runner and the benchmarks. sfc32 (PractRand-
 * clean, 32-bit integer ops only), so every engine produces the same vectors for a seed.
 * All generated vectors are f32 values (the GPU's input type), returned as Float32Array.
 */
import { f32Bits, bitsToF32 } from './exact.ts';

export class Rng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9; this.b = 0x243f6a88; this.c = 0xb7e15162; this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number { return this.u32() / 4294967296; }
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number { return lo + (hi - lo) * this.next(); }
  int(n: number): number { return Math.floor(this.next() * n); }
}

/** Components uniform in [-1, 1), rounded to f32. */
export function randomVectors(n: number, seed: number): Float32Array {
  const r = new Rng(seed);
  const out = new Float32Array(2 * n);
  for (let i = 0; i < out.length; i++) out[i] = r.range(-1, 1);
  return out;
}

/** A random pair set where about `alignedFraction` of the b vectors are a rotated by a small angle. */
export function randomPairs(n: number, seed: number, epsilon = 0.1745329, alignedFraction = 0.5): { a: Float32Array; b: Float32Array } {
  const r = new Rng(seed);
  const a = new Float32Array(2 * n), b = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const ang = r.range(-Math.PI, Math.PI), m = r.range(0.01, 10);
    a[2 * i] = m * Math.cos(ang); a[2 * i + 1] = m * Math.sin(ang);
    const d = r.next() < alignedFraction ? r.range(-2 * epsilon, 2 * epsilon) : r.range(-Math.PI, Math.PI);
    const mb = r.range(0.01, 10);
    b[2 * i] = mb * Math.cos(ang + d); b[2 * i + 1] = mb * Math.sin(ang + d);
  }
  return { a, b };
}

/** Step an f32 by k units in the last place (through its bit pattern; crosses zero correctly). */
export function ulpStep(x: number, k: number): number {
  let v = Math.fround(x);
  const dir = k > 0 ? 1 : -1;
  for (let i = 0; i < Math.abs(k); i++) {
    if (v === 0) { v = dir * bitsToF32(1); continue; }
    const bits = f32Bits(v);
    const away = (v > 0) === (dir > 0);
    v = bitsToF32(away ? bits + 1 : bits - 1);
  }
  return v;
}

export type AdversarialKind = 'boundary' | 'zero' | 'magnitude' | 'cancel' | 'subnormal' | 'axis' | 'mixed';

/**
 * Adversarial pair sets: vectors on and within a few ULP of the ε boundary (in both
 * rotation senses, at random orientations and scales), zero vectors, huge and tiny
 * magnitudes (2^-149 … 2^127), nearly cancelling accepted sums, subnormal components,
 * exactly (anti)parallel and axis-aligned vectors.
 */
export function adversarialPairs(kind: AdversarialKind, n: number, seed: number, epsilon: number): { a: Float32Array; b: Float32Array } {
  const r = new Rng(seed);
  const a = new Float32Array(2 * n), b = new Float32Array(2 * n);
  const put = (i: number, ax: number, ay: number, bx: number, by: number) => { a[2 * i] = ax; a[2 * i + 1] = ay; b[2 * i] = bx; b[2 * i + 1] = by; };
  for (let i = 0; i < n; i++) {
    const k = kind === 'mixed' ? (['boundary', 'zero', 'magnitude', 'cancel', 'subnormal', 'axis'] as const)[r.int(6)] : kind;
    const ang = r.range(-Math.PI, Math.PI);
    switch (k) {
      case 'boundary': {
        const m = 2 ** r.range(-20, 20), mb = 2 ** r.range(-20, 20);
        const sgn = r.next() < 0.5 ? -1 : 1;
        const bx = mb * Math.cos(ang + sgn * epsilon), by = mb * Math.sin(ang + sgn * epsilon);
        const u = r.int(9) - 4, v = r.int(9) - 4;
        put(i, m * Math.cos(ang), m * Math.sin(ang), ulpStep(bx, u), ulpStep(by, v));
        break;
      }
      case 'zero': {
        const which = r.int(3);
        const x = r.range(-1, 1), y = r.range(-1, 1);
        if (which === 0) put(i, 0, r.next() < 0.5 ? 0 : -0, x, y);
        else if (which === 1) put(i, x, y, -0, 0);
        else put(i, 0, 0, 0, 0);
        break;
      }
      case 'magnitude': {
        const ea = r.int(276) - 149, eb = r.int(276) - 149;
        const d = r.range(-2 * epsilon, 2 * epsilon);
        put(i, Math.cos(ang) * 2 ** ea, Math.sin(ang) * 2 ** ea, Math.cos(ang + d) * 2 ** eb, Math.sin(ang + d) * 2 ** eb);
        break;
      }
      case 'cancel': {
        // Accepted pairs whose a vectors nearly cancel: big, then its negation nudged, across scales.
        const m = 2 ** r.range(-60, 100);
        const x = m * Math.cos(ang), y = m * Math.sin(ang);
        if (i % 2 === 0) put(i, x, y, x, y);
        else put(i, -ulpStep(a[2 * i - 2], r.int(3) - 1), -ulpStep(a[2 * i - 1], r.int(3) - 1), -a[2 * i - 2], -a[2 * i - 1]);
        break;
      }
      case 'subnormal': {
        const sx = (r.int(1 << 23) + 1) * 2 ** -149, sy = (r.int(1 << 20)) * 2 ** -149;
        put(i, sx * (r.next() < 0.5 ? -1 : 1), sy, r.next() < 0.5 ? sx : r.range(-1, 1), r.next() < 0.5 ? sy : r.range(-1, 1));
        break;
      }
      case 'axis': {
        const choices = [[1, 0], [0, 1], [-1, 0], [0, -1]];
        const p = choices[r.int(4)], q = choices[r.int(4)];
        const m = 2 ** (r.int(40) - 20);
        put(i, p[0] * m, p[1] * m, q[0], q[1]);
        break;
      }
    }
  }
  return { a, b };
}
