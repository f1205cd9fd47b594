import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { blobSource, bytesSource, CountingSource, RangeSet, type ByteSource } from './source.ts';
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

describe('CountingSource counts distinct bytes (issue 8 item 3: "read 6,736 of 5,056 bytes")', () => {
  it('re-reading and overlapping reads never count a byte twice, and never exceed the file', async () => {
    const c = new CountingSource(bytesSource(pack));
    const r = await openPack(c);
    for (let k = 0; k < 3; k++) for (let i = 0; i < r.header.laneCount; i++) await r.getLane(i);
    expect(c.bytesRead).toBe(pack.length);
    expect(c.bytesTransferred).toBeGreaterThan(pack.length);
    await c.read(0, pack.length);
    expect(c.bytesRead).toBe(pack.length);
  });
  it('RangeSet: vectors for merge, touch, gap and containment', () => {
    const s = new RangeSet();
    s.add(10, 20); expect(s.covered).toBe(10);
    s.add(30, 40); expect([s.covered, s.count]).toEqual([20, 2]);
    s.add(20, 30); expect([s.covered, s.count]).toEqual([30, 1]); // touching ranges join
    s.add(12, 18); expect(s.covered).toBe(30);                   // contained
    s.add(0, 5); s.add(5, 5); expect(s.toArray()).toEqual([[0, 5], [10, 40]]);
    s.add(3, 50); expect(s.toArray()).toEqual([[0, 50]]);
    expect(s.covered).toBe(50);
  });
  it('RangeSet.covered equals the size of the union (property, against a bitmap)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(300), fc.nat(40)), { maxLength: 60 }), (ranges) => {
      const s = new RangeSet();
      const bits = new Uint8Array(400);
      for (const [a, n] of ranges) { s.add(a, a + n); bits.fill(1, a, a + n); }
      expect(s.covered).toBe(bits.reduce((x, y) => x + y, 0));
      const arr = s.toArray();
      for (let i = 1; i < arr.length; i++) expect(arr[i][0]).toBeGreaterThan(arr[i - 1][1]);
    }));
  });
});
