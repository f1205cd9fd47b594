/**
 * Issue 9, packs larger than memory: `asx pack encode` of a safetensors file streams both files,
 * and `verify`, `inspect` and `proof` of the result stay far below its size in memory. The pack
 * here (2,500 lanes × 65,535 dims, 328 MB) is larger than the 256 MB budget, so a command that
 * held DATA, or the input, could not pass; each command runs as its own process (the real CLI)
 * and reports its peak resident memory with --stats. The 3 GiB figures are in docs/bench.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeSyntheticLanes } from './synth-safetensors.ts';

const run = promisify(execFile);
const LANES = 2_500;
const DIMS = 65_535;
const BUDGET_MB = 256;

const dir = mkdtempSync(join(tmpdir(), 'asx-large-'));
const f = (n: string) => join(dir, n);

async function asx(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/asx.mjs', ...argv], { maxBuffer: 64 << 20 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

const peak = (stderr: string): number => {
  const m = /peak memory (\d+) MB/.exec(stderr);
  if (!m) throw new Error(`no --stats line in ${JSON.stringify(stderr)}`);
  return Number(m[1]);
};

describe('packs larger than memory (issue 9)', () => {
  beforeAll(async () => {
    await writeSyntheticLanes(f('model.safetensors'), LANES, DIMS, 'large-pack.test.ts');
    writeFileSync(f('k.hex'), '11'.repeat(32));
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('encode streams a 328 MB safetensors file into a signed pack with peak memory under 256 MB', async () => {
    const r = await asx('pack', 'encode', f('model.safetensors'), '-o', f('big.v2c.bin'), '--sign-key', f('k.hex'), '--stats');
    expect(r.err).toMatch(/peak memory/);
    expect(r.code).toBe(0);
    const size = statSync(f('big.v2c.bin')).size;
    expect(JSON.parse(r.out)).toMatchObject({ lanes: LANES, dims: DIMS, signed: true, streamed: true, bytes: size });
    expect(size).toBeGreaterThan(BUDGET_MB * 1e6);
    expect(peak(r.err)).toBeLessThan(BUDGET_MB);
  }, 300_000);

  it('verify reads every byte once and stays under 256 MB; inspect and proof read no DATA', async () => {
    const size = statSync(f('big.v2c.bin')).size;
    const v = await asx('pack', 'verify', f('big.v2c.bin'), '--stats');
    expect(v.code).toBe(0);
    const rep = JSON.parse(v.out);
    expect(rep).toMatchObject({ ok: true, lanes: LANES, leaves: 'ok', leavesChecked: LANES, root: 'ok', signature: 'valid', bytesRead: size });
    expect(peak(v.err)).toBeLessThan(BUDGET_MB);

    const i = await asx('pack', 'inspect', f('big.v2c.bin'), '--stats');
    expect(i.code).toBe(0);
    const manifest = JSON.parse(i.out);
    expect(manifest.lanes_total).toBe(LANES);
    expect(manifest.derived_from.file_bytes).toBe(size);
    expect(peak(i.err)).toBeLessThan(BUDGET_MB);
    const read = Number(/read (\d+) of/.exec(i.err)![1]);
    expect(read).toBeLessThan(size / 100);

    const p = await asx('pack', 'proof', f('big.v2c.bin'), 'ctx@t01234', '--stats');
    expect(p.code).toBe(0);
    const proof = JSON.parse(p.out);
    expect(proof).toMatchObject({ lane_id: 'ctx@t01234', leaf_count: LANES, root_in_pack: true });
    expect(proof.bytes_read).toBeLessThan(size / 100);
    expect(peak(p.err)).toBeLessThan(BUDGET_MB);
    writeFileSync(f('proof.json'), p.out);
    expect((await asx('pack', 'verify-proof', f('proof.json'), '--root', proof.root)).code).toBe(0);
  }, 300_000);

  it('a flipped DATA byte deep in the file is found with its offset', async () => {
    const { open } = await import('node:fs/promises');
    const fh = await open(f('big.v2c.bin'), 'r+');
    const at = statSync(f('big.v2c.bin')).size - 50_000_000;
    const b = new Uint8Array(1);
    await fh.read(b, 0, 1, at);
    b[0] ^= 0x40;
    await fh.write(b, 0, 1, at);
    await fh.close();
    const v = await asx('pack', 'verify', f('big.v2c.bin'));
    expect(v.code).toBe(1);
    const rep = JSON.parse(v.out);
    expect(rep.issues).toHaveLength(1);
    expect(rep.issues[0].code).toBe('leaf_mismatch');
    expect(rep.issues[0].offset).toBeLessThanOrEqual(at);
    expect(at - rep.issues[0].offset).toBeLessThan(3 + 2 * DIMS);
  }, 300_000);
});
