/**
 * The bundled demo object store (docs/laws.md O-DEMO): committed bytes are what the code
 * builds, and every projection of every demo object is served (verified) over real HTTP;
 * the host's descriptor route, audit ring, CORS rule and sandbox header (O-HTTP).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { demoObjectEntries } from '../cli/demo-objects.ts';
import { writeObjectStore } from './storeWriter.ts';
import { createFolderStore, type FolderStore } from './folderStore.ts';
import { corsOrigin, startHttpServer, type RunningServer } from './http.ts';
import { workbenchObjectStore } from './demoServer.ts';
import { runComplianceSuite, type FetchLike } from '../core/objects/compliance-suite.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const COMMITTED = join(ROOT, 'demo-objects');

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)));
  }
  return out.sort();
}

describe('demo object store', () => {
  let tmp: string;
  beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'asx-demo-store-')); });
  afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

  it('the committed demo-objects/ is byte-identical to what the code builds (npm run demo)', async () => {
    await writeObjectStore(tmp, (await demoObjectEntries()), { clean: true });
    const built = await files(tmp);
    expect(await files(COMMITTED)).toEqual(built);
    for (const f of built) expect(Buffer.compare(await readFile(join(tmp, f)), await readFile(join(COMMITTED, f))), f).toBe(0);
  });

  it('blobs are named by their SHA-256 and descriptors carry that hash and size', async () => {
    for (const w of await writeObjectStore(tmp, (await demoObjectEntries()), { clean: true })) {
      const blob = await readFile(w.blobPath);
      expect(`sha256:${createHash('sha256').update(blob).digest('hex')}`).toBe(w.hash);
      const d = JSON.parse(await readFile(w.descriptorPath, 'utf8'));
      expect(d.hash).toBe(w.hash);
      expect(d.payload.size).toBe(blob.length);
    }
  });

  it('refuses entries whose id is not canonical or whose descriptor is invalid', async () => {
    const [e] = await demoObjectEntries();
    await expect(writeObjectStore(tmp, [{ ...e!, id: 'object://demo/../x' }])).rejects.toThrow();
    await expect(writeObjectStore(tmp, [{ ...e!, descriptor: { ...e!.descriptor, authority: 'root' } }])).rejects.toThrow(/authority/);
    await expect(writeObjectStore(tmp, [e!, e!])).rejects.toThrow(/two entries/);
  });
});

describe('demo objects over HTTP', () => {
  let store: FolderStore;
  let server: RunningServer;
  beforeAll(async () => {
    store = createFolderStore(COMMITTED);
    server = await startHttpServer({ store, port: 0 });
  });
  afterAll(async () => { await server.close(); await store.close(); });
  const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, server.url), { headers });

  it('every projection of every demo object is served with 200 (the audit ring makes `auditable` hold)', async () => {
    const list = (await (await get('/objects')).json()) as { objects: string[] };
    expect(list.objects.length).toBe((await demoObjectEntries()).length);
    let n = 0;
    for (const e of (await demoObjectEntries())) {
      for (const name of Object.keys(e.descriptor.projections as object)) {
        const r = await get(`/objects/${e.id.slice('object://'.length)}?projection=${name}`);
        const body = new Uint8Array(await r.arrayBuffer());
        expect(r.status, `${e.id} ${name}: ${new TextDecoder().decode(body.subarray(0, 200))}`).toBe(200);
        expect(r.headers.get('content-security-policy')).toContain('sandbox');
        if ((e.descriptor.projections as Record<string, { type: string }>)[name]!.type === 'binary') expect(Buffer.compare(body, e.payload)).toBe(0);
        n++;
      }
    }
    expect(n).toBeGreaterThan(20);
    const recent = (await (await get('/events/recent')).json()) as { events: Array<{ type: string }> };
    expect(recent.events.length).toBeGreaterThan(0);
    expect(recent.events.length).toBeLessThanOrEqual(256);
    expect(recent.events.some((e) => e.type === 'object.verified')).toBe(true);
    const stats = (await (await get('/stats')).json()) as { cache: { payloads: { hits: number; misses: number }; projections: { hits: number } }; events: number; inflight: number };
    expect(stats.cache.payloads.misses).toBeGreaterThan(0);
    expect(stats.cache.payloads.hits + stats.cache.projections.hits).toBeGreaterThan(0);
    expect(stats.events).toBeGreaterThan(recent.events.length - 1);
    expect(stats.inflight).toBe(0);
  });

  it('/descriptors/<id> serves the stored descriptor bytes; bad ids are §15.12 errors', async () => {
    const r = await get('/descriptors/demo/packs/demo-5kb');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe(await readFile(join(COMMITTED, 'objects/demo/packs/demo-5kb.json'), 'utf8'));
    const missing = await get('/descriptors/demo/packs/nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const bad = await get('/descriptors/demo/%2e%2e/x');
    expect(bad.status).toBe(404);
    expect(((await bad.json()) as { error: { category: string } }).error.category).toBe('resolution_error');
  });

  it('CORS: loopback pages may read, other origins get no allow header', async () => {
    const ok = await get('/objects', { Origin: 'http://127.0.0.1:5173' });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    const evil = await get('/objects', { Origin: 'https://example.com' });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(corsOrigin('http://localhost:4173')).toBe('http://localhost:4173');
    expect(corsOrigin('http://127.0.0.1.evil.com:80')).toBeNull();
    expect(corsOrigin('http://localhost:4173/x')).toBeNull();
    expect(corsOrigin('null')).toBeNull();
  });
});

describe('the store npm start serves', () => {
  it('demo objects plus the in-memory compliance fixtures: the §15.14 suite reaches Full over HTTP', async () => {
    const { store, close } = await workbenchObjectStore(COMMITTED);
    const server = await startHttpServer({ store, port: 0 });
    try {
      const ids = ((await (await fetch(new URL('/objects', server.url))).json()) as { objects: string[] }).objects;
      for (const e of (await demoObjectEntries())) expect(ids).toContain(e.id);
      expect(ids.some((i) => i.startsWith('object://compliance/'))).toBe(true);
      const report = await runComplianceSuite({ base: server.url, fetch: fetch as unknown as FetchLike, timeoutMs: 5000 });
      const failed = report.tests.filter((r) => !r.pass).map((r) => `${r.id}: ${r.reason}`);
      expect(failed).toEqual([]);
      expect(report.level).toBe('Full');
    } finally {
      await server.close();
      await close();
    }
  });
});
