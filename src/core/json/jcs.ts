/**
 * RFC 8785 JSON Canonicalization Scheme (JCS). Object keys sorted by UTF-16 code units,
 * no whitespace, strings and numbers serialized as ECMAScript's JSON.stringify does
 * (RFC 8785 §3.2.2.2, §3.2.2.3). Non-finite numbers are not JSON and are rejected.
 */
import { AsxError } from '../errors.ts';
import { utf8 } from '../bytes/utf8.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

function compareUtf16(a: string, b: string): number {
  // Plain `<` on JS strings compares UTF-16 code units, exactly what JCS §3.2.3 asks.
  return a < b ? -1 : a > b ? 1 : 0;
}

function ser(v: unknown, path: string, out: string[]): void {
  if (v === null) { out.push('null'); return; }
  switch (typeof v) {
    case 'boolean': out.push(v ? 'true' : 'false'); return;
    case 'number':
      if (!Number.isFinite(v)) throw new AsxError('bad_json', `non-finite number ${v} has no JSON form`, { path });
      // ES Number-to-String is the JCS number form; -0 serializes as 0.
      out.push(Object.is(v, -0) ? '0' : String(v));
      return;
    case 'string': {
      for (let i = 0; i < v.length; i++) {
        const c = v.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdfff) {
          const ok = c <= 0xdbff && i + 1 < v.length && (v.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
          if (!ok) throw new AsxError('bad_json', 'lone surrogate in string', { path });
          i++;
        }
      }
      out.push(JSON.stringify(v));
      return;
    }
    case 'object': {
      if (Array.isArray(v)) {
        out.push('[');
        v.forEach((x, i) => { if (i) out.push(','); ser(x, `${path}[${i}]`, out); });
        out.push(']');
        return;
      }
      if (ArrayBuffer.isView(v)) {
        ser(Array.from(v as unknown as ArrayLike<number>), path, out);
        return;
      }
      const keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort(compareUtf16);
      out.push('{');
      keys.forEach((k, i) => {
        if (i) out.push(',');
        ser(k, path, out);
        out.push(':');
        ser((v as Record<string, unknown>)[k], `${path}.${k}`, out);
      });
      out.push('}');
      return;
    }
    default:
      throw new AsxError('bad_json', `value of type ${typeof v} has no JSON form`, { path });
  }
}

export function canonicalJson(v: unknown): string {
  const out: string[] = [];
  ser(v, '$', out);
  return out.join('');
}

export function canonicalJsonBytes(v: unknown): Uint8Array {
  return utf8(canonicalJson(v));
}
