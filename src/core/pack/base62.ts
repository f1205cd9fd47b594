/**
 * DICT symbols (DESIGN addendum 3): `@` + base-62 of the lane's index, alphabet 0-9A-Za-z.
 * 10 → `@A`, 61 → `@z`, 62 → `@10`. (The spec's `i.toString(62)` does not exist in JS.)
 */
import { AsxError } from '../errors.ts';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new AsxError('bad_input', `base62 needs a non-negative integer, got ${n}`);
  if (n === 0) return '0';
  let s = '';
  while (n > 0) {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  }
  return s;
}

export function symbolFor(index: number): string {
  return '@' + base62(index);
}

/** Parse a symbol back to its index, or -1 when it is not a canonical symbol. */
export function symbolIndex(sym: string): number {
  if (sym.length < 2 || sym.length > 12 || sym[0] !== '@') return -1;
  if (sym.length > 2 && sym[1] === '0') return -1; // no leading zeros: one symbol per index
  let n = 0;
  for (let i = 1; i < sym.length; i++) {
    const d = BASE62.indexOf(sym[i]);
    if (d < 0) return -1;
    n = n * 62 + d;
  }
  return Number.isSafeInteger(n) ? n : -1;
}

const BASE62_CODES = Uint8Array.from(BASE62, (c) => c.charCodeAt(0));

/**
 * The ASCII bytes of symbolFor(index) (`@`, then the base-62 digits) written to out[0..);
 * returns how many. For byte-level comparisons without building the string.
 */
export function symbolBytes(index: number, out: Uint8Array): number {
  let nd = 1;
  for (let p = 62; p <= index; p *= 62) nd++;
  out[0] = 0x40;
  for (let k = nd, v = index; k >= 1; k--) {
    out[k] = BASE62_CODES[v % 62];
    v = Math.floor(v / 62);
  }
  return nd + 1;
}

const DIGIT_OF_CODE = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let d = 0; d < 62; d++) t[BASE62_CODES[d]] = d;
  return t;
})();

/**
 * Turn the symbol bytes of index i in out[0, len) (as symbolBytes wrote them) into those of
 * i + 1, in place; returns the new length. A base-62 increment with carry, no division.
 */
export function nextSymbolBytes(out: Uint8Array, len: number): number {
  for (let k = len - 1; k >= 1; k--) {
    const d = DIGIT_OF_CODE[out[k]];
    if (d < 61) { out[k] = BASE62_CODES[d + 1]; return len; }
    out[k] = BASE62_CODES[0];
  }
  // Every digit was z: one digit more, `1` then zeros.
  out[1] = BASE62_CODES[1];
  out[len] = BASE62_CODES[0];
  return len + 1;
}
