/**
 * The lazily built Brown store (docs/laws.md MX2LM-OBJECTS): `list()` answers without building
 * (counted, not timed), one build serves every request, ids outside the set never build, a failed
 * build is retried, and a corpus object comes back verified through the real HTTP host, alone and
 * in the store `npm start` serves. The split here is a small part of the real corpus (the full
 * set is checked in src/core/mx2lm/build.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { writeObjectStore } from './storeWriter.ts';
import { loadBrownSplit, type BrownDocument } from '../cli/brown.ts';
import type { SplitDocuments } from '../core/mx2lm/split.ts';
import { linesOfSentences } from '../core/mx2lm/encode.ts';
import { BROWN_IDS, BROWN_OBJECT_IDS, BROWN_TRAINED_WEIGHTS_ID } from '../core/mx2lm/build.ts';
import { brownStore } from './brownStore.ts';
import { startHttpServer } from './http.ts';
import { workbenchObjectStore } from './demoServer.ts';
import type { Descriptor } from '../core/objects/descriptor.ts';

const COMMITTED = join(import.meta.dirname, '..', '..', 'demo-objects');

describe('brownStore', () => {
  let small: SplitDocuments<BrownDocument>;
  let loads = 0;
  const load = async () => { loads++; return small; };
  beforeAll(() => {
    const all = loadBrownSplit();
    small = { train: all.train.slice(0, 12), validation: all.validation.slice(0, 2), test: all.test.slice(0, 2) };
  });

  it('lists the nine ids without building; ids outside the set answer null without building', async () => {
    loads = 0;
    const s = brownStore({ load, trained: null });
    expect(await s.list!()).toEqual([...BROWN_OBJECT_IDS].sort());
    expect(await s.descriptor('object://demo/packs/demo-5kb')).toBeNull();
    expect(await s.descriptor(BROWN_TRAINED_WEIGHTS_ID)).toBeNull();
    expect(await s.payload('sha256:' + '0'.repeat(64), { id: 'object://demo/packs/demo-5kb' } as Descriptor)).toBeNull();
    expect([s.builds, s.started, loads]).toEqual([0, false, 0]);
    const [a, b] = await Promise.all([s.descriptor(BROWN_IDS.test), s.descriptor(BROWN_IDS.vocab)]);
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    await s.descriptor(BROWN_IDS.profile);
    expect([s.builds, loads]).toEqual([1, 1]);
    const d = JSON.parse(new TextDecoder().decode(a as Uint8Array)) as { id: string; invariants: string[] };
    expect(d.id).toBe(BROWN_IDS.test);
    expect(d.invariants).toContain('auditable');
  });

  it('a failed build is forgotten: the next request builds again', async () => {
    let n = 0;
    const s = brownStore({ trained: null, load: async () => { if (n++ === 0) throw new Error("corpus missing"); return small; } });
    await expect(s.descriptor(BROWN_IDS.train)).rejects.toThrow('corpus missing');
    expect(s.started).toBe(false);
    expect(await s.descriptor(BROWN_IDS.train)).not.toBeNull();
    expect(s.builds).toBe(2);
  });

  it('over the real HTTP host: /objects without a build, then a corpus object verified (payload bytes, hash, counts)', async () => {
    loads = 0;
    const s = brownStore({ load, trained: null });
    const server = await startHttpServer({ store: s, port: 0 });
    try {
      const get = (p: string) => fetch(new URL(p, server.url));
      const ids = ((await (await get('/objects')).json()) as { objects: string[] }).objects;
      expect(ids).toEqual([...BROWN_OBJECT_IDS].sort());
      expect([s.builds, loads]).toEqual([0, 0]);
      const want = new TextEncoder().encode(linesOfSentences(small.validation.flatMap((d) => d.sentences)));
      const hash = `sha256:${createHash('sha256').update(want).digest('hex')}`;
      const r = await get('/objects/corpus/brown/validation?projection=payload');
      const body = new Uint8Array(await r.arrayBuffer());
      expect(r.status).toBe(200);
      expect(Buffer.compare(body, want)).toBe(0);
      expect(r.headers.get('etag')).toContain(hash);
      const summary = await (await get('/objects/corpus/brown/validation')).json();
      expect(summary).toMatchObject({ split: 'validation', documents: 2, sentences: small.validation.flatMap((d) => d.sentences).length, bytes: want.length, hash });
      const recent = (await (await get('/events/recent')).json()) as { events: Array<{ type: string; object_id?: string }> };
      expect(recent.events.some((e) => e.type === 'object.verified')).toBe(true);
      for (const id of BROWN_OBJECT_IDS) expect((await get(`/objects/${id.slice('object://'.length)}?projection=payload`)).status, id).toBe(200);
      expect([s.builds, loads]).toEqual([1, 1]);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('in the store npm start serves: listed with the demo and compliance objects, the folder first', async () => {
    loads = 0;
    const { store, close } = await workbenchObjectStore(COMMITTED, { load, trained: null });
    const server = await startHttpServer({ store, port: 0 });
    try {
      const ids = ((await (await fetch(new URL('/objects', server.url))).json()) as { objects: string[] }).objects;
      for (const id of BROWN_OBJECT_IDS) expect(ids).toContain(id);
      expect(ids).toContain('object://demo/packs/demo-5kb');
      expect(ids.some((i) => i.startsWith('object://compliance/'))).toBe(true);
      expect(loads).toBe(0);
      expect((await fetch(new URL('/objects/demo/packs/demo-5kb', server.url))).status).toBe(200);
      expect(loads).toBe(0);
      const r = await fetch(new URL('/objects/corpus/brown/test?projection=payload', server.url));
      expect(r.status).toBe(200);
      expect(Buffer.compare(new Uint8Array(await r.arrayBuffer()), new TextEncoder().encode(linesOfSentences(small.test.flatMap((d) => d.sentences))))).toBe(0);
      expect(loads).toBe(1);
    } finally {
      await server.close();
      await close();
    }
  }, 60_000);

  it('a folder object with a Brown id wins over the built one, and serving it builds nothing', async () => {
    loads = 0;
    const dir = await mkdtemp(join(tmpdir(), 'asx-brown-'));
    try {
      const payload = new TextEncoder().encode('committed\n');
      await writeObjectStore(dir, [{ id: BROWN_IDS.test, payload, descriptor: { id: BROWN_IDS.test, payload: { type: 'binary', mime: 'text/plain' }, projections: { payload: { type: 'binary', source: '@payload', encoding: 'raw' } } } }]);
      const { store, close } = await workbenchObjectStore(dir, { load, trained: null });
      const server = await startHttpServer({ store, port: 0 });
      try {
        const r = await fetch(new URL('/objects/corpus/brown/test?projection=payload', server.url));
        expect(r.status).toBe(200);
        expect(await r.text()).toBe('committed\n');
        expect(loads).toBe(0);
      } finally {
        await server.close();
        await close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
