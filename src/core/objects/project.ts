/**
 * Projection selection and projection (§15.8, §19.7; docs/laws.md O-SELECT, O-PROJECT).
 * A projection is a pure function of the verified object and the request: it reads only
 * the payload (through references) and the fixed `@meta` keys, never mutates (inputs are
 * frozen), executes nothing, and reads no environment (the clock, if any, is injected).
 */
import { canonicalJsonBytes } from '../json/jcs.ts';
import { utf8 } from '../bytes/utf8.ts';
import type { ByteSource } from '../bytes/source.ts';
import { ObjectError } from './errors.ts';
import type { Descriptor, ProjectionSpec } from './descriptor.ts';
import { isRef, literal } from './reference.ts';
import { pathSegment } from './json.ts';
import { metaFor, parseRefOrThrow, resolveReference, type RefContext } from './resolve.ts';
import { isVerified, type VerifiedObject } from './verify.ts';
import type { HookSink } from './payload.ts';

export const PROJECTION_TYPES = ['json', 'http-response', 'binary'] as const;

export interface ProjectionRequest {
  /** Explicit projection name (`?projection=`). */
  projection?: string;
  /** The Accept header. */
  accept?: string;
}

export interface ProjectedResponse {
  projection: string;
  type: 'json' | 'http-response' | 'binary';
  status: number;
  headers: Readonly<Record<string, string>>;
  /** The body: bytes, or a source for a whole binary payload that is read lazily. */
  body: Uint8Array | ByteSource;
  /** The JSON value for json / http-response projections of JSON values. */
  value?: unknown;
  /** False when the projection read the clock (`@meta.projected_at` with a clock): not cached. */
  cacheable: boolean;
}

/** Media type of a projection (O-SELECT). */
export function projectionMediaType(d: Descriptor, p: ProjectionSpec): string {
  if (p.mime) return p.mime;
  const type = p.type ?? 'json';
  if (type === 'http-response') {
    const ct = Object.entries(p.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    return ct && !isRef(ct) ? literal(ct) : 'application/json';
  }
  if (type === 'binary') return p.encoding === 'base64' ? 'text/plain' : d.payload.mime ?? 'application/octet-stream';
  return 'application/json';
}

interface AcceptRange { type: string; sub: string; q: number; pos: number }

/** Parse an Accept header (RFC 9110 §12.5.1; parameters other than q are ignored). At most 64 ranges. */
export function parseAccept(h: string): AcceptRange[] {
  const out: AcceptRange[] = [];
  for (const [pos, part] of h.split(',').slice(0, 64).entries()) {
    const [mt, ...params] = part.trim().split(';');
    const m = /^([A-Za-z0-9!#$&^_.+*-]+)\/([A-Za-z0-9!#$&^_.+*-]+)$/.exec(mt.trim());
    if (!m) continue;
    let q = 1;
    for (const prm of params) {
      const qm = /^\s*q\s*=\s*([01](?:\.[0-9]{0,3})?)\s*$/i.exec(prm);
      if (qm) q = Math.min(1, Number(qm[1]));
    }
    out.push({ type: m[1].toLowerCase(), sub: m[2].toLowerCase(), q, pos });
  }
  return out.sort((a, b) => b.q - a.q || a.pos - b.pos);
}

function mediaMatches(r: AcceptRange, media: string): boolean {
  const [t, s] = media.split(';')[0].trim().toLowerCase().split('/');
  return (r.type === t && (r.sub === s || r.sub === '*')) || (r.type === '*' && r.sub === '*');
}

function utf8Order(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0; // names are ASCII (schema), so UTF-16 order = UTF-8 order
}

/**
 * §15.8 select_projection: 1. the explicit name; 2. the Accept header's best specific range
 * (q > 0; `*\/*` is not a preference) with a selectable projection — `default` if it matches,
 * else the first matching name in byte order; 3. `default`; 4. `no_projection`. A projection
 * whose `requires` names a hook that is not available is not selectable (§19.7).
 */
export function selectProjection(d: Descriptor, req: ProjectionRequest, availableHooks: ReadonlySet<string>): string {
  const names = Object.keys(d.projections).sort(utf8Order);
  const selectable = (n: string) => (d.projections[n].requires ?? []).every((h) => availableHooks.has(h));
  if (req.projection !== undefined) {
    if (!Object.prototype.hasOwnProperty.call(d.projections, req.projection)) throw new ObjectError('projection_not_found', `the object has no projection ${JSON.stringify(req.projection.slice(0, 64))}`, 'project', d.id);
    if (!selectable(req.projection)) throw new ObjectError('projection_unavailable', `projection ${req.projection} requires hooks that are not available`, 'project', d.id);
    return req.projection;
  }
  if (req.accept) {
    for (const r of parseAccept(req.accept)) {
      if (r.q <= 0 || (r.type === '*' && r.sub === '*')) continue;
      const hits = names.filter((n) => selectable(n) && mediaMatches(r, projectionMediaType(d, d.projections[n])));
      if (hits.length) return hits.includes('default') ? 'default' : hits[0];
    }
  }
  if (Object.prototype.hasOwnProperty.call(d.projections, 'default')) {
    if (!selectable('default')) throw new ObjectError('projection_unavailable', 'projection default requires hooks that are not available', 'project', d.id);
    return 'default';
  }
  throw new ObjectError('no_projection', 'no projection was named, none matches Accept, and there is no default', 'project', d.id);
}

async function resolveTemplate(v: unknown, ctx: RefContext, path: string): Promise<unknown> {
  if (typeof v === 'string') return isRef(v) ? resolveReference(parseRefOrThrow(v, ctx.objectId, path), ctx) : literal(v);
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) out.push(await resolveTemplate(v[i], ctx, path + pathSegment(i)));
    return out;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const r = await resolveTemplate(x, ctx, path + pathSegment(k));
      if (k === '__proto__') Object.defineProperty(out, k, { value: r, enumerable: true, writable: true, configurable: true });
      else out[k] = r;
    }
    return out;
  }
  return v;
}

function isSource(v: unknown): v is ByteSource {
  return typeof v === 'object' && v !== null && typeof (v as ByteSource).read === 'function' && typeof (v as ByteSource).size === 'number';
}

function toBase64(b: Uint8Array): Uint8Array {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return utf8(btoa(s));
}

function bytesOfValue(v: unknown, id: string, path: string): Uint8Array | ByteSource {
  if (v instanceof Uint8Array) return v.slice(); // a copy: the caller cannot write into the payload
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength).slice();
  if (isSource(v)) return v;
  if (typeof v === 'string') return utf8(v);
  if (jsonValue(v)) return canonicalJsonBytes(v);
  throw new ObjectError('bad_reference', `${path} is not bytes or text; a binary projection needs a byte source`, 'project', id, path);
}

/** Is the value a JSON value (no bytes, no sources)? */
function jsonValue(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return true;
  if (Array.isArray(v)) return v.every(jsonValue);
  if (typeof v === 'object' && !ArrayBuffer.isView(v) && !isSource(v)) return Object.values(v as object).every(jsonValue);
  return false;
}

async function readAll(s: ByteSource, id: string): Promise<Uint8Array> {
  try { return await s.read(0, s.size); } catch { throw new ObjectError('payload_unavailable', 'payload could not be read', 'project', id); }
}

/**
 * Project a verified object (§15.8). Throws ObjectError (projection phase) on failure; an
 * object that did not come out of verifyObject is refused outright.
 */
export async function projectObject(o: VerifiedObject, name: string, opts: { clock?: () => number; emit?: HookSink } = {}): Promise<ProjectedResponse> {
  if (!isVerified(o)) throw new ObjectError('projection_unavailable', 'refusing to project an unverified payload', 'project', (o as { id?: string })?.id ?? null);
  const d = o.descriptor;
  const p = d.projections[name];
  if (!p) throw new ObjectError('projection_not_found', `the object has no projection ${JSON.stringify(name.slice(0, 64))}`, 'project', d.id);
  const type = p.type ?? 'json';
  const base = `$.projections${pathSegment(name)}`;
  const ctx: RefContext = { view: o.view, meta: metaFor(d, o.size, name, opts.clock), objectId: d.id, emit: opts.emit };
  const cacheable = !(opts.clock && ctx.meta.projected_at !== null && (JSON.stringify(p).includes('@meta.projected_at')));
  if (type === 'json') {
    const value = p.emit !== undefined ? await resolveTemplate(p.emit, ctx, `${base}.emit`) : p.body !== undefined ? await resolveTemplate(p.body, ctx, `${base}.body`) : await o.view.whole();
    if (!jsonValue(value)) throw new ObjectError('bad_reference', 'a json projection emitted bytes; use a binary projection', 'project', d.id, base);
    return { projection: name, type, status: 200, headers: Object.freeze({ 'Content-Type': 'application/json' }), body: canonicalJsonBytes(value), value, cacheable };
  }
  if (type === 'http-response') {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(p.headers ?? {})) {
      const r = await resolveTemplate(v, ctx, `${base}.headers${pathSegment(k)}`);
      if (typeof r !== 'string' && typeof r !== 'number') throw new ObjectError('bad_reference', `header ${k} resolves to ${r === null ? 'null' : typeof r}, not text`, 'project', d.id, `${base}.headers${pathSegment(k)}`);
      if (/[\r\n\0]/.test(String(r))) throw new ObjectError('bad_reference', `header ${k} would contain a line break or NUL`, 'project', d.id, `${base}.headers${pathSegment(k)}`);
      headers[k] = String(r);
    }
    const tmpl = p.body !== undefined ? p.body : p.emit !== undefined ? p.emit : '@payload';
    const v = await resolveTemplate(tmpl, ctx, `${base}.${p.body !== undefined ? 'body' : 'emit'}`);
    let body: Uint8Array | ByteSource;
    let value: unknown;
    let ct: string;
    if (typeof v === 'string') { body = utf8(v); ct = 'text/plain; charset=utf-8'; }
    else if (jsonValue(v)) { body = canonicalJsonBytes(v); value = v; ct = 'application/json'; }
    else { body = bytesOfValue(v, d.id, `${base}.body`); ct = d.payload.mime ?? 'application/octet-stream'; }
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = ct;
    return { projection: name, type, status: p.status ?? 200, headers: Object.freeze(headers), body, value, cacheable };
  }
  if (type === 'binary') {
    const src = p.source ?? '@payload';
    if (!isRef(src)) throw new ObjectError('bad_reference', 'a binary projection\'s source is a reference', 'project', d.id, `${base}.source`);
    const ref = parseRefOrThrow(src, d.id, `${base}.source`);
    // `@payload` itself is the stored bytes, whatever the payload type (O-PROJECT).
    const v = ref.root === 'payload' && ref.segments.length === 0 ? o.payload : await resolveReference(ref, ctx);
    let body = bytesOfValue(v, d.id, `${base}.source`);
    if (p.encoding === 'base64') body = toBase64(body instanceof Uint8Array ? body : await readAll(body, d.id));
    const mime = p.encoding === 'base64' ? 'text/plain' : d.payload.mime ?? 'application/octet-stream';
    return { projection: name, type, status: 200, headers: Object.freeze({ 'Content-Type': mime }), body, cacheable };
  }
  throw new ObjectError('unsupported_projection_type', `projection type ${type} is not one of ${PROJECTION_TYPES.join(', ')}`, 'project', d.id, `${base}.type`);
}
