/** Payload encodings and types: base64, stream, canonical SVG-tensor legality; request fuzz (docs/laws.md O-VERIFY, O-HOOKS, O-LIFECYCLE). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { utf8 } from '../bytes/utf8.ts';
import { canonicalize } from '../svg/canonical.ts';
import type { ByteSource } from '../bytes/source.ts';
import { MemoryStore, ObjectServer, payloadHash } from './server.ts';
import { counterServer, text } from './testkit.ts';

describe('payload encodings and types', () => {
  it('base64 JSON payloads: the hash is over the stored text, references over the decoded JSON', async () => {
    const store = new MemoryStore();
    const stored = utf8(btoa('{"x":[10,20]}'));
    store.put({ id: 'object://enc/b64', payload: { type: 'json', encoding: 'base64' }, projections: { default: { emit: '@payload.x[1]' } } }, stored);
    const r = await new ObjectServer({ store }).handle({ path: 'object://enc/b64' });
    expect(r.ok && [r.hash, text(r.body)]).toEqual([payloadHash(stored), '20']);
  });
  it('stream payloads are hashed in chunks and passed through unread by a binary projection', async () => {
    const big = new Uint8Array(9 << 20).map((_, i) => i & 0xff);
    const reads: number[] = [];
    const src: ByteSource = { size: big.length, read: async (o, n) => { reads.push(n); return big.subarray(o, o + n); } };
    const store = new MemoryStore();
    const hash = store.putPayload(src, payloadHash(big));
    store.putDescriptor('object://stream/s', { id: 'object://stream/s', hash, payload: { type: 'stream', mime: 'application/octet-stream', location: 'stream://source/id', encoding: 'chunked' }, projections: { default: { type: 'binary' } } });
    const r = await new ObjectServer({ store }).handle({ path: 'object://stream/s' });
    expect(r.ok && r.body).toBe(src);
    expect(reads).toEqual([18, 4 << 20, 4 << 20, 1 << 20]);
  });
  it('svg-tensor objects with a canonical SVG payload pass hook.scxq2.legality.svg-tensor; others are illegal_tensor', async () => {
    const c = canonicalize(utf8('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"><line x2="3"/></svg>'));
    const mk = (bytes: Uint8Array) => {
      const store = new MemoryStore();
      store.put({ $schema: 'object://schema/ai.brain.svg-tensor.v1', type: 'ai.brain.svg-tensor', geometry_space: '2d', weight_encoding: 'path', topology: 'graph', id: 'object://ai/brain/svg', payload: { type: 'binary', mime: 'image/svg+xml' }, projections: { default: { type: 'binary' } } }, bytes);
      return new ObjectServer({ store });
    };
    const ok = await mk(c.bytes).verify({ path: 'object://ai/brain/svg' });
    expect(ok.steps.map((s) => s.check)).toContain('hook.scxq2.legality.svg-tensor');
    expect(ok.ok && ok.steps.map((s) => s.check)).toContain('ai.legality');
    const bad = await mk(utf8('<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>')).handle({ path: 'object://ai/brain/svg' });
    expect(!bad.ok && [bad.status, bad.error.surface]).toEqual([422, 'verification_error.illegal_tensor']);
  });
  it('a store writing into its array after verification changes nothing served', async () => {
    const { server, store, descriptor } = counterServer({ authority: 'read', invariants: [] });
    await server.handle({ path: '/objects/example/counter' });
    (store.payloads.get(descriptor.hash) as Uint8Array).fill(0x20);
    const r = await server.handle({ path: '/objects/example/counter', operation: 'read', capabilities: ['read'] });
    expect(r.ok && text(r.body)).toBe('{"counter":3,"label":"demo","items":[1,2,3],"nested":{"a":{"b":"deep"}}}');
  });
});

describe('request fuzz', () => {
  it('any request gives a response or a typed error, never a throw', async () => {
    const { server } = counterServer();
    const part = fc.constantFrom('/objects/', 'object://', 'example', 'counter', '/', '..', '%2e', '%', '@sha256:', '\\', 'C:', '\u0000', '?', 'x');
    await fc.assert(fc.asyncProperty(fc.oneof(fc.array(part, { maxLength: 8 }).map((a) => a.join('')), fc.string()), fc.option(fc.string({ maxLength: 12 })), fc.option(fc.string({ maxLength: 40 })), async (path, projection, accept) => {
      const r = await server.handle({ path, projection: projection ?? undefined, accept: accept ?? undefined });
      if (!r.ok) expect([403, 404, 422, 500, 503]).toContain(r.status);
    }), { numRuns: 1000 });
  });
});
