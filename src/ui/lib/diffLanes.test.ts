import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffPacks } from '../../core/pack/compat';
import { openHandle, releaseHandle } from '../packRegistry';
import { diffHandles } from './diffLanes';

const open = (f: string) => openHandle(new Blob([readFileSync(`public/demo/${f}`)]), f);

describe('progressive diff', () => {
  it.each([
    ['demo-5kb.v2c.bin', 'demo-5kb-b.v2c.bin'],
    ['demo-wide.v2c.bin', 'demo-5kb.v2c.bin'],
  ])('equals the core diffPacks for %s vs %s', async (fa, fb) => {
    const a = await open(fa);
    const b = await open(fb);
    const progress: number[] = [];
    const mine = await diffHandles(a, b, { batch: 7, onProgress: (d) => progress.push(d) });
    const core = await diffPacks(a.reader, b.reader);
    expect(mine).toEqual(core);
    expect(progress.length).toBeGreaterThan(1);
    releaseHandle(a.id);
    releaseHandle(b.id);
  });

  it('stops when cancelled', async () => {
    const a = await open('demo-5kb.v2c.bin');
    const b = await open('demo-5kb-b.v2c.bin');
    expect(await diffHandles(a, b, { batch: 4, isCancelled: () => true })).toBeNull();
  });

  it('reports a tampered lane as an error with its offset', async () => {
    const bytes = new Uint8Array(readFileSync('public/demo/demo-5kb-b.v2c.bin'));
    const probe = await open('demo-5kb-b.v2c.bin');
    const at = probe.reader.dataStart + probe.reader.index[3].offset + 5;
    bytes[at] ^= 1;
    const a = await open('demo-5kb.v2c.bin');
    const b = await openHandle(new Blob([bytes]), 'tampered');
    await expect(diffHandles(a, b)).rejects.toMatchObject({ code: 'leaf_mismatch', where: { offset: probe.reader.dataStart + probe.reader.index[3].offset } });
  });
});
