/**
 * O-COMPLIANCE over HTTP: the §15.14 suite (src/core/objects/compliance-suite.ts) against
 * `asx serve` on 127.0.0.1 (Full), and against deliberately broken servers — a node:http proxy
 * in front of ours that changes one behavior — each of which must stop at the level below the
 * test it breaks, with that test named. Also the `asx objects` CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runComplianceSuite, levelOf, complianceTable, COMPLIANCE_TESTS, type ComplianceReport, type FetchLike } from '../core/objects/compliance-suite.ts';
import { createFolderStore, type FolderStore } from './folderStore.ts';
import { startHttpServer, type RunningServer } from './http.ts';
import { writeComplianceFixtures } from '../cli/objects-commands.ts';
import { main, type Io } from '../cli/main.ts';

const fetchLike = globalThis.fetch as unknown as FetchLike;

let dir: string;
let store: FolderStore;
let srv: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asx-compliance-'));
  await writeComplianceFixtures(dir);
  store = createFolderStore(dir);
  srv = await startHttpServer({ store });
});

afterAll(async () => {
  await srv?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Upstream { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }
type Mutate = (req: { path: string; headers: Record<string, string> }, up: () => Promise<Upstream>) => Promise<Upstream | null>;

/**
 * A node:http proxy in front of `srv`: `mutate` may answer itself, change the request, or
 * change the upstream response (null: pass through). /events is piped unless mutated.
 */
async function brokenServer(mutate: Mutate): Promise<{ url: string; close: () => Promise<void> }> {
  const upPort = srv.port;
  const forward = (path: string, headers: Record<string, string>): Promise<Upstream> => new Promise((done, fail) => {
    const r = request({ host: '127.0.0.1', port: upPort, path, method: 'GET', headers: { ...headers, host: `127.0.0.1:${upPort}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', fail);
    });
    r.on('error', fail);
    r.end();
  });
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
    (async () => {
      const q = { path, headers };
      const own = await mutate(q, () => forward(q.path, q.headers));
      if (own === null && path.startsWith('/events')) {
        const r = request({ host: '127.0.0.1', port: upPort, path: q.path, method: 'GET', headers: { ...q.headers, host: `127.0.0.1:${upPort}` } }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          res.on('close', () => up.destroy());
        });
        r.on('error', () => res.destroy());
        r.end();
        return;
      }
      const out = own ?? (await forward(q.path, q.headers));
      const h: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(out.headers)) if (v !== undefined && !['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(k)) h[k] = v;
      res.writeHead(out.status, { ...h, 'content-length': out.body.length });
      res.end(out.body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((done) => { server.close(() => done()); server.closeAllConnections(); }),
  };
}

async function runAgainst(mutate: Mutate): Promise<ComplianceReport> {
  const b = await brokenServer(mutate);
  try {
    return await runComplianceSuite({ base: b.url, fetch: fetchLike, timeoutMs: 3000 });
  } finally {
    await b.close();
  }
}

/** A mutation of object responses only: the event stream passes through untouched. */
const objectsOnly = (m: Mutate): Mutate => async (q, up) => (q.path.startsWith('/events') ? null : m(q, up));
const failing = (r: ComplianceReport) => r.tests.filter((t) => !t.pass).map((t) => t.id);
const json = (body: string): Upstream => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(body) });

describe('O-COMPLIANCE: levels', () => {
  it('levelOf: cumulative, the first level with a failing test stops it', () => {
    const r = (level: 1 | 2 | 3 | 4, pass: boolean) => ({ level, pass });
    expect(levelOf([r(1, true), r(2, true), r(3, true), r(4, true)])).toBe(4);
    expect(levelOf([r(1, true), r(2, false), r(3, true), r(4, true)])).toBe(1);
    expect(levelOf([r(1, false), r(2, true)])).toBe(0);
    expect(levelOf([r(1, true), r(2, true), r(3, true), r(4, false)])).toBe(3);
  });
  it('every §15.14 group is tested, at the levels docs/laws.md O-COMPLIANCE names', () => {
    const by = (l: number) => [...new Set(COMPLIANCE_TESTS.filter((t) => t.level === l).map((t) => t.group))].sort();
    expect(by(1)).toEqual(['error', 'identity', 'load', 'project', 'verify']);
    expect(by(2)).toEqual(['cache', 'event']);
    expect(by(3)).toEqual(['invariant', 'stream']);
    expect(by(4)).toEqual(['asx', 'authority']);
  });
});

describe('O-COMPLIANCE: asx serve over real HTTP', () => {
  it('reaches Full', async () => {
    const r = await runComplianceSuite({ base: srv.url, fetch: fetchLike });
    expect(failing(r), complianceTable(r)).toEqual([]);
    expect([r.level, r.levelNumber, r.failed]).toEqual(['Full', 4, 0]);
    expect(r.tests.length).toBe(COMPLIANCE_TESTS.length);
    expect(complianceTable(r)).toMatch(/Level reached: Full \(27\/27 tests pass\)/);
  });
  it('a server without the fixture set fails level 1 with reasons, never throws', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'asx-compliance-empty-'));
    const s = createFolderStore(empty);
    const e = await startHttpServer({ store: s });
    try {
      const r = await runComplianceSuite({ base: e.url, fetch: fetchLike, timeoutMs: 1000 });
      expect(r.level).toBe('none');
      expect(r.tests.find((t) => t.id === 'identity.forms')?.reason).toMatch(/GET \/objects\/compliance\/counter: status 404/);
    } finally {
      await e.close(); await s.close(); await rm(empty, { recursive: true, force: true });
    }
  });
  it('nothing listening: every test fails with "request failed", level none', async () => {
    const b = await brokenServer(async () => null);
    const url = b.url;
    await b.close();
    const r = await runComplianceSuite({ base: url, fetch: fetchLike, timeoutMs: 2000, only: ['identity.forms', 'event.error'] });
    expect(r.level).toBe('none');
    expect(r.tests.map((t) => t.reason)).toEqual([expect.stringMatching(/request failed/), expect.stringMatching(/GET \/events: request failed/)]);
  });
});

describe('O-COMPLIANCE: broken servers stop at the level below what they break', () => {
  it('serves a tampered payload with 200 → none, load.hash-mismatch named', async () => {
    const r = await runAgainst(async (q) => (q.path.startsWith('/objects/compliance/tampered') ? json('{"counter":6,"label":"demo"}') : null));
    expect(r.level).toBe('none');
    expect(failing(r)).toContain('load.hash-mismatch');
    expect(r.tests.find((t) => t.id === 'load.hash-mismatch')!.reason).toMatch(/GET tampered: status 200 — a payload that fails its hash was served/);
    expect(complianceTable(r)).toMatch(/Level reached: none .*level 1 needs .*load\.hash-mismatch/);
  });
  it('errors without the §15.12 shape → none, error.shape named', async () => {
    const r = await runAgainst(objectsOnly(async (_q, up) => {
      const u = await up();
      return u.status >= 400 ? { status: u.status, headers: { 'content-type': 'text/plain' }, body: Buffer.from('Not Found') } : u;
    }));
    expect(r.level).toBe('none');
    expect(failing(r)).toContain('error.shape');
    expect(r.tests.find((t) => t.id === 'error.shape')!.reason).toMatch(/the body is not JSON/);
  });
  it('errors that leak a stack trace → none', async () => {
    const r = await runAgainst(objectsOnly(async (_q, up) => {
      const u = await up();
      if (u.status !== 404) return u;
      const v = JSON.parse(u.body.toString()) as { error: { message: string } };
      v.error.message += '\n    at resolve (/srv/app/server.js:10:3)';
      return { ...u, body: Buffer.from(JSON.stringify(v)) };
    }));
    expect(r.level).toBe('none');
    expect(r.tests.find((t) => t.id === 'load.not-found')!.reason).toMatch(/exposes internal state/);
  });
  it('wrong status for a category (resolution_error with 500) → none', async () => {
    const r = await runAgainst(objectsOnly(async (_q, up) => { const u = await up(); return u.status === 404 ? { ...u, status: 500 } : u; }));
    expect(r.level).toBe('none');
    expect(r.tests.find((t) => t.id === 'load.not-found')!.reason).toMatch(/resolution_error with status 500 \(§15\.12: 404\)/);
  });
  it('no /events → 1, event.lifecycle and event.error named', async () => {
    const r = await runAgainst(async (q) => (q.path.startsWith('/events') ? { status: 404, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"error":{"category":"resolution_error","code":"no_route","message":"no","object_id":null,"phase":"request"}}') } : null));
    expect(r.level).toBe('1');
    expect(failing(r)).toEqual(['event.lifecycle', 'event.error']);
    expect(r.tests.find((t) => t.id === 'event.lifecycle')!.reason).toBe('GET /events: status 404, expected 200 (an event stream)');
  });
  it('an event stream that never sends events → 1 within the timeout', async () => {
    const r = await runAgainst(async (q) => (q.path.startsWith('/events') ? { status: 200, headers: { 'content-type': 'text/event-stream' }, body: Buffer.from(': nothing\n\n') } : null));
    expect(r.level).toBe('1');
    expect(r.tests.find((t) => t.id === 'event.lifecycle')!.reason).toMatch(/missing object\.resolved, object\.loaded, object\.verified, object\.projected/);
  });
  it('no ETag / conditional requests → 1, cache.etag named', async () => {
    const r = await runAgainst(async (q, up) => {
      if (q.path.startsWith('/events')) return null;
      const { 'if-none-match': _drop, ...rest } = q.headers;
      void _drop;
      q.headers = rest;
      const u = await up();
      const { etag: _e, ...h } = u.headers;
      void _e;
      return { ...u, headers: h };
    });
    expect(r.level).toBe('1');
    expect(failing(r)).toEqual(['cache.etag']);
  });
  it('ignores Range → 2, stream.range named', async () => {
    const r = await runAgainst(async (q) => { delete q.headers.range; return null; });
    expect(r.level).toBe('2');
    expect(failing(r)).toEqual(['stream.range']);
    expect(r.tests.find((t) => t.id === 'stream.range')!.reason).toMatch(/status 200, expected 206/);
  });
  it('ignores an invariant it cannot enforce → 2, invariant.custom-unknown named', async () => {
    const r = await runAgainst(async (q) => (q.path.startsWith('/objects/compliance/custom-unknown') ? json('{"counter":3,"label":"demo"}') : null));
    expect(r.level).toBe('2');
    expect(failing(r)).toEqual(['invariant.custom-unknown']);
  });
  it('does not enforce authority (operations are served) → 3, authority tests named', async () => {
    const r = await runAgainst(async (q) => (q.path.includes('operation=') ? json('{"counter":3,"label":"demo"}') : null));
    expect(r.level).toBe('3');
    expect(failing(r)).toEqual(['authority.exceeded', 'authority.escalation']);
  });
  it('projects a lane that fails its merkle leaf → 3, asx.pack-tampered-lane named', async () => {
    const r = await runAgainst(async (q, up) => {
      if (!q.path.startsWith('/objects/compliance/pack-tampered-lane?projection=lane.value')) return null;
      q.path = q.path.replace('pack-tampered-lane', 'pack');
      return up();
    });
    expect(r.level).toBe('3');
    expect(failing(r)).toEqual(['asx.pack-tampered-lane']);
  });
});

function memIo(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '', stderr: '',
    out(s: string) { io.stdout += s; },
    err(s: string) { io.stderr += s; },
    readFile: async (p: string) => new Uint8Array(await readFile(p)),
    writeFile: async () => { throw new Error('unused'); },
  };
  return io;
}

describe('asx objects (CLI)', () => {
  it('compliance DIR: starts a server on 127.0.0.1, runs, stops; Full → exit 0; --json report', async () => {
    const io = memIo();
    expect(await main(['objects', 'compliance', dir, '--json'], io)).toBe(0);
    const r = JSON.parse(io.stdout) as ComplianceReport;
    expect([r.schema, r.level, r.passed, r.failed]).toEqual(['asx.objects.compliance.v1', 'Full', 27, 0]);
    expect(r.server).toMatch(/^asx serve .* \(http:\/\/127\.0\.0\.1:\d+\/, stopped\)$/);
    const t = memIo();
    expect(await main(['objects', 'compliance', srv.url], t)).toBe(0);
    expect(t.stdout).toMatch(/^Object Server compliance \(§15\.14\) of http:\/\/127\.0\.0\.1:\d+\//);
    expect(t.stdout).toMatch(/\nFull  asx\.pack-tampered-lane +pass/);
  });
  it('compliance URL of a server below Full → exit 1, the table names the failing test', async () => {
    const b = await brokenServer(async (q) => { delete q.headers.range; return null; });
    try {
      const io = memIo();
      expect(await main(['objects', 'compliance', b.url, '--timeout', '3000'], io)).toBe(1);
      expect(io.stdout).toMatch(/\n3     stream\.range +FAIL +GET blob Range: bytes=1048570-1048589: status 200, expected 206/);
      expect(io.stdout).toMatch(/Level reached: 2 \(26\/27 tests pass\); level 3 needs stream\.range/);
    } finally {
      await b.close();
    }
  });
  it('compliance of a folder without fixtures → exit 1 with a hint; usage errors → 2', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'asx-compliance-nofx-'));
    try {
      const io = memIo();
      expect(await main(['objects', 'compliance', empty], io)).toBe(1);
      expect(io.stderr).toMatch(/asx: io_error: the folder holds no compliance fixture set \(write it with: asx objects fixture DIR\)/);
      const u = memIo();
      expect(await main(['objects', 'compliance'], u)).toBe(2);
      expect(await main(['objects', 'frob'], u)).toBe(2);
      const f = memIo();
      expect(await main(['objects', 'fixture', join(empty, 'new')], f)).toBe(0);
      expect(JSON.parse(f.stdout)).toMatchObject({ objects: 13, blobs: 5 });
      expect((await stat(join(empty, 'new', 'blobs', 'sha256', 'a7c0e30781723e65e9e6b2f35cc1ab210cebb56afbeb31fb84548445756ec049'))).size).toBe(72);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
  it('list URL|DIR', async () => {
    const a = memIo();
    expect(await main(['objects', 'list', dir], a)).toBe(0);
    const ids = (JSON.parse(a.stdout) as { objects: string[] }).objects;
    expect(ids).toContain('object://compliance/counter');
    expect(ids.length).toBe(13);
    const b = memIo();
    expect(await main(['objects', 'list', srv.url], b)).toBe(0);
    expect(JSON.parse(b.stdout)).toEqual({ objects: ids });
  });
  it('help', async () => {
    const io = memIo();
    expect(await main(['objects', '--help'], io)).toBe(0);
    expect(io.stdout).toMatch(/Exit 0 iff Full/);
  });
});
