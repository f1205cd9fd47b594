import { describe, expect, it } from 'vitest';
import { AsxError } from '../../core/errors';
import { encodeFloats } from '../../core/tensors/safetensors';
import { saveSafetensors } from '../../core/tensors/write';
import { runTensorJob, type JobStage } from './jobs';
import { baseName, openModel, toUiError } from './source';

const f32 = (name: string, shape: number[], v: number[]) => ({ name, dtype: 'F32' as const, shape, data: encodeFloats(v, 'F32') });
const A = saveSafetensors([f32('w', [2, 2], [1, 2, 3, 4]), f32('b', [2], [0, 0])]);
const B = saveSafetensors([f32('w', [2, 2], [1, 2, 3, 5]), f32('b', [2], [0, 0])]);
const blob = (b: Uint8Array | string) => new Blob([b as BlobPart]);

describe('Tensors face: opening models and running jobs', () => {
  it('opens a single file: rows with file offsets and the metadata', async () => {
    const m = await openModel({ kind: 'single', name: 'a.safetensors', file: blob(A) });
    expect(m.rows.map((r) => [r.name, r.elements, r.bytes])).toEqual([['b', 2, 8], ['w', 4, 16]]);
    expect(m.rows[0].offset).toBe(m.headerBytes);
    expect(m.metadata).toEqual({ format: 'pt' });
  });
  it('opens a sharded model by the base names of the dropped shards; a missing shard is a typed error', async () => {
    const s2 = saveSafetensors([f32('x', [1], [7])]);
    const index = JSON.stringify({ metadata: { total_size: 1 }, weight_map: { w: 's1.safetensors', b: 's1.safetensors', x: 's2.safetensors' } });
    const m = await openModel({ kind: 'sharded', name: 'i.json', index: blob(index), shards: [{ name: 'd/s1.safetensors', file: blob(A) }, { name: 'd/s2.safetensors', file: blob(s2) }] });
    expect(m.rows.map((r) => [r.name, r.shard])).toEqual([['w', 's1.safetensors'], ['b', 's1.safetensors'], ['x', 's2.safetensors']]);
    expect(m.shards).toBe(2);
    expect([...await m.tensors.view('x')]).toEqual([7]);
    const e = await openModel({ kind: 'sharded', name: 'i.json', index: blob(index), shards: [{ name: 's1.safetensors', file: blob(A) }] }).catch((x: unknown) => x);
    expect(toUiError(e, 'i.json')).toMatchObject({ code: 'bad_input', file: 'i.json', path: '$["weight_map"]' });
    expect(baseName('a\\b/c.safetensors')).toBe('c.safetensors');
  });
  it('sub-byte and complex tensors: element counts, pages by range, statistics', async () => {
    const c64 = new Uint8Array(16);
    new DataView(c64.buffer).setFloat32(0, 3, true); new DataView(c64.buffer).setFloat32(4, 4, true);
    const file = saveSafetensors([{ name: 'q', dtype: 'F4', shape: [2, 3], data: Uint8Array.from([0x72, 0xf0, 0x11]) }, { name: 'z', dtype: 'C64', shape: [2], data: c64 }]);
    const m = await openModel({ kind: 'single', name: 'x', file: blob(file) });
    expect(m.rows.map((r) => [r.name, r.elements, r.bytes])).toEqual([['z', 2, 16], ['q', 6, 3]]);
    expect([...await m.tensors.view('q', 3, 3)]).toEqual([-6, 0.5, 0.5]); // row 1 starts mid-byte
    expect([...await m.tensors.view('z')]).toEqual([5, 0]);
    const s = await runTensorJob({ type: 'stats', model: { kind: 'single', name: 'x', file: blob(file) }, name: 'q', bins: 4 }, () => {}) as { min: number; max: number; zeros: number };
    expect([s.min, s.max, s.zeros]).toEqual([-6, 6, 1]);
  });
  it('a corrupt file: bad_safetensors with its offset, no stack', async () => {
    const e = await openModel({ kind: 'single', name: 'x', file: blob(A.subarray(0, A.length - 1)) }).catch((x: unknown) => x);
    const u = toUiError(e, 'x');
    expect(u.code).toBe('bad_safetensors');
    expect(u.offset).toBeGreaterThan(0);
    expect(u.message).not.toMatch(/\n\s+at /);
    expect(toUiError(new AsxError('io_error', 'gone', { file: 'y' }), 'x')).toEqual({ code: 'io_error', message: 'gone', file: 'y' });
  });
  it('stats and diff jobs (inline) report progress and give the core results', async () => {
    const stages: JobStage[] = [];
    const s = await runTensorJob({ type: 'stats', model: { kind: 'single', name: 'a', file: blob(A) }, name: 'w', bins: 4 }, (x) => stages.push(x)) as { mean: number; histogram: { counts: number[] } };
    expect(s.mean).toBe(2.5);
    expect(s.histogram.counts).toEqual([1, 1, 1, 1]);
    expect(stages.at(-1)).toMatchObject({ done: 16, total: 16, unit: 'bytes' });
    const d = await runTensorJob({ type: 'diff', a: { kind: 'single', name: 'a', file: blob(A) }, b: { kind: 'single', name: 'b', file: blob(B) }, names: ['w', 'b'] }, () => {}) as Array<{ name: string; maxAbs: number; differing: number }>;
    expect(d.map((x) => [x.name, x.maxAbs, x.differing])).toEqual([['w', 1, 1], ['b', 0, 0]]);
  });
});
