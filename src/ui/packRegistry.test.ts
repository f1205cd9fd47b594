import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureLanes, getHandle, getLane, laneError, liveHandleIds, OpenFailure, openHandle, peekLane, releaseHandle, subscribe, verifyLaneFresh } from './packRegistry';
import { buildManifest, loadPack, toUiError } from './packLoader';
import { manifestJson, packManifest } from '../core/pack/manifest';

const wide = () => new Blob([readFileSync('public/demo/demo-wide.v2c.bin')]);

describe('pack registry', () => {
  it('opens lazily, decodes requested lanes in batched reads, caches them and notifies', async () => {
    const h = await openHandle(wide(), 'wide.bin');
    const opened = h.counter.bytesRead;
    expect(opened).toBeLessThanOrEqual(h.reader.fileSize - h.reader.header.dataBytes);
    let calls = 0;
    const off = subscribe(h.id, () => { calls++; });
    const readsBefore = h.counter.reads;
    await ensureLanes(h.id, [10, 11, 12, 13, 14, 15, 16, 17]);
    expect(h.counter.reads - readsBefore).toBe(1); // one slice for 8 neighbouring lanes
    expect(h.counter.bytesRead - opened).toBe(8 * h.reader.index[0].length);
    expect(peekLane(h.id, 12)?.id).toBe(h.reader.ids[12]);
    expect(h.maxAbs).toBeGreaterThan(0);
    await Promise.resolve();
    expect(calls).toBeGreaterThan(0);
    // Cached: no further reads.
    const n = h.counter.reads;
    await ensureLanes(h.id, [12, 13]);
    await getLane(h.id, 12);
    expect(h.counter.reads).toBe(n);
    // Verify re-reads from the file.
    await verifyLaneFresh(h.id, 12);
    expect(h.counter.reads).toBe(n + 1);
    off();
    releaseHandle(h.id);
    expect(getHandle(h.id)).toBeUndefined();
    expect(liveHandleIds()).not.toContain(h.id);
  });

  it('records a tampered lane as an error with its code and offset', async () => {
    const bytes = new Uint8Array(readFileSync('public/demo/demo-wide.v2c.bin'));
    const probe = await openHandle(new Blob([bytes]), 'probe');
    const at = probe.reader.dataStart + probe.reader.index[5].offset + 10;
    releaseHandle(probe.id);
    bytes[at] ^= 0xff;
    const h = await openHandle(new Blob([bytes]), 'tampered');
    await ensureLanes(h.id, [4, 5, 6]);
    expect(peekLane(h.id, 4)).toBeDefined();
    expect(laneError(h.id, 5)).toMatchObject({ code: 'leaf_mismatch', offset: h.reader.dataStart + h.reader.index[5].offset });
    releaseHandle(h.id);
  });

  it('a non-pack fails after reading at most the header, and the UI error says how much was read', async () => {
    const big = new Blob([new Uint8Array(1 << 20).fill(0x7a)]);
    let thrown: unknown;
    try {
      await openHandle(big, 'notes.bin');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(OpenFailure);
    const ui = toUiError(thrown, 'notes.bin');
    expect(ui).toMatchObject({ code: 'bad_magic', offset: 0, file: 'notes.bin' });
    expect(ui.bytesRead).toBeLessThanOrEqual(36);
  });

  it('loadPack summarizes without the manifest; buildManifest gives the core manifest text', async () => {
    const sum = await loadPack(wide(), 'wide.bin');
    expect(sum.manifestJson).toBeUndefined();
    const h = getHandle(sum.handle)!;
    const m = buildManifest(sum.handle!)!;
    expect(m.json).toBe(manifestJson(packManifest(h.reader)));
    expect(m.schema).toBe('asx.pack.manifest.v1');
    expect(sum.bytesRead).toBeLessThanOrEqual(sum.fileSize - sum.header.dataBytes);
    releaseHandle(sum.handle!);
    expect(buildManifest(sum.handle!)).toBeNull();
  });
});
