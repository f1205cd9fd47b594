import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blobSource } from '../core/bytes/source';
import { compatibility, diffPacks, downFold } from '../core/pack/compat';
import { openPack } from '../core/pack/read';
import { runDiffJob } from './diff.worker';
import { packDiffFrom, type DiffMessage } from './diffProtocol';

const bytes = (f: string) => new Uint8Array(readFileSync(`public/demo/${f}`));
const run = async (a: Uint8Array, b: Uint8Array, batch?: number) => {
  const msgs: DiffMessage[] = [];
  await runDiffJob({ a: new Blob([a as BlobPart]), b: new Blob([b as BlobPart]), nameA: 'a.v2c.bin', nameB: 'b.v2c.bin', batch }, (m) => msgs.push(m));
  return msgs;
};

describe('diff worker job', () => {
  it.each([
    ['demo-5kb.v2c.bin', 'demo-5kb-b.v2c.bin'],
    ['demo-wide.v2c.bin', 'demo-5kb.v2c.bin'],
  ])('equals the core diffPacks for %s vs %s, with progress and value ranges', async (fa, fb) => {
    const msgs = await run(bytes(fa), bytes(fb), 16);
    const done = msgs.at(-1)!;
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    const ra = await openPack(blobSource(new Blob([bytes(fa) as BlobPart])));
    const rb = await openPack(blobSource(new Blob([bytes(fb) as BlobPart])));
    // The compact result, rebuilt with the page's own compatibility, is the core's diff.
    const core = await diffPacks(ra, rb);
    expect(packDiffFrom(done.diff, compatibility(ra, rb))).toEqual(core);
    // The chart's order, sorted in the worker: common lanes, lowest cosine first, ties by id.
    const sorted = core.lanes.filter((l) => l.inA && l.inB).sort((x, y) => x.cosine - y.cosine || (x.id < y.id ? -1 : 1));
    expect(Array.from(done.diff.lowest, (i) => core.lanes[i])).toEqual(sorted);
    expect(msgs.filter((m) => m.type === 'progress').at(-1)).toMatchObject({ done: done.diff.ids.length, total: done.diff.ids.length });
    // The ranges are those of the down-folded common lanes and of their differences.
    const dimsN = done.diff.dimsN;
    let amin = Infinity, amax = -Infinity, dmax = 0;
    for (const id of compatibility(ra, rb).common) {
      const va = downFold((await ra.getLane(id)).W, dimsN);
      const vb = downFold((await rb.getLane(id)).W, dimsN);
      for (let k = 0; k < dimsN; k++) {
        amin = Math.min(amin, va[k]);
        amax = Math.max(amax, va[k]);
        dmax = Math.max(dmax, Math.abs(va[k] - vb[k]));
      }
    }
    expect(done.stats.a).toEqual({ min: amin, max: amax });
    expect(Math.max(-done.stats.d.min, done.stats.d.max)).toBe(dmax);
    expect(done.bytesRead.a).toBeLessThanOrEqual(bytes(fa).length);
    expect(done.bytesRead.b).toBeGreaterThan(0);
  });

  it('reports a tampered lane with its code, side and byte offset', async () => {
    const b = bytes('demo-5kb-b.v2c.bin');
    const probe = await openPack(blobSource(new Blob([b as BlobPart])));
    const at = probe.dataStart + probe.index[3].offset;
    b[at + 5] ^= 1;
    const msgs = await run(bytes('demo-5kb.v2c.bin'), b);
    expect(msgs.at(-1)).toMatchObject({ type: 'error', code: 'leaf_mismatch', offset: at, file: 'b.v2c.bin' });
    expect((msgs.at(-1) as { message: string }).message).toMatch(/^pack B: /);
  });

  it('reports a non-pack as an error, never throws', async () => {
    const msgs = await run(new TextEncoder().encode('not a pack at all, just some text here'), bytes('demo-5kb.v2c.bin'));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ type: 'error', code: 'bad_magic' });
  });
});
