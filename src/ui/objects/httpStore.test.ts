/**
 * The browser's ObjectStore over HTTP (docs/laws.md O-BROWSER), run against the real
 * `asx serve` host over the demo store and against hostile servers: the core lifecycle on
 * top of it verifies exactly what the server verifies, and a server that lies (other bytes
 * under the hash, a huge Content-Length, a list that is not JSON) gets typed refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createFolderStore, type FolderStore } from '../../server/folderStore.ts';
import { startHttpServer, type RunningServer } from '../../server/http.ts';
import { createObjectServer } from '../../core/objects/server.ts';
import { HttpObjectStore, idPath, overlayStore, rawProjectionOf, BROWSER_PAYLOAD_MAX } from './httpStore.ts';
import { normalizeBase } from './session.ts';
import type { Descriptor } from '../../core/objects/descriptor.ts';

const DEMO = join(import.meta.dirname, '..', '..', '..', 'demo-objects');

describe('HttpObjectStore against asx serve', () => {
  let store: FolderStore;
  let server: RunningServer;
  beforeAll(async () => { store = createFolderStore(DEMO); server = await startHttpServer({ store, port: 0 }); });
  afterAll(async () => { await server.close(); await store.close(); });

  it('lists, loads and verifies every demo object in a client-side lifecycle; projections equal the server\'s bytes', async () => {
    const http = new HttpObjectStore(server.url);
    const core = createObjectServer({ store: http });
    core.on(() => {});
    const ids = await http.list();
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) {
      const v = await core.verify({ path: id });
      expect(v.ok, `${id}: ${v.ok ? '' : v.error.message}`).toBe(true);
      const d = v.ok ? v.object.descriptor : null;
      for (const name of Object.keys(d!.projections ?? {})) {
        const mine = await core.handle({ path: id, projection: name });
        const theirs = new Uint8Array(await (await fetch(`${server.url}objects/${idPath(id)}?projection=${name}`)).arrayBuffer());
        expect(mine.ok).toBe(true);
        expect(Buffer.compare(mine.body as Uint8Array, theirs), `${id} ${name}`).toBe(0);
      }
    }
  });

  it('an edited descriptor (overlay) is verified against the server\'s payload: a wrong size is size_mismatch', async () => {
    const http = new HttpObjectStore(server.url);
    const id = 'object://demo/streams/a';
    const d = JSON.parse(readFileSync(join(DEMO, 'objects/demo/streams/a.json'), 'utf8'));
    d.payload.size += 1;
    const core = createObjectServer({ store: overlayStore(http, id, new TextEncoder().encode(JSON.stringify(d))) });
    core.on(() => {});
    const v = await core.verify({ path: id });
    expect(!v.ok && v.error.code).toBe('size_mismatch');
  });
});

describe('HttpObjectStore against hostile servers', () => {
  let srv: Server;
  let base: string;
  let mode = '';
  const realDescriptor = readFileSync(join(DEMO, 'objects/demo/streams/a.json'));
  const hash = JSON.parse(realDescriptor.toString()).hash as string;
  beforeAll(async () => {
    srv = createServer((req, res) => {
      const url = req.url ?? '';
      if (url === '/objects') {
        if (mode === 'list-html') { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<!doctype html>'); return; }
        if (mode === 'list-shape') { res.end(JSON.stringify({ objects: [1, 2] })); return; }
        res.end(JSON.stringify({ objects: ['object://demo/streams/a'] }));
        return;
      }
      if (url.startsWith('/descriptors/')) {
        if (mode === 'descriptor-huge') { res.writeHead(200, { 'Content-Length': String(64 << 20) }); res.write('{'); setTimeout(() => res.destroy(), 200); return; }
        res.end(realDescriptor);
        return;
      }
      if (url.startsWith('/objects/')) {
        if (mode === 'other-etag') { res.writeHead(200, { ETag: `"sha256:${'0'.repeat(64)}"` }); res.end('{}'); return; }
        if (mode === 'lying-bytes') { res.writeHead(200, { ETag: `"${hash}"` }); res.end(JSON.stringify({ streams: { evil: [1] } }).padEnd(10173, ' ')); return; }
        if (mode === 'payload-huge') { res.writeHead(200, { ETag: `"${hash}"`, 'Content-Length': String(BROWSER_PAYLOAD_MAX + 1) }); res.write('{'); setTimeout(() => res.destroy(), 200); return; }
        res.writeHead(500); res.end();
        return;
      }
      res.writeHead(404); res.end();
    });
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((ok) => srv.close(() => ok())));

  const verify = async () => {
    const http = new HttpObjectStore(base);
    const core = createObjectServer({ store: http });
    core.on(() => {});
    return { http, v: await core.verify({ path: 'object://demo/streams/a' }) };
  };

  it('bytes that do not hash to the descriptor are refused (hash_mismatch), never projected', async () => {
    mode = 'lying-bytes';
    const { v } = await verify();
    expect(!v.ok && v.error.code).toBe('hash_mismatch');
  });
  it('bytes under another ETag are not taken (payload_unavailable, with the reason)', async () => {
    mode = 'other-etag';
    const { v, http } = await verify();
    expect(!v.ok && v.error.code).toBe('payload_unavailable');
    expect(http.unavailable.get('object://demo/streams/a')).toMatch(/another hash/);
  });
  it('a declared length over the limits is refused before the body is read', async () => {
    mode = 'payload-huge';
    let r = await verify();
    expect(!r.v.ok && r.v.error.code).toBe('payload_unavailable');
    mode = 'descriptor-huge';
    // The store names the problem; the core reports any store failure as descriptor_unavailable (it never passes store internals on).
    await expect(new HttpObjectStore(base).descriptor('object://demo/streams/a')).rejects.toMatchObject({ code: 'descriptor_too_large' });
    r = await verify();
    expect(!r.v.ok && r.v.error.code).toBe('descriptor_unavailable');
  });
  it('a list that is not {"objects": [ids]} is bad_json; an unreachable server is descriptor_unavailable', async () => {
    mode = 'list-html';
    await expect(new HttpObjectStore(base).list()).rejects.toMatchObject({ code: 'bad_json' });
    mode = 'list-shape';
    await expect(new HttpObjectStore(base).list()).rejects.toMatchObject({ code: 'bad_json' });
    await expect(new HttpObjectStore('http://127.0.0.1:1/').list()).rejects.toMatchObject({ code: 'descriptor_unavailable' });
  });
});

describe('helpers', () => {
  it('idPath encodes each segment; rawProjectionOf prefers `payload`, needs binary @payload raw', () => {
    expect(idPath('object://a/b c/d')).toBe('a/b%20c/d');
    const d = (projections: Record<string, unknown>) => ({ projections } as unknown as Descriptor);
    expect(rawProjectionOf(d({ a: { type: 'binary', source: '@payload' }, payload: { type: 'binary', source: '@payload', encoding: 'raw' } }))).toBe('payload');
    expect(rawProjectionOf(d({ z: { type: 'binary', source: '@payload' }, b: { type: 'binary', source: '@payload' } }))).toBe('b');
    expect(rawProjectionOf(d({ payload: { type: 'binary', source: '@payload', encoding: 'base64' }, j: { type: 'json', emit: '@payload' } }))).toBeNull();
    expect(rawProjectionOf(d({ x: { type: 'binary', source: '@payload.manifest' } }))).toBeNull();
    expect(rawProjectionOf(d({ payload: { type: 'binary' } }))).toBe('payload');
  });
  it('normalizeBase accepts http(s) URLs only, without credentials, and ends them with a slash', () => {
    expect(normalizeBase('http://127.0.0.1:5174')).toBe('http://127.0.0.1:5174/');
    expect(normalizeBase(' http://localhost:8080/store ')).toBe('http://localhost:8080/store/');
    expect(normalizeBase('ftp://x/')).toBeNull();
    expect(normalizeBase('http://u:p@127.0.0.1/')).toBeNull();
    expect(normalizeBase('javascript:alert(1)')).toBeNull();
    expect(normalizeBase('not a url')).toBeNull();
  });
  it('refuses a base that is not http(s)://host/…/', () => {
    expect(() => new HttpObjectStore('http://127.0.0.1:1')).toThrow();
    expect(() => new HttpObjectStore('file:///etc/')).toThrow();
  });
});
