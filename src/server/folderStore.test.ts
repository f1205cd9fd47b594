/** O-STORE: the object folder (docs/laws.md). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { COUNTER_PAYLOAD, counterDescriptor } from '../core/objects/testkit.ts';
import { createObjectServer } from '../core/objects/server.ts';
import { FolderStore } from './folderStore.ts';
import { startHttpServer } from './http.ts';

const hexOf = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
let dir: string;
let outside: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'asx-store-'));
  outside = await mkdtemp(join(tmpdir(), 'asx-store-out-'));
  await mkdir(join(dir, 'objects', 'example', 'deep'), { recursive: true });
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  const hex = hexOf(COUNTER_PAYLOAD);
  await writeFile(join(dir, 'blobs', 'sha256', hex), COUNTER_PAYLOAD);
  await writeFile(join(dir, 'objects', 'example', 'counter.json'), JSON.stringify({ ...counterDescriptor(), hash: `sha256:${hex}` }));
  await writeFile(join(dir, 'objects', 'example', 'deep', 'n.json'), JSON.stringify({ ...counterDescriptor({ id: 'object://example/deep/n' }), hash: `sha256:${hex}` }));
  await writeFile(join(dir, 'objects', 'example', 'big.json'), ' '.repeat((1 << 20) + 1));
  await writeFile(join(dir, 'objects', 'example', 'bad name!.json'), '{}');
  await writeFile(join(outside, 'x.json'), '{}');
  await symlink(join(outside, 'x.json'), join(dir, 'objects', 'example', 'link.json'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('O-STORE folder layout', () => {
  it('maps ids to objects/<domain>/<name>.json and hashes to blobs/sha256/<hex>', () => {
    expect(FolderStore.descriptorParts('object://example/deep/n')).toEqual(['objects', 'example', 'deep', 'n.json']);
    expect(FolderStore.blobParts(`sha256:${'a'.repeat(64)}`)).toEqual([join('blobs', 'sha256'), 'a'.repeat(64)]);
    expect(() => FolderStore.descriptorParts('object://example/../x')).toThrow();
    expect(() => FolderStore.blobParts('sha256:../../etc/passwd')).toThrow();
  });

  it('lists canonical ids of regular descriptor files only', async () => {
    const s = new FolderStore(dir);
    expect(await s.list()).toEqual(['object://example/big', 'object://example/counter', 'object://example/deep/n']);
    await s.close();
  });

  it('serves through the core; an oversized descriptor is refused by size; a symlink out is not found', async () => {
    const store = new FolderStore(dir);
    const core = createObjectServer({ store });
    expect((await core.handle({ path: '/objects/example/deep/n' })).status).toBe(200);
    const big = await core.handle({ path: '/objects/example/big' });
    expect(!big.ok && big.json.error.code).toBe('descriptor_too_large');
    const link = await core.handle({ path: '/objects/example/link' });
    expect(!link.ok && link.json.error.code).toBe('not_found');
    await store.close();
  });

  it('payload handles are pooled and reopened only if the file is unchanged', async () => {
    const store = new FolderStore(dir, { maxOpenFiles: 1 });
    const h = `sha256:${hexOf(COUNTER_PAYLOAD)}`;
    const src = (await store.payload(h))!;
    expect(new TextDecoder().decode(await src.read(0, 12))).toBe('{"counter":3');
    await store.close(); // handles closed; the source reopens on the next read
    expect((await src.read(1, 3)).length).toBe(3);
    await store.close();
  });

  it('a blob changed on disk after it was verified is a 503, never unverified bytes', async () => {
    const d2 = await mkdtemp(join(tmpdir(), 'asx-store-chg-'));
    try {
      const bytes = new Uint8Array(4096).fill(7);
      const hex = hexOf(bytes);
      await mkdir(join(d2, 'objects', 'example'), { recursive: true });
      await mkdir(join(d2, 'blobs', 'sha256'), { recursive: true });
      await writeFile(join(d2, 'blobs', 'sha256', hex), bytes);
      await writeFile(join(d2, 'objects', 'example', 'b.json'), JSON.stringify({
        $schema: 'object://schema/object.v1', id: 'object://example/b', hash: `sha256:${hex}`,
        payload: { type: 'binary', mime: 'application/octet-stream', size: bytes.length }, projections: { default: { type: 'binary', source: '@payload' } },
      }));
      const store = new FolderStore(d2);
      const srv = await startHttpServer({ store });
      try {
        expect((await fetch(srv.url + 'objects/example/b')).status).toBe(200);
        await new Promise((r) => setTimeout(r, 20));
        await writeFile(join(d2, 'blobs', 'sha256', hex), new Uint8Array(4096).fill(8));
        const r = await fetch(srv.url + 'objects/example/b');
        expect(r.status).toBe(503);
        expect((await r.json()).error.code).toBe('payload_unavailable');
      } finally {
        await srv.close();
        await store.close();
      }
    } finally {
      await rm(d2, { recursive: true, force: true });
    }
  });
});
