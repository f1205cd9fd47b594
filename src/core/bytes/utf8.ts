/** UTF-8 helpers. Ordering is by UTF-8 bytes (packs spec DICT §2.2), never locale. */
const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF instead of silently stripping it (a BOM is not canonical).
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decode UTF-8, throwing on malformed input (the caller wraps it in a typed error). */
export function decodeUtf8Strict(b: Uint8Array): string {
  return strictDecoder.decode(b);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * UTF-8 byte order equals code point order. Comparing UTF-16 code units differs only when a
 * surrogate pair meets a BMP char at or above U+E000, so walk code points.
 */
export function compareUtf8(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return (a.length - i) - (b.length - j);
}
