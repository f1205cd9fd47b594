/**
 * §15.14 compliance tests (identity, load, verify, project, error, event) against the
 * in-memory store, and the level each group establishes (docs/laws.md O-COMPLIANCE).
 */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../bytes/utf8.ts';
import { counterServer, COUNTER_PAYLOAD, text } from './testkit.ts';
import type { ObjectEvent } from './events.ts';
import { payloadHash } from './server.ts';

describe('§15.14 compliance: identity', () => {
  it('resolves /objects/<domain>/<name> and object:// to the same object', async () => {
    const { server } = counterServer();
    const a = await server.handle({ path: '/objects/example/counter' });
    const b = await server.handle({ path: 'object://example/counter' });
    const c = await server.handle({ path: 'OBJECT://example/counter/' });
    expect(a.ok && b.ok && c.ok).toBe(true);
    expect(text(a.ok && a.body)).toBe(text(b.ok && b.body));
    expect(a.ok && a.id).toBe('object://example/counter');
  });
  it('the hash wins over the version', async () => {
    const { server, descriptor } = counterServer();
    const r = await server.handle({ path: 'object://example/counter', hash: descriptor.hash, version: '9.9.9' });
    expect(r.ok).toBe(true);
    const v = await server.handle({ path: 'object://example/counter', version: '9.9.9' });
    expect(!v.ok && v.error.code).toBe('version_not_found');
    const h = await server.handle({ path: `object://example/counter@sha256:${'0'.repeat(64)}`, version: '1.0.0' });
    expect(!h.ok && h.status).toBe(404);
  });
  it('refuses traversal ids with 404 resolution_error', async () => {
    const { server } = counterServer();
    for (const p of ['/objects/../etc/passwd', '/objects/example/%2e%2e/x', 'object://example\\..\\x', '/etc/passwd', 'C:\\objects\\x']) {
      const r = await server.handle({ path: p });
      expect(!r.ok && [r.status, r.error.category, r.error.code]).toEqual([404, 'resolution_error', 'invalid_id']);
    }
  });
});

describe('§15.14 compliance: load', () => {
  it('vector: the counter payload and its hash', () => {
    expect(COUNTER_PAYLOAD.length).toBe(72);
    expect(payloadHash(COUNTER_PAYLOAD)).toBe('sha256:a7c0e30781723e65e9e6b2f35cc1ab210cebb56afbeb31fb84548445756ec049');
  });
  it('loads descriptor + payload and reports the size', async () => {
    const { server } = counterServer();
    const ev: ObjectEvent[] = [];
    server.on((e) => ev.push(e));
    await server.handle({ path: '/objects/example/counter' });
    expect(ev.find((e) => e.type === 'object.loaded')?.data).toEqual({ id: 'object://example/counter', hash: payloadHash(COUNTER_PAYLOAD), size: COUNTER_PAYLOAD.length });
  });
  it('a missing object is 404, an unavailable payload 503, an invalid descriptor 500', async () => {
    const { server, store, descriptor } = counterServer();
    const nf = await server.handle({ path: '/objects/example/nothing' });
    expect(!nf.ok && [nf.status, nf.error.code]).toEqual([404, 'not_found']);
    store.payloads.delete(descriptor.hash);
    const un = await server.handle({ path: '/objects/example/counter' });
    expect(!un.ok && [un.status, un.error.category, un.error.code]).toEqual([503, 'load_error', 'payload_unavailable']);
    store.putDescriptor('object://example/bad', utf8('{"id": "object://example/bad"}'));
    const bad = await server.handle({ path: '/objects/example/bad' });
    expect(!bad.ok && [bad.status, bad.error.code, bad.error.path]).toEqual([500, 'invalid_descriptor', '$']);
  });
  it('a payload whose hash does not match is never projected (422)', async () => {
    const { server, store, descriptor } = counterServer();
    store.payloads.set(descriptor.hash, utf8('{"counter":4,"label":"demo","items":[1,2,3],"nested":{"a":{"b":"deep"}}}'));
    const r = await server.handle({ path: '/objects/example/counter' });
    expect(!r.ok && [r.status, r.error.category, r.error.code]).toEqual([422, 'verification_error', 'hash_mismatch']);
  });
});

describe('§15.14 compliance: verify', () => {
  it('built-in invariants hold for the canonical counter and fail when contradicted', async () => {
    const ok = await counterServer().server.verify({ path: '/objects/example/counter' });
    expect(ok.ok).toBe(true);
    expect(ok.steps.map((s) => s.check)).toEqual(['size', 'hash', 'authority', 'invariant:immutable_payload', 'invariant:no_execution', 'invariant:projection_only', 'forbidden_patterns']);
    const bad = await counterServer({ authority: 'read' }).server.verify({ path: '/objects/example/counter' });
    expect(!bad.ok && [bad.error.code, bad.error.message]).toEqual(['invariant_violation', "invariant 'projection_only' violated: authority read (projection_only needs none)"]);
  });
});

describe('§15.14 compliance: project', () => {
  it('maps the spec example projections', async () => {
    const { server } = counterServer();
    const d = await server.handle({ path: '/objects/example/counter' });
    expect(d.ok && text(d.body)).toBe('{"counter":3,"timestamp":null}');
    const h = await server.handle({ path: '/objects/example/counter', projection: 'http' });
    expect(h.ok && [h.status, h.headers['Cache-Control'], text(h.body)]).toEqual([200, 'immutable', '{"counter":3,"items":[1,2,3],"label":"demo","nested":{"a":{"b":"deep"}}}']);
    const r = await server.handle({ path: '/objects/example/counter', projection: 'raw' });
    expect(r.ok && text(r.body)).toBe(text(COUNTER_PAYLOAD));
    const a = await server.handle({ path: '/objects/example/counter', accept: 'application/octet-stream;q=0.9, text/html' });
    expect(a.ok && a.projection).toBe('default');
  });
});

describe('§15.14 compliance: error', () => {
  it('errors have the §15.12 JSON shape and expose no internals', async () => {
    const { server } = counterServer();
    const r = await server.handle({ path: '/objects/example/counter', projection: 'nope' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(JSON.parse(text(r.body))).toEqual({ error: { category: 'projection_error', code: 'projection_not_found', message: 'the object has no projection "nope"', object_id: 'object://example/counter', phase: 'project' } });
    expect(text(r.body)).not.toMatch(/at |\.ts|stack|\/work\//);
  });
});

describe('§15.14 compliance: event', () => {
  it('emits resolved → loaded → verified → projected with the §15.9 data, and object.error on failure', async () => {
    let t = 1000;
    const { server, descriptor } = counterServer({}, { clock: () => (t += 5) });
    const ev: ObjectEvent[] = [];
    server.on((e) => ev.push(e));
    await server.handle({ path: '/objects/example/counter' });
    expect(ev.map((e) => e.type)).toEqual(['object.resolved', 'object.loaded', 'object.verified', 'object.projected']);
    expect(ev[0].data).toEqual({ id: 'object://example/counter', hash: descriptor.hash });
    expect(ev[2].data).toEqual({ id: 'object://example/counter', invariants: ['immutable_payload', 'no_execution', 'projection_only'] });
    expect(ev[3].data).toEqual({ id: 'object://example/counter', projection: 'default', latency: 10 }); // clock read at start, for @meta.projected_at, at the end
    ev.length = 0;
    await server.handle({ path: '/objects/example/missing' });
    expect(ev).toEqual([{ type: 'object.error', data: { id: 'object://example/missing', error: { category: 'resolution_error', code: 'not_found', message: 'no object object://example/missing' }, phase: 'resolve', signal: 'object.not_found' } }]);
  });
});
