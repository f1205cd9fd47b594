import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { asx, type CliRun } from './cli-testing.ts';


const dir = mkdtempSync(join(tmpdir(), 'asx-cli-'));
const f = (n: string) => join(dir, n);
const streams = {
  streams: {
    policy: Array.from({ length: 96 }, (_, i) => Math.sin(i / 5) * 0.8),
    attention: Array.from({ length: 96 }, (_, i) => Math.cos(i / 7)),
    value: Array.from({ length: 40 }, (_, i) => (i % 9) / 9),
  },
};

describe('asx CLI', () => {
  let pub = '';
  beforeAll(async () => {
    writeFileSync(f('streams.json'), JSON.stringify(streams));
    const k = await asx('key', 'gen', '-o', f('k.hex'));
    expect(k.code).toBe(0);
    pub = JSON.parse(k.out).public_key;
    expect((await asx('pack', 'build', f('streams.json'), '-o', f('a.bin'), '--sign-key', f('k.hex'))).code).toBe(0);
  });

  it('build writes a signed pack within the 5 KB budget that verifies, with the trusted key too', async () => {
    expect(readFileSync(f('a.bin')).length).toBeLessThanOrEqual(5120);
    const v = await asx('pack', 'verify', f('a.bin'), '--pubkey', pub);
    expect(v.code).toBe(0);
    const rep = JSON.parse(v.out);
    expect(rep).toMatchObject({ ok: true, leaves: 'ok', root: 'ok', signature: 'valid', publicKey: pub });
    const other = await asx('pack', 'verify', f('a.bin'), '--pubkey', '11'.repeat(32));
    expect(other.code).toBe(1);
    expect(other.err).toMatch(/^asx: bad_signature: .*not trusted/m);
  });

  it('inspect prints the manifest and reads no DATA', async () => {
    const r = await asx('pack', 'inspect', f('a.bin'), '--stats');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out);
    expect(m.schema).toBe('asx.pack.manifest.v1');
    const data = m.core.sections.find((s: { name: string }) => s.name === 'DATA');
    const size = readFileSync(f('a.bin')).length;
    expect(r.err).toContain(`read ${size - data.length} of ${size} bytes`);
    expect((await asx('pack', 'inspect', f('a.bin'))).out).toBe(r.out); // deterministic
  });

  it('proof reads no DATA and verify-proof checks it against the root', async () => {
    const p = await asx('pack', 'proof', f('a.bin'), 'policy@t0', '--stats');
    expect(p.code).toBe(0);
    const proof = JSON.parse(p.out);
    const m = JSON.parse((await asx('pack', 'inspect', f('a.bin'))).out);
    expect(proof.root).toBe(m.derived_from.merkle_root);
    expect(proof.bytes_read).toBe(m.derived_from.file_bytes - m.core.sections.find((s: { name: string }) => s.name === 'DATA').length);
    writeFileSync(f('proof.json'), p.out);
    expect((await asx('pack', 'verify-proof', f('proof.json'), '--root', proof.root)).code).toBe(0);
    const bad = await asx('pack', 'verify-proof', f('proof.json'), '--root', '00'.repeat(32));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^asx: root_mismatch: /);
    const bySym = await asx('pack', 'proof', f('a.bin'), proof.lane_sym);
    expect(JSON.parse(bySym.out).leaf_hash).toBe(proof.leaf_hash);
  });

  it('decode → encode gives back the same lanes and root', async () => {
    const d = await asx('pack', 'decode', f('a.bin'));
    expect(d.code).toBe(0);
    writeFileSync(f('a.json'), d.out);
    expect((await asx('pack', 'encode', f('a.json'), '-o', f('b.bin'), '--no-audit')).code).toBe(0);
    const ma = JSON.parse((await asx('pack', 'inspect', f('a.bin'))).out);
    const mb = JSON.parse((await asx('pack', 'inspect', f('b.bin'))).out);
    expect(mb.derived_from.merkle_root).toBe(ma.derived_from.merkle_root);
    expect(mb.lane_classes).toEqual(ma.lane_classes);
    const noq = await asx('pack', 'encode', f('a.json'), '-o', f('c.bin'), '--no-qscale', '--no-merkle', '--lane-audits', '4');
    expect(noq.code).toBe(0);
    const mc = JSON.parse((await asx('pack', 'inspect', f('c.bin'))).out);
    expect(mc.core.flags).toMatchObject({ qscale: false, merkle: false, audit: true });
  });

  it('diff and merge', async () => {
    const s2 = { ...streams, streams: { ...streams.streams, policy: streams.streams.policy.map((x) => -x) } };
    writeFileSync(f('s2.json'), JSON.stringify(s2));
    expect((await asx('pack', 'build', f('s2.json'), '-o', f('s2.bin'))).code).toBe(0);
    const d = JSON.parse((await asx('pack', 'diff', f('a.bin'), f('s2.bin'))).out);
    expect(d.level).toBe(1);
    expect(d.lanes.find((l: { id: string }) => l.id === 'attention').cosine).toBeCloseTo(1, 9);
    expect(d.similarity).toBeLessThan(1);
    for (const mode of ['overlay', 'blend', 'union']) {
      const m = await asx('pack', 'merge', f('a.bin'), f('s2.bin'), '--mode', mode, '--lambda', '0.3', '-o', f(`m-${mode}.bin`), '--sign-key', f('k.hex'));
      expect(m.code, m.err).toBe(0);
      expect((await asx('pack', 'verify', f(`m-${mode}.bin`), '--pubkey', pub)).code).toBe(0);
    }
  });

  it('bad input: one line "asx: <code>: ..." and exit 1, never a stack trace', async () => {
    const pack = readFileSync(f('a.bin'));
    const t = Buffer.from(pack);
    t[t.length - 200] ^= 0x40;
    writeFileSync(f('t.bin'), t);
    const v = await asx('pack', 'verify', f('t.bin'), f('a.bin'));
    expect(v.code).toBe(1);
    expect(JSON.parse(v.out)).toHaveLength(2);
    writeFileSync(f('x.txt'), 'hello');
    const cases: Array<[string[], RegExp]> = [
      [['pack', 'inspect', f('x.txt')], /^asx: bad_magic: .*x\.txt/],
      [['pack', 'inspect', f('missing.bin')], /^asx: io_error: cannot open: ENOENT/],
      [['pack', 'inspect', f('streams.json')], /^asx: bad_magic: /],
      [['pack', 'encode', f('streams.json'), '-o', f('z.bin')], /^asx: bad_input: .*\$\.version/],
      [['pack', 'build', f('x.txt'), '-o', f('z.bin')], /^asx: bad_json: /],
      [['pack', 'proof', f('a.bin'), 'nope'], /^asx: no_such_lane: /],
      [['pack', 'build', f('streams.json'), '-o', f('z.bin'), '--sign-key', f('x.txt')], /^asx: bad_key: /],
    ];
    for (const [argv, re] of cases) {
      const r = await asx(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.err).toMatch(re);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const u = await asx('pack', 'frobnicate');
    expect(u.code).toBe(2);
    const bogus = JSON.parse(JSON.stringify(streams));
    bogus.streams.policy[3] = 'x';
    writeFileSync(f('bogus.json'), JSON.stringify(bogus));
    const b = await asx('pack', 'build', f('bogus.json'), '-o', f('z.bin'));
    expect(b.err).toMatch(/^asx: bad_input: .*\$\.streams\.policy\[3\]/);
  });

  it('pack build accepts an SVG-tensor (or any SVG with --import)', async () => {
    writeFileSync(f('t.svg'), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><title>x</title><g id="policy"><path d="M0 0 L10 10 L20 5"/></g><g id="attention"><path d="M2 2 L4 9"/></g></svg>');
    const strict = await asx('pack', 'build', f('t.svg'), '-o', f('svg.bin'));
    expect(strict.code).toBe(1);
    expect(strict.err).toMatch(/^asx: illegal_tensor: .*<title>/);
    const r = await asx('pack', 'build', f('t.svg'), '-o', f('svg.bin'), '--import');
    expect(r.code, r.err).toBe(0);
    const m = JSON.parse((await asx('pack', 'inspect', f('svg.bin'))).out);
    const ids = m.lanes.map((l: { id: string }) => l.id);
    expect(ids).toContain('policy');
    expect(ids).toContain('attention');
    expect((await asx('pack', 'verify', f('svg.bin'))).code).toBe(0);
  });

  it('the installed bin runs without a build step', () => {
    const out = execFileSync(process.execPath, ['bin/asx.mjs', '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/asx pack build/);
  });
});
