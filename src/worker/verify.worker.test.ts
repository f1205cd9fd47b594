import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openPack } from '../core/pack/read';
import { bytesSource } from '../core/bytes/source';
import { encodePack } from '../core/pack/write';
import { runVerifyJob } from './verify.worker';
import type { VerifyMessage } from './verifyProtocol';

const demo = new Uint8Array(readFileSync('public/demo/demo-5kb.v2c.bin'));

async function run(bytes: Uint8Array, lanes: boolean): Promise<VerifyMessage[]> {
  const out: VerifyMessage[] = [];
  await runVerifyJob({ blob: new Blob([bytes.slice()]), name: 'p.bin', lanes, chunkBytes: 512 }, (m) => out.push(m));
  return out;
}

describe('verify worker job (the same code the browser worker runs, over a Blob)', () => {
  it('a sound signed pack: header first, then progress, then a verified report', async () => {
    const msgs = await run(demo, true);
    expect(msgs[0].type).toBe('header');
    expect(msgs.some((m) => m.type === 'progress')).toBe(true);
    const done = msgs[msgs.length - 1];
    expect(done.type).toBe('done');
    if (done.type !== 'done') return;
    expect(done.report.ok).toBe(true);
    expect(done.report.leaves).toBe('ok');
    expect(done.report.signature).toBe('valid');
  });

  it('the lane hasher is chosen by timing Web Crypto against the built-in one on this pack\'s payload length; a tampered lane is found either way', async () => {
    const dims = 20_000;
    const W = Float64Array.from({ length: dims }, (_, i) => Math.sin(i / 50) * 0.5);
    const bytes = encodePack(Array.from({ length: 6 }, (_, k) => ({ id: `ctx@t${k}`, W })), dims, { signKey: new Uint8Array(32).fill(3) }).bytes;
    const msgs = await run(bytes, true);
    const done = msgs[msgs.length - 1];
    if (done.type !== 'done') throw new Error('no report');
    expect(done.report.ok).toBe(true);
    expect(done.hash?.sample.length).toBe(3 + 2 * dims);
    expect(Object.keys(done.hash!.ms).sort()).toEqual(['js', `webcrypto≥${3 + 2 * dims}`].sort());
    expect(Object.keys(done.hash!.ms)).toContain(done.hash!.backend);
    const r = await openPack(bytesSource(bytes));
    const bad = bytes.slice();
    bad[r.dataStart + 4 * r.laneBytes + 100] ^= 0x10;
    const failed = (await run(bad, true)).at(-1)!;
    if (failed.type !== 'done') throw new Error('no report');
    expect(failed.report.issues.map((i) => [i.code, i.lane])).toEqual([['leaf_mismatch', 'ctx@t4']]);
  });

  it('one flipped DATA byte: the header is sound (signature valid) but the job ends in leaf_mismatch at that lane', async () => {
    const r = await openPack(bytesSource(demo));
    const lane = 3;
    const at = r.dataStart + r.index[lane].offset + 1;
    const bad = demo.slice();
    bad[at] ^= 0x01;
    const msgs = await run(bad, true);
    const header = msgs.find((m) => m.type === 'header');
    expect(header?.type === 'header' && header.report.signature).toBe('valid');
    const done = msgs[msgs.length - 1];
    if (done.type !== 'done') throw new Error('no report');
    expect(done.report.ok).toBe(false);
    expect(done.report.issues[0]).toMatchObject({ code: 'leaf_mismatch', offset: r.dataStart + r.index[lane].offset, lane: r.ids[lane] });
  });

  it('without lanes it reads no DATA and reports leaves skipped; a non-pack is a failed report, not a throw', async () => {
    const head = await run(demo, false);
    const done = head[head.length - 1];
    expect(done.type === 'done' && done.report.leaves).toBe('skipped');
    const junk = await run(new TextEncoder().encode('not a pack at all, just text'), true);
    expect(junk).toHaveLength(1);
    expect(junk[0].type === 'done' && junk[0].report.issues[0].code).toBe('bad_magic');
  });
});
