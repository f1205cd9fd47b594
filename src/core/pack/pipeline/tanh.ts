/**
 * A tanh whose every bit is fixed (law L-TANH). ECMAScript lets Math.tanh be any
 * "implementation-approximated" value, so two engines may disagree in the last bit and a
 * pack would then differ by a quantization step. The interaction operator and synthesis
 * therefore use this port of FreeBSD msun's s_tanh.c and s_expm1.c (the fdlibm algorithm,
 * which V8 ships as base::ieee754::tanh, so on V8 it equals Math.tanh bit for bit — a test
 * checks that on a million arguments). Only +, −, ×, ÷ in binary64 and bit access through
 * a DataView: the result is the same on every conforming engine.
 */
const buf = new DataView(new ArrayBuffer(8));

function highWord(x: number): number {
  buf.setFloat64(0, x);
  return buf.getUint32(0);
}

function fromWords(hi: number, lo: number): number {
  buf.setUint32(0, hi >>> 0);
  buf.setUint32(4, lo >>> 0);
  return buf.getFloat64(0);
}

const LN2_HI = 6.93147180369123816490e-1; // 0x3fe62e42 fee00000
const LN2_LO = 1.90821492927058770002e-10; // 0x3dea39ef 35793c76
const INVLN2 = 1.44269504088896338700e+0; // 0x3ff71547 652b82fe
const O_THRESHOLD = 7.09782712893383973096e+2;
const Q1 = -3.33333333333331316428e-2;
const Q2 = 1.58730158725481460165e-3;
const Q3 = -7.93650757867487942473e-5;
const Q4 = 4.00821782732936239552e-6;
const Q5 = -2.01099218183624371326e-7;
const HUGE = 1.0e300;
const TINY = 1.0e-300;

/** exp(x) − 1 (msun s_expm1.c). */
export function expm1(x: number): number {
  let hx = highWord(x);
  const neg = (hx & 0x80000000) !== 0;
  hx &= 0x7fffffff;

  if (hx >= 0x4043687a) { // |x| >= 56·ln2
    if (hx >= 0x40862e42) { // |x| >= 709.78…
      if (hx >= 0x7ff00000) return Number.isNaN(x) ? x + x : neg ? -1 : x;
      if (x > O_THRESHOLD) return Infinity;
    }
    if (neg) return TINY - 1; // x < −56·ln2
  }

  let k = 0;
  let c = 0;
  if (hx > 0x3fd62e42) { // |x| > 0.5·ln2: argument reduction
    let hi: number;
    let lo: number;
    if (hx < 0x3ff0a2b2) { // and |x| < 1.5·ln2
      if (!neg) { hi = x - LN2_HI; lo = LN2_LO; k = 1; } else { hi = x + LN2_HI; lo = -LN2_LO; k = -1; }
    } else {
      k = Math.trunc(INVLN2 * x + (neg ? -0.5 : 0.5));
      const t = k;
      hi = x - t * LN2_HI; // exact
      lo = t * LN2_LO;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x3c900000) { // |x| < 2^-54
    return x;
  }

  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  let t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - x * t));
  if (k === 0) return x - (x * e - hxs);
  const twopk = fromWords((0x3ff00000 + (k << 20)) >>> 0, 0); // 2^k, k in [-1021, 1023] here
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) return x < -0.25 ? -2 * (e - (x + 0.5)) : 1 + 2 * (x - e);
  let y: number;
  if (k <= -2 || k > 56) {
    y = 1 - (e - x);
    y = k === 1024 ? y * 2 * 8.98846567431158e307 : y * twopk;
    return y - 1;
  }
  if (k < 20) {
    t = fromWords(0x3ff00000 - (0x200000 >> k), 0); // 1 − 2^-k
    y = t - (e - x);
    y = y * twopk;
  } else {
    t = fromWords((0x3ff - k) << 20, 0); // 2^-k
    y = x - (e + t);
    y += 1;
    y = y * twopk;
  }
  return y;
}

/** tanh(x) (msun s_tanh.c). */
export function tanh(x: number): number {
  const jx = highWord(x);
  const ix = jx & 0x7fffffff;
  if (ix >= 0x7ff00000) return Number.isNaN(x) ? x : x > 0 ? 1 : -1;
  let z: number;
  if (ix < 0x40360000) { // |x| < 22
    if (ix < 0x3e300000) return x; // |x| < 2^-28: tanh(x) = x (also keeps −0)
    const ax = Math.abs(x);
    if (ix >= 0x3ff00000) { // |x| >= 1
      const t = expm1(2 * ax);
      z = 1 - 2 / (t + 2);
    } else {
      const t = expm1(-2 * ax);
      z = -t / (t + 2);
    }
  } else {
    z = 1 - TINY; // = 1
  }
  return (jx & 0x80000000) === 0 ? z : -z;
}
