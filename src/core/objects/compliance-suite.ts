/**
 * The §15.14 compliance suite over HTTP (docs/laws.md O-COMPLIANCE): identity, load, verify,
 * project, error and event tests, plus the caching, custom-invariant, streaming, authority and
 * ASX-integration tests that the levels 2, 3 and Full add, run against any Object Server that
 * holds the compliance fixture set (compliance-fixtures.ts) under `object://compliance/…`.
 *
 * Pure: every request goes through an injected `fetch`-like function (Node's and the
 * browser's `fetch` both fit), so `asx objects compliance` runs it from the CLI and the
 * workbench can run it in a page. Expected projections are the reference core's answers over
 * the same fixtures (ObjectServer over a MemoryStore), compared as parsed JSON or bytes.
 *
 * HTTP profile the suite assumes (the one `asx serve` implements; O-STORE): objects at
 * `GET /objects/<domain>/<name>[@sha256:<hex>]`, `?projection=`, `?version=`,
 * `?operation=read|write|execute`, the Accept header, §15.12 error JSON with the category's
 * status, `ETag` / `If-None-Match`, `Range` on binary projections, and Server-Sent Events at
 * `GET /events` (`event: <type>`, `data: <§15.9 JSON>`).
 */
import { toHex, bytesEqual } from '../bytes/hex.ts';
import { sha256 } from '../hash/sha256.ts';
import { ObjectServer } from './server.ts';
import { complianceFixtures, fixtureStore, laneProjection, FIXTURE_TAMPERED_LANE, type FixtureSet } from './compliance-fixtures.ts';

/** The part of a fetch Response the suite reads. */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
  body: ReadableStream<Uint8Array> | null;
}
/** The part of fetch the suite calls (GET only). */
export type FetchLike = (url: string, init: { method: 'GET'; headers: Record<string, string>; signal: AbortSignal }) => Promise<ResponseLike>;

/** 1, 2, 3 and Full (4) of §15.14. */
export type ComplianceLevel = 1 | 2 | 3 | 4;
export const LEVEL_NAMES: Record<ComplianceLevel | 0, string> = { 0: 'none', 1: '1', 2: '2', 3: '3', 4: 'Full' };

export type ComplianceGroup = 'identity' | 'load' | 'verify' | 'project' | 'error' | 'event' | 'cache' | 'invariant' | 'stream' | 'authority' | 'asx';

export interface ComplianceTest {
  id: string;
  group: ComplianceGroup;
  level: ComplianceLevel;
  title: string;
}

export interface ComplianceResult extends ComplianceTest {
  pass: boolean;
  /** Why it failed (or a short note when it passed). */
  reason: string;
  ms: number;
}

export interface ComplianceReport {
  schema: 'asx.objects.compliance.v1';
  server: string;
  /** Highest level whose tests (and all lower levels' tests) pass: `none`, `1`, `2`, `3`, `Full`. */
  level: string;
  levelNumber: 0 | ComplianceLevel;
  passed: number;
  failed: number;
  tests: ComplianceResult[];
}

export interface SuiteOptions {
  /** Base URL of the server (`http://127.0.0.1:PORT/`). */
  base: string;
  fetch: FetchLike;
  /** Per request (and for the event stream), ms. Default 10,000. */
  timeoutMs?: number;
  /** Run only tests whose id starts with one of these. */
  only?: readonly string[];
}

class Fail extends Error {}
function must(cond: unknown, why: string): asserts cond { if (!cond) throw new Fail(why); }

interface Got { status: number; headers: { get(name: string): string | null }; body: Uint8Array; text: string }

/** §15.12 categories and their statuses (`load_error` 503 for an unavailable payload, §15.6). */
const CATEGORY_STATUS: Record<string, readonly number[]> = {
  resolution_error: [404], load_error: [500, 503], verification_error: [422], projection_error: [500], authority_error: [403],
};

/** What an error body must not contain (stack frames, source or file paths, exception text). */
const INTERNALS = /\n\s+at |\bat [\w$.<>]+ \(|\.(?:ts|js|mjs|cjs):\d|node:internal|\/(?:home|tmp|work|usr|var|srv|Users)\/|[A-Za-z]:\\|blobs\/sha256|\bE(?:ACCES|NOENT|PERM|ISDIR)\b|Error:/;

const short = (s: string, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);
const stableJson = (v: unknown): string => JSON.stringify(sortKeys(v));
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

class Client {
  constructor(readonly base: string, readonly fetch: FetchLike, readonly timeoutMs: number) {}
  url(path: string): string { return this.base.replace(/\/+$/, '') + path; }
  async get(path: string, headers: Record<string, string> = {}): Promise<Got> {
    const ctl = new AbortController();
    const t = setTimeout(() => ctl.abort(), this.timeoutMs);
    try {
      const r = await this.fetch(this.url(path), { method: 'GET', headers, signal: ctl.signal });
      const body = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, headers: r.headers, body, text: new TextDecoder('utf-8', { fatal: false }).decode(body) };
    } catch (e) {
      throw new Fail(`GET ${path}: ${ctl.signal.aborted ? `no response within ${this.timeoutMs} ms` : `request failed (${short(String((e as Error)?.message ?? e), 80)})`}`);
    } finally {
      clearTimeout(t);
    }
  }
}

function json(g: Got, what: string): unknown {
  try { return JSON.parse(g.text); } catch { throw new Fail(`${what}: the body is not JSON (${short(JSON.stringify(g.text), 80)})`); }
}

/** The §15.12 error shape with the category's status and nothing internal; returns the error member. */
function checkError(g: Got, what: string, category?: string, statuses?: readonly number[]): { category: string; code: string; message: string; object_id: unknown; phase: string } {
  const v = json(g, what) as { error?: Record<string, unknown> } | null;
  must(v && typeof v === 'object' && v.error && typeof v.error === 'object', `${what}: no {"error": {…}} member (status ${g.status}, body ${short(JSON.stringify(g.text), 100)})`);
  const e = v.error;
  for (const k of ['category', 'code', 'message', 'phase'] as const) must(typeof e[k] === 'string' && (e[k] as string).length > 0, `${what}: error.${k} is not a non-empty string`);
  must('object_id' in e && (typeof e.object_id === 'string' || e.object_id === null), `${what}: error.object_id is missing (a string, or null)`);
  const cat = e.category as string;
  const allowed = CATEGORY_STATUS[cat];
  if (category !== undefined) must(cat === category, `${what}: category ${cat}, expected ${category}`);
  if (allowed) must(allowed.includes(g.status), `${what}: ${cat} with status ${g.status} (§15.12: ${allowed.join(' or ')})`);
  if (statuses) must(statuses.includes(g.status), `${what}: status ${g.status}, expected ${statuses.join(' or ')}`);
  must(/^application\/(?:[\w.+-]+\+)?json\b/i.test(g.headers.get('content-type') ?? ''), `${what}: Content-Type ${g.headers.get('content-type') ?? '(none)'} is not JSON`);
  must(!INTERNALS.test(g.text), `${what}: the error exposes internal state (${short(JSON.stringify(g.text.match(INTERNALS)?.[0] ?? ''), 40)})`);
  return e as { category: string; code: string; message: string; object_id: unknown; phase: string };
}

function expectStatus(g: Got, status: number, what: string): void {
  must(g.status === status, `${what}: status ${g.status}, expected ${status}${g.status >= 400 ? ` (${short(g.text, 120)})` : ''}`);
}

const P = (name: string, q = '') => `/objects/compliance/${name}${q}`;

interface Ctx {
  c: Client;
  fx: FixtureSet;
  ref: ObjectServer;
  /** The reference core's answer as parsed JSON. */
  expectJson(name: string, projection?: string): Promise<unknown>;
}

type Body = (ctx: Ctx) => Promise<string | void>;

interface TestDef extends ComplianceTest { run: Body }

/** Parsed body equals the reference core's projection. */
async function sameJson(ctx: Ctx, name: string, projection: string | undefined, g: Got, what: string): Promise<void> {
  const want = await ctx.expectJson(name, projection);
  const got = json(g, what);
  must(stableJson(got) === stableJson(want), `${what}: ${short(stableJson(got), 120)} is not the reference ${short(stableJson(want), 120)}`);
}

/** Read `/events` until `done(events)` or the timeout; `trigger` runs once the stream is open. */
async function collectEvents(ctx: Ctx, trigger: () => Promise<void>, done: (ev: Array<{ type: string; data: unknown }>) => boolean): Promise<Array<{ type: string; data: unknown }>> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), ctx.c.timeoutMs);
  const events: Array<{ type: string; data: unknown }> = [];
  try {
    let r: ResponseLike;
    try {
      r = await ctx.c.fetch(ctx.c.url('/events'), { method: 'GET', headers: { Accept: 'text/event-stream' }, signal: ctl.signal });
    } catch {
      throw new Fail(`GET /events: ${ctl.signal.aborted ? 'no response' : 'request failed'}`);
    }
    if (r.status !== 200) { await r.arrayBuffer().catch(() => undefined); throw new Fail(`GET /events: status ${r.status}, expected 200 (an event stream)`); }
    must(/^text\/event-stream\b/i.test(r.headers.get('content-type') ?? ''), `GET /events: Content-Type ${r.headers.get('content-type') ?? '(none)'} is not text/event-stream`);
    must(r.body, 'GET /events: no body stream');
    const reader = r.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    const triggered = trigger();
    let triggerError: unknown = null;
    triggered.catch((e) => { triggerError = e; });
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try { chunk = await reader.read(); } catch { break; }
        if (chunk.done) break;
        buf += dec.decode(chunk.value, { stream: true });
        let k: number;
        while ((k = buf.search(/\r?\n\r?\n/)) >= 0) {
          const block = buf.slice(0, k);
          buf = buf.slice(k).replace(/^\r?\n\r?\n/, '');
          let type = 'message';
          const data: string[] = [];
          for (const line of block.split(/\r?\n/)) {
            if (line.startsWith(':')) continue;
            const i = line.indexOf(':');
            const field = i < 0 ? line : line.slice(0, i);
            const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
            if (field === 'event') type = value;
            else if (field === 'data') data.push(value);
          }
          if (data.length === 0) continue;
          let parsed: unknown;
          try { parsed = JSON.parse(data.join('\n')); } catch { parsed = data.join('\n'); }
          events.push({ type, data: parsed });
        }
        if (done(events)) break;
      }
    } finally {
      ctl.abort();
      await reader.cancel().catch(() => undefined);
    }
    await triggered.catch(() => undefined);
    if (triggerError instanceof Fail) throw triggerError;
    return events;
  } finally {
    clearTimeout(timer);
    ctl.abort();
  }
}

const isId = (v: unknown) => typeof v === 'string' && v.length > 0;
const isHash = (v: unknown) => typeof v === 'string' && /^sha256:[0-9a-f]{64}$/.test(v);

const TESTS: TestDef[] = [
  // ---------------- Level 1: load + verify + project (with identity and error behavior)
  {
    id: 'identity.forms', group: 'identity', level: 1, title: 'one object under /objects/<domain>/<name>, percent-decoded once, trailing slash',
    async run({ c }) {
      const a = await c.get(P('counter'));
      expectStatus(a, 200, 'GET /objects/compliance/counter');
      for (const alt of ['/objects/compliance/count%65r', '/objects/compliance/counter/']) {
        const b = await c.get(alt);
        expectStatus(b, 200, `GET ${alt}`);
        must(bytesEqual(a.body, b.body), `GET ${alt}: not the same body as /objects/compliance/counter`);
      }
    },
  },
  {
    id: 'identity.hash-wins', group: 'identity', level: 1, title: 'a hash pin wins over the version; a wrong pin or version is 404',
    async run({ c, fx }) {
      const h = fx.facts.counterHash;
      expectStatus(await c.get(P(`counter@${h}`, '?version=9.9.9')), 200, `GET counter@${h.slice(0, 15)}…?version=9.9.9`);
      checkError(await c.get(P('counter', '?version=9.9.9')), 'GET counter?version=9.9.9', 'resolution_error', [404]);
      checkError(await c.get(P(`counter@sha256:${'0'.repeat(64)}`)), 'GET counter@sha256:000…', 'resolution_error', [404]);
    },
  },
  {
    id: 'identity.traversal', group: 'identity', level: 1, title: 'ids are semantic: encoded traversal, backslashes, NUL, drive paths are 404 resolution_error',
    async run({ c }) {
      for (const p of ['/objects/compliance/..%2fcounter', '/objects/compliance/%5c..%5ccounter', '/objects/compliance/%252e%252e/counter', '/objects/compliance/counter%00', '/objects/C:/compliance/counter', '/objects/compliance/..%5c..%5cetc']) {
        const g = await c.get(p);
        must(g.status !== 200, `GET ${p}: 200 (a path was followed as an id)`);
        checkError(g, `GET ${p}`, 'resolution_error', [404]);
      }
    },
  },
  {
    id: 'load.payload', group: 'load', level: 1, title: 'descriptor + payload loaded: the raw projection is the stored bytes',
    async run({ c, fx }) {
      const g = await c.get(P('counter', '?projection=raw'));
      expectStatus(g, 200, 'GET counter?projection=raw');
      must(bytesEqual(g.body, fx.blobs.get(fx.facts.counterHash)!), `GET counter?projection=raw: ${g.body.length} bytes, not the 72 stored payload bytes`);
    },
  },
  {
    id: 'load.not-found', group: 'load', level: 1, title: 'an unknown object is 404 resolution_error',
    async run({ c }) { checkError(await c.get(P('no-such-object')), 'GET no-such-object', 'resolution_error', [404]); },
  },
  {
    id: 'load.hash-mismatch', group: 'load', level: 1, title: 'a payload whose bytes do not match the hash is never projected',
    async run({ c }) {
      for (const q of ['', '?projection=raw', '?projection=http']) {
        const g = await c.get(P('tampered', q));
        must(g.status >= 400, `GET tampered${q}: status ${g.status} — a payload that fails its hash was served`);
        must(!g.text.includes('"counter":6') && !g.text.includes('"counter": 6'), `GET tampered${q}: the body contains the tampered payload`);
        const e = checkError(g, `GET tampered${q}`);
        must(e.category === 'verification_error' || e.category === 'load_error', `GET tampered${q}: category ${e.category}, expected verification_error (422) or load_error (§15.6)`);
      }
    },
  },
  {
    id: 'load.invalid-descriptor', group: 'load', level: 1, title: 'a descriptor missing payload and projections is 500 load_error',
    async run({ c }) { checkError(await c.get(P('bad-descriptor')), 'GET bad-descriptor', 'load_error', [500]); },
  },
  {
    id: 'load.payload-unavailable', group: 'load', level: 1, title: 'a payload the store does not have is load_error (503, §15.6)',
    async run({ c }) { checkError(await c.get(P('missing-payload')), 'GET missing-payload', 'load_error', [503, 500]); },
  },
  {
    id: 'verify.builtins-hold', group: 'verify', level: 1, title: 'built-in invariants that hold let the object project',
    async run({ c }) {
      expectStatus(await c.get(P('counter')), 200, 'GET counter (immutable_payload, no_execution, projection_only, deterministic)');
      expectStatus(await c.get(P('authority-read')), 200, 'GET authority-read (immutable_payload, no_execution)');
    },
  },
  {
    id: 'verify.projection-only', group: 'verify', level: 1, title: 'projection_only with authority read is 422 verification_error',
    async run({ c }) { checkError(await c.get(P('projection-only-violated')), 'GET projection-only-violated', 'verification_error', [422]); },
  },
  {
    id: 'verify.no-execution', group: 'verify', level: 1, title: 'no_execution with executable: true is 422 verification_error',
    async run({ c }) { checkError(await c.get(P('executable')), 'GET executable', 'verification_error', [422]); },
  },
  {
    id: 'project.default', group: 'project', level: 1, title: 'the default projection maps @payload references (§15.8)',
    async run(ctx) {
      const g = await ctx.c.get(P('counter'));
      expectStatus(g, 200, 'GET counter');
      must(/^application\/json\b/i.test(g.headers.get('content-type') ?? ''), `GET counter: Content-Type ${g.headers.get('content-type') ?? '(none)'}, expected application/json`);
      await sameJson(ctx, 'counter', undefined, g, 'GET counter');
    },
  },
  {
    id: 'project.http', group: 'project', level: 1, title: 'an http-response projection sets its status, headers and body',
    async run(ctx) {
      const g = await ctx.c.get(P('counter', '?projection=http'));
      expectStatus(g, 200, 'GET counter?projection=http');
      must((g.headers.get('cache-control') ?? '').includes('immutable'), `GET counter?projection=http: Cache-Control ${g.headers.get('cache-control') ?? '(none)'}, the projection declares immutable`);
      await sameJson(ctx, 'counter', 'http', g, 'GET counter?projection=http');
    },
  },
  {
    id: 'project.select', group: 'project', level: 1, title: 'selection: explicit name, then Accept, then default; an unknown name is 500 projection_error',
    async run({ c }) {
      const t = await c.get(P('counter'), { Accept: 'text/plain' });
      expectStatus(t, 200, 'GET counter with Accept: text/plain');
      must(t.text === 'demo', `GET counter with Accept: text/plain: ${short(JSON.stringify(t.text), 60)}, expected the text projection "demo"`);
      const d = await c.get(P('counter'), { Accept: 'application/json' });
      must(d.status === 200 && /"label"\s*:\s*"demo"/.test(d.text) && !/"items"/.test(d.text), 'GET counter with Accept: application/json: not the default projection');
      checkError(await c.get(P('counter', '?projection=nope')), 'GET counter?projection=nope', 'projection_error', [500]);
    },
  },
  {
    id: 'error.shape', group: 'error', level: 1, title: 'errors are §15.12 JSON with the category\'s status and expose no internals',
    async run({ c }) {
      const seen: string[] = [];
      for (const [name, q] of [['no-such-object', ''], ['tampered', ''], ['bad-descriptor', ''], ['missing-payload', ''], ['counter', '?projection=nope'], ['projection-only-violated', '']] as const) {
        const g = await c.get(P(name, q));
        const e = checkError(g, `GET ${name}${q}`);
        must(e.object_id === null || e.object_id === `object://compliance/${name}`, `GET ${name}${q}: error.object_id ${JSON.stringify(e.object_id)} is not the requested id`);
        seen.push(`${g.status} ${e.category}`);
      }
      return seen.join(', ');
    },
  },
  // ---------------- Level 2: + events + caching
  {
    id: 'event.lifecycle', group: 'event', level: 2, title: 'GET /events streams resolved → loaded → verified → projected with the §15.9 data',
    async run(ctx) {
      const id = 'object://compliance/counter';
      const ev = await collectEvents(ctx, async () => { expectStatus(await ctx.c.get(P('counter', '?projection=http')), 200, 'GET counter?projection=http'); },
        (e) => e.some((x) => x.type === 'object.projected' && (x.data as { id?: string })?.id === id));
      const mine = ev.filter((x) => (x.data as { id?: unknown })?.id === id).map((x) => x.type);
      const order = ['object.resolved', 'object.loaded', 'object.verified', 'object.projected'];
      const idx = order.map((t) => mine.indexOf(t));
      must(idx.every((i) => i >= 0), `events for ${id}: ${mine.join(', ') || '(none)'}; missing ${order.filter((_, i) => idx[i]! < 0).join(', ')}`);
      must(idx.every((v, i) => i === 0 || v > idx[i - 1]!), `events for ${id} out of order: ${mine.join(', ')}`);
      const get = (t: string) => ev.find((x) => x.type === t && (x.data as { id?: unknown })?.id === id)!.data as Record<string, unknown>;
      must(isHash(get('object.resolved').hash), 'object.resolved: data.hash is not sha256:<hex>');
      const l = get('object.loaded');
      must(isHash(l.hash) && l.size === 72, `object.loaded: data ${short(JSON.stringify(l), 100)} lacks {hash, size: 72}`);
      must(Array.isArray(get('object.verified').invariants), 'object.verified: data.invariants is not an array');
      const p = get('object.projected');
      must(p.projection === 'http' && 'latency' in p, `object.projected: data ${short(JSON.stringify(p), 100)} lacks {projection: "http", latency}`);
    },
  },
  {
    id: 'event.error', group: 'event', level: 2, title: 'a failing request emits object.error {id, error, phase}',
    async run(ctx) {
      const id = 'object://compliance/no-such-object';
      const ev = await collectEvents(ctx, async () => { await ctx.c.get(P('no-such-object')); },
        (e) => e.some((x) => x.type === 'object.error' && (x.data as { id?: string })?.id === id));
      const e = ev.find((x) => x.type === 'object.error' && (x.data as { id?: string })?.id === id);
      must(e, `no object.error for ${id} (saw ${ev.map((x) => x.type).join(', ') || 'no events'})`);
      const d = e.data as { error?: { category?: unknown; code?: unknown; message?: unknown }; phase?: unknown };
      must(d.error && isId(d.error.category) && isId(d.error.code) && typeof d.error.message === 'string' && isId(d.phase), `object.error data ${short(JSON.stringify(d), 120)} lacks {error: {category, code, message}, phase}`);
      must(d.error.category === 'resolution_error', `object.error category ${String(d.error.category)}, expected resolution_error`);
    },
  },
  {
    id: 'cache.etag', group: 'cache', level: 2, title: 'the ETag names the payload hash; If-None-Match → 304; repeats are identical',
    async run({ c, fx }) {
      const a = await c.get(P('counter'));
      expectStatus(a, 200, 'GET counter');
      const etag = a.headers.get('etag');
      must(etag && etag.includes(fx.facts.counterHash.slice(7)), `GET counter: ETag ${etag ?? '(none)'} does not name the payload hash`);
      const n = await c.get(P('counter'), { 'If-None-Match': etag });
      expectStatus(n, 304, 'GET counter with If-None-Match: <its ETag>');
      const b = await c.get(P('counter'));
      must(b.status === 200 && bytesEqual(a.body, b.body), 'GET counter twice: the bodies differ');
    },
  },
  // ---------------- Level 3: + custom invariants + streaming
  {
    id: 'invariant.custom-holds', group: 'invariant', level: 3, title: 'a custom invariant declared as data that holds lets the object project',
    async run(ctx) {
      const g = await ctx.c.get(P('custom-holds'));
      expectStatus(g, 200, 'GET custom-holds');
      await sameJson(ctx, 'custom-holds', undefined, g, 'GET custom-holds');
    },
  },
  {
    id: 'invariant.custom-violated', group: 'invariant', level: 3, title: 'a violated custom invariant is 422 verification_error',
    async run({ c }) { checkError(await c.get(P('custom-violated')), 'GET custom-violated', 'verification_error', [422]); },
  },
  {
    id: 'invariant.custom-unknown', group: 'invariant', level: 3, title: 'an invariant the server cannot enforce is refused (422), not ignored',
    async run({ c }) { checkError(await c.get(P('custom-unknown')), 'GET custom-unknown', 'verification_error', [422]); },
  },
  {
    id: 'stream.whole', group: 'stream', level: 3, title: 'a 3 MiB binary payload is served whole, byte for byte',
    async run({ c, fx }) {
      const g = await c.get(P('blob', '?projection=raw'));
      expectStatus(g, 200, 'GET blob?projection=raw');
      const want = fx.facts.blob;
      must(g.body.length === want.length, `GET blob: ${g.body.length} bytes, expected ${want.length}`);
      must(`sha256:${toHex(sha256(g.body))}` === fx.facts.blobHash, 'GET blob: the bytes differ from the payload');
      const cl = g.headers.get('content-length');
      must(cl === null || Number(cl) === want.length, `GET blob: Content-Length ${cl}, expected ${want.length}`);
    },
  },
  {
    id: 'stream.range', group: 'stream', level: 3, title: 'Range on a binary payload: 206 with the exact bytes, suffix ranges, 416',
    async run({ c, fx }) {
      const blob = fx.facts.blob;
      const n = blob.length;
      for (const [a, b] of [[1048570, 1048589], [0, 0], [n - 5, n - 1]] as const) {
        const g = await c.get(P('blob', '?projection=raw'), { Range: `bytes=${a}-${b}` });
        expectStatus(g, 206, `GET blob Range: bytes=${a}-${b}`);
        must(g.headers.get('content-range') === `bytes ${a}-${b}/${n}`, `GET blob Range: bytes=${a}-${b}: Content-Range ${g.headers.get('content-range') ?? '(none)'}`);
        must(bytesEqual(g.body, blob.subarray(a, b + 1)), `GET blob Range: bytes=${a}-${b}: wrong bytes`);
      }
      const s = await c.get(P('blob', '?projection=raw'), { Range: 'bytes=-100' });
      must(s.status === 206 && bytesEqual(s.body, blob.subarray(n - 100)), `GET blob Range: bytes=-100: status ${s.status} or wrong bytes`);
      const u = await c.get(P('blob', '?projection=raw'), { Range: `bytes=${n}-` });
      expectStatus(u, 416, `GET blob Range: bytes=${n}- (past the end)`);
    },
  },
  // ---------------- Full: + authority escalation + ASX integration
  {
    id: 'authority.exceeded', group: 'authority', level: 4, title: 'operations above the declared authority are 403 authority_error',
    async run({ c }) {
      for (const op of ['read', 'write', 'execute']) checkError(await c.get(P('counter', `?operation=${op}`)), `GET counter?operation=${op} (authority none)`, 'authority_error', [403]);
      checkError(await c.get(P('authority-read', '?operation=write')), 'GET authority-read?operation=write', 'authority_error', [403]);
    },
  },
  {
    id: 'authority.escalation', group: 'authority', level: 4, title: 'authority read: projection allowed, read needs an escalated capability (none over plain HTTP)',
    async run({ c }) {
      expectStatus(await c.get(P('authority-read')), 200, 'GET authority-read');
      checkError(await c.get(P('authority-read', '?operation=read')), 'GET authority-read?operation=read without a capability', 'authority_error', [403]);
    },
  },
  {
    id: 'asx.pack', group: 'asx', level: 4, title: 'weights.v2c-bin payloads: manifest, merkle root and one lane projected (§19, O-HOOKS)',
    async run(ctx) {
      for (const p of ['manifest', 'root', laneProjection('policy@t0'), laneProjection(FIXTURE_TAMPERED_LANE)]) {
        const g = await ctx.c.get(P('pack', `?projection=${encodeURIComponent(p)}`));
        expectStatus(g, 200, `GET pack?projection=${p}`);
        await sameJson(ctx, 'pack', p, g, `GET pack?projection=${p}`);
      }
    },
  },
  {
    id: 'asx.pack-tampered-lane', group: 'asx', level: 4, title: 'a lane failing its merkle leaf is 422 for that lane only; other lanes still project',
    async run(ctx) {
      const bad = laneProjection(FIXTURE_TAMPERED_LANE);
      checkError(await ctx.c.get(P('pack-tampered-lane', `?projection=${bad}`)), `GET pack-tampered-lane?projection=${bad}`, 'verification_error', [422]);
      const ok = laneProjection('policy@t0');
      const g = await ctx.c.get(P('pack-tampered-lane', `?projection=${ok}`));
      expectStatus(g, 200, `GET pack-tampered-lane?projection=${ok}`);
      await sameJson(ctx, 'pack-tampered-lane', ok, g, `GET pack-tampered-lane?projection=${ok}`);
    },
  },
];

/** Every test, without running anything (for help and the laws text). */
export const COMPLIANCE_TESTS: readonly ComplianceTest[] = TESTS.map(({ id, group, level, title }) => ({ id, group, level, title }));

/** The level reached: the highest L such that every test of level ≤ L passed. */
export function levelOf(results: readonly Pick<ComplianceResult, 'level' | 'pass'>[]): 0 | ComplianceLevel {
  let reached: 0 | ComplianceLevel = 0;
  for (const L of [1, 2, 3, 4] as const) {
    const mine = results.filter((r) => r.level <= L);
    if (mine.length === 0 || !mine.every((r) => r.pass)) break;
    reached = L;
  }
  return reached;
}

/** Run the suite against `opts.base`. Never throws for a misbehaving server: each test passes or fails with a reason. */
export async function runComplianceSuite(opts: SuiteOptions): Promise<ComplianceReport> {
  const fx = await complianceFixtures();
  const ref = new ObjectServer({ store: await fixtureStore() });
  const ctx: Ctx = {
    c: new Client(opts.base, opts.fetch, opts.timeoutMs ?? 10_000),
    fx,
    ref,
    async expectJson(name, projection) {
      const r = await ref.handle({ path: P(name), ...(projection !== undefined ? { projection } : {}) });
      if (!r.ok) throw new Error(`reference core: ${r.json.error.code}`);
      return JSON.parse(new TextDecoder().decode(r.body as Uint8Array));
    },
  };
  const results: ComplianceResult[] = [];
  for (const t of TESTS) {
    if (opts.only && !opts.only.some((p) => t.id.startsWith(p))) continue;
    const t0 = performance.now();
    let pass = true;
    let reason = '';
    try {
      reason = (await t.run(ctx)) ?? '';
    } catch (e) {
      pass = false;
      reason = e instanceof Fail ? e.message : `the test itself failed: ${short(String((e as Error)?.message ?? e), 120)}`;
    }
    results.push({ id: t.id, group: t.group, level: t.level, title: t.title, pass, reason, ms: Math.round(performance.now() - t0) });
  }
  const lv = levelOf(results);
  const passed = results.filter((r) => r.pass).length;
  return { schema: 'asx.objects.compliance.v1', server: opts.base, level: LEVEL_NAMES[lv], levelNumber: lv, passed, failed: results.length - passed, tests: results };
}

/** The human table: one line per test, then the level. */
export function complianceTable(r: ComplianceReport): string {
  const lines: string[] = [`Object Server compliance (§15.14) of ${r.server}`, ''];
  const w = Math.max(...r.tests.map((t) => t.id.length), 4);
  lines.push(`${'level'.padEnd(6)}${'test'.padEnd(w + 2)}result  reason`);
  for (const t of r.tests) lines.push(`${LEVEL_NAMES[t.level].padEnd(6)}${t.id.padEnd(w + 2)}${(t.pass ? 'pass' : 'FAIL').padEnd(8)}${t.reason}`.trimEnd());
  lines.push('');
  const firstFail = r.tests.filter((t) => !t.pass).sort((a, b) => a.level - b.level)[0];
  lines.push(`Level reached: ${r.level} (${r.passed}/${r.tests.length} tests pass)${firstFail ? `; level ${LEVEL_NAMES[firstFail.level]} needs ${r.tests.filter((t) => !t.pass && t.level === firstFail.level).map((t) => t.id).join(', ')}` : ''}`);
  return lines.join('\n') + '\n';
}
