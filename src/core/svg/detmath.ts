/**
 * Trigonometry whose every bit is fixed (law L-DET). ECMAScript lets Math.sin/cos/tan/atan2
 * and Math.hypot be "implementation-approximated", so two engines could canonicalize an arc
 * or a rotate() differently in a last bit. These are ports of fdlibm 5.3 (k_sin.c, k_cos.c,
 * e_rem_pio2.c for |x| ≤ 2^19·π/2, s_atan.c, e_atan2.c with msun's |y/x| > 2^60 case) using only +, −, ×, ÷ and sqrt in
 * binary64 plus bit access through a DataView: the same result on every conforming engine.
 * tan(x) is defined here as sin(x) / cos(x) (deterministic, within 2 ulp).
 */
const buf = new DataView(new ArrayBuffer(8));

function hi(x: number): number { buf.setFloat64(0, x); return buf.getUint32(0); }
function lo(x: number): number { buf.setFloat64(0, x); return buf.getUint32(4); }
function withHi(x: number, h: number): number { buf.setFloat64(0, x); buf.setUint32(0, h >>> 0); return buf.getFloat64(0); }

const S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04;
const S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;

function kSin(x: number, y: number, iy: number): number {
  const ix = hi(x) & 0x7fffffff;
  if (ix < 0x3e400000 && Math.trunc(x) === 0) return x; // |x| < 2^-27
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  if (iy === 0) return x + v * (S1 + z * r);
  return x - ((z * (0.5 * y - v * r) - y) - v * S1);
}

const C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05;
const C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;

function kCos(x: number, y: number): number {
  const ix = hi(x) & 0x7fffffff;
  if (ix < 0x3e400000 && Math.trunc(x) === 0) return 1;
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) return 1 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
  const qx = ix > 0x3fe90000 ? 0.28125 : withHi(0, ix - 0x00200000); // x/4
  const hz = 0.5 * z - qx;
  const a = 1 - qx;
  return a - (hz - (z * r - x * y));
}

const INVPIO2 = 6.36619772367581382433e-01;
const PIO2_1 = 1.57079632673412561417e+00, PIO2_1T = 6.07710050650619224932e-11;
const PIO2_2 = 6.07710050630396597660e-11, PIO2_2T = 2.02226624879595063154e-21;
const PIO2_3 = 2.02226624871116645580e-21, PIO2_3T = 8.47842766036889956997e-32;

/** x = n·π/2 + (y0 + y1) for |x| ≤ 2^19·π/2 (fdlibm's medium-size reduction, always with the cancellation check). */
function remPio2(x: number): [number, number, number] {
  const hx = hi(x);
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) return [0, x, 0];
  if (ix > 0x413921fb) throw new RangeError('detmath: argument too large for the medium reduction');
  const neg = (hx & 0x80000000) !== 0;
  const t0 = Math.abs(x);
  const n = Math.trunc(t0 * INVPIO2 + 0.5);
  const fn = n;
  let r = t0 - fn * PIO2_1;
  let w = fn * PIO2_1T;
  const j = ix >>> 20;
  let y0 = r - w;
  let i = j - ((hi(y0) >>> 20) & 0x7ff);
  if (i > 16) {
    let t = r;
    w = fn * PIO2_2;
    r = t - w;
    w = fn * PIO2_2T - ((t - r) - w);
    y0 = r - w;
    i = j - ((hi(y0) >>> 20) & 0x7ff);
    if (i > 49) {
      t = r;
      w = fn * PIO2_3;
      r = t - w;
      w = fn * PIO2_3T - ((t - r) - w);
      y0 = r - w;
    }
  }
  const y1 = (r - y0) - w;
  return neg ? [-n, -y0, -y1] : [n, y0, y1];
}

export function dsin(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const [n, y0, y1] = remPio2(x);
  if (n === 0 && y1 === 0 && y0 === x) return kSin(x, 0, 0);
  switch (n & 3) {
    case 0: return kSin(y0, y1, 1);
    case 1: return kCos(y0, y1);
    case 2: return -kSin(y0, y1, 1);
    default: return -kCos(y0, y1);
  }
}

export function dcos(x: number): number {
  if (!Number.isFinite(x)) return NaN;
  const [n, y0, y1] = remPio2(x);
  if (n === 0 && y1 === 0 && y0 === x) return kCos(x, 0);
  switch (n & 3) {
    case 0: return kCos(y0, y1);
    case 1: return -kSin(y0, y1, 1);
    case 2: return -kCos(y0, y1);
    default: return kSin(y0, y1, 1);
  }
}

export function dtan(x: number): number {
  return dsin(x) / dcos(x);
}

const ATANHI = [4.63647609000806093515e-01, 7.85398163397448278999e-01, 9.82793723247329054082e-01, 1.57079632679489655800e+00];
const ATANLO = [2.26987774529616870924e-17, 3.06161699786838301793e-17, 1.39033110312309984516e-17, 6.12323399573676603587e-17];
const AT = [3.33333333333329318027e-01, -1.99999999998764832476e-01, 1.42857142725034663711e-01, -1.11111104054623557880e-01,
  9.09088713343650656196e-02, -7.69187620504482999495e-02, 6.66107313738753120669e-02, -5.83357013379057348645e-02,
  4.97687799461593236017e-02, -3.65315727442169155270e-02, 1.62858201153657823623e-02];

export function datan(xIn: number): number {
  let x = xIn;
  const hx = hi(x);
  const ix = hx & 0x7fffffff;
  let id: number;
  if (ix >= 0x44100000) { // |x| >= 2^66
    if (Number.isNaN(x)) return x + x;
    return (hx & 0x80000000) === 0 ? ATANHI[3] + ATANLO[3] : -ATANHI[3] - ATANLO[3];
  }
  if (ix < 0x3fdc0000) { // |x| < 0.4375
    if (ix < 0x3e400000) return x; // |x| < 2^-27
    id = -1;
  } else {
    x = Math.abs(x);
    if (ix < 0x3ff30000) { // |x| < 1.1875
      if (ix < 0x3fe60000) { id = 0; x = (2.0 * x - 1.0) / (2.0 + x); } else { id = 1; x = (x - 1.0) / (x + 1.0); }
    } else if (ix < 0x40038000) { id = 2; x = (x - 1.5) / (1.0 + 1.5 * x); } else { id = 3; x = -1.0 / x; }
  }
  const z = x * x;
  const w = z * z;
  const s1 = z * (AT[0] + w * (AT[2] + w * (AT[4] + w * (AT[6] + w * (AT[8] + w * AT[10])))));
  const s2 = w * (AT[1] + w * (AT[3] + w * (AT[5] + w * (AT[7] + w * AT[9]))));
  if (id < 0) return x - x * (s1 + s2);
  const r = ATANHI[id] - ((x * (s1 + s2) - ATANLO[id]) - x);
  return (hx & 0x80000000) !== 0 ? -r : r;
}

const PI_O_4 = 7.8539816339744827900e-01, PI_O_2 = 1.5707963267948965580e+00, PI = 3.1415926535897931160e+00, PI_LO = 1.2246467991473531772e-16;
const TINY = 1.0e-300;

export function datan2(y: number, x: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return x + y;
  const hx = hi(x), lx = lo(x), hy = hi(y), ly = lo(y);
  const ix = hx & 0x7fffffff, iy = hy & 0x7fffffff;
  if (((hx - 0x3ff00000) | lx) === 0) return datan(y); // x = 1.0
  const m = ((hy >>> 31) & 1) | ((hx >>> 30) & 2);
  if ((iy | ly) === 0) { // y = ±0
    if (m < 2) return y;
    return m === 2 ? PI + TINY : -PI - TINY;
  }
  if ((ix | lx) === 0) return (hy & 0x80000000) !== 0 ? -PI_O_2 - TINY : PI_O_2 + TINY;
  if (ix === 0x7ff00000) {
    if (iy === 0x7ff00000) return [PI_O_4 + TINY, -PI_O_4 - TINY, 3.0 * PI_O_4 + TINY, -3.0 * PI_O_4 - TINY][m];
    return [0, -0, PI + TINY, -PI - TINY][m];
  }
  if (iy === 0x7ff00000) return (hy & 0x80000000) !== 0 ? -PI_O_2 - TINY : PI_O_2 + TINY;
  const k = (iy - ix) >> 20;
  let z: number;
  let q = m;
  if (k > 60) { z = PI_O_2 + 0.5 * PI_LO; q &= 1; } // |y/x| > 2^60 (msun's form, as V8 ships it)
  else if ((hx & 0x80000000) !== 0 && k < -60) z = 0.0;
  else z = datan(Math.abs(y / x));
  switch (q) {
    case 0: return z;
    case 1: return -z;
    case 2: return PI - (z - PI_LO);
    default: return (z - PI_LO) - PI;
  }
}

/** √(x² + y²) with one correctly rounded sqrt (Math.hypot is implementation-approximated). */
export function dhypot(x: number, y: number): number {
  return Math.sqrt(x * x + y * y);
}

/** Degrees → radians after an exact reduction modulo 360 (so the medium reduction suffices). */
export function degToRad(deg: number): number {
  return (deg % 360) * (PI / 180);
}
