/** O-EVENTS, O-ERRORS and O-CACHE vectors (docs/laws.md). */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../bytes/utf8.ts';
import { counterServer, counterDescriptor, text } from './testkit.ts';
import { ObjectError, OBJECT_ERROR_CODES, type ObjectErrorCode } from './errors.ts';
import type { ObjectEvent } from './events.ts';
import { MemoryStore, ObjectServer } from './server.ts';

describe('O-EVENTS', () => {
  it('handlers get frozen data and cannot change state or the outcome', async () => {
    const { server } = counterServer({ invariants: ['deterministic'] });
    const seen: ObjectEvent[] = [];
    server.on((e) => { seen.push(e); (e.data as { id: string }).id = 'object://evil/x'; });
    server.on(() => { throw new Error('handler failure'); });
    const r = await server.handle({ path: '/objects/example/counter' });
    expect(r.ok && [r.id, text(r.body)]).toEqual(['object://example/counter', '{"counter":3,"timestamp":null}']);
    expect(seen.every((e) => Object.isFrozen(e) && Object.isFrozen(e.data) && e.data.id === 'object://example/counter')).toBe(true);
    expect(server.stats().handlerErrors).toBe(8); // 4 events × 2 handlers (the assignment throws in strict mode)
  });
  it('object.error carries the §15.6 signal and the failing hook', async () => {
    const { server, store, descriptor } = counterServer();
    const seen: ObjectEvent[] = [];
    server.on((e) => seen.push(e));
    store.payloads.set(descriptor.hash, utf8('{}'));
    await server.handle({ path: '/objects/example/counter' });
    expect(seen.at(-1)).toEqual({ type: 'object.error', data: { id: 'object://example/counter', error: { category: 'verification_error', code: 'hash_mismatch', message: expect.stringMatching(/^payload hashes to sha256:/) }, phase: 'verify', signal: 'object.corrupted' } });
    store.payloads.delete(descriptor.hash);
    await server.handle({ path: '/objects/example/counter' });
    expect(seen.at(-1)?.data).toMatchObject({ error: { code: 'payload_unavailable' }, phase: 'load', signal: 'object.unavailable' });
  });
});

describe('O-ERRORS', () => {
  it('every code is in one §15.12 category with its status', () => {
    const byCat: Record<string, Set<number>> = {};
    for (const [, [cat, st]] of Object.entries(OBJECT_ERROR_CODES)) (byCat[cat] ??= new Set()).add(st);
    expect(Object.fromEntries(Object.entries(byCat).map(([k, v]) => [k, [...v].sort()]))).toEqual({
      resolution_error: [404], load_error: [500, 503], verification_error: [422], projection_error: [500], authority_error: [403],
    });
    expect(Object.entries(OBJECT_ERROR_CODES).filter(([, [, s]]) => s === 503).map(([c]) => c)).toEqual(['descriptor_unavailable', 'payload_unavailable']);
  });
  it('the JSON shape has exactly the spec fields (+ path) and no internals, even when a store throws', async () => {
    const e = new ObjectError('invariant_violation', "Invariant 'immutable_payload' violated", 'verify', 'object://example/counter');
    expect(JSON.parse(JSON.stringify(e))).toEqual({ error: { category: 'verification_error', code: 'invariant_violation', message: "Invariant 'immutable_payload' violated", object_id: 'object://example/counter', phase: 'verify' } });
    const store = new MemoryStore();
    store.descriptor = async () => { throw new Error('EACCES: permission denied, open \'/srv/objects/example/secret/object.json\''); };
    const r = await new ObjectServer({ store }).handle({ path: '/objects/example/secret' });
    expect(!r.ok && [r.status, text(r.body)]).toEqual([503, '{"error":{"category":"load_error","code":"descriptor_unavailable","message":"the store could not be read","object_id":"object://example/secret","phase":"load"}}']);
    const codes: ObjectErrorCode[] = Object.keys(OBJECT_ERROR_CODES) as ObjectErrorCode[];
    expect(codes.length).toBe(30);
  });
});

describe('O-CACHE', () => {
  it('descriptors by id, payloads by hash, projections by id + name; hits and misses counted', async () => {
    const { server, store } = counterServer({ invariants: ['deterministic'] });
    await server.handle({ path: '/objects/example/counter' });
    await server.handle({ path: '/objects/example/counter' });
    await server.handle({ path: '/objects/example/counter', projection: 'http' });
    expect(store.payloadReads).toBe(1);
    expect(server.stats()).toMatchObject({ descriptors: { hits: 2, misses: 1 }, payloads: { hits: 2, misses: 1 }, projections: { hits: 1, misses: 2, entries: 2 }, invalidations: 0 });
  });
  it('a changed hash invalidates the projections and the old payload', async () => {
    const { server, store } = counterServer({ invariants: ['deterministic'] });
    await server.handle({ path: '/objects/example/counter' });
    store.put({ ...counterDescriptor({ invariants: ['deterministic'] }) }, utf8('{"counter":4}'));
    const r = await server.handle({ path: '/objects/example/counter' });
    expect(r.ok && text(r.body)).toBe('{"counter":4,"timestamp":null}');
    expect(server.stats()).toMatchObject({ invalidations: 1, payloads: { entries: 1 }, projections: { entries: 1 } });
    expect(store.payloadReads).toBe(2);
  });
  it('trust mode reads a descriptor once until invalidate(id)', async () => {
    const { server, store } = counterServer({ invariants: ['deterministic'] }, { descriptorCache: 'trust' });
    await server.handle({ path: '/objects/example/counter' });
    await server.handle({ path: '/objects/example/counter' });
    expect(store.descriptorReads).toBe(1);
    store.put({ ...counterDescriptor({ invariants: ['deterministic'] }) }, utf8('{"counter":5}'));
    const stale = await server.handle({ path: '/objects/example/counter' });
    expect(stale.ok && text(stale.body)).toBe('{"counter":3,"timestamp":null}');
    server.invalidate('/objects/example/counter');
    const fresh = await server.handle({ path: '/objects/example/counter' });
    expect(fresh.ok && text(fresh.body)).toBe('{"counter":5,"timestamp":null}');
  });
  it('a hash-pinned request of an older version resolves through the store history', async () => {
    const { server, store, descriptor } = counterServer({ invariants: ['deterministic'] });
    store.put({ ...counterDescriptor({ invariants: ['deterministic'] }) }, utf8('{"counter":6}'));
    const old = await server.handle({ path: `object://example/counter@${descriptor.hash}` });
    expect(old.ok && text(old.body)).toBe('{"counter":3,"timestamp":null}');
    const now = await server.handle({ path: 'object://example/counter' });
    expect(now.ok && text(now.body)).toBe('{"counter":6,"timestamp":null}');
  });
});
