/**
 * The HTTP host of the Object Server (issue 10; docs/laws.md O-STORE, O-HTTP). A `node:http`
 * server bound to 127.0.0.1 only, over the pure core (src/core/objects/server.ts):
 *
 *   GET|HEAD /objects/<domain>/<name>[@sha256:<hex>]?projection=&version=&operation=
 *            the core's lifecycle; Accept selects a projection; ETag = the quoted payload
 *            hash, If-None-Match → 304; Range (one range) on binary responses → 206 / 416
 *   GET|HEAD /objects            {"objects": [ids]}
 *   GET      /events             Server-Sent Events: every core event as `event: <type>`
 *   GET|HEAD /events/recent      {"events": [...]}: the audit ring (last AUDIT_RING events)
 *   GET|HEAD /stats              {"cache": §15.6 hit/miss counts, "events", "inflight", "event_clients"}
 *   GET|HEAD /descriptors/<domain>/<name>   the descriptor's stored bytes (metadata, so a
 *            client can run the lifecycle itself and verify payloads from `binary` projections)
 *
 * Errors of the core are its §15.12 JSON with its status. Errors of the host itself (method,
 * sizes, load, Range) use the same shape with category `request_error` and phase `request`.
 * No response carries a stack trace, a file path or an exception's message. HTTP requests get
 * no capabilities: `operation=read|write|execute` is checked by the core and refused (403)
 * unless the object allows it without escalation (none does). The Host header must name this
 * server (127.0.0.1 or localhost with its port), so a DNS-rebinding page cannot read it.
 * CORS (O-HTTP): only pages served from a loopback origin (`http://127.0.0.1:*`,
 * `http://localhost:*`) may read responses cross-origin, so the workbench on another local
 * port can browse this server and no web site can. Every response carries
 * `Content-Security-Policy: sandbox` so a payload opened as a page can run nothing.
 * The server always listens to its own events (the audit ring), which is what makes the
 * `auditable` invariant hold here.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ByteSource } from '../core/bytes/source.ts';
import { createObjectServer, type ObjectRequest, type ObjectServer, type ObjectStore, type ObjectServerOptions } from '../core/objects/server.ts';
import type { Operation } from '../core/objects/verify.ts';
import { ObjectError } from '../core/objects/errors.ts';
import { resolveRef } from '../core/objects/identity.ts';
import { DESCRIPTOR_LIMITS } from '../core/objects/json.ts';
import type { ObjectEvent } from '../core/objects/events.ts';

export const HOST = '127.0.0.1';

export interface HttpLimits {
  /** Longest request target (path + query), in characters → 414. */
  maxUrl: number;
  /** Request line + headers, in bytes → 431 (Node's maxHeaderSize). */
  maxHeaderBytes: number;
  /** Requests handled at once (event streams not counted) → 503 with Retry-After. */
  maxInflight: number;
  /** Open event streams → 503. */
  maxEventClients: number;
  /** Bytes queued to one event stream before it is dropped (a reader that does not read). */
  maxEventBacklog: number;
  /** Open connections at most. */
  maxConnections: number;
  /** Milliseconds to receive a whole request. */
  requestTimeoutMs: number;
  /** Bytes per read when streaming a payload. */
  chunkBytes: number;
}

export const HTTP_LIMITS: HttpLimits = {
  maxUrl: 2048,
  maxHeaderBytes: 16 * 1024,
  maxInflight: 64,
  maxEventClients: 16,
  maxEventBacklog: 1 << 20,
  maxConnections: 512,
  requestTimeoutMs: 30_000,
  chunkBytes: 1 << 20,
};

export interface HttpServerOptions {
  store: ObjectStore;
  /** 0 (default) picks a free port. */
  port?: number;
  limits?: Partial<HttpLimits>;
  /** Passed to the core (clock, invariants, hooks, cache…). */
  core?: Omit<ObjectServerOptions, 'store'>;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly http: Server;
  readonly objects: ObjectServer;
  /** Requests answered 500 because the host threw (diagnostics). */
  readonly internalErrors: () => number;
  close(): Promise<void>;
}

type HostCode =
  | 'method_not_allowed' | 'uri_too_long' | 'headers_too_large' | 'bad_request' | 'body_not_allowed'
  | 'busy' | 'range_not_satisfiable' | 'no_route' | 'forbidden_host' | 'internal_error';

const HOST_STATUS: Record<HostCode, number> = {
  method_not_allowed: 405, uri_too_long: 414, headers_too_large: 431, bad_request: 400, body_not_allowed: 413,
  busy: 503, range_not_satisfiable: 416, no_route: 404, forbidden_host: 403, internal_error: 500,
};

const HOST_MESSAGE: Record<HostCode, string> = {
  method_not_allowed: 'only GET and HEAD are served',
  uri_too_long: 'the request target is too long',
  headers_too_large: 'the request headers are too large',
  bad_request: 'the request is not valid HTTP',
  body_not_allowed: 'GET and HEAD requests carry no body',
  busy: 'too many requests at once; retry shortly',
  range_not_satisfiable: 'the range is outside the response',
  no_route: 'no such resource (objects are under /objects/<domain>/<name>)',
  forbidden_host: 'the Host header does not name this server',
  internal_error: 'internal server error',
};

export function hostErrorBody(code: HostCode): string {
  return JSON.stringify({ error: { category: 'request_error', code, message: HOST_MESSAGE[code], object_id: null, phase: 'request' } });
}

const BASE_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache', 'Content-Security-Policy': "default-src 'none'; sandbox" } as const;

/** Events kept for `/events/recent` (the audit ring). */
export const AUDIT_RING = 256;

/** Origins allowed to read responses cross-origin: loopback pages only (O-HTTP). */
export function corsOrigin(origin: string | undefined): string | null {
  if (origin === undefined) return null;
  return /^http:\/\/(127\.0\.0\.1|localhost)(:[0-9]{1,5})?$/.test(origin) ? origin : null;
}

function sendHostError(res: ServerResponse, code: HostCode, head: boolean, extra: Record<string, string> = {}): void {
  const body = hostErrorBody(code);
  res.writeHead(HOST_STATUS[code], { ...BASE_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...extra });
  res.end(head ? undefined : body);
}

/** A raw response on a socket Node's parser refused (no ServerResponse exists). */
function rawError(socket: Socket, code: HostCode): void {
  const body = hostErrorBody(code);
  const status = HOST_STATUS[code];
  const reason = code === 'headers_too_large' ? 'Request Header Fields Too Large' : code === 'uri_too_long' ? 'URI Too Long' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Parse one `bytes=` range against a size: [start, end] inclusive, 'unsatisfiable', or null (ignore the header). */
export function parseRange(h: string, size: number): [number, number] | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(h.trim());
  if (!m) return null; // other units, several ranges, malformed: served whole (RFC 9110 §14.2)
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  if (a!.length > 15 || b!.length > 15) return 'unsatisfiable';
  if (a === '') {
    const n = Number(b);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (b !== '' && Number(b) < start) return null; // invalid: ignored
  if (start >= size) return 'unsatisfiable';
  return [start, end];
}

function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]{0,8192}$/;
const HOST_OWNED: ReadonlySet<string> = new Set([
  'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'proxy-connection', 'te', 'trailer',
  'content-range', 'accept-ranges', 'etag', 'date', 'set-cookie', 'retry-after', 'allow',
]);

const OPERATIONS: ReadonlySet<string> = new Set(['project', 'read', 'write', 'execute']);

function sizeOfBody(b: Uint8Array | ByteSource): number {
  return b instanceof Uint8Array ? b.length : b.size;
}

async function writeChunk(res: ServerResponse, chunk: Uint8Array): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(chunk)) return true;
  return new Promise((done) => {
    const ok = () => { cleanup(); done(true); };
    const gone = () => { cleanup(); done(false); };
    const cleanup = () => { res.off('drain', ok); res.off('close', gone); };
    res.on('drain', ok);
    res.on('close', gone);
  });
}

export async function startHttpServer(opts: HttpServerOptions): Promise<RunningServer> {
  const L: HttpLimits = { ...HTTP_LIMITS, ...opts.limits };
  const objects = createObjectServer({ clock: () => Date.now(), ...opts.core, store: opts.store });
  let inflight = 0;
  let internal = 0;
  const sse = new Set<ServerResponse>();
  let port = 0;
  const ring: Array<{ type: string; data: unknown }> = [];
  objects.on((e: Readonly<ObjectEvent>) => {
    ring.push({ type: e.type, data: e.data });
    if (ring.length > AUDIT_RING) ring.shift();
  });

  async function streamBody(res: ServerResponse, body: Uint8Array | ByteSource, start: number, end: number): Promise<void> {
    if (body instanceof Uint8Array) { res.end(body.subarray(start, end + 1)); return; }
    for (let off = start; off <= end; off += L.chunkBytes) {
      const n = Math.min(L.chunkBytes, end + 1 - off);
      const chunk = await body.read(off, n);
      if (!(await writeChunk(res, chunk))) return;
    }
    res.end();
  }

  function events(req: IncomingMessage, res: ServerResponse, head: boolean): void {
    if (sse.size >= L.maxEventClients) { sendHostError(res, 'busy', head, { 'Retry-After': '5' }); return; }
    res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    if (head) { res.end(); return; }
    sse.add(res);
    res.write('retry: 2000\n: object events\n\n');
    const off = objects.on((e: Readonly<ObjectEvent>) => {
      if (res.writableLength > L.maxEventBacklog) { res.destroy(); return; }
      res.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    });
    const beat = setInterval(() => { res.write(': keep-alive\n\n'); }, 15_000);
    beat.unref();
    const done = () => { off(); clearInterval(beat); sse.delete(res); };
    res.on('close', done);
    req.socket.setTimeout(0);
  }

  async function object(req: IncomingMessage, res: ServerResponse, path: string, query: string, head: boolean): Promise<void> {
    const q = new URLSearchParams(query);
    const r: ObjectRequest = { path };
    const projection = q.get('projection');
    if (projection !== null) r.projection = projection;
    const version = q.get('version');
    if (version !== null) r.version = version;
    const hash = q.get('hash');
    if (hash !== null) r.hash = hash;
    const op = q.get('operation');
    if (op !== null) {
      if (!OPERATIONS.has(op)) { sendHostError(res, 'bad_request', head); return; }
      r.operation = op as Operation;
    }
    const accept = req.headers.accept;
    if (accept !== undefined) r.accept = accept;
    const out = await objects.handle(r);
    if (!out.ok) {
      res.writeHead(out.status, { ...BASE_HEADERS, 'Content-Type': 'application/json', 'Content-Length': out.body.length });
      res.end(head ? undefined : out.body);
      return;
    }
    if (out.status < 200) {
      // The core allows 100–599 in an http-response projection; an interim status cannot carry a response here.
      const body = JSON.stringify(new ObjectError('projection_unavailable', `status ${out.status} cannot be sent as a response`, 'project', out.id).toJSON());
      res.writeHead(500, { ...BASE_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(head ? undefined : body);
      return;
    }
    const etag = `"${out.hash}"`;
    const headers: Record<string, string | number> = { ...BASE_HEADERS };
    for (const [k, v] of Object.entries(out.headers)) {
      // Projection headers are data: framing, hop-by-hop and cookie headers are the host's, and a
      // name or value Node would refuse is dropped rather than failing the response.
      if (!HEADER_NAME.test(k) || HOST_OWNED.has(k.toLowerCase()) || !HEADER_VALUE.test(String(v))) continue;
      headers[k] = v;
    }
    headers.ETag = etag;
    const inm = req.headers['if-none-match'];
    if (out.status === 200 && typeof inm === 'string' && etagMatches(inm, etag)) {
      res.writeHead(304, { ETag: etag, 'Cache-Control': 'no-cache' });
      res.end();
      return;
    }
    const size = sizeOfBody(out.body);
    let start = 0;
    let end = size - 1;
    let status = out.status;
    if (out.status === 200 && (await rangeable(r, out.projection, out.hash))) {
      headers['Accept-Ranges'] = 'bytes';
      const rh = req.headers.range;
      const ifRange = req.headers['if-range'];
      if (typeof rh === 'string' && (ifRange === undefined || ifRange === etag)) {
        const range = parseRange(rh, size);
        if (range === 'unsatisfiable') {
          sendHostError(res, 'range_not_satisfiable', head, { 'Content-Range': `bytes */${size}`, ETag: etag });
          return;
        }
        if (range) {
          [start, end] = range;
          status = 206;
          headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
        }
      }
    }
    headers['Content-Length'] = Math.max(0, end - start + 1);
    let first: Uint8Array | null = null;
    if (!head && end >= start && !(out.body instanceof Uint8Array)) {
      // The first chunk is read before the status is sent, so a payload that cannot be read
      // (or changed on disk after it was verified) is a 503 in the §15.12 shape, not a reset.
      try {
        first = await out.body.read(start, Math.min(L.chunkBytes, end + 1 - start));
      } catch {
        const body = JSON.stringify(new ObjectError('payload_unavailable', 'the payload is unavailable', 'project', out.id).toJSON());
        res.writeHead(503, { ...BASE_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
    }
    res.writeHead(status, headers);
    if (head || size === 0) { res.end(); return; }
    if (first) {
      if (!(await writeChunk(res, first))) return;
      start += first.length;
      if (start > end) { res.end(); return; }
    }
    await streamBody(res, out.body, start, end);
  }

  /** Range applies to raw reads and `binary` projections (whose bytes are the payload's, stable per hash). */
  async function rangeable(r: ObjectRequest, projection: string | null, hash: string): Promise<boolean> {
    if (projection === null) return true; // operation=read: the payload bytes
    try {
      const d = await objects.resolve(r);
      if (d.hash !== hash) return false; // the descriptor changed in between
      const p = (d.projections as Record<string, { type?: string }> | undefined)?.[projection];
      return p?.type === 'binary';
    } catch {
      return false;
    }
  }

  function sendJson(res: ServerResponse, status: number, value: unknown, head: boolean): void {
    const body = JSON.stringify(value);
    res.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(head ? undefined : body);
  }

  /** The stored descriptor bytes of one id (resolution errors in the §15.12 shape). */
  async function descriptorBytes(res: ServerResponse, path: string, head: boolean): Promise<void> {
    let id: string;
    try { id = resolveRef(`/objects/${path.slice('/descriptors/'.length)}`).id; } catch (e) {
      const err = e instanceof ObjectError ? e : new ObjectError('invalid_id', 'not a valid object id', 'resolve', null);
      sendJson(res, err.status, err.toJSON(), head);
      return;
    }
    const d = await opts.store.descriptor(id);
    if (d === null) {
      const err = new ObjectError('not_found', 'no such object', 'resolve', id);
      sendJson(res, err.status, err.toJSON(), head);
      return;
    }
    const max = opts.core?.descriptorLimits?.maxBytes ?? DESCRIPTOR_LIMITS.maxBytes;
    const size = d instanceof Uint8Array ? d.length : d.size;
    if (size > max) {
      const err = new ObjectError('descriptor_too_large', `the descriptor is ${size} bytes (limit ${max})`, 'load', id);
      sendJson(res, err.status, err.toJSON(), head);
      return;
    }
    const bytes = d instanceof Uint8Array ? d : await d.read(0, size);
    res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'application/json', 'Content-Length': bytes.length });
    res.end(head ? undefined : bytes);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? '';
    const head = method === 'HEAD';
    const url = req.url ?? '';
    if (url.length > L.maxUrl) { sendHostError(res, 'uri_too_long', head, { Connection: 'close' }); return; }
    const host = req.headers.host;
    if (host !== `${HOST}:${port}` && host !== `localhost:${port}`) { sendHostError(res, 'forbidden_host', head); return; }
    if (method !== 'GET' && !head) { sendHostError(res, 'method_not_allowed', head, { Allow: 'GET, HEAD', Connection: 'close' }); return; }
    const len = req.headers['content-length'];
    if ((len !== undefined && len !== '0') || req.headers['transfer-encoding'] !== undefined) {
      sendHostError(res, 'body_not_allowed', head, { Connection: 'close' });
      return;
    }
    const qi = url.indexOf('?');
    const path = qi < 0 ? url : url.slice(0, qi);
    const query = qi < 0 ? '' : url.slice(qi + 1);
    if (path === '/') {
      const body = JSON.stringify({ server: 'asx object server', objects: '/objects', events: '/events' });
      res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(head ? undefined : body);
      return;
    }
    if (path === '/events') { events(req, res, head); return; }
    if (path === '/events/recent') { sendJson(res, 200, { events: ring }, head); return; }
    if (path === '/stats') {
      const { events: emitted, handlerErrors, ...cache } = objects.stats();
      sendJson(res, 200, { cache, events: emitted, handler_errors: handlerErrors, inflight: inflight - 1, event_clients: sse.size }, head);
      return;
    }
    if (path.startsWith('/descriptors/')) { await descriptorBytes(res, path, head); return; }
    if (path === '/objects' || path === '/objects/') {
      const ids = opts.store.list ? await opts.store.list() : [];
      const body = JSON.stringify({ objects: ids });
      res.writeHead(200, { ...BASE_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(head ? undefined : body);
      return;
    }
    if (path.startsWith('/objects/')) { await object(req, res, path, query, head); return; }
    sendHostError(res, 'no_route', head);
  }

  const server = createServer({ maxHeaderSize: L.maxHeaderBytes, requestTimeout: L.requestTimeoutMs, headersTimeout: Math.min(L.requestTimeoutMs, 10_000), keepAliveTimeout: 5_000 }, (req, res) => {
    const isEvents = (req.url ?? '').split('?')[0] === '/events';
    if (!isEvents && inflight >= L.maxInflight) {
      sendHostError(res, 'busy', req.method === 'HEAD', { 'Retry-After': '1' });
      return;
    }
    if (!isEvents) inflight++;
    const allow = corsOrigin(req.headers.origin);
    if (allow) { res.setHeader('Access-Control-Allow-Origin', allow); res.setHeader('Vary', 'Origin'); res.setHeader('Access-Control-Expose-Headers', 'ETag, Content-Range, Accept-Ranges, Content-Length'); }
    let released = false;
    const release = () => { if (!released && !isEvents) { released = true; inflight--; } };
    res.on('close', release);
    res.on('finish', release);
    route(req, res).catch(() => {
      internal++;
      if (!res.headersSent) {
        try { sendHostError(res, 'internal_error', req.method === 'HEAD', { Connection: 'close' }); return; } catch { /* fall through */ }
      }
      res.destroy();
    });
  });
  server.maxConnections = L.maxConnections;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) { socket.destroy(); return; }
    rawError(socket, err.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : 'bad_request');
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, HOST, () => { server.off('error', fail); done(); });
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${HOST}:${port}/`;
  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    http: server,
    objects,
    internalErrors: () => internal,
    close() {
      closing ??= new Promise<void>((done) => {
        for (const c of sse) c.end();
        server.close(() => done());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
      return closing;
    },
  };
}
