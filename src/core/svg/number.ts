/**
 * Numbers of svg-tensor.canonical.v1 (§17.1 "Numeric canonicalization"; docs/laws.md
 * L-NUM): IEEE-754 binary64 values printed with at most 6 decimals, trimmed right, never in
 * scientific notation, `-0` printed as `0`. Values are bounded by |x| ≤ 1e9 so that the
 * print/parse pair is exact (idempotent) and fixed-point lanes stay meaningful.
 */
export const MAX_ABS = 1e9;

/** SVG/CSS number syntax (sign, digits, optional fraction, optional exponent). */
export const NUMBER_SOURCE = '[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?';
const FULL = new RegExp(`^${NUMBER_SOURCE}$`);

export type NumberProblem = 'syntax' | 'non-finite' | 'range';

export class NumberError extends Error {
  constructor(readonly problem: NumberProblem, readonly text: string) {
    super(problem === 'syntax' ? `${JSON.stringify(text.slice(0, 40))} is not a number`
      : problem === 'non-finite' ? `${JSON.stringify(text.slice(0, 40))} is not a finite number (NaN, Infinity and overflowing exponents are refused)`
        : `${JSON.stringify(text.slice(0, 40))} is outside |x| ≤ 1e9`);
  }
}

/** Parse one number, strictly (no units, no surrounding text). */
export function parseNumber(text: string): number {
  const t = text.trim();
  if (!FULL.test(t)) {
    if (/^[+-]?(nan|inf|infinity)$/i.test(t)) throw new NumberError('non-finite', t);
    throw new NumberError('syntax', t);
  }
  const v = Number(t);
  if (!Number.isFinite(v)) throw new NumberError('non-finite', t);
  if (Math.abs(v) > MAX_ABS) throw new NumberError('range', t);
  return v;
}

/** Check a computed value (after arithmetic) against the same bounds. */
export function checkValue(v: number, what: string): number {
  if (!Number.isFinite(v)) throw new NumberError('non-finite', what);
  if (Math.abs(v) > MAX_ABS) throw new NumberError('range', what);
  return v;
}

/**
 * The integer nearest to v·10^6 (the exact binary value), or null when v·10^6 is too close
 * to a half-integer for a binary64 product to decide (then toFixed decides). Away from ties
 * the rounded product and toFixed's exact rounding agree: |fl(v·10^6) − v·10^6| ≤ ½ ulp.
 */
function micros(v: number): number | null {
  const s = v * 1e6;
  if (!(Math.abs(s) < 4e15)) return null; // the product must stay an exact-integer-capable range
  const f = Math.floor(s);
  const frac = s - f;
  const margin = Math.abs(s) * 2.3e-16 + 1e-300;
  if (Math.abs(frac - 0.5) <= margin) return null;
  return frac < 0.5 ? f : f + 1;
}

/** The toFixed-based definition (reference for the fast path; law L-NUM). */
export function formatNumberReference(v: number): string {
  return trimFixed(v.toFixed(6));
}

/**
 * 6 decimals (`Number.prototype.toFixed`: the exact binary value rounded half away from
 * zero), trailing zeros and a trailing point removed, `-0` → `0`. Integers and values away
 * from a rounding tie take a fast path with the same result.
 */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v === 0 ? '0' : String(v);
  const n = micros(v);
  if (n === null) return formatNumberReference(v);
  if (n === 0) return '0';
  const a = Math.abs(n);
  const ip = Math.floor(a / 1e6);
  let fp = a - ip * 1e6;
  let out = (n < 0 ? '-' : '') + ip;
  if (fp !== 0) {
    let digits = 6;
    while (fp % 10 === 0) { fp /= 10; digits--; }
    out += '.' + String(fp).padStart(digits, '0');
  }
  return out;
}

function trimFixed(fixed: string): string {
  let s = fixed;
  if (s.indexOf('.') >= 0) {
    let e = s.length;
    while (s.charCodeAt(e - 1) === 48) e--;
    if (s.charCodeAt(e - 1) === 46) e--;
    s = s.slice(0, e);
  }
  if (s === '-0') return '0';
  return s;
}

/** The canonical value: what `formatNumber` prints, read back (n / 10^6 is that number, correctly rounded). */
export function canonValue(v: number): number {
  if (Number.isInteger(v)) return v === 0 ? 0 : v;
  const n = micros(v);
  const r = n === null ? Number(formatNumberReference(v)) : n / 1e6;
  return r === 0 ? 0 : r;
}

/** Number of decimals in the canonical print (0…6). */
export function decimalsOf(v: number): number {
  const s = formatNumber(v);
  const p = s.indexOf('.');
  return p < 0 ? 0 : s.length - p - 1;
}

/**
 * The exact integer `v · 10^k` for a canonical value with at most k decimals, computed from
 * the decimal print (no floating multiplication). Returns null if it does not fit int32.
 */
export function toFixedInt(v: number, k: number): number | null {
  const s = formatNumber(v);
  const neg = s.charCodeAt(0) === 45;
  const body = neg ? s.slice(1) : s;
  const p = body.indexOf('.');
  const ip = p < 0 ? body : body.slice(0, p);
  const fp = p < 0 ? '' : body.slice(p + 1);
  if (fp.length > k) return null;
  const n = Number(ip + fp.padEnd(k, '0'));
  const r = neg ? -n : n;
  if (r > 2147483647 || r < -2147483648) return null;
  return r === 0 ? 0 : r;
}

/** Inverse of toFixedInt: the canonical value of `n / 10^k`. */
export function fromFixedInt(n: number, k: number): number {
  if (k === 0) return n === 0 ? 0 : n;
  return canonValue(n / 10 ** k);
}
