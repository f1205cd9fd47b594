import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gccpCommand, GCCP_HELP } from './gccp-commands.ts';
import { captureIo } from './cli-testing.ts';
import { gccpReference } from '../core/gccp/mirror.ts';

const asx = (...argv: string[]) => captureIo((io) => gccpCommand(argv, io));
const dir = mkdtempSync(join(tmpdir(), 'asx-gccp-'));
const f = (n: string, v?: unknown) => { const p = join(dir, n); if (v !== undefined) writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v)); return p; };
const profile = f('p.json', { '@pi_profile': 'semantic.hybrid.v1', epsilon: 0.1745329, suppress_k: 0.25, rotation: 0 });
const A = [[1, 0], [0.1, 0.2], [0, 0], [3, 4], [-1e30, 1e-30]];
const B = [[1, 0.1], [0.3, 0.7], [1, 1], [3.0000001, 4], [-1e30, 2e-30]];
const a = f('a.json', A), b = f('b.json', B);

describe('asx gccp', () => {
  it('help', async () => {
    const r = await asx('--help');
    expect(r).toMatchObject({ code: 0, out: GCCP_HELP });
    expect(GCCP_HELP).toContain('asx gccp conformance [--gpu]');
    expect(GCCP_HELP).toContain('asx gccp run --profile P.json --a A.json --b B.json [--gpu]');
  });

  it('run (CPU) prints phase, weight, collapse and timings; collapse is §12.4 exactly in f64', async () => {
    const r = await asx('run', '--profile', profile, '--a', a, '--b', b);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect(Object.keys(o)).toEqual(expect.arrayContaining(['phase', 'weight', 'collapse', 'timings']));
    expect(o.backend).toBe('cpu-exact');
    expect(o.n).toBe(5);
    expect(o.phase[2]).toBeNull(); // zero vector: NaN phase, printed as JSON null
    expect(o.weight).toEqual([1, 1, 0, 1, 1]);
    const ref = gccpReference(A.map(([x, y]) => ({ x, y })), B.map(([x, y]) => ({ x, y })), 0.1745329);
    expect(o.collapse).toBe(ref);
    expect(o.profile_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('run errors: usage, bad vectors, bad profile, unpaired', async () => {
    expect(await asx('run', '--profile', profile, '--a', a)).toMatchObject({ code: 2 });
    expect((await asx('run', '--profile', profile, '--a', a, '--b', b, 'extra')).code).toBe(2);
    const bad = await asx('run', '--profile', profile, '--a', f('bad.json', [[1, 2, 3]]), '--b', b);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^asx: bad_vectors: .*\$\[0\]/);
    const short = await asx('run', '--profile', profile, '--a', f('short.json', [[1, 0]]), '--b', b);
    expect(short.err).toMatch(/^asx: bad_vectors: .*paired by index/);
    const badP = await asx('run', '--profile', f('bp.json', { '@pi_profile': 'x', epsilom: 1 }), '--a', a, '--b', b);
    expect(badP.err).toMatch(/^asx: bad_profile: unknown π-profile field "epsilom"/);
    const notJson = await asx('run', '--profile', f('nj.json', '{'), '--a', a, '--b', b);
    expect(notJson.err).toMatch(/^asx: bad_json:/);
    expect((await asx('frobnicate')).err).toMatch(/^asx: usage: unknown command/);
  });

  it('conformance (CPU mirror) prints CORE / FULL / MIRROR verdicts and exits 0', async () => {
    const r = await asx('conformance');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^CORE {3}PASS$/m);
    expect(r.out).toMatch(/^FULL {3}PASS$/m);
    expect(r.out).toMatch(/^MIRROR PASS$/m);
    expect(r.out).toContain('Test C — boundary tolerance');
    expect(r.out).toContain('verdict: COMPLIANT');
  });

  it('conformance --json prints the reports as JSON', async () => {
    const r = await asx('conformance', '--json');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect(o.gpu).toBeNull();
    expect(o.reports[0].levels.map((l: { level: string; pass: boolean }) => [l.level, l.pass])).toEqual([['CORE', true], ['FULL', true], ['MIRROR', true]]);
  });

  it('--gpu: runs on the adapter, or says clearly that there is none', async () => {
    const r = await asx('run', '--profile', profile, '--a', a, '--b', b, '--gpu');
    if (r.code === 0) {
      const o = JSON.parse(r.out);
      expect(o.backend).toMatch(/^webgpu/);
      expect(o.parity_delta).toBeLessThanOrEqual(1e-6);
      expect(o.inputs_rounded_to_f32).toBeGreaterThan(0);
      expect(o.weight).toEqual([1, 1, 0, 1, 1]);
    } else {
      expect(r.err).toMatch(/^asx: no_gpu: --gpu: no WebGPU adapter|^asx: no_gpu: --gpu: /);
      console.warn(`[gccp-cli.test] --gpu unavailable: ${r.err.trim()}`);
    }
  });

  it('--gpu with an impossible ICD path fails with no_gpu and the reason', async () => {
    // Only meaningful before Dawn was loaded in this process with a working ICD; the message shape is what matters.
    const saved = process.env.VK_ICD_FILENAMES;
    try {
      process.env.VK_ICD_FILENAMES = '/nonexistent/icd.json';
      const r = await asx('conformance', '--gpu');
      if (r.code !== 0) expect(r.err).toMatch(/^asx: no_gpu: --gpu: no WebGPU adapter is available in Node: .*nonexistent/m);
      expect(r.out).toMatch(/^CORE {3}PASS$/m); // the CPU mirror ran anyway
    } finally {
      if (saved === undefined) delete process.env.VK_ICD_FILENAMES; else process.env.VK_ICD_FILENAMES = saved;
    }
  });
});
