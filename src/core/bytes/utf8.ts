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
 * UTF-8 byte order equals code point order. UTF-16 code-unit order agrees with it except
 * where a surrogate (a code point above U+FFFF) meets a BMP unit at or above U+E000, so
 * compare units and settle only that case.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa === sb) return ca - cb;
    return sa ? 1 : -1; // the surrogate side is a code point above U+FFFF
  }
  return a.length - b.length;
}
