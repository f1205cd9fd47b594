/** O-SELECT, O-PROJECT, O-REF, O-META vectors and properties (docs/laws.md). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { utf8 } from '../bytes/utf8.ts';
import { counterServer, counterDescriptor, text, COUNTER_PAYLOAD } from './testkit.ts';
import { MemoryStore, ObjectServer } from './server.ts';
import { parseDescriptor } from './descriptor.ts';
import { selectProjection, parseAccept } from './project.ts';
import { parseRefText } from './reference.ts';
import { payloadHash } from './server.ts';
import { canonicalJson } from '../json/jcs.ts';

const H = payloadHash(utf8('{}'));
const desc = (projections: Record<string, unknown>) => parseDescriptor(utf8(JSON.stringify({ id: 'object://t/x', hash: H, payload: { type: 'json', mime: 'application/json' }, projections })));

describe('O-SELECT', () => {
  const d = desc({
    default: { type: 'json' },
    html: { type: 'http-response', headers: { 'Content-Type': 'text/html' }, body: '@payload' },
    raw: { type: 'binary' },
    svg: { type: 'binary', mime: 'image/svg+xml' },
    gpu: { type: 'json', mime: 'application/x-gpu', requires: ['svg.webgpu.map', 'no.such.hook'] },
  });
  const hooks = new Set(['svg.webgpu.map']);
  it('vectors: explicit name, then Accept, then default, else an error', () => {
    expect(selectProjection(d, { projection: 'raw', accept: 'text/html' }, hooks)).toBe('raw');
    expect(selectProjection(d, { accept: 'text/html' }, hooks)).toBe('html');
    expect(selectProjection(d, { accept: 'image/*;q=0.5, text/html;q=0.4' }, hooks)).toBe('svg');
    expect(selectProjection(d, { accept: 'application/json, text/html' }, hooks)).toBe('default');
    expect(selectProjection(d, { accept: 'application/octet-stream' }, hooks)).toBe('default'); // raw's media type is the payload's: application/json
    expect(selectProjection(d, { accept: 'image/svg+xml' }, hooks)).toBe('svg');
    expect(selectProjection(d, { accept: '*/*' }, hooks)).toBe('default');
    expect(selectProjection(d, { accept: 'text/html;q=0, video/mp4' }, hooks)).toBe('default');
    expect(selectProjection(d, { accept: 'application/x-gpu' }, hooks)).toBe('default');
    expect(() => selectProjection(d, { projection: 'gpu' }, hooks)).toThrow(expect.objectContaining({ code: 'projection_unavailable' }));
    expect(() => selectProjection(d, { projection: 'nope' }, hooks)).toThrow(expect.objectContaining({ code: 'projection_not_found', status: 500 }));
    const noDefault = desc({ raw: { type: 'binary' } });
    expect(() => selectProjection(noDefault, { accept: 'text/html' }, hooks)).toThrow(expect.objectContaining({ code: 'no_projection', category: 'projection_error' }));
    expect(parseAccept('text/html;level=1;q=0.5, */*;q=0.1, bogus').map((r) => `${r.type}/${r.sub};${r.q}`)).toEqual(['text/html;0.5', '*/*;0.1']);
  });
});

describe('O-REF', () => {
  it('vectors: grammar', () => {
    expect(parseRefText('@payload.a.b[0]["c d"]')).toEqual({ root: 'payload', segments: ['a', 'b', 0, 'c d'], text: '@payload.a.b[0]["c d"]' });
    expect(parseRefText('@payload')).toMatchObject({ root: 'payload', segments: [] });
    expect(parseRefText('@meta.projected_at')).toMatchObject({ root: 'meta', segments: ['projected_at'] });
    expect(parseRefText('@object.model.weights')).toBe('a reference starts with @payload or @meta (write @@ for a literal "@")');
    expect(parseRefText('@payload[01]')).toBe('bad bracket segment at character 8');
    expect(parseRefText('@payload' + '.a'.repeat(65))).toBe('more than 64 segments');
  });
  it('vectors: resolution reads own members only; a missing reference is an error', async () => {
    const { server } = counterServer({
      projections: {
        default: { type: 'json', emit: { deep: '@payload.nested.a.b', first: '@payload.items[0]', lit: '@@payload', plain: 'x', n: 7 } },
        proto: { type: 'json', emit: '@payload.constructor' },
        len: { type: 'json', emit: '@payload.items.length' },
        under: { type: 'json', emit: '@payload.__proto__' },
      },
    });
    const r = await server.handle({ path: '/objects/example/counter' });
    expect(r.ok && text(r.body)).toBe('{"deep":"deep","first":1,"lit":"@payload","n":7,"plain":"x"}');
    for (const [p, at] of [['proto', '@payload.constructor'], ['len', '@payload.items.length'], ['under', '@payload.__proto__']]) {
      const e = await server.handle({ path: '/objects/example/counter', projection: p });
      expect(!e.ok && [e.status, e.error.code, e.error.path]).toEqual([500, 'reference_not_found', at]);
    }
  });
  it('property: a projection never reads outside its payload and never changes it', async () => {
    const paths = fc.array(fc.oneof(fc.constantFrom('a', 'b', '0', '1', 'constructor', '__proto__', 'length', 'toString', 'hasOwnProperty'), fc.nat(3)), { maxLength: 4 });
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), paths, async (payloadValue, segs) => {
      const payload = utf8(JSON.stringify(payloadValue));
      const ref = '@payload' + segs.map((s) => (typeof s === 'number' ? `[${s}]` : `[${JSON.stringify(s)}]`)).join('');
      const store = new MemoryStore();
      store.put({ id: 'object://p/x', payload: { type: 'json' }, projections: { default: { type: 'json', emit: { v: ref } } } }, payload);
      const server = new ObjectServer({ store });
      const r = await server.handle({ path: 'object://p/x' });
      // Expected: walk own members of the plain JSON value.
      let v: unknown = JSON.parse(JSON.stringify(payloadValue));
      let found = true;
      for (const s of segs) {
        if (Array.isArray(v) && /^\d+$/.test(String(s)) && Number(s) < v.length) v = v[Number(s)];
        else if (v && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, String(s))) v = (v as Record<string, unknown>)[String(s)];
        else { found = false; break; }
      }
      if (found) expect(r.ok && text(r.body)).toBe(canonicalJson({ v }));
      else expect(!r.ok && r.error.code).toBe('reference_not_found');
      expect(text(store.payloads.get(payloadHash(payload)))).toBe(JSON.stringify(payloadValue));
    }), { numRuns: 400 });
  });
});

describe('O-META', () => {
  it('vector: a deterministic object projects @meta.projected_at as null, even with a clock', async () => {
    const { server } = counterServer({ invariants: ['deterministic'] }, { clock: () => 1767225600000 });
    const a = await server.handle({ path: '/objects/example/counter' });
    expect(a.ok && text(a.body)).toBe('{"counter":3,"timestamp":null}');
    const b = await server.handle({ path: '/objects/example/counter' });
    expect(b.ok && text(b.body)).toBe('{"counter":3,"timestamp":null}');
    expect(server.stats().projections).toEqual({ hits: 1, misses: 1, entries: 1 });
  });
  it('vector: otherwise it is the injected clock in ISO 8601 UTC (not cached); no clock → null', async () => {
    let t = 0;
    const { server } = counterServer({}, { clock: () => t });
    const a = await server.handle({ path: '/objects/example/counter' });
    expect(a.ok && text(a.body)).toBe('{"counter":3,"timestamp":"1970-01-01T00:00:00.000Z"}');
    t = 1767225600000;
    const b = await server.handle({ path: '/objects/example/counter' });
    expect(b.ok && text(b.body)).toBe('{"counter":3,"timestamp":"2026-01-01T00:00:00.000Z"}');
    expect(server.stats().projections.entries).toBe(0);
    const n = await counterServer().server.handle({ path: '/objects/example/counter' });
    expect(n.ok && text(n.body)).toBe('{"counter":3,"timestamp":null}');
  });
  it('vector: every @meta key', async () => {
    const keys = ['id', 'hash', 'size', 'mime', 'type', 'name', 'version', 'projection', 'projected_at'];
    const { server, descriptor } = counterServer({ projections: { m: { type: 'json', emit: Object.fromEntries(keys.map((k) => [k, `@meta.${k}`])) } } });
    const r = await server.handle({ path: '/objects/example/counter', projection: 'm' });
    expect(r.ok && JSON.parse(text(r.body))).toEqual({ id: 'object://example/counter', hash: descriptor.hash, size: COUNTER_PAYLOAD.length, mime: 'application/json', type: 'json', name: 'counter', version: '1.0.0', projection: 'm', projected_at: null });
  });
});

describe('O-PROJECT', () => {
  it('vectors: json, http-response, binary (raw and base64), unsupported types', async () => {
    const { server } = counterServer({
      projections: {
        default: { type: 'json', emit: '@payload.label' },
        page: { type: 'http-response', status: 201, headers: { 'X-Label': '@payload.label' }, body: '@payload.label' },
        evil: { type: 'http-response', headers: { 'X-Bad': '@payload.nested.a' } },
        b64: { type: 'binary', source: '@payload', encoding: 'base64' },
        sub: { type: 'binary', source: '@payload.items' },
        tokens: { type: 'token-stream', emit: '@payload.items' },
      },
    });
    const p = async (projection: string) => server.handle({ path: '/objects/example/counter', projection });
    const j = await p('default');
    expect(j.ok && [text(j.body), j.headers['Content-Type']]).toEqual(['"demo"', 'application/json']);
    const h = await p('page');
    expect(h.ok && [h.status, h.headers['X-Label'], h.headers['Content-Type'], text(h.body)]).toEqual([201, 'demo', 'text/plain; charset=utf-8', 'demo']);
    const e = await p('evil');
    expect(!e.ok && e.error.message).toBe('header X-Bad resolves to object, not text');
    const b = await p('b64');
    expect(b.ok && atob(text(b.body))).toBe(text(counterServer().store.payloads.values().next().value));
    const s = await p('sub');
    expect(s.ok && text(s.body)).toBe('[1,2,3]');
    const t = await p('tokens');
    expect(!t.ok && [t.error.code, t.error.path]).toEqual(['unsupported_projection_type', '$.projections.tokens.type']);
  });
  it('a caller writing into a response body changes neither the payload nor the cache', async () => {
    const { server } = counterServer({ invariants: ['deterministic'] });
    const a = await server.handle({ path: '/objects/example/counter', projection: 'raw' });
    if (a.ok && a.body instanceof Uint8Array) a.body.fill(0);
    const b = await server.handle({ path: '/objects/example/counter', projection: 'raw' });
    expect(b.ok && text(b.body)).toBe(text(counterServer().store.payloads.values().next().value));
    const c = await server.handle({ path: '/objects/example/counter' });
    if (c.ok && c.body instanceof Uint8Array) c.body.fill(0);
    const d2 = await server.handle({ path: '/objects/example/counter' });
    expect(d2.ok && text(d2.body)).toBe('{"counter":3,"timestamp":null}');
  });
  it('the spec §14.4 tokenizer descriptor is refused for its unknown invariants, not mis-projected', async () => {
    const store = new MemoryStore();
    store.put({ id: 'object://ai/tokenizer/bpe-en-v1', payload: { type: 'json', mime: 'application/json', location: './tokenizer.json' }, authority: 'none', invariants: ['deterministic', 'no_execution', 'fixed_vocab'], projections: { encode: { type: 'token-stream', emit: '@payload.rules' } } }, utf8('{"rules":[]}'));
    const r = await new ObjectServer({ store }).handle({ path: '/objects/ai/tokenizer/bpe-en-v1' });
    expect(!r.ok && [r.status, r.error.code]).toEqual([422, 'unknown_invariant']);
  });
});

void counterDescriptor;
