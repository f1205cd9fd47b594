import { describe, expect, it, beforeAll } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELP } from './main.ts';
import { asx, type CliRun } from './cli-testing.ts';
import { encodeFloats, type Dtype } from '../core/tensors/safetensors.ts';
import { saveSafetensors } from '../core/tensors/write.ts';


const dir = mkdtempSync(join(tmpdir(), 'asx-st-'));
const f = (n: string) => join(dir, n);
const t = (name: string, dtype: Dtype, shape: number[], data: Uint8Array) => ({ name, dtype, shape, data });

/** One line on stderr, `asx: <code>: …`, and nothing that looks like a stack trace. */
function oneLine(r: CliRun, code: string): void {
  expect(r.err).toMatch(new RegExp(`^asx: ${code}: `));
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe('asx safetensors', () => {
  beforeAll(() => {
    writeFileSync(f('a.safetensors'), saveSafetensors([
      t('w', 'F32', [2, 2], encodeFloats([1, 2, 3, 4], 'F32')),
      t('b', 'BF16', [2], encodeFloats([1, -1], 'BF16')),
      t('fp8', 'F8_E4M3', [4], Uint8Array.from([0x7e, 0x01, 0x7f, 0xb8])),
      t('ids', 'I64', [2], new Uint8Array(new BigInt64Array([2n ** 62n + 1n, -3n]).buffer)),
      t('onlyA', 'U8', [1], Uint8Array.from([7])),
    ]));
    writeFileSync(f('b.safetensors'), saveSafetensors([
      t('w', 'F64', [2, 2], encodeFloats([1, 2, 3, 5], 'F64')),
      t('b', 'BF16', [1, 2], encodeFloats([1, -1], 'BF16')),
      t('fp8', 'F8_E4M3', [4], Uint8Array.from([0x7e, 0x01, 0x7f, 0xb8])),
      t('onlyB', 'BOOL', [3], Uint8Array.from([0, 1, 1])),
    ]));
    // A sharded model: two shards and the index, in their own folder.
    mkdirSync(f('sharded'));
    writeFileSync(f('sharded/model-00001-of-00002.safetensors'), saveSafetensors([t('w', 'F32', [2, 2], encodeFloats([1, 2, 3, 4], 'F32')), t('b', 'BF16', [2], encodeFloats([1, -1], 'BF16'))]));
    writeFileSync(f('sharded/model-00002-of-00002.safetensors'), saveSafetensors([t('fp8', 'F8_E4M3', [4], Uint8Array.from([0x7e, 0x01, 0x7f, 0xb8]))]));
    writeFileSync(f('sharded/model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 24 }, weight_map: { w: 'model-00001-of-00002.safetensors', b: 'model-00001-of-00002.safetensors', fp8: 'model-00002-of-00002.safetensors' } }));
    writeFileSync(f('sharded/escape.index.json'), JSON.stringify({ weight_map: { w: '../a.safetensors' } }));
    writeFileSync(f('sharded/missing.index.json'), JSON.stringify({ weight_map: { w: 'model-00001-of-00002.safetensors', b: 'model-00001-of-00002.safetensors', x: 'nope.safetensors' } }));
    writeFileSync(f('sharded/wrong.index.json'), JSON.stringify({ weight_map: { w: 'model-00002-of-00002.safetensors', fp8: 'model-00002-of-00002.safetensors' } }));
    const a = readFileSync(f('a.safetensors'));
    writeFileSync(f('truncated.safetensors'), a.subarray(0, a.length - 3));
    writeFileSync(f('notst.safetensors'), 'hello world, not a tensor file');
  });

  it('--help lists the group; asx safetensors --help prints its help', async () => {
    expect(HELP).toContain('asx safetensors inspect FILE|INDEX.json');
    const r = await asx('safetensors', '--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/asx safetensors verify/);
  });

  it('inspect: every tensor with dtype, shape, bytes and offsets, reading the header only', async () => {
    const r = await asx('safetensors', 'inspect', f('a.safetensors'), '--stats');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const size = readFileSync(f('a.safetensors')).length;
    expect(j).toMatchObject({ format: 'safetensors', file_bytes: size, metadata: { format: 'pt' }, tensor_count: 5 });
    expect(j.bytes_read).toBe(j.header_bytes);
    expect(j.header_bytes % 8).toBe(0);
    expect(j.tensors.map((x: { name: string }) => x.name)).toEqual(['ids', 'w', 'b', 'fp8', 'onlyA']); // the reference order
    expect(j.tensors[1]).toEqual({ name: 'w', dtype: 'F32', shape: [2, 2], elements: 4, bytes: 16, data_offsets: [16, 32], file_offsets: [j.header_bytes + 16, j.header_bytes + 32] });
    expect(r.err).toContain(`read ${j.header_bytes} of ${size} bytes`);
    expect((await asx('safetensors', 'inspect', f('a.safetensors'))).out).toBe(r.out); // deterministic
  });

  it('inspect an index: every tensor with its shard, headers only', async () => {
    const r = await asx('safetensors', 'inspect', f('sharded/model.safetensors.index.json'));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ format: 'safetensors-index', metadata: { total_size: 24 }, shard_count: 2, tensor_count: 3 });
    expect(j.tensors.map((x: { name: string; file: string }) => `${x.name}@${x.file}`)).toEqual(['w@model-00001-of-00002.safetensors', 'b@model-00001-of-00002.safetensors', 'fp8@model-00002-of-00002.safetensors']);
    const idx = readFileSync(f('sharded/model.safetensors.index.json')).length;
    expect(j.bytes_read).toBe(idx + j.shards[0].header_bytes + j.shards[1].header_bytes);
  });

  it('verify: ok for good files and indexes, issues and exit 1 otherwise', async () => {
    const ok = await asx('safetensors', 'verify', f('a.safetensors'));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, tensors: 5, issues: [] });
    expect(JSON.parse(ok.out).bytes_checked).toBe(JSON.parse(ok.out).data_bytes);
    const idx = await asx('safetensors', 'verify', f('sharded/model.safetensors.index.json'), '--chunk-bytes', '3');
    expect(idx.code).toBe(0);
    expect(JSON.parse(idx.out)).toMatchObject({ ok: true, tensors: 3, data_bytes: 24, total_size: { stated: 24, actual: 24, matches: true } });

    const bad = await asx('safetensors', 'verify', f('truncated.safetensors'));
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out)).toMatchObject({ ok: false, issues: [{ code: 'bad_safetensors' }] });
    oneLine(bad, 'bad_safetensors');
    expect(bad.err).toContain('truncated.safetensors');

    const many = await asx('safetensors', 'verify', f('a.safetensors'), f('notst.safetensors'), f('sharded/escape.index.json'), f('sharded/missing.index.json'), f('sharded/wrong.index.json'));
    expect(many.code).toBe(1);
    const reps = JSON.parse(many.out);
    expect(reps.map((x: { ok: boolean }) => x.ok)).toEqual([true, false, false, false, false]);
    expect(reps[2].issues[0]).toMatchObject({ code: 'bad_safetensors', path: '$["weight_map"]["w"]' });
    expect(reps[2].issues[0].message).toMatch(/path separator/);
    expect(reps[3].issues[0]).toMatchObject({ code: 'io_error' });
    expect(reps[3].shards).toEqual([{ file: 'model-00001-of-00002.safetensors', ok: true, tensors: 2, bytes: 20 }, { file: 'nope.safetensors', ok: false }]);
    expect(reps[4].issues[0]).toMatchObject({ code: 'bad_safetensors' });
    expect(many.err.trimEnd().split('\n')).toHaveLength(4);
    expect(many.err).not.toMatch(/\n\s+at /);
  });

  it('diff: cosine, relative difference, shapes and dtypes that differ, only-in-A/B', async () => {
    const r = await asx('safetensors', 'diff', f('a.safetensors'), f('b.safetensors'));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.counts).toEqual({ a: 5, b: 4, compared: 2, identical: 1, shape_differs: 1 });
    const w = j.tensors.find((x: { name: string }) => x.name === 'w');
    expect(w.cosine).toBeCloseTo(34 / Math.sqrt(30 * 39), 12);
    expect(w.rel_diff).toBeCloseTo(1 / Math.sqrt(30), 12);
    expect(w).toMatchObject({ dtype_a: 'F32', dtype_b: 'F64', max_abs: 1, differing: 1 });
    // fp8 holds a NaN (0x7f): equal element by element, but no cosine.
    expect(j.tensors.find((x: { name: string }) => x.name === 'fp8')).toMatchObject({ differing: 0, cosine: null });
    expect(j.shape_differs).toEqual([{ name: 'b', shape_a: [2], shape_b: [1, 2], dtype_a: 'BF16', dtype_b: 'BF16' }]);
    expect(j.dtype_differs).toEqual([{ name: 'w', dtype_a: 'F32', dtype_b: 'F64' }]);
    expect(j.only_a).toEqual(['ids', 'onlyA']);
    expect(j.only_b).toEqual(['onlyB']);
    // A file against the sharded copy of its tensors.
    const s = JSON.parse((await asx('safetensors', 'diff', f('sharded/model.safetensors.index.json'), f('a.safetensors'))).out);
    expect(s.counts).toEqual({ a: 3, b: 5, compared: 3, identical: 3, shape_differs: 0 });
  });

  it('stats: exact values of every kind, a histogram, 64-bit extremes', async () => {
    const r = await asx('safetensors', 'stats', f('a.safetensors'), 'fp8', '--bins', '4');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ name: 'fp8', dtype: 'F8_E4M3', elements: 4, finite: 3, nan: 1, min: -1, max: 448, histogram: { bins: 4, lo: -1, hi: 448, counts: [2, 0, 0, 1] } });
    const ids = JSON.parse((await asx('safetensors', 'stats', f('a.safetensors'), 'ids')).out);
    expect(ids).toMatchObject({ exact_min: '-3', exact_max: '4611686018427387905', unsafe: 1 });
    const sh = JSON.parse((await asx('safetensors', 'stats', f('sharded/model.safetensors.index.json'), 'w', '--chunk-bytes', '4')).out);
    expect(sh).toMatchObject({ file: f('sharded/model-00001-of-00002.safetensors'), mean: 2.5, std: Math.sqrt(1.25) });
  });

  it('failures: one typed line, exit 1 (2 for usage), never a stack trace', async () => {
    const missing = await asx('safetensors', 'inspect', f('nope.safetensors'));
    expect(missing.code).toBe(1);
    oneLine(missing, 'io_error');
    const notst = await asx('safetensors', 'inspect', f('notst.safetensors'));
    expect(notst.code).toBe(1);
    oneLine(notst, 'bad_safetensors');
    expect(notst.err).toContain('(at ' + f('notst.safetensors') + ', byte 0)');
    const noTensor = await asx('safetensors', 'stats', f('a.safetensors'), 'nope');
    expect(noTensor.code).toBe(1);
    oneLine(noTensor, 'bad_input');
    const escape = await asx('safetensors', 'inspect', f('sharded/escape.index.json'));
    expect(escape.code).toBe(1);
    oneLine(escape, 'bad_safetensors');
    for (const argv of [['frob'], ['inspect'], ['stats', f('a.safetensors')], ['stats', f('a.safetensors'), 'w', '--bins', '0'], ['diff', f('a.safetensors')], ['inspect', f('a.safetensors'), '--nope']]) {
      const u = await asx('safetensors', ...argv);
      expect(u.code, argv.join(' ')).toBe(2);
      oneLine(u, 'usage');
    }
  });
});
