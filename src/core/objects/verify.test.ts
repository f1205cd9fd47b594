/** O-VERIFY, O-AUTHORITY, O-INVARIANTS vectors and properties (docs/laws.md). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { utf8 } from '../bytes/utf8.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import type { ByteSource } from '../bytes/source.ts';
import { counterServer, counterDescriptor, COUNTER_PAYLOAD } from './testkit.ts';
import { MemoryStore, ObjectServer, payloadHash } from './server.ts';
import { hashPayload } from './payload.ts';
import { checkAuthority, type Operation } from './verify.ts';
import { parseDescriptor, AUTHORITY_LEVELS, type Authority } from './descriptor.ts';
import { projectObject } from './project.ts';
import { ObjectError } from './errors.ts';

function countingSource(b: Uint8Array): ByteSource & { reads: Array<[number, number]> } {
  const reads: Array<[number, number]> = [];
  return { size: b.length, reads, async read(o, n) { reads.push([o, n]); return b.subarray(o, o + n); } };
}

describe('O-VERIFY hash and size', () => {
  it('the size is checked before any byte is read', async () => {
    const store = new MemoryStore();
    const src = countingSource(COUNTER_PAYLOAD);
    const d = { ...counterDescriptor(), hash: payloadHash(COUNTER_PAYLOAD), payload: { type: 'binary', size: 5 }, projections: { default: { type: 'binary' } } };
    store.putPayload(src, d.hash);
    store.putDescriptor(d.id, d);
    const r = await new ObjectServer({ store }).verify({ path: d.id });
    expect(!r.ok && [r.error.code, r.error.status, r.error.message]).toEqual(['size_mismatch', 422, `payload is ${COUNTER_PAYLOAD.length} bytes, the descriptor declares 5`]);
    expect(src.reads.length).toBe(1); // only the 18-byte format sniff of the load phase
    expect(src.reads[0]).toEqual([0, 18]);
  });
  it('sources are hashed in 4 MiB reads, equal to the one-shot digest', async () => {
    const big = new Uint8Array(10 << 20).map((_, i) => (i * 31) & 255);
    const src = countingSource(big);
    expect(await hashPayload(src)).toBe(`sha256:${toHex(sha256(big))}`);
    expect(src.reads).toEqual([[0, 4 << 20], [4 << 20, 4 << 20], [8 << 20, 2 << 20]]);
    expect(await hashPayload(big)).toBe(`sha256:${toHex(sha256(big))}`);
    expect(await hashPayload(new Uint8Array(0))).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('verification returns a result with its steps, never throws for a bad object', async () => {
    const { server, store, descriptor } = counterServer();
    store.payloads.set(descriptor.hash, utf8('{}'));
    const r = await server.verify({ path: '/objects/example/counter' });
    expect(r.ok).toBe(false);
    expect(r.steps).toEqual([{ check: 'size', ok: true, detail: '2 bytes' }, { check: 'hash', ok: false, detail: `payload hashes to ${payloadHash(utf8('{}'))}, the descriptor declares ${descriptor.hash}` }]);
  });
  it('an object that did not come out of verification is never projected', async () => {
    const d = parseDescriptor(utf8(JSON.stringify({ ...counterDescriptor(), hash: payloadHash(COUNTER_PAYLOAD) })));
    const fake = { id: d.id, descriptor: d, payload: COUNTER_PAYLOAD, format: { format: 'json' }, objectType: 'object.v1', size: 1, view: { whole: async () => ({}), member: async () => undefined }, steps: [] };
    await expect(projectObject(fake as never, 'default')).rejects.toMatchObject({ code: 'projection_unavailable', message: 'refusing to project an unverified payload' });
  });
});

describe('O-AUTHORITY', () => {
  it('vectors: the operation × authority matrix', () => {
    const ops: Operation[] = ['project', 'read', 'write', 'execute'];
    const table: string[] = [];
    for (const a of AUTHORITY_LEVELS) {
      const d = parseDescriptor(utf8(JSON.stringify({ ...counterDescriptor(), authority: a, executable: a === 'execute', hash: payloadHash(COUNTER_PAYLOAD) })));
      table.push(`${a}: ${ops.map((op) => `${op}=${checkAuthority(d, op, [op])?.code ?? 'ok'}/${checkAuthority(d, op, [])?.code ?? 'ok'}`).join(' ')}`);
    }
    expect(table).toEqual([
      'none: project=ok/ok read=authority_exceeded/authority_exceeded write=authority_exceeded/authority_exceeded execute=authority_exceeded/authority_exceeded',
      'read: project=ok/ok read=ok/capability_required write=authority_exceeded/authority_exceeded execute=authority_exceeded/authority_exceeded',
      'write: project=ok/ok read=ok/capability_required write=ok/capability_required execute=authority_exceeded/authority_exceeded',
      'execute: project=ok/ok read=ok/capability_required write=ok/capability_required execute=ok/capability_required',
    ]);
  });
  it('default authority is none; a read is 403 unless declared and granted', async () => {
    const { authority: _a, invariants: _i, ...noAuth } = counterDescriptor();
    const store = new MemoryStore();
    store.put(noAuth, COUNTER_PAYLOAD);
    const s = new ObjectServer({ store });
    const r = await s.handle({ path: noAuth.id, operation: 'read', capabilities: ['read'] });
    expect(!r.ok && [r.status, r.error.category, r.error.code, r.error.message]).toEqual([403, 'authority_error', 'authority_exceeded', 'operation read needs authority read; the object declares none']);
    store.put({ ...noAuth, authority: 'read' }, COUNTER_PAYLOAD);
    const ok = await s.handle({ path: noAuth.id, operation: 'read', capabilities: ['read'] });
    expect(ok.ok && new TextDecoder().decode(ok.body as Uint8Array)).toBe(new TextDecoder().decode(COUNTER_PAYLOAD));
    const noCap = await s.handle({ path: noAuth.id, operation: 'read' });
    expect(!noCap.ok && noCap.error.code).toBe('capability_required');
  });
  it('property: an operation is allowed only when its level ≤ the declared level and the capability is granted', () => {
    fc.assert(fc.property(fc.constantFrom(...AUTHORITY_LEVELS), fc.constantFrom<Operation>('project', 'read', 'write', 'execute'), fc.subarray(['read', 'write', 'execute']), fc.boolean(), (a: Authority, op, caps, exe) => {
      const d = parseDescriptor(utf8(JSON.stringify({ ...counterDescriptor(), authority: a, executable: exe, invariants: [], hash: payloadHash(COUNTER_PAYLOAD) })));
      const lvl = (x: string) => ['none', 'read', 'write', 'execute'].indexOf(x);
      const need = { project: 'none', read: 'read', write: 'write', execute: 'execute' }[op];
      const allowed = lvl(need) <= lvl(a) && (op === 'project' || caps.includes(op)) && (op !== 'execute' || exe);
      expect(checkAuthority(d, op, caps) === null).toBe(allowed);
    }), { numRuns: 300 });
  });
});

async function verdict(extra: Record<string, unknown>, opts: ConstructorParameters<typeof ObjectServer>[0] extends infer O ? Partial<O> : never = {}, listen = false, req: Record<string, unknown> = {}): Promise<string> {
  const { server } = counterServer(extra, opts);
  if (listen) server.on(() => undefined);
  const r = await server.verify({ path: '/objects/example/counter', ...req });
  return r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`;
}

describe('O-INVARIANTS', () => {
  it('vectors: built-in invariants', async () => {
    expect(await verdict({ invariants: ['immutable_payload'], authority: 'write' })).toBe("invariant_violation: invariant 'immutable_payload' violated: authority write would allow modifying the payload");
    expect(await verdict({ invariants: ['no_execution'], authority: 'execute', executable: true })).toBe("invariant_violation: invariant 'no_execution' violated: the object is executable");
    expect(await verdict({ invariants: ['projection_only'], authority: 'read' })).toBe("invariant_violation: invariant 'projection_only' violated: authority read (projection_only needs none)");
    expect(await verdict({ invariants: ['no_side_effects'], events: { on_project: ['tick'] } })).toBe("invariant_violation: invariant 'no_side_effects' violated: event binding on_project: tick is not observational (log, audit, trace, metrics)");
    expect(await verdict({ invariants: ['no_side_effects'] })).toBe('ok');
    expect(await verdict({ invariants: ['deterministic'] })).toBe('ok');
    expect(await verdict({ invariants: ['auditable'] })).toBe("invariant_violation: invariant 'auditable' violated: no event listener is attached, so operations would not be logged");
    expect(await verdict({ invariants: ['auditable'] }, {}, true)).toBe('ok');
  });
  it('vectors: custom invariants declared as data', async () => {
    const inv = (assert: object) => ({ invariants: [{ name: 'rule', assert }] });
    expect(await verdict(inv({ ref: '@payload.counter', type: 'integer', minimum: 0, maximum: 5 }))).toBe('ok');
    expect(await verdict(inv({ ref: '@payload.counter', maximum: 2 }))).toBe("invariant_violation: invariant 'rule' violated: @payload.counter is not a number ≤ 2");
    expect(await verdict(inv({ ref: '@payload.items', unique_items: true, min_length: 3, max_length: 3 }))).toBe('ok');
    expect(await verdict(inv({ ref: '@payload.missing', exists: false }))).toBe('ok');
    expect(await verdict(inv({ ref: '@payload.missing', type: 'string' }))).toBe("invariant_violation: invariant 'rule' violated: @payload.missing does not exist");
    expect(await verdict(inv({ ref: '@payload.label', one_of: ['demo', 'prod'] }))).toBe('ok');
    expect(await verdict(inv({ ref: '@payload.nested["a"].b', equals: 'deep' }))).toBe('ok');
    expect(await verdict(inv({ any_of: [{ ref: '@payload.counter', equals: 4 }, { ref: '@payload.label', equals: 'demo' }] }))).toBe('ok');
    expect(await verdict(inv({ ref: '@payload.counter', not: { maximum: 10 } }))).toBe("invariant_violation: invariant 'rule' violated: not: @payload.counter satisfies the negated assertion");
    expect(await verdict(inv({ ref: '@meta.version', equals: '1.0.0' }))).toBe('ok');
  });
  it('vectors: unknown and registered invariants', async () => {
    expect(await verdict({ invariants: ['fixed_vocab'] })).toBe('unknown_invariant: invariant fixed_vocab is neither built in, declared as data, nor registered, so it cannot be enforced');
    const invariants = { fixed_vocab: async (c: { resolve(r: string): Promise<unknown> }) => ((await c.resolve('@payload.counter')) === 3 ? true as const : 'counter is not 3') };
    expect(await verdict({ invariants: ['fixed_vocab'] }, { invariants })).toBe('ok');
    expect(await verdict({ invariants: ['fixed_vocab'] }, { invariants: { fixed_vocab: () => 'nope' } })).toBe("invariant_violation: invariant 'fixed_vocab' violated: nope");
  });
  it('vectors: forbidden patterns', async () => {
    expect(await verdict({ invariants: [], executable: true })).toBe('forbidden_pattern: forbidden pattern: executable: true without authority execute');
    expect(await verdict({ invariants: [], identity: { name: 'x', constructor: 'y' } })).toBe('forbidden_pattern: forbidden pattern: member name constructor at $.identity');
  });
  it('property: verification never throws, whatever the descriptor declares', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(...AUTHORITY_LEVELS), fc.boolean(), fc.subarray(['immutable_payload', 'no_execution', 'projection_only', 'no_side_effects', 'deterministic', 'auditable', 'custom_x']),
      fc.constantFrom<Operation>('project', 'read', 'write', 'execute'), fc.subarray(['read', 'write', 'execute']), fc.boolean(),
      async (authority, executable, invariants, operation, capabilities, corrupt) => {
        const { server, store, descriptor } = counterServer({ authority, executable, invariants });
        if (corrupt) store.payloads.set(descriptor.hash, utf8('{"counter":9}'));
        const r = await server.verify({ path: '/objects/example/counter', operation, capabilities });
        if (!r.ok) expect(r.error).toBeInstanceOf(ObjectError);
        if (corrupt) expect(!r.ok && r.error.code).toBe('hash_mismatch');
      }), { numRuns: 200 });
  });
});
