import { describe, expect, it } from 'vitest';
import { createWorkbenchStore, type KeyStorage, type PackSummary, type TrustedKey } from './index';

const summary = (): PackSummary => ({
  header: { version: 0x0100, flags: 1, dims: 4, laneCount: 2, dictBytes: 1, indexBytes: 1, dataBytes: 1, merkleBytes: 0, sigBytes: 0 },
  sections: [], laneIds: ['a', 'b'], fileSize: 100, bytesRead: 40, manifestJson: '{}',
});

function storage(initial: TrustedKey[] = []) {
  const saved: TrustedKey[][] = [];
  const s: KeyStorage = { load: () => initial, save: (k) => { saved.push(k); } };
  return { s, saved };
}

describe('ui slice', () => {
  it('keeps trusted keys through the injected storage, normalized and deduplicated', () => {
    const { s, saved } = storage([{ key: 'aa'.repeat(32), label: 'old' }]);
    const store = createWorkbenchStore({ loadPack: async () => summary(), keyStorage: s });
    expect(store.getState().trustedKeys).toHaveLength(1);
    expect(store.getState().addTrustedKey('BB'.repeat(32), 'new')).toBe(true);
    expect(store.getState().addTrustedKey('bb'.repeat(32), 'again')).toBe(true);
    expect(store.getState().addTrustedKey('not hex', 'x')).toBe(false);
    expect(store.getState().trustedKeys.map((k) => k.key)).toEqual(['aa'.repeat(32), 'bb'.repeat(32)]);
    store.getState().removeTrustedKey('aa'.repeat(32));
    expect(saved[saved.length - 1]).toEqual([{ key: 'bb'.repeat(32), label: 'new' }]);
  });

  it('resets the lane cursor when the active file changes, and updates bytes read', async () => {
    const store = createWorkbenchStore({ loadPack: async () => summary() });
    const a = await store.getState().openFile(new Blob(['x']), 'a');
    store.getState().selectLane(1);
    expect(store.getState().lane).toBe(1);
    const b = await store.getState().openFile(new Blob(['y']), 'b');
    expect(store.getState().lane).toBeNull();
    store.getState().selectLane(0);
    store.getState().selectFile(b); // same file: cursor stays
    expect(store.getState().lane).toBe(0);
    store.getState().selectFile(a);
    expect(store.getState().lane).toBeNull();
    store.getState().setBytesRead(a, 77);
    expect(store.getState().files.find((f) => f.id === a)!.pack!.bytesRead).toBe(77);
  });

  it('switches panels and lane views', () => {
    const store = createWorkbenchStore({ loadPack: async () => summary() });
    expect(store.getState().panel).toBe('overview');
    store.getState().setPanel('diff');
    store.getState().setLaneView({ pattern: 'policy', sort: 'id' });
    expect(store.getState().panel).toBe('diff');
    expect(store.getState().laneView).toMatchObject({ pattern: 'policy', sort: 'id', hiddenClasses: [] });
    store.getState().setDiff('f1', 'f2');
    expect([store.getState().diffA, store.getState().diffB]).toEqual(['f1', 'f2']);
  });
});
