import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffPacks } from '../../core/pack/compat';
import { openHandle, releaseHandle } from '../packRegistry';
import { diffHandles, mergedPackName, startDiff } from './diffLanes';

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

describe('merged pack names', () => {
  it('name the mode and the inputs, deterministically', () => {
    expect(mergedPackName('blend', 0.3, 'demo-5kb.v2c.bin', 'demo-5kb-b.v2c.bin', false)).toBe('blend(0.30) demo-5kb × demo-5kb-b.v2c.bin');
    expect(mergedPackName('blend', 0.25, 'a.bin', 'b.v2c.bin', true)).toBe('blend(0.25) a × b (signed).v2c.bin');
    expect(mergedPackName('overlay', 0.5, 'a.v2c.bin', 'b.v2c.bin', false)).toBe('overlay a × b.v2c.bin');
    expect(mergedPackName('union', 0.5, 'a.v2c.bin', 'b.v2c.bin', false)).toBe('union a × b.v2c.bin');
    const three = ['overlay', 'blend', 'union'].map((m) => mergedPackName(m, 0.5, 'a.v2c.bin', 'b.v2c.bin', false));
    expect(new Set(three).size).toBe(3);
  });
});

describe('startDiff without workers', () => {
  it('runs on this thread and gives the core figures', async () => {
    const a = await open('demo-5kb.v2c.bin');
    const b = await open('demo-5kb-b.v2c.bin');
    const out = await startDiff(a, b).result;
    expect(out?.diff).toEqual(await diffPacks(a.reader, b.reader));
    expect(out?.inWorker).toBe(false);
    const job = startDiff(a, b, { batch: 2 });
    job.cancel();
    expect(await job.result).toBeNull();
  });
});
