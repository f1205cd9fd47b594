/**
 * httpSource (docs/laws.md O-BROWSER "lazy over HTTP"): a safetensors object opened by Range
 * from the real `asx serve` host reads only what it needs, with the same bytes as the file;
 * a server that ignores Range, sends another range or another payload is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createFolderStore, type FolderStore } from '../../server/folderStore.ts';
import { startHttpServer, type RunningServer } from '../../server/http.ts';
import { openSafetensors } from '../../core/tensors/safetensors.ts';
import { bytesSource } from '../../core/bytes/source.ts';
import { httpSource, HTTP_READ_MAX } from './httpSource.ts';
import { runVerifyJob } from '../../worker/verify.worker.ts';
import type { VerifyMessage } from '../../worker/verifyProtocol.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FILE = new Uint8Array(readFileSync(join(ROOT, 'public/demo/demo-tensors-a.safetensors')));
const DESCRIPTOR = JSON.parse(readFileSync(join(ROOT, 'demo-objects/objects/demo/tensors/demo-tensors-a.json'), 'utf8')) as { hash: string };

describe('httpSource against asx serve', () => {
  let store: FolderStore;
  let server: RunningServer;
  beforeAll(async () => { store = createFolderStore(join(ROOT, 'demo-objects')); server = await startHttpServer({ store, port: 0 }); });
  afterAll(async () => { await server.close(); await store.close(); });

  it('opens the safetensors object by range: header and one tensor, bytes equal to the file, far less than the whole read', async () => {
    const src = httpSource({ url: `${server.url}objects/demo/tensors/demo-tensors-a?projection=payload`, etag: `"${DESCRIPTOR.hash}"`, size: FILE.length });
    const remote = await openSafetensors(src);
    const local = await openSafetensors(bytesSource(FILE));
    expect(remote.header.tensors).toEqual(local.header.tensors);
    const name = 'model.layers.0.mlp.up_proj.bias';
    expect(Array.from(await remote.view(name))).toEqual(Array.from(await local.view(name)));
    expect(src.bytesReceived()).toBeLessThan(FILE.length / 2);
    await expect(src.read(FILE.length - 1, 2)).rejects.toMatchObject({ code: 'truncated' });
    const big = httpSource({ url: src.name!, etag: '"x"', size: 2 * HTTP_READ_MAX });
    await expect(big.read(0, HTTP_READ_MAX + 1)).rejects.toMatchObject({ code: 'io_error', message: expect.stringMatching(/limit/) });
  });

  it('the verify worker\'s job runs over a remote pack (every lane by range) with the same report as over the file', async () => {
    const d = JSON.parse(readFileSync(join(ROOT, 'demo-objects/objects/demo/packs/demo-5kb.json'), 'utf8')) as { hash: string; payload: { size: number } };
    const file = new Uint8Array(readFileSync(join(ROOT, 'public/demo/demo-5kb.v2c.bin')));
    const run = async (blob: Parameters<typeof runVerifyJob>[0]['blob']) => {
      const out: VerifyMessage[] = [];
      await runVerifyJob({ blob, name: 'demo-5kb.v2c.bin', lanes: true }, (m) => out.push(m));
      const done = out.find((m) => m.type === 'done');
      return done && done.type === 'done' ? done.report : null;
    };
    const remote = await run({ kind: 'http', url: `${server.url}objects/demo/packs/demo-5kb?projection=payload`, etag: `"${d.hash}"`, size: d.payload.size });
    const local = await run(new Blob([file]));
    expect(remote?.ok).toBe(true);
    expect(remote).toEqual(local);
  });

  it('an ETag other than the payload\'s (a changed payload) is refused: the server answers 200 whole, never mixed', async () => {
    const src = httpSource({ url: `${server.url}objects/demo/tensors/demo-tensors-a?projection=payload`, etag: `"sha256:${'0'.repeat(64)}"`, size: FILE.length });
    await expect(src.read(0, 8)).rejects.toMatchObject({ code: 'io_error', message: expect.stringMatching(/changed/) });
  });
});

describe('httpSource against hostile servers', () => {
  let srv: Server;
  let url: string;
  let mode = '';
  const etag = '"sha256:abc"';
  beforeAll(async () => {
    srv = createServer((req, res) => {
      const m = /bytes=(\d+)-(\d+)/.exec(req.headers.range ?? '')!;
      const [a, b] = [Number(m[1]), Number(m[2])];
      if (mode === 'whole') { res.writeHead(200, { ETag: etag }); res.end(Buffer.from(FILE)); return; }
      if (mode === 'shifted') { res.writeHead(206, { ETag: etag, 'Content-Range': `bytes ${a + 1}-${b + 1}/${FILE.length}` }); res.end(Buffer.from(FILE.subarray(a + 1, b + 2))); return; }
      if (mode === 'other-etag') { res.writeHead(206, { ETag: '"sha256:def"', 'Content-Range': `bytes ${a}-${b}/${FILE.length}` }); res.end(Buffer.from(FILE.subarray(a, b + 1))); return; }
      if (mode === 'short') { res.writeHead(206, { ETag: etag, 'Content-Range': `bytes ${a}-${b}/${FILE.length}` }); res.end(Buffer.from(FILE.subarray(a, b))); return; }
      res.writeHead(206, { ETag: etag, 'Content-Range': `bytes ${a}-${b}/${FILE.length}` });
      res.end(Buffer.from(FILE.subarray(a, b + 1)));
    });
    await new Promise<void>((ok) => srv.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/p`;
  });
  afterAll(() => new Promise<void>((ok) => srv.close(() => ok())));

  it('a well-behaved server works; 200 instead of 206, a shifted range, another ETag or a short body are refused', async () => {
    const src = () => httpSource({ url, etag, size: FILE.length });
    mode = '';
    expect(Array.from(await src().read(3, 10))).toEqual(Array.from(FILE.subarray(3, 13)));
    for (const m of ['whole', 'shifted', 'other-etag', 'short']) {
      mode = m;
      await expect(src().read(3, 10), m).rejects.toBeTruthy();
    }
  });
});
