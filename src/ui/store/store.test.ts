import { describe, expect, it } from 'vitest';
import { createWorkbenchStore, selectActiveFile, type PackLoader, type PackSummary, type WorkbenchDeps } from './index';

function summary(name: string, size: number): PackSummary {
  return {
    header: { version: 0x0100, flags: 1, dims: 16, laneCount: 2, dictBytes: 10, indexBytes: 20, dataBytes: 64, merkleBytes: 0, sigBytes: 0 },
    sections: [{ name: 'HEADER', offset: 0, length: 36 }],
    laneIds: ['a', 'b'],
    fileSize: size,
    bytesRead: Math.min(size, 66),
    manifestJson: `{"name":${JSON.stringify(name)},"schema":"asx.pack.manifest.v1"}`,
    schema: 'asx.pack.manifest.v1',
  };
}

class FakeError extends Error {
  code = 'bad_magic';
  where = { offset: 3 };
}

/** A loader that accepts blobs whose text starts with "PACK" and throws otherwise. */
const fakeLoader: PackLoader = async (blob, name) => {
  const text = await (blob as Blob).text();
  if (!text.startsWith('PACK')) throw new FakeError('not a pack');
  return summary(name, blob.size);
};

function deferredLoader() {
  const pending: Array<{ name: string; resolve: (s: PackSummary) => void; reject: (e: unknown) => void }> = [];
  const loader: PackLoader = (blob, name) =>
    new Promise<PackSummary>((resolve, reject) => pending.push({ name, resolve, reject }));
  return { loader, pending };
}

function make(extra: Partial<WorkbenchDeps> = {}) {
  return createWorkbenchStore({ loadPack: fakeLoader, ...extra });
}

const packBlob = (s = 'PACK....') => new Blob([s]);

describe('createWorkbenchStore', () => {
  it('builds independent stores (no shared state between instances)', async () => {
    const a = make();
    const b = make();
    await a.getState().openFile(packBlob(), 'one.bin');
    expect(a.getState().files).toHaveLength(1);
    expect(b.getState().files).toHaveLength(0);
    a.getState().setGpu({ state: 'ready', adapter: 'x', message: 'ok' });
    expect(b.getState().gpu.state).toBe('idle');
    // ids restart per store
    const idB = await b.getState().openFile(packBlob(), 'two.bin');
    expect(idB).toBe('f1');
  });

  it('starts empty', () => {
    const s = make().getState();
    expect(s.files).toEqual([]);
    expect(s.activeId).toBeNull();
    expect(s.demos).toEqual([]);
    expect(s.demoState).toBe('idle');
    expect(s.gpu.state).toBe('idle');
  });
});

describe('files slice', () => {
  it('lists a file as loading at once, then ready with its summary', async () => {
    const { loader, pending } = deferredLoader();
    const store = make({ loadPack: loader });
    const done = store.getState().openFile(packBlob(), 'a.bin');
    expect(store.getState().files.map((f) => [f.name, f.status])).toEqual([['a.bin', 'loading']]);
    expect(store.getState().activeId).toBe('f1');
    pending[0].resolve(summary('a.bin', 8));
    await expect(done).resolves.toBe('f1');
    const f = selectActiveFile(store.getState())!;
    expect(f.status).toBe('ready');
    expect(f.pack?.header.dims).toBe(16);
    expect(f.error).toBeUndefined();
  });

  it('turns a loader failure into an error entry and keeps other files open', async () => {
    const store = make({
      toUiError: (e, file) => ({ code: (e as FakeError).code, message: (e as Error).message, offset: (e as FakeError).where.offset, file }),
    });
    await store.getState().openFile(packBlob(), 'good.bin');
    await store.getState().openFile(new Blob(['nope']), 'bad.txt');
    const files = store.getState().files;
    expect(files.map((f) => [f.name, f.status])).toEqual([['good.bin', 'ready'], ['bad.txt', 'error']]);
    expect(files[1].error).toEqual({ code: 'bad_magic', message: 'not a pack', offset: 3, file: 'bad.txt' });
    expect(files[0].pack).toBeDefined();
    expect(store.getState().activeId).toBe(files[1].id);
  });

  it('never rejects, even when the error mapper itself throws', async () => {
    const store = make({ toUiError: () => { throw new Error('mapper broke'); } });
    await expect(store.getState().openFile(new Blob(['x']), 'x.bin')).resolves.toBe('f1');
    expect(store.getState().files[0].error).toEqual({ code: 'internal', message: 'not a pack', file: 'x.bin' });
  });

  it('uses a plain code+message error by default, without stacks', async () => {
    const store = make();
    await store.getState().openFile(new Blob(['x']), 'x.bin');
    const err = store.getState().files[0].error!;
    expect(err.code).toBe('internal');
    expect(JSON.stringify(err)).not.toContain('    at ');
  });

  it('closes files and moves the selection to a neighbour', async () => {
    const store = make();
    for (const n of ['a', 'b', 'c']) await store.getState().openFile(packBlob(), n);
    const [a, b, c] = store.getState().files.map((f) => f.id);
    store.getState().selectFile(b);
    store.getState().closeFile(b);
    expect(store.getState().files.map((f) => f.id)).toEqual([a, c]);
    expect(store.getState().activeId).toBe(c);
    store.getState().closeFile(c);
    expect(store.getState().activeId).toBe(a);
    store.getState().closeFile(a);
    expect(store.getState().activeId).toBeNull();
    expect(store.getState().files).toEqual([]);
  });

  it('closing an inactive file keeps the selection; unknown ids are ignored', async () => {
    const store = make();
    await store.getState().openFile(packBlob(), 'a');
    await store.getState().openFile(packBlob(), 'b');
    const before = store.getState();
    store.getState().closeFile('nope');
    store.getState().selectFile('nope');
    expect(store.getState()).toBe(before);
    store.getState().closeFile('f1');
    expect(store.getState().activeId).toBe('f2');
  });

  it('a file closed while loading does not come back', async () => {
    const { loader, pending } = deferredLoader();
    const store = make({ loadPack: loader });
    const done = store.getState().openFile(packBlob(), 'slow.bin');
    store.getState().closeFile('f1');
    pending[0].resolve(summary('slow.bin', 8));
    await done;
    expect(store.getState().files).toEqual([]);
  });

  it('addFailedFile lists an error entry directly', () => {
    const store = make();
    const id = store.getState().addFailedFile('gone.bin', { code: 'io_error', message: 'HTTP 404', file: 'gone.bin' }, 'demo');
    expect(store.getState().files).toEqual([
      { id, key: 'failed\u0000demo\u0000gone.bin\u0000io_error', name: 'gone.bin', size: 0, origin: 'demo', status: 'error', error: { code: 'io_error', message: 'HTTP 404', file: 'gone.bin' } },
    ]);
    // The same failure again is focused, not listed twice.
    expect(store.getState().addFailedFile('gone.bin', { code: 'io_error', message: 'HTTP 404', file: 'gone.bin' }, 'demo')).toBe(id);
    expect(store.getState().files).toHaveLength(1);
  });
});

describe('demo slice', () => {
  const assets = (table: Record<string, string | number>) => async (path: string) => {
    const v = table[path];
    if (v === undefined || typeof v === 'number') return new Response('missing', { status: typeof v === 'number' ? v : 404 });
    return new Response(v);
  };

  it('loads the demo list and opens the first pack', async () => {
    const store = make({
      fetchAsset: assets({
        'demo/index.json': JSON.stringify([{ file: 'one.bin', title: 'One' }, { file: 'two.bin', title: 'Two' }]),
        'demo/one.bin': 'PACK one',
      }),
    });
    await store.getState().loadDemos(true);
    const s = store.getState();
    expect(s.demoState).toBe('ready');
    expect(s.demos).toEqual([{ file: 'one.bin', title: 'One' }, { file: 'two.bin', title: 'Two' }]);
    expect(s.files.map((f) => [f.name, f.origin, f.status])).toEqual([['one.bin', 'demo', 'ready']]);
  });

  it('reports a missing or malformed list without throwing', async () => {
    const missing = make({ fetchAsset: assets({}) });
    await missing.getState().loadDemos(true);
    expect(missing.getState().demoState).toBe('error');
    expect(missing.getState().demoMessage).toContain('HTTP 404');

    const bad = make({ fetchAsset: assets({ 'demo/index.json': '[{"file":"../etc/passwd"}]' }) });
    await bad.getState().loadDemos();
    expect(bad.getState().demoState).toBe('error');

    const empty = make({ fetchAsset: assets({ 'demo/index.json': '[]' }) });
    await empty.getState().loadDemos(true);
    expect(empty.getState().demoState).toBe('empty');
    expect(empty.getState().files).toEqual([]);
  });

  it('a demo pack that cannot be fetched becomes an io_error entry', async () => {
    const store = make({ fetchAsset: assets({ 'demo/index.json': '[{"file":"gone.bin","title":"Gone"}]', 'demo/gone.bin': 404 }) });
    await store.getState().loadDemos(true);
    const f = store.getState().files[0];
    expect(f.status).toBe('error');
    expect(f.error).toMatchObject({ code: 'io_error', file: 'gone.bin' });
    expect(f.error!.message).toContain('HTTP 404');
  });
});
