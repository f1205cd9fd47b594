/**
 * Exact, order-independent accumulation (the ACCUMULATE stage's arithmetic) and the
 * integer COLLAPSE, mirrored from shaders/gccp.wgsl bit for bit.
 *
 * Every finite f32 is an integer multiple of 2^-149, so a sum of f32 values is an integer
 * times 2^-149. The kernel keeps that integer in 10 little-endian u32 limbs (320-bit two's
 * complement) per component — X = Σ w·a.x, Y = Σ w·a.y — plus ABS = Σ w·(|a.x|+|a.y|)
 * and the count of selected pairs. Integer addition is exact and associative, so the
 * result is the same bits for any thread order or reduction tree (determinism by
 * construction, not by scheduling). A record is 32 u32: X[0..9], Y[10..19], ABS[20..29],
 * count[30], 0[31].
 */

export const LIMBS = 10;
export const RECORD_U32 = 32;
const TWO320 = 1n << 320n;
const SIGN = 1n << 319n;

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

export function f32Bits(x: number): number {
  f32buf[0] = x;
  return u32buf[0];
}
export function bitsToF32(bits: number): number {
  u32buf[0] = bits >>> 0;
  return f32buf[0];
}

/** The integer k with |v| = k·2^-149, from the f32 bits (sign separate). */
export function f32Units(bits: number): bigint {
  const e = (bits >>> 23) & 0xff;
  let m = bits & 0x7fffff;
  if (e !== 0) m |= 0x800000;
  const p = Math.max(e, 1) - 1;
  return BigInt(m) << BigInt(p);
}

export interface ExactRecord {
  /** Σ w·a.x in units of 2^-149. */
  X: bigint;
  Y: bigint;
  /** Σ w·(|a.x| + |a.y|) in units of 2^-149. */
  ABS: bigint;
  count: number;
}

function limbsToBig(u: ArrayLike<number>, off: number, signed: boolean): bigint {
  let v = 0n;
  for (let j = LIMBS - 1; j >= 0; j--) v = (v << 32n) | BigInt(u[off + j] >>> 0);
  if (signed && (v & SIGN) !== 0n) v -= TWO320;
  return v;
}

export function decodeRecord(u: ArrayLike<number>, off = 0): ExactRecord {
  return { X: limbsToBig(u, off, true), Y: limbsToBig(u, off + LIMBS, true), ABS: limbsToBig(u, off + 2 * LIMBS, false), count: u[off + 30] >>> 0 };
}

export function encodeRecord(r: ExactRecord): Uint32Array {
  const out = new Uint32Array(RECORD_U32);
  const put = (v: bigint, off: number) => {
    let t = ((v % TWO320) + TWO320) % TWO320;
    for (let j = 0; j < LIMBS; j++) { out[off + j] = Number(t & 0xffffffffn); t >>= 32n; }
  };
  put(r.X, 0); put(r.Y, LIMBS); put(r.ABS, 2 * LIMBS);
  out[30] = r.count >>> 0;
  return out;
}

/** Exact accumulation of the selected pairs, in BigInt (the CPU model of ACCUMULATE). */
export function exactAccumulate(a32: Float32Array, weight: ArrayLike<number>): ExactRecord {
  let X = 0n, Y = 0n, ABS = 0n, count = 0;
  for (let i = 0; i < weight.length; i++) {
    if (weight[i] === 0) continue;
    const bx = f32Bits(a32[2 * i]), by = f32Bits(a32[2 * i + 1]);
    const ux = f32Units(bx), uy = f32Units(by);
    X += bx >>> 31 ? -ux : ux;
    Y += by >>> 31 ? -uy : uy;
    ABS += ux + uy;
    count++;
  }
  return { X, Y, ABS, count };
}

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/** Round a u32 q (≤ 2^31) to the nearest f32 (ties to even) and scale by 2^-31: the kernel's last step. */
export function roundQ31(q: number): number {
  if (q === 0) return 0;
  const len = 32 - Math.clz32(q);
  if (len <= 24) return q * 2 ** -31;
  const shift = len - 24;
  let m = q >>> shift;
  const rb = q & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  if (rb > half || (rb === half && (m & 1) === 1)) m += 1;
  return m * 2 ** (shift - 31);
}

/**
 * COLLAPSE from the exact sums, integer-only as in the kernel: take |X|, |Y| with a common shift that leaves
 * the larger with exactly 30 bits, r = ⌊√(mx²+my²)⌋, q = ⌊mx·2^31 / r⌋, round q to f32, sign of X.
 * Error against the exact X/√(X²+Y²): below 2^-28 before the final f32 rounding.
 * A zero accumulator collapses to 0 (no normalize of a zero vector).
 */
export function collapseFromExact(X: bigint, Y: bigint): number {
  const ax = X < 0n ? -X : X, ay = Y < 0n ? -Y : Y;
  const t = Math.max(bitLength(ax), bitLength(ay));
  if (t === 0) return 0;
  // Normalize so the larger magnitude has exactly 30 bits (shift right, or left for tiny sums).
  const mx = t >= 30 ? ax >> BigInt(t - 30) : ax << BigInt(30 - t);
  const my = t >= 30 ? ay >> BigInt(t - 30) : ay << BigInt(30 - t);
  const Q = mx * mx + my * my;
  let r = 0n;
  for (let bit = 30n; bit >= 0n; bit--) {
    const c = r | (1n << bit);
    if (c * c <= Q) r = c;
  }
  const ip = mx >= r ? 1n : 0n;
  let rem = mx - ip * r, frac = 0n;
  for (let k = 0; k < 31; k++) {
    rem <<= 1n; frac <<= 1n;
    if (rem >= r) { rem -= r; frac |= 1n; }
  }
  const q = Number((ip << 31n) | frac);
  const v = roundQ31(q);
  return X < 0n ? -v : v;
}

const U = 2 ** -53;

/**
 * Can the GPU's collapse (from the exact sums) stand in for the authority's, which sums
 * the same terms one by one in double precision? Recursive summation of k terms is within
 * γ(k-1)·Σ|terms| of the exact sum (Higham, Thm 4.4), so the authority's accumulator lies
 * within Δ = γ(k-1)·ABS of (X, Y); the collapse (a cosine) then moves by at most
 * 2Δ/|(X,Y)| when Δ ≤ |(X,Y)|/2. Certified iff that bound is ≤ 5e-7, leaving room for the
 * kernel's own error (≤ 6e-8) inside the 1e-6 parity obligation; otherwise the collapse is
 * settled on the CPU.
 */
export function certifyCollapse(r: ExactRecord): { certified: boolean; bound: number } {
  if (r.ABS === 0n) return { certified: true, bound: 0 };
  const k = Math.max(r.count - 1, 0);
  const gamma = (k * U) / (1 - k * U);
  const abs = Number(r.ABS) * 2 ** -149;
  const delta = gamma * abs;
  const R = Math.hypot(Number(r.X) * 2 ** -149, Number(r.Y) * 2 ** -149);
  if (delta === 0) return { certified: true, bound: 0 };
  if (!(R > 0) || delta > R / 2) return { certified: false, bound: Infinity };
  const bound = (2 * delta) / R;
  return { certified: bound <= 5e-7, bound };
}

export function recordToAccum(r: ExactRecord): { accX: number; accY: number } {
  return { accX: Number(r.X) * 2 ** -149, accY: Number(r.Y) * 2 ** -149 };
}
