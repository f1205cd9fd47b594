/**
 * An ObjectStore over an object server's HTTP API (docs/laws.md O-HTTP, O-BROWSER), so the
 * workbench runs the core lifecycle itself — resolve, load, verify, project — on what the
 * server sends, instead of trusting the server's verdict:
 *   descriptor(id)  GET <base>descriptors/<domain>/<name>   (stored descriptor bytes)
 *   payload(hash)   GET <base>objects/<domain>/<name>?projection=<raw binary projection>
 *                   whose ETag must be the descriptor's hash; the core then hashes the bytes
 *   list()          GET <base>objects
 * Sizes are checked before bodies are read (Content-Length against the descriptor limit and
 * the browser payload limit), so a hostile server cannot make the page allocate at will.
 */
import { ObjectError } from '../../core/objects/errors';
import { DESCRIPTOR_LIMITS } from '../../core/objects/json';
import type { Descriptor } from '../../core/objects/descriptor';
import type { ObjectStore } from '../../core/objects/server';
import type { PayloadInput } from '../../core/objects/payload';

/** Largest payload the browser fetches whole to verify (larger ones are verified by the server only). */
export const BROWSER_PAYLOAD_MAX = 256 << 20;

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** `object://a/b/c` → `a/b/c` with each segment percent-encoded. */
export function idPath(id: string): string {
  return id.slice('object://'.length).split('/').map(encodeURIComponent).join('/');
}

/**
 * The projection that serves the raw payload bytes: type `binary`, source `@payload` (or
 * none: the default), raw encoding; `payload` preferred, otherwise the first such name in sorted order. Null: none.
 */
export function rawProjectionOf(d: Descriptor): string | null {
  const ps = (d.projections ?? {}) as Record<string, { type?: unknown; source?: unknown; encoding?: unknown }>;
  // A binary projection's source defaults to `@payload` (project.ts), its encoding to raw.
  const raw = (n: string) => ps[n]?.type === 'binary' && (ps[n]?.source === undefined || ps[n]?.source === '@payload') && (ps[n]?.encoding === undefined || ps[n]?.encoding === 'raw');
  if (raw('payload')) return 'payload';
  return Object.keys(ps).sort().find(raw) ?? null;
}

function declaredLength(r: Response): number | null {
  const h = r.headers.get('content-length');
  return h !== null && /^[0-9]{1,15}$/.test(h) ? Number(h) : null;
}

/** `category code` of a §15.12 error body (at most 64 KiB read), or `(no §15.12 error)`. */
async function serverError(r: Response): Promise<string> {
  const n = declaredLength(r);
  if (n !== null && n > 65_536) return '(no §15.12 error)';
  try {
    const e = (JSON.parse(await r.text()) as { error?: { category?: unknown; code?: unknown } }).error;
    if (typeof e?.category === 'string' && typeof e.code === 'string') return `${e.category.slice(0, 64)} ${e.code.slice(0, 64)}`;
  } catch { /* not JSON */ }
  return '(no §15.12 error)';
}

export class HttpObjectStore implements ObjectStore {
  /** Bytes received (descriptors + payloads), for the panel's figures. */
  bytesReceived = 0;
  /** Why the last payload() returned null, for the panel. */
  readonly unavailable = new Map<string, string>();
  constructor(readonly base: string, private readonly fetchFn: Fetch = (u, i) => fetch(u, i)) {
    if (!/^https?:\/\/[^/]+\/$/.test(base) && !/^https?:\/\/[^/]+\/.+\/$/.test(base)) throw new ObjectError('invalid_id', 'the server URL must be http(s)://host[:port]/…/', 'resolve', null);
  }

  url(path: string): string { return new URL(path, this.base).href; }

  private async get(path: string, id: string | null): Promise<Response> {
    try {
      return await this.fetchFn(this.url(path), { cache: 'no-store' });
    } catch {
      throw new ObjectError('descriptor_unavailable', `the object server at ${this.base} is not reachable`, 'load', id);
    }
  }

  async descriptor(id: string): Promise<Uint8Array | null> {
    const r = await this.get(`descriptors/${idPath(id)}`, id);
    if (r.status === 404) return null;
    if (!r.ok) throw new ObjectError('descriptor_unavailable', `the server answered ${r.status} for the descriptor`, 'load', id);
    const n = declaredLength(r);
    if (n !== null && n > DESCRIPTOR_LIMITS.maxBytes) throw new ObjectError('descriptor_too_large', `the descriptor is ${n} bytes (limit ${DESCRIPTOR_LIMITS.maxBytes})`, 'load', id);
    const b = new Uint8Array(await r.arrayBuffer());
    this.bytesReceived += b.length;
    return b;
  }

  async payload(hash: string, d: Descriptor): Promise<PayloadInput | null> {
    const name = rawProjectionOf(d);
    if (name === null) { this.unavailable.set(d.id, 'the object declares no raw binary projection, so its bytes can only be verified by the server'); return null; }
    if (typeof d.payload.size === 'number' && d.payload.size > BROWSER_PAYLOAD_MAX) { this.unavailable.set(d.id, `the payload is ${d.payload.size} bytes; the browser verifies up to ${BROWSER_PAYLOAD_MAX}`); return null; }
    const r = await this.get(`objects/${idPath(d.id)}?projection=${encodeURIComponent(name)}`, d.id);
    if (!r.ok) { this.unavailable.set(d.id, `the server refused projection ${name}: ${r.status} ${await serverError(r)}`); return null; }
    if (r.headers.get('etag') !== `"${hash}"`) { this.unavailable.set(d.id, 'the server sent bytes under another hash (the descriptor changed?)'); return null; }
    const n = declaredLength(r);
    if (n !== null && n > BROWSER_PAYLOAD_MAX) { this.unavailable.set(d.id, `the server sent ${n} bytes`); return null; }
    const b = new Uint8Array(await r.arrayBuffer());
    this.bytesReceived += b.length;
    this.unavailable.delete(d.id);
    return b;
  }

  async list(): Promise<string[]> {
    const r = await this.get('objects', null);
    if (!r.ok) throw new ObjectError('descriptor_unavailable', `the server answered ${r.status} for the object list`, 'load', null);
    const n = declaredLength(r);
    if (n !== null && n > 16 << 20) throw new ObjectError('descriptor_too_large', `the object list is ${n} bytes`, 'load', null);
    let v: unknown;
    try { v = JSON.parse(await r.text()); } catch { throw new ObjectError('bad_json', 'the object list is not JSON', 'load', null); }
    const ids = (v as { objects?: unknown })?.objects;
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) throw new ObjectError('bad_json', 'the object list is not {"objects": [ids]}', 'load', null);
    return ids.slice(0, 10_000) as string[];
  }
}

/** A store that answers one id with edited descriptor bytes and defers the rest (the descriptor editor). */
export function overlayStore(inner: HttpObjectStore, id: string, bytes: Uint8Array): ObjectStore {
  return {
    descriptor: async (x) => (x === id ? bytes : inner.descriptor(x)),
    payload: (h, d) => inner.payload(h, d),
    list: () => inner.list(),
  };
}
