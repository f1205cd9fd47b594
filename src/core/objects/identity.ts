/**
 * Identity resolution (§15.5; docs/laws.md O-IDENTITY). An id is semantic, never a file path:
 * `object://<domain>/<name>[/<name>…]` with segments of URI-unreserved characters only, so
 * nothing a POSIX or Windows file system would read as a path (`..`, `\`, `C:`, `//host`,
 * NUL, device names, trailing dots) survives. Requests may name `/objects/<domain>/<name>` or
 * `object://…`, percent-encoded once, with an optional `@sha256:<hex>` pin; the pin (the
 * hash) wins over any version.
 */
import { ObjectError } from './errors.ts';

export const ID_SCHEME = 'object://';
export const PATH_PREFIX = '/objects/';
export const ID_MAX_BYTES = 512;
export const SEGMENT_MAX = 128;
export const SEGMENTS_MAX = 16;

const SEGMENT = /^[A-Za-z0-9._-]+$/;
const HASH = /^sha256:[0-9a-f]{64}$/;
/** Windows device names: refused as a segment, with or without an extension, in any case. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$|clock\$)(\..*)?$/i;

export interface ObjectRef {
  /** Canonical `object://domain/name`. */
  id: string;
  /** `sha256:<64 lowercase hex>` when the request pins a hash. */
  hash?: string;
}

function refuse(input: string, why: string): never {
  // The message quotes at most 80 characters of the request (it is the caller's own input).
  const shown = JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input);
  throw new ObjectError('invalid_id', `cannot resolve ${shown}: ${why}`, 'resolve', null);
}

/** One percent-decoding pass (UTF-8, strict); a `%` left afterwards is refused by the charset. */
function percentDecode(s: string, input: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) refuse(input, 'malformed percent-encoding');
      bytes.push(parseInt(h, 16));
      i += 2;
    } else if (c < 0x80) bytes.push(c);
    else refuse(input, 'non-ASCII character');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
  } catch {
    return refuse(input, 'percent-encoding is not UTF-8');
  }
}

function checkSegment(seg: string, input: string): void {
  if (seg === '') refuse(input, 'empty segment');
  if (seg.length > SEGMENT_MAX) refuse(input, `segment longer than ${SEGMENT_MAX} characters`);
  if (seg === '.' || seg === '..') refuse(input, 'dot segment (path traversal)');
  if (!SEGMENT.test(seg)) refuse(input, 'segment characters are limited to A-Z a-z 0-9 . _ -');
  if (seg.endsWith('.')) refuse(input, 'segment ends with "." (Windows strips it)');
  if (WINDOWS_DEVICE.test(seg)) refuse(input, 'segment is a Windows device name');
}

/**
 * Normalize a request path or URI to (id, hash?). Accepts `/objects/d/n`, `object://d/n`
 * (scheme in any case), one trailing `/`, percent-encoding, and a final `@sha256:<hex>`.
 * Refuses everything else with `invalid_id` (404, resolve phase).
 */
export function resolveRef(input: unknown): ObjectRef {
  if (typeof input !== 'string') refuse(String(input), 'not a string');
  const raw = input as string;
  if (raw.length > ID_MAX_BYTES * 3) refuse(raw, 'too long');
  let rest: string;
  if (raw.startsWith(PATH_PREFIX)) rest = raw.slice(PATH_PREFIX.length);
  else if (raw.slice(0, ID_SCHEME.length).toLowerCase() === ID_SCHEME) rest = raw.slice(ID_SCHEME.length);
  else return refuse(raw, `ids are ${ID_SCHEME}<domain>/<name> or ${PATH_PREFIX}<domain>/<name>`);
  rest = percentDecode(rest, raw);
  let hash: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const pin = rest.slice(at + 1);
    if (!HASH.test(pin)) refuse(raw, 'a pin is @sha256:<64 lowercase hex>');
    hash = pin;
    rest = rest.slice(0, at);
  }
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  const segs = rest.split('/');
  if (segs.length < 2) refuse(raw, 'an id has a domain and a name');
  if (segs.length > SEGMENTS_MAX) refuse(raw, `more than ${SEGMENTS_MAX} segments`);
  for (const s of segs) checkSegment(s, raw);
  const id = ID_SCHEME + segs.join('/');
  if (id.length > ID_MAX_BYTES) refuse(raw, `longer than ${ID_MAX_BYTES} bytes`);
  return hash ? { id, hash } : { id };
}

/** The canonical id alone (no pin). */
export function normalizeId(input: unknown): string {
  return resolveRef(input).id;
}

/** True iff `id` is already canonical (what a descriptor's `id` must be). */
export function isCanonicalId(id: unknown): boolean {
  if (typeof id !== 'string' || !id.startsWith(ID_SCHEME)) return false;
  try { const r = resolveRef(id); return r.id === id && r.hash === undefined; } catch { return false; }
}

/**
 * A payload `location` (informational: stores fetch payloads by hash) must be a relative
 * path inside the object (`./payload.json`, `data/x.bin`) under the same segment rules,
 * or a `stream://` URI. Returns the reason it is refused, or null.
 */
export function locationProblem(loc: string): string | null {
  if (loc.startsWith('stream://')) {
    try { resolveRef(ID_SCHEME + loc.slice('stream://'.length)); return null; } catch { return 'stream:// locations follow the id segment rules'; }
  }
  if (loc.includes('%')) return 'percent-encoding is not allowed in a location';
  let rest = loc.startsWith('./') ? loc.slice(2) : loc;
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  if (rest === '') return 'empty location';
  for (const seg of rest.split('/')) {
    if (seg === '' || seg === '.' || seg === '..') return 'empty or dot segment (absolute path or traversal)';
    if (!SEGMENT.test(seg)) return 'location characters are limited to A-Z a-z 0-9 . _ - and /';
    if (seg.endsWith('.') || WINDOWS_DEVICE.test(seg)) return 'segment a Windows file system would alter';
  }
  return null;
}

export function isHashString(h: unknown): h is string {
  return typeof h === 'string' && HASH.test(h);
}
