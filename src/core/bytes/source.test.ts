import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobSource, bytesSource, CountingSource, type ByteSource } from './source.ts';
import { openFileSource } from '../../cli/node-source.ts';
import { encodePack } from '../pack/write.ts';
import { openPack } from '../pack/read.ts';
import { sampleLanes } from '../pack/testkit.ts';
import { AsxError } from '../errors.ts';

const pack = encodePack(sampleLanes(30, 32), 32, { laneAudits: 2 }).bytes;

describe('byte sources: the same lazy reads over Uint8Array, ArrayBuffer, Blob and a Node file handle', () => {
  it('every source opens the pack reading no DATA, and reads one payload per lane', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asx-src-'));
    writeFileSync(join(dir, 'p.bin'), pack);
    const fileSrc = await openFileSource(join(dir, 'p.bin'));
    const sources: ByteSource[] = [bytesSource(pack), bytesSource(pack.slice().buffer), blobSource(new Blob([pack.slice()])), fileSrc];
    for (const s of sources) {
      const c = new CountingSource(s);
      const r = await openPack(c);
      expect(c.bytesRead).toBe(pack.length - r.header.dataBytes);
      const lane = await r.getLane(5);
      expect(c.bytesRead).toBe(pack.length - r.header.dataBytes + lane.payload.length);
    }
    await fileSrc.close();
  });
  it('reads past the end are typed errors with the offset', async () => {
    for (const s of [bytesSource(pack), blobSource(new Blob([pack.slice()]))]) {
      await expect(s.read(pack.length - 2, 3)).rejects.toBeInstanceOf(AsxError);
      await expect(s.read(-1, 1)).rejects.toMatchObject({ code: 'truncated' });
    }
  });
});
