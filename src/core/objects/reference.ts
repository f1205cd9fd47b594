/**
 * The projection reference language (§15.8; docs/laws.md O-REF).
 *
 *   ref     := "@" root segment*
 *   root    := "payload" | "meta"
 *   segment := "." name | "[" index "]" | "[" json-string "]"
 *   name    := [A-Za-z0-9_$-]+          index := 0 | [1-9][0-9]*   (at most 64 segments)
 *
 * A string that does not start with "@" is a literal; "@@…" is the literal "@…". Resolution
 * walks own properties of the verified payload only (never the prototype chain, never
 * anything but the payload and the fixed `@meta` keys), so a reference cannot read outside
 * the payload. A reference that does not resolve is an error, not `undefined`.
 */
import { ObjectError } from './errors.ts';
import { pathSegment } from './json.ts';

export type RefRoot = 'payload' | 'meta';
export type RefSegment = string | number;
export interface Ref { root: RefRoot; segments: RefSegment[]; text: string }

export const REF_MAX_SEGMENTS = 64;
export const REF_MAX_LENGTH = 1024;
/** The closed set of `@meta` keys (O-REF). */
export const META_KEYS = ['id', 'hash', 'size', 'mime', 'type', 'name', 'version', 'projection', 'projected_at'] as const;
export type MetaKey = (typeof META_KEYS)[number];

/** Parse a reference; returns an error message instead of throwing. */
export function parseRefText(text: string): Ref | string {
  if (text.length > REF_MAX_LENGTH) return `reference longer than ${REF_MAX_LENGTH} characters`;
  const m = /^@(payload|meta)/.exec(text);
  if (!m) return 'a reference starts with @payload or @meta (write @@ for a literal "@")';
  const root = m[1] as RefRoot;
  const segments: RefSegment[] = [];
  let i = m[0].length;
  while (i < text.length) {
    if (segments.length >= REF_MAX_SEGMENTS) return `more than ${REF_MAX_SEGMENTS} segments`;
    const c = text[i];
    if (c === '.') {
      const n = /[A-Za-z0-9_$-]+/y;
      n.lastIndex = i + 1;
      const r = n.exec(text);
      if (!r) return `bad name at character ${i + 1}`;
      segments.push(r[0]);
      i += 1 + r[0].length;
    } else if (c === '[') {
      const idx = /\[(0|[1-9][0-9]{0,15})\]/y;
      idx.lastIndex = i;
      const r = idx.exec(text);
      if (r) { segments.push(Number(r[1])); i += r[0].length; continue; }
      const str = /\[("(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*")\]/y;
      str.lastIndex = i;
      const s = str.exec(text);
      if (!s) return `bad bracket segment at character ${i}`;
      segments.push(JSON.parse(s[1]) as string);
      i += s[0].length;
    } else return `unexpected ${JSON.stringify(c)} at character ${i}`;
  }
  if (root === 'meta') {
    if (segments.length !== 1 || typeof segments[0] !== 'string' || !(META_KEYS as readonly string[]).includes(segments[0])) {
      return `@meta has exactly one of the keys ${META_KEYS.join(', ')}`;
    }
  }
  return { root, segments, text };
}

/** Is this string a reference (as opposed to a literal)? */
export function isRef(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('@') && !v.startsWith('@@');
}

/** The literal value of a non-reference string ("@@x" → "@x"). */
export function literal(v: string): string {
  return v.startsWith('@@') ? v.slice(1) : v;
}

export function refPath(ref: Ref): string {
  return '@' + ref.root + ref.segments.map(pathSegment).join('');
}

/**
 * Walk `segments[start…]` from `value` through own properties of plain objects and arrays
 * only (the earlier segments were consumed by the caller). Byte arrays and anything with
 * another prototype are leaves: a reference cannot index into them.
 */
export function walkValue(value: unknown, segments: readonly RefSegment[], ref: Ref, objectId: string | null, start = 0): unknown {
  let v = value;
  for (let k = start; k < segments.length; k++) {
    const s = segments[k];
    const here = '@' + ref.root + segments.slice(0, k + 1).map(pathSegment).join('');
    if (Array.isArray(v)) {
      const idx = typeof s === 'number' ? s : /^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : -1;
      if (idx < 0 || idx >= v.length) throw new ObjectError('reference_not_found', `${here} does not exist in the payload`, 'project', objectId, here);
      v = v[idx];
    } else if (v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
      const key = String(s);
      if (!Object.prototype.hasOwnProperty.call(v, key)) throw new ObjectError('reference_not_found', `${here} does not exist in the payload`, 'project', objectId, here);
      v = (v as Record<string, unknown>)[key];
    } else {
      throw new ObjectError('reference_not_found', `${here} does not exist in the payload (its parent is not an object or array)`, 'project', objectId, here);
    }
  }
  return v;
}
