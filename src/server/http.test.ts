/** O-STORE / O-HTTP: the HTTP host over a folder store (docs/laws.md). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { COUNTER_PAYLOAD, counterDescriptor } from '../core/objects/testkit.ts';
import { MemoryStore } from '../core/objects/server.ts';
import { createFolderStore, type FolderStore } from './folderStore.ts';
import { startHttpServer, parseRange, type RunningServer } from './http.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function hashOf(b: Uint8Array): string { return `sha256:${createHash('sha256').update(b).digest('hex')}`; }

/** Write a descriptor (hash and size filled in) and its blob; `blob` overrides the stored bytes. */
async function putObject(dir: string, d: { id: string; [k: string]: unknown }, payload: Uint8Array, blob: Uint8Array = payload): Promise<string> {
  const hash = hashOf(payload);
  const segs = d.id.slice('object://'.length).split('/');
  const file = join(dir, 'objects', ...segs) + '.json';
  await mkdir(join(file, '..'), { recursive: true });
  const pl = { ...(d.payload as object), size: payload.length };
  await writeFile(file, JSON.stringify({ ...d, payload: pl, hash }));
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(dir, 'blobs', 'sha256', hash.slice(7)), blob);
  return hash;
}

function binaryDescriptor(id: string, mime = 'application/octet-stream', extra: Record<string, unknown> = {}) {
  return {
    $schema: 'object://schema/object.v1', id,
    payload: { type: 'binary', mime, encoding: 'raw' },
    authority: 'none', executable: false,
    projections: { default: { type: 'binary', source: '@payload' }, raw: { type: 'binary', source: '@payload' } },
    invariants: ['immutable_payload', 'no_execution', 'projection_only'],
    ...extra,
  };
}

/**
 * One request over a raw socket; resolves with the whole response text (the server closes, or
 * the timeout). The socket is not half-closed: Node's server ends a half-closed connection
 * without waiting for an asynchronous response (httpAllowHalfOpen is false), as curl never does.
 */
function rawRequest(port: number, data: string | Buffer, timeoutMs = 3000): Promise<string> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    const s = connect(port, '127.0.0.1');
    const finish = () => { clearTimeout(t); s.destroy(); done(Buffer.concat(chunks).toString('latin1')); };
    const t = setTimeout(finish, timeoutMs);
    s.on('data', (c) => chunks.push(c));
    s.on('close', finish);
    s.on('error', finish);
    s.on('connect', () => { s.write(data); });
  });
}
const statusOf = (resp: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(resp)?.[1] ?? 0);

let dir: string;
let outside: string;
let store: FolderStore;
let srv: RunningServer;
let base: string;
const bin = new Uint8Array(randomBytes(100_000));
let pack: Uint8Array;
let binHash: string;
let packHash: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asx-serve-'));
  outside = await mkdtemp(join(tmpdir(), 'asx-outside-'));
  pack = new Uint8Array(await readFile(join(ROOT, 'public', 'demo', 'demo-5kb.v2c.bin')));
  await putObject(dir, counterDescriptor(), COUNTER_PAYLOAD);
  binHash = await putObject(dir, binaryDescriptor('object://example/blob'), bin);
  packHash = await putObject(dir, binaryDescriptor('object://packs/demo', 'application/octet-stream', {
    projections: { manifest: { type: 'json', emit: '@payload.manifest' }, raw: { type: 'binary', source: '@payload' } },
  }), pack);
  const good = new TextEncoder().encode('{"counter":1}');
  const bad = new TextEncoder().encode('{"counter":9}');
  await putObject(dir, counterDescriptor({ id: 'object://example/tampered', projections: { default: { type: 'json', emit: '@payload' } } }), good, bad);
  // A descriptor that is a symlink to a file outside the store.
  const escDesc = counterDescriptor({ id: 'object://example/escape' });
  await writeFile(join(outside, 'escape.json'), JSON.stringify({ ...escDesc, hash: hashOf(COUNTER_PAYLOAD) }));
  await symlink(join(outside, 'escape.json'), join(dir, 'objects', 'example', 'escape.json'));
  // A descriptor inside, whose blob is a symlink leaving the store.
  const linked = new TextEncoder().encode('{"counter":42}');
  const lh = hashOf(linked);
  await writeFile(join(dir, 'objects', 'example', 'linked.json'), JSON.stringify({ ...counterDescriptor({ id: 'object://example/linked' }), hash: lh, payload: { type: 'json', mime: 'application/json', size: linked.length } }));
  await writeFile(join(outside, 'blob'), linked);
  await symlink(join(outside, 'blob'), join(dir, 'blobs', 'sha256', lh.slice(7)));
  // A directory symlink leaving the store.
  await mkdir(join(outside, 'dom'), { recursive: true });
  await writeFile(join(outside, 'dom', 'counter.json'), JSON.stringify({ ...counterDescriptor({ id: 'object://outdom/counter' }), hash: hashOf(COUNTER_PAYLOAD) }));
  await symlink(join(outside, 'dom'), join(dir, 'objects', 'outdom'));
  store = createFolderStore(dir);
  srv = await startHttpServer({ store });
  base = srv.url.slice(0, -1);
});

afterAll(async () => {
  await srv?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function get(path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Uint8Array; text: string }> {
  const r = await fetch(base + path, init);
  const body = new Uint8Array(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, body, text: new TextDecoder().decode(body) };
}

function expectNoInternals(text: string): void {
  expect(text).not.toContain(dir);
  expect(text).not.toContain(outside);
  expect(text).not.toMatch(/\bat .*\.ts:\d+/);
  expect(text).not.toContain('blobs/');
}

describe('O-HTTP objects', () => {
  it('binds to 127.0.0.1 and lists ids', async () => {
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const r = await get('/objects');
    expect(r.status).toBe(200);
    const ids = JSON.parse(r.text).objects as string[];
    expect(ids).toEqual(expect.arrayContaining(['object://example/counter', 'object://example/blob', 'object://packs/demo']));
    expect(ids).not.toContain('object://example/escape'); // symlinks are not listed
    expect(ids.some((i) => i.startsWith('object://outdom'))).toBe(false);
  });

  it('200: default projection, named projection, Accept, ETag = payload hash', async () => {
    const r = await get('/objects/example/counter');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).counter).toBe(3);
    expect(r.headers.get('etag')).toBe(`"${hashOf(COUNTER_PAYLOAD)}"`);
    const h = await get('/objects/example/counter?projection=http');
    expect(h.status).toBe(200);
    expect(h.headers.get('cache-control')).toBe('immutable');
    expect(JSON.parse(h.text).label).toBe('demo');
    const raw = await get('object://example/counter'.replace('object://', '/objects/') + '?projection=raw');
    expect(raw.body).toEqual(COUNTER_PAYLOAD);
    const m = await get('/objects/packs/demo?projection=manifest');
    expect(m.status).toBe(200);
    expect(JSON.parse(m.text).schema).toBe('asx.pack.manifest.v1');
    const acc = await get('/objects/packs/demo', { headers: { Accept: 'application/octet-stream' } });
    expect(acc.status).toBe(200);
    expect(acc.body).toEqual(pack);
    const accJson = await get('/objects/packs/demo', { headers: { Accept: 'text/html;q=0.9, application/json' } });
    expect(JSON.parse(accJson.text).schema).toBe('asx.pack.manifest.v1');
    const b = await get('/objects/example/blob');
    expect(b.status).toBe(200);
    expect(b.body).toEqual(bin);
    expect(b.headers.get('etag')).toBe(`"${binHash}"`);
    expect(b.headers.get('accept-ranges')).toBe('bytes');
  });

  it('http-response headers that are the host\'s (framing, hop-by-hop, cookies) are dropped', async () => {
    const d2 = await mkdtemp(join(tmpdir(), 'asx-serve-h-'));
    const s2store = createFolderStore(d2);
    const s2 = await startHttpServer({ store: s2store });
    try {
      await putObject(d2, counterDescriptor({
        projections: {
          default: { type: 'http-response', status: 200, headers: { 'Content-Type': 'application/json', 'Content-Length': '1', 'Transfer-Encoding': 'chunked', Connection: 'upgrade', 'Set-Cookie': 'a=b', 'X-Ok': 'yes' }, body: '@payload' },
          early: { type: 'http-response', status: 101, body: '@payload' },
        },
      }), COUNTER_PAYLOAD);
      const r = await fetch(s2.url + 'objects/example/counter');
      expect(r.status, await r.clone().text()).toBe(200);
      expect(r.headers.get('x-ok')).toBe('yes');
      expect(r.headers.get('set-cookie')).toBeNull();
      expect(r.headers.get('transfer-encoding')).toBeNull();
      expect(JSON.parse(await r.text()).counter).toBe(3);
      const e = await fetch(s2.url + 'objects/example/counter?projection=early');
      expect(e.status).toBe(500);
      expect((await e.json()).error.code).toBe('projection_unavailable');
      expect(s2.internalErrors()).toBe(0);
    } finally {
      await s2.close();
      await s2store.close();
      await rm(d2, { recursive: true, force: true });
    }
  });

  it('304 on If-None-Match; HEAD has headers and no body', async () => {
    const etag = `"${packHash}"`;
    const r = await get('/objects/packs/demo?projection=raw', { headers: { 'If-None-Match': etag } });
    expect(r.status).toBe(304);
    expect(r.body.length).toBe(0);
    const w = await get('/objects/packs/demo?projection=raw', { headers: { 'If-None-Match': `W/"x", ${etag}` } });
    expect(w.status).toBe(304);
    const h = await get('/objects/example/blob', { method: 'HEAD' });
    expect(h.status).toBe(200);
    expect(h.headers.get('content-length')).toBe(String(bin.length));
    expect(h.body.length).toBe(0);
    const raw = await rawRequest(srv.port, `HEAD /objects/example/blob HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nConnection: close\r\n\r\n`);
    expect(statusOf(raw)).toBe(200);
    expect(raw.endsWith('\r\n\r\n')).toBe(true);
  });

  it('206 for a single range (a-b, a-, -n) and 416 when unsatisfiable', async () => {
    const a = await get('/objects/packs/demo?projection=raw', { headers: { Range: 'bytes=0-7' } });
    expect(a.status).toBe(206);
    expect(a.text).toBe('ASXW2CBN');
    expect(a.headers.get('content-range')).toBe(`bytes 0-7/${pack.length}`);
    const b = await get('/objects/example/blob', { headers: { Range: 'bytes=99990-' } });
    expect(b.status).toBe(206);
    expect(b.body).toEqual(bin.subarray(99_990));
    const c = await get('/objects/example/blob', { headers: { Range: 'bytes=-5' } });
    expect(c.body).toEqual(bin.subarray(bin.length - 5));
    const d = await get('/objects/example/blob', { headers: { Range: 'bytes=100000-' } });
    expect(d.status).toBe(416);
    expect(d.headers.get('content-range')).toBe(`bytes */${bin.length}`);
    expect(JSON.parse(d.text).error.code).toBe('range_not_satisfiable');
    const multi = await get('/objects/example/blob', { headers: { Range: 'bytes=0-1,5-6' } });
    expect(multi.status).toBe(200); // several ranges: served whole
    const json = await get('/objects/example/counter', { headers: { Range: 'bytes=0-1' } });
    expect(json.status).toBe(200); // json projections are not ranged
    expect(parseRange('bytes=5-2', 10)).toBeNull();
    expect(parseRange('bytes=-0', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=3-100', 10)).toEqual([3, 9]);
  });

  it('404 / 422 tampered / 403 / 405 / 414 / 431 with the §15.12 shape', async () => {
    const nf = await get('/objects/example/missing');
    expect(nf.status).toBe(404);
    expect(JSON.parse(nf.text).error).toMatchObject({ category: 'resolution_error', code: 'not_found' });
    const t = await get('/objects/example/tampered');
    expect(t.status).toBe(422);
    expect(JSON.parse(t.text).error).toMatchObject({ category: 'verification_error', code: 'hash_mismatch' });
    expect(t.text).not.toContain('counter":9');
    expectNoInternals(t.text);
    const f = await get('/objects/example/counter?operation=read');
    expect(f.status).toBe(403);
    expect(JSON.parse(f.text).error.category).toBe('authority_error');
    const p = await get('/objects/example/counter', { method: 'POST', body: 'x' });
    expect(p.status).toBe(405);
    expect(p.headers.get('allow')).toBe('GET, HEAD');
    expect(JSON.parse(p.text).error.code).toBe('method_not_allowed');
    const long = await get('/objects/example/' + 'a'.repeat(3000));
    expect(long.status).toBe(414);
    const huge = await rawRequest(srv.port, `GET /objects/example/counter HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`);
    expect(statusOf(huge)).toBe(431);
    const host = await rawRequest(srv.port, 'GET /objects/example/counter HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n');
    expect(statusOf(host)).toBe(403);
    expect((await get('/nothing')).status).toBe(404);
  });

  it('path traversal in URLs gets typed 4xx and the server keeps answering', async () => {
    const attempts = [
      '/objects/../x', '/objects/example/../../etc/passwd', '/objects/%2e%2e/%2e%2e/etc/passwd', '/objects/example/%2E%2E',
      '/objects/example%5c..%5cx', '/objects/example/a%5cb', '/objects/example/a%00b', '/objects/C:/x', '/objects//etc/passwd',
      '/objects/%2fetc/passwd', '/objects/example/nul', '/objects/example/x%', '/objects/example/%c0%ae%c0%ae',
      `/objects/example/${'%2e'.repeat(600)}`, `/objects/${'../'.repeat(1000)}etc/passwd`, `/objects/${'%2e%2e%2f'.repeat(400)}x`, '/objects/example/..%2f..%2fx', '/objects/\\\\host\\share',
    ];
    for (const a of attempts) {
      const resp = await rawRequest(srv.port, `GET ${a} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\nConnection: close\r\n\r\n`);
      const s = statusOf(resp);
      expect(s, a).toBeGreaterThanOrEqual(400);
      expect(s, a).toBeLessThan(500);
      const body = resp.slice(resp.indexOf('\r\n\r\n') + 4);
      if (s !== 400) expect(JSON.parse(body).error.code, a).toMatch(/^(invalid_id|not_found|uri_too_long)$/);
      expectNoInternals(resp);
      expect((await get('/objects/example/counter')).status).toBe(200);
    }
  });

  it('symlinks leaving the store are refused (descriptor, blob, directory)', async () => {
    const e = await get('/objects/example/escape');
    expect(e.status).toBe(404);
    expectNoInternals(e.text);
    const l = await get('/objects/example/linked');
    expect(l.status).toBe(503);
    expect(JSON.parse(l.text).error.code).toBe('payload_unavailable');
    expectNoInternals(l.text);
    const d = await get('/objects/outdom/counter');
    expect(d.status).toBe(404);
  });

  it('SSE /events delivers the core events of a request', async () => {
    const ac = new AbortController();
    const r = await fetch(base + '/events', { signal: ac.signal });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = r.body!.getReader();
    let seen = '';
    await reader.read(); // the opening comment: the listener is attached
    await get('/objects/example/counter?projection=http');
    const deadline = Date.now() + 5000;
    while (!seen.includes('event: object.projected') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    ac.abort();
    expect(seen).toContain('event: object.resolved');
    expect(seen).toContain('event: object.projected');
    const line = seen.split('\n').find((x) => x.startsWith('data: ') && x.includes('"projection"'))!;
    expect(JSON.parse(line.slice(6))).toMatchObject({ id: 'object://example/counter', projection: 'http' });
  });

  it('survives a fuzz run of malformed requests over raw sockets, then serves 200', async () => {
    let seed = 12345;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const pieces = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'G\0T', ' ', '/objects/', '/objects/example/counter',
      '/events', '..', '%2e', '%', '%00', '\\', '?projection=', 'raw', '@sha256:', '\r\n', '\n', '\r', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/9',
      'Host: 127.0.0.1:' + srv.port, 'Range: bytes=', '-', '0', '99999999999999999999', 'Content-Length: ', 'Transfer-Encoding: chunked',
      'Accept: ', '*/*;q=', ':', '\u00ff', 'If-None-Match: "', 'a'.repeat(300)];
    const N = 3000;
    let answered = 0;
    for (let i = 0; i < N; i += 100) {
      const batch: Promise<string>[] = [];
      for (let j = 0; j < 100; j++) {
        let req: Buffer;
        const kind = rnd(3);
        if (kind === 0) req = randomBytes(1 + rnd(400));
        else {
          const parts: string[] = [];
          const n = 1 + rnd(14);
          for (let k = 0; k < n; k++) parts.push(pieces[rnd(pieces.length)]!);
          if (kind === 2) parts.unshift(`GET /objects/example/${parts.join('')} HTTP/1.1\r\nHost: 127.0.0.1:${srv.port}\r\n`);
          req = Buffer.from(parts.join('') + '\r\n\r\n', 'latin1');
        }
        batch.push(rawRequest(srv.port, req, 1000));
      }
      for (const resp of await Promise.all(batch)) {
        if (resp.length > 0) answered++;
        expect(resp).not.toMatch(/\bat .*\.ts:\d+/);
        expect(resp).not.toContain(dir);
        const s = statusOf(resp);
        if (s !== 0) expect(s === 200 || s === 206 || s === 304 || (s >= 400 && s < 500) || s === 503).toBe(true);
      }
    }
    expect(answered).toBeGreaterThan(N / 4);
    expect(srv.internalErrors()).toBe(0);
    const ok = await get('/objects/example/counter');
    expect(ok.status).toBe(200);
  }, 60_000);
});

describe('O-HTTP limits and failures', () => {
  it('503 with Retry-After beyond the concurrency bound; 500 JSON when the host throws, then keeps serving', async () => {
    const mem = new MemoryStore();
    mem.put(counterDescriptor(), COUNTER_PAYLOAD);
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let blocking = true;
    let entered!: () => void;
    const inside = new Promise<void>((r) => { entered = r; });
    const slow = {
      descriptor: async (id: string) => { if (blocking) { entered(); await gate; } return mem.descriptor(id); },
      payload: (h: string) => mem.payload(h),
      list: async (): Promise<string[]> => { throw new Error('EACCES /secret/path'); },
    };
    const s = await startHttpServer({ store: slow, limits: { maxInflight: 1 } });
    try {
      const first = fetch(s.url + 'objects/example/counter');
      await inside; // the first request holds the only slot
      const second = await fetch(s.url + 'objects/example/counter');
      expect(second.status).toBe(503);
      expect(second.headers.get('retry-after')).toBe('1');
      expect((await second.json()).error.code).toBe('busy');
      release();
      blocking = false;
      expect((await first).status).toBe(200);
      const boom = await fetch(s.url + 'objects');
      expect(boom.status).toBe(500);
      const text = await boom.text();
      expect(JSON.parse(text).error).toMatchObject({ code: 'internal_error', object_id: null });
      expect(text).not.toContain('secret');
      expect(s.internalErrors()).toBe(1);
      expect((await fetch(s.url + 'objects/example/counter')).status).toBe(200);
    } finally {
      release();
      await s.close();
    }
  });

  it('event streams are bounded (503 beyond maxEventClients) and a pinned hash is honoured', async () => {
    const mem = new MemoryStore();
    const d = mem.put(counterDescriptor(), COUNTER_PAYLOAD);
    const s = await startHttpServer({ store: mem, limits: { maxEventClients: 1 } });
    const ac = new AbortController();
    try {
      const one = await fetch(s.url + 'events', { signal: ac.signal });
      expect(one.status).toBe(200);
      const two = await fetch(s.url + 'events');
      expect(two.status).toBe(503);
      expect((await two.json()).error.code).toBe('busy');
      expect((await fetch(s.url + `objects/example/counter@${d.hash}`)).status).toBe(200);
      const wrong = await fetch(s.url + `objects/example/counter@sha256:${'0'.repeat(64)}`);
      expect(wrong.status).toBe(404);
      expect((await wrong.json()).error.code).toBe('hash_not_found');
    } finally {
      ac.abort();
      await s.close();
    }
  });

  it('asx serve DIR --port 0 prints the URL, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'asx.mjs'), 'serve', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.on('data', (c) => { out += c; if (out.includes('\n')) done(out.split('\n')[0]!); });
        child.on('exit', (code) => fail(new Error(`exited ${code}`)));
      });
      const url = JSON.parse(line).url as string;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const r = await fetch(url + 'objects/example/counter');
      expect(r.status).toBe(200);
      expect((await r.json()).counter).toBe(3);
      const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
