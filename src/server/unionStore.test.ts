/** unionStore (docs/laws.md O-DEMO): first store with an id answers; pins, payloads and lists across stores. */
import { describe, expect, it } from 'vitest';
import { MemoryStore, createObjectServer } from '../core/objects/server.ts';
import { COUNTER_PAYLOAD, counterDescriptor } from '../core/objects/testkit.ts';
import { utf8 } from '../core/bytes/utf8.ts';
import { unionStore } from './unionStore.ts';

function stores() {
  const a = new MemoryStore();
  const da = a.put(counterDescriptor({ id: 'object://a/counter' }), COUNTER_PAYLOAD);
  const b = new MemoryStore();
  const other = utf8('{"counter":9}');
  const db = b.put(counterDescriptor({ id: 'object://b/counter' }), other);
  // The same id in both: the first store wins, with its own payload.
  b.put(counterDescriptor({ id: 'object://a/counter' }), other);
  return { a, b, da, db };
}

describe('unionStore', () => {
  it('lists the sorted union and serves each id from the first store that has it', async () => {
    const { a, b, da, db } = stores();
    const u = unionStore([a, b]);
    expect(await u.list!()).toEqual(['object://a/counter', 'object://b/counter']);
    const core = createObjectServer({ store: u });
    const ra = await core.handle({ path: 'object://a/counter', projection: 'raw' });
    const rb = await core.handle({ path: 'object://b/counter', projection: 'raw' });
    expect(ra.ok && ra.hash).toBe(da.hash);
    expect(rb.ok && rb.hash).toBe(db.hash);
    expect(new TextDecoder().decode(ra.ok ? (ra.body as Uint8Array) : new Uint8Array())).toBe(new TextDecoder().decode(COUNTER_PAYLOAD));
  });
  it('a hash pin is served when it is the current hash, and hash_not_found otherwise (stores without history)', async () => {
    const { a, b, da } = stores();
    const core = createObjectServer({ store: unionStore([a, b]) });
    const ok = await core.handle({ path: `object://a/counter@${da.hash}`, version: '9.9.9' });
    expect(ok.ok).toBe(true);
    const bad = await core.handle({ path: `object://a/counter@sha256:${'0'.repeat(64)}` });
    expect(!bad.ok && bad.error.code).toBe('hash_not_found');
    const missing = await core.handle({ path: 'object://c/none' });
    expect(!missing.ok && missing.error.code).toBe('not_found');
  });
});
