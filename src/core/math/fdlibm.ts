/**
 * exp, log, expm1 and tanh owned by the project (docs/laws.md MX2LM-MATH): faithful ports of Sun's
 * fdlibm 5.3 (netlib.org/fdlibm) `__ieee754_exp` (e_exp.c), `__ieee754_log` (e_log.c), `expm1`
 * (s_expm1.c) and `tanh` (s_tanh.c).
 *
 * Why: Math.exp, Math.log and Math.tanh are not specified to the bit (ECMA-262 says
 * "implementation-approximated"), and Debian's Chromium and Node 20 were measured to return
 * different bits for some inputs. These functions use only IEEE-754 double + − × ÷, comparisons
 * and exact bit access (a shared Float64Array/Uint32Array view, little-endian: the high word is
 * index 1), and JS evaluates every operation in double with no fused multiply-add and no
 * extended precision, so each gives the same bits on every engine. The only Math call is
 * Math.abs (exact), where fdlibm calls fabs. fdlibm's error analysis: < 1 ulp for each.
 *
 * The statement order, constant names and branch thresholds follow the C sources line by line;
 * C's `(int)` truncation of a small double is `| 0`, and `__HI(y) += n` is a write of the high
 * word (modulo 2³², as the C unsigned arithmetic). Statements whose only purpose in C is to raise
 * the inexact flag keep their value semantics (e.g. `one - tiny` is 1).
 *
 * Pure: no DOM, no Node.
 *
 * fdlibm's notice (e_log.c, s_tanh.c; e_exp.c and s_expm1.c of 5.3 carry the same permission
 * under "Copyright (C) 2004 by Sun Microsystems, Inc."):
 * ====================================================
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *
 * Developed at SunPro, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 * ====================================================
 */

// One shared view for exact bit access: f64[0] ⇄ (u32[1] high word, u32[0] low word).
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// The high word lives at index 1 on a little-endian host (every engine this project targets);
// checked once, so a big-endian host fails loudly instead of computing wrong bits.
f64[0] = 1;
if (u32[1] !== 0x3ff00000) throw new Error('fdlibm.ts: expects a little-endian Float64Array');

/** __HI(x) as a signed int32 (fdlibm's `int hx = __HI(x)`). */
function hiOf(x: number): number {
  f64[0] = x;
  return u32[1] | 0;
}

/** __LO(x) as an unsigned int32. */
function loOf(x: number): number {
  f64[0] = x;
  return u32[0];
}

/** x with its high word replaced by `hi` (low word kept): `__HI(x) = hi`. */
function withHi(x: number, hi: number): number {
  f64[0] = x;
  u32[1] = hi;
  return f64[0];
}

/** x with `add` added to its high word (`__HI(x) += add`), modulo 2³² as in C. */
function addHi(x: number, add: number): number {
  f64[0] = x;
  u32[1] = (u32[1] + add) | 0;
  return f64[0];
}

// ---------------------------------------------------------------------------------------------
// e_exp.c (fdlibm 5.3, @(#)e_exp.c 1.6 04/04/22)
// ---------------------------------------------------------------------------------------------

const one = 1.0;
const halF0 = 0.5, halF1 = -0.5; // halF[2]
const huge = 1.0e+300;
const twom1000 = 9.33263618503218878990e-302; /* 2**-1000=0x01700000,0 */
const o_threshold = 7.09782712893383973096e+02; /* 0x40862E42, 0xFEFA39EF */
const u_threshold = -7.45133219101941108420e+02; /* 0xc0874910, 0xD52D3051 */
const ln2HI0 = 6.93147180369123816490e-01, /* 0x3fe62e42, 0xfee00000 */
  ln2HI1 = -6.93147180369123816490e-01; /* 0xbfe62e42, 0xfee00000 */
const ln2LO0 = 1.90821492927058770002e-10, /* 0x3dea39ef, 0x35793c76 */
  ln2LO1 = -1.90821492927058770002e-10; /* 0xbdea39ef, 0x35793c76 */
const invln2 = 1.44269504088896338700e+00; /* 0x3ff71547, 0x652b82fe */
const P1 = 1.66666666666666019037e-01; /* 0x3FC55555, 0x5555553E */
const P2 = -2.77777777770155933842e-03; /* 0xBF66C16C, 0x16BEBD93 */
const P3 = 6.61375632143793436117e-05; /* 0x3F11566A, 0xAF25DE2C */
const P4 = -1.65339022054652515390e-06; /* 0xBEBBBD41, 0xC5D26BF1 */
const P5 = 4.13813679705723846039e-08; /* 0x3E663769, 0x72BEA4D0 */

/**
 * e^x — fdlibm 5.3 `__ieee754_exp` (e_exp.c). Reduce x = k·ln2 + r, |r| ≤ 0.5·ln2 (r = hi − lo),
 * exp(r) = 1 + r + r·R1(r)/(2 − R1(r)) with a degree-5 Remez polynomial, then scale by 2^k in the
 * exponent bits. exp(+∞) = +∞, exp(−∞) = 0, exp(NaN) = NaN; overflow above o_threshold,
 * 0 below u_threshold.
 */
export function exp(x: number): number {
  let y: number, hi = 0, lo = 0, c: number, t: number;
  let k = 0;
  let hx = hiOf(x) >>> 0; /* high word of x */
  const xsb = (hx >>> 31) & 1; /* sign bit of x */
  hx &= 0x7fffffff; /* high word of |x| */

  /* filter out non-finite argument */
  if (hx >= 0x40862E42) { /* if |x|>=709.78... */
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | loOf(x)) !== 0) return x + x; /* NaN */
      else return xsb === 0 ? x : 0.0; /* exp(+-inf)={inf,0} */
    }
    if (x > o_threshold) return huge * huge; /* overflow */
    if (x < u_threshold) return twom1000 * twom1000; /* underflow */
  }

  /* argument reduction */
  if (hx > 0x3fd62e42) { /* if  |x| > 0.5 ln2 */
    if (hx < 0x3FF0A2B2) { /* and |x| < 1.5 ln2 */
      hi = x - (xsb === 0 ? ln2HI0 : ln2HI1);
      lo = xsb === 0 ? ln2LO0 : ln2LO1;
      k = 1 - xsb - xsb;
    } else {
      k = (invln2 * x + (xsb === 0 ? halF0 : halF1)) | 0; /* (int) truncates toward 0 */
      t = k;
      hi = x - t * ln2HI0; /* t*ln2HI is exact here */
      lo = t * ln2LO0;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) { /* when |x|<2**-28 */
    if (huge + x > one) return one + x; /* trigger inexact */
  } else k = 0;

  /* x is now in primary range */
  t = x * x;
  c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return one - ((x * c) / (c - 2.0) - x);
  else y = one - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    return addHi(y, k << 20); /* add k to y's exponent */
  } else {
    return addHi(y, (k + 1000) << 20) * twom1000; /* add k to y's exponent */
  }
}

// ---------------------------------------------------------------------------------------------
// e_log.c (fdlibm 5.3, @(#)e_log.c 1.3 95/01/18)
// ---------------------------------------------------------------------------------------------

const ln2_hi = 6.93147180369123816490e-01; /* 3fe62e42 fee00000 */
const ln2_lo = 1.90821492927058770002e-10; /* 3dea39ef 35793c76 */
const two54 = 1.80143985094819840000e+16; /* 43500000 00000000 */
const Lg1 = 6.666666666666735130e-01; /* 3FE55555 55555593 */
const Lg2 = 3.999999999940941908e-01; /* 3FD99999 9997FA04 */
const Lg3 = 2.857142874366239149e-01; /* 3FD24924 94229359 */
const Lg4 = 2.222219843214978396e-01; /* 3FCC71C5 1D8E78AF */
const Lg5 = 1.818357216161805012e-01; /* 3FC74664 96CB03DE */
const Lg6 = 1.531383769920937332e-01; /* 3FC39A09 D078C69F */
const Lg7 = 1.479819860511658591e-01; /* 3FC2F112 DF3E5244 */
const zero = 0.0;

/**
 * ln x — fdlibm 5.3 `__ieee754_log` (e_log.c). x = 2^k·(1 + f) with √2/2 < 1 + f < √2,
 * s = f/(2 + f), log(1 + f) = f − (hfsq − s·(hfsq + R(s²))) with a degree-14 Remez polynomial,
 * log x = k·ln2_hi + (… + k·ln2_lo). log(±0) = −∞, log(x < 0) = NaN, log(+∞) = +∞.
 */
export function log(x: number): number {
  let hfsq: number, f: number, s: number, z: number, R: number, w: number, t1: number, t2: number, dk: number;
  let k: number, i: number, j: number;

  let hx = hiOf(x); /* high word of x (signed) */
  const lx = loOf(x); /* low  word of x */

  k = 0;
  if (hx < 0x00100000) { /* x < 2**-1022  */
    if (((hx & 0x7fffffff) | lx) === 0) return -two54 / zero; /* log(+-0)=-inf */
    if (hx < 0) return (x - x) / zero; /* log(-#) = NaN */
    k -= 54; x *= two54; /* subnormal number, scale up x */
    hx = hiOf(x); /* high word of x */
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  i = (hx + 0x95f64) & 0x100000;
  x = withHi(x, hx | (i ^ 0x3ff00000)); /* normalize x or x/2 */
  k += i >> 20;
  f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) { /* |f| < 2**-20 */
    if (f === zero) {
      if (k === 0) {
        return zero;
      } else {
        dk = k;
        return dk * ln2_hi + dk * ln2_lo;
      }
    }
    R = f * f * (0.5 - 0.33333333333333333 * f);
    if (k === 0) return f - R;
    else {
      dk = k;
      return dk * ln2_hi - ((R - dk * ln2_lo) - f);
    }
  }
  s = f / (2.0 + f);
  dk = k;
  z = s * s;
  i = hx - 0x6147a;
  w = z * z;
  j = 0x6b851 - hx;
  t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  i |= j;
  R = t2 + t1;
  if (i > 0) {
    hfsq = 0.5 * f * f;
    if (k === 0) return f - (hfsq - s * (hfsq + R));
    else return dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
  } else {
    if (k === 0) return f - s * (f - R);
    else return dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
  }
}

// ---------------------------------------------------------------------------------------------
// s_expm1.c (fdlibm 5.3, @(#)s_expm1.c 1.5 04/04/22)
// ---------------------------------------------------------------------------------------------

const tiny = 1.0e-300;
// o_threshold, ln2_hi, ln2_lo, invln2: the same values as above (e_exp.c / e_log.c).
/* scaled coefficients related to expm1 */
const Q1 = -3.33333333333331316428e-02; /* BFA11111 111110F4 */
const Q2 = 1.58730158725481460165e-03; /* 3F5A01A0 19FE5585 */
const Q3 = -7.93650757867487942473e-05; /* BF14CE19 9EAADBB7 */
const Q4 = 4.00821782732936239552e-06; /* 3ED0CFCA 86E65239 */
const Q5 = -2.01099218183624371326e-07; /* BE8AFDB7 6E09C32D */

/**
 * e^x − 1 — fdlibm 5.3 `expm1` (s_expm1.c), accurate near 0: x = k·ln2 + r (+ correction c),
 * expm1(r) by a rational function of r² (degree-5 polynomial R1), then 2^k·(expm1(r) + 1) − 1
 * arranged per k to avoid cancellation. expm1(+∞) = +∞, expm1(−∞) = −1, expm1(NaN) = NaN.
 */
export function expm1(x: number): number {
  let y: number, hi: number, lo: number, c = 0, t: number, e: number;
  let k: number;
  let hx = hiOf(x) >>> 0; /* high word of x */
  const xsb = hx & 0x80000000; /* sign bit of x */
  // (C computes y = |x| here and never reads it before assigning y again.)
  hx &= 0x7fffffff; /* high word of |x| */

  /* filter out huge and non-finite argument */
  if (hx >= 0x4043687A) { /* if |x|>=56*ln2 */
    if (hx >= 0x40862E42) { /* if |x|>=709.78... */
      if (hx >= 0x7ff00000) {
        if (((hx & 0xfffff) | loOf(x)) !== 0) return x + x; /* NaN */
        else return xsb === 0 ? x : -1.0; /* exp(+-inf)={inf,-1} */
      }
      if (x > o_threshold) return huge * huge; /* overflow */
    }
    if (xsb !== 0) { /* x < -56*ln2, return -1.0 with inexact */
      if (x + tiny < 0.0) /* raise inexact */
        return tiny - one; /* return -1 */
    }
  }

  /* argument reduction */
  if (hx > 0x3fd62e42) { /* if  |x| > 0.5 ln2 */
    if (hx < 0x3FF0A2B2) { /* and |x| < 1.5 ln2 */
      if (xsb === 0) { hi = x - ln2_hi; lo = ln2_lo; k = 1; }
      else { hi = x + ln2_hi; lo = -ln2_lo; k = -1; }
    } else {
      k = (invln2 * x + (xsb === 0 ? 0.5 : -0.5)) | 0; /* (int) truncates toward 0 */
      t = k;
      hi = x - t * ln2_hi; /* t*ln2_hi is exact here */
      lo = t * ln2_lo;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x3c900000) { /* when |x|<2**-54, return x */
    t = huge + x; /* return x with inexact flags when x!=0 */
    return x - (t - (huge + x));
  } else k = 0;

  /* x is now in primary range */
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = one + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  t = 3.0 - r1 * hfx;
  e = hxs * ((r1 - t) / (6.0 - x * t));
  if (k === 0) return x - (x * e - hxs); /* c is 0 */
  else {
    e = (x * (e - c) - c);
    e -= hxs;
    if (k === -1) return 0.5 * (x - e) - 0.5;
    if (k === 1) {
      if (x < -0.25) return -2.0 * (e - (x + 0.5));
      else return one + 2.0 * (x - e);
    }
    if (k <= -2 || k > 56) { /* suffice to return exp(x)-1 */
      y = one - (e - x);
      y = addHi(y, k << 20); /* add k to y's exponent */
      return y - one;
    }
    t = one;
    if (k < 20) {
      t = withHi(t, 0x3ff00000 - (0x200000 >> k)); /* t=1-2^-k */
      y = t - (e - x);
      y = addHi(y, k << 20); /* add k to y's exponent */
    } else {
      t = withHi(t, (0x3ff - k) << 20); /* 2^-k */
      y = x - (e + t);
      y += one;
      y = addHi(y, k << 20); /* add k to y's exponent */
    }
  }
  return y;
}

// ---------------------------------------------------------------------------------------------
// s_tanh.c (fdlibm 5.3, @(#)s_tanh.c 1.3 95/01/18)
// ---------------------------------------------------------------------------------------------

const two = 2.0;
// one, tiny: as above.

/**
 * tanh x — fdlibm 5.3 `tanh` (s_tanh.c): x·(1 + x) for |x| < 2⁻⁵⁵; −t/(t + 2) with
 * t = expm1(−2|x|) for |x| < 1; 1 − 2/(t + 2) with t = expm1(2|x|) for 1 ≤ |x| < 22; ±1 beyond;
 * odd. tanh(±∞) = ±1, tanh(NaN) = NaN.
 */
export function tanh(x: number): number {
  let t: number, z: number;

  /* High word of |x|. */
  const jx = hiOf(x);
  const ix = jx & 0x7fffffff;

  /* x is INF or NaN */
  if (ix >= 0x7ff00000) {
    if (jx >= 0) return one / x + one; /* tanh(+-inf)=+-1 */
    else return one / x - one; /* tanh(NaN) = NaN */
  }

  /* |x| < 22 */
  if (ix < 0x40360000) { /* |x|<22 */
    if (ix < 0x3c800000) /* |x|<2**-55 */
      return x * (one + x); /* tanh(small) = small */
    if (ix >= 0x3ff00000) { /* |x|>=1  */
      t = expm1(two * Math.abs(x));
      z = one - two / (t + two);
    } else {
      t = expm1(-two * Math.abs(x));
      z = -t / (t + two);
    }
    /* |x| > 22, return +-1 */
  } else {
    z = one - tiny; /* raised inexact flag */
  }
  return jx >= 0 ? z : -z;
}
