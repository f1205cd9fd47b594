import { describe, expect, it } from 'vitest';
import { bytesSource } from '../bytes/source.ts';
import { utf8 } from '../bytes/utf8.ts';
import { AsxError } from '../errors.ts';
import { encodeFloats, encodeSafetensors } from './safetensors.ts';
import { openSharded, parseSafetensorsIndex, shardNameProblem } from './sharded.ts';

const t = (name: string, v: number[]) => ({ name, dtype: 'F32' as const, shape: [v.length], data: encodeFloats(v, 'F32') });
const files: Record<string, Uint8Array> = {
  'model-00001-of-00002.safetensors': encodeSafetensors([t('a', [1, 2]), t('b', [3])]),
  'model-00002-of-00002.safetensors': encodeSafetensors([t('c', [4, 5, 6])]),
};
const index = (wm: Record<string, string>, extra = '') => utf8(`{"metadata":{"total_size":24}${extra},"weight_map":${JSON.stringify(wm)}}`);
const GOOD = { b: 'model-00001-of-00002.safetensors', a: 'model-00001-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' };

function opener(log: string[] = []) {
  return async (name: string) => {
    log.push(name);
    if (!files[name]) throw new AsxError('io_error', 'no such file', { file: name });
    return bytesSource(files[name], name);
  };
}

describe('sharded safetensors (model.safetensors.index.json)', () => {
  it('opens shards lazily, once each, and finds every tensor in its shard', async () => {
    const idx = parseSafetensorsIndex(index(GOOD));
    expect(idx.names).toEqual(['b', 'a', 'c']);
    expect(idx.files).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(idx.metadata).toEqual({ total_size: 24 });
    const log: string[] = [];
    const s = openSharded(idx, opener(log));
    expect(log).toEqual([]);
    const c = await s.open('c');
    expect([...await c.reader.floats('c')]).toEqual([4, 5, 6]);
    expect(log).toEqual(['model-00002-of-00002.safetensors']);
    await s.open('a'); await s.open('b'); await s.open('c');
    expect(log.length).toBe(2);
    expect((await s.openAll()).length).toBe(2);
  });

  it('keeps the index\'s key order even for integer-like names', () => {
    expect(parseSafetensorsIndex(utf8('{"weight_map":{"z":"x","10":"x","2":"x"}}')).names).toEqual(['z', '10', '2']);
  });

  it('refuses tensors outside the shard the map names, and tensors twice', async () => {
    const wrong = openSharded(parseSafetensorsIndex(index({ ...GOOD, c: 'model-00001-of-00002.safetensors' })), opener());
    await expect(wrong.open('c')).rejects.toMatchObject({ code: 'bad_safetensors', where: { path: '$["weight_map"]["c"]' } });
    // b lives in shard 1, the map puts it in shard 2: refused from either side.
    const moved = openSharded(parseSafetensorsIndex(index({ a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors', c: 'model-00002-of-00002.safetensors' })), opener());
    await expect(moved.open('a')).rejects.toMatchObject({ code: 'bad_safetensors', where: { path: '$["b"]', file: 'model-00001-of-00002.safetensors' } });
    // A tensor of a shard that the map does not list at all.
    const missing = openSharded(parseSafetensorsIndex(index({ a: 'model-00001-of-00002.safetensors' })), opener());
    await expect(missing.open('a')).rejects.toMatchObject({ code: 'bad_safetensors', where: { path: '$["b"]' } });
    // The same tensor twice in the map (a duplicate JSON key JSON.parse would silently merge).
    const dup = utf8('{"weight_map":{"a":"model-00001-of-00002.safetensors","a":"model-00002-of-00002.safetensors"}}');
    expect(() => parseSafetensorsIndex(dup)).toThrow(expect.objectContaining({ code: 'bad_safetensors', where: { path: '$["weight_map"]["a"]' } }));
    await expect(openSharded(parseSafetensorsIndex(index(GOOD)), opener()).open('nope')).rejects.toMatchObject({ code: 'bad_input' });
  });

  it('refuses shard names that are not plain names in the same folder (POSIX and Windows)', () => {
    for (const bad of ['', '.', '..', '../x.safetensors', 'a/b', '/etc/passwd', 'a\\b', '..\\x', 'C:x', 'C:\\x', '\\\\server\\share', 'a\u0000b', 'a\nb', '\ud800x']) {
      expect(shardNameProblem(bad), JSON.stringify(bad)).not.toBeNull();
      expect(() => parseSafetensorsIndex(index({ a: bad })), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'bad_safetensors', where: { path: '$["weight_map"]["a"]' } }));
    }
    for (const ok of ['model.safetensors', 'model-00001-of-00002.safetensors', '..x', 'x..', '%2e%2e', 'ünï.safetensors']) expect(shardNameProblem(ok), ok).toBeNull();
  });

  it('refuses malformed index documents with a path', () => {
    const bad = (s: string | Uint8Array) => { try { parseSafetensorsIndex(typeof s === 'string' ? utf8(s) : s); } catch (e) { return (e as AsxError).code + ' ' + ((e as AsxError).where.path ?? (e as AsxError).where.offset); } return 'ok'; };
    expect(bad('[]')).toBe('bad_safetensors $');
    expect(bad('{"weight_map":[]}')).toBe('bad_safetensors $["weight_map"]');
    expect(bad('{}')).toBe('bad_safetensors $["weight_map"]');
    expect(bad('{"weight_map":{"a":1}}')).toBe('bad_safetensors $["weight_map"]["a"]');
    expect(bad('{"weight_map":{"__metadata__":"x"}}')).toBe('bad_safetensors $["weight_map"]["__metadata__"]');
    expect(bad('{"weight_map":{},"extra":1}')).toBe('bad_safetensors $["extra"]');
    expect(bad('{"metadata":[1],"weight_map":{}}')).toBe('bad_safetensors $["metadata"]');
    expect(bad('{"metadata":{"k":1,"k":2},"weight_map":{}}')).toBe('bad_safetensors $["metadata"]["k"]');
    expect(bad('{"weight_map":')).toBe('bad_safetensors 0');
    expect(bad(Uint8Array.from([0x7b, 0xff, 0x7d]))).toBe('bad_safetensors 0');
    expect(bad('{"weight_map":{}}')).toBe('ok');
  });
});

describe('index cost is bounded by its size', () => {
  it('refuses nesting deeper than 128 levels before JSON.parse', () => {
    expect(() => parseSafetensorsIndex(utf8(`{"metadata":${'['.repeat(200)}${']'.repeat(200)},"weight_map":{}}`))).toThrow(expect.objectContaining({ code: 'bad_safetensors', where: { offset: 12 + 127, file: undefined } }));
    expect(parseSafetensorsIndex(utf8(`{"metadata":{"a":${'['.repeat(126)}${']'.repeat(126)}},"weight_map":{}}`)).names).toEqual([]);
  });
});
