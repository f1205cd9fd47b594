import { describe, expect, it } from 'vitest';
import { encodeFloats } from '../../core/tensors/safetensors';
import { saveSafetensors } from '../../core/tensors/write';
import { takeInbox } from '../inbox';
import { routeFiles } from '../router';
import type { WorkbenchStore } from '../store';

function fakeStore() {
  const calls: string[] = [];
  const state = {
    panel: 'overview',
    setPanel(p: string) { state.panel = p; calls.push(`panel:${p}`); },
    openFile(_b: Blob, name: string) { calls.push(`open:${name}`); return Promise.resolve(name); },
  };
  return { store: { getState: () => state } as unknown as WorkbenchStore, calls, state };
}

const st = saveSafetensors([{ name: 'w', dtype: 'F32', shape: [2], data: encodeFloats([1, 2], 'F32') }]);
const blob = (b: Uint8Array | string) => new Blob([b as BlobPart]);

describe('routing safetensors to the Tensors face', () => {
  it('a safetensors file goes to the Tensors inbox, not the pack reader', async () => {
    takeInbox('tensors');
    const { store, calls } = fakeStore();
    expect(await routeFiles(store, [{ file: blob(st), name: 'a.safetensors' }])).toEqual(['safetensors']);
    expect(calls).toEqual(['panel:tensors']);
    expect(takeInbox('tensors').map((i) => [i.name, i.related])).toEqual([['a.safetensors', undefined]]);
  });
  it('an index takes the safetensors files of the same drop as its shards; other files route as before', async () => {
    takeInbox('tensors');
    const { store, calls } = fakeStore();
    const index = JSON.stringify({ weight_map: { w: 's1.safetensors' } });
    const kinds = await routeFiles(store, [
      { file: blob(st), name: 'dir/s1.safetensors' },
      { file: blob(index), name: 'dir/model.safetensors.index.json' },
      { file: blob('not a pack'), name: 'x.bin' },
    ]);
    expect(kinds).toEqual(['safetensors', 'safetensors-index', 'unknown']);
    const items = takeInbox('tensors');
    expect(items.map((i) => i.name)).toEqual(['dir/model.safetensors.index.json']);
    expect(items[0].related?.map((r) => r.name)).toEqual(['dir/s1.safetensors']);
    expect(calls).toEqual(['panel:tensors', 'panel:overview', 'open:x.bin']);
  });
});
