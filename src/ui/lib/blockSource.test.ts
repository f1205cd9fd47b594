import { describe, expect, it } from 'vitest';
import { bytesSource, CountingSource } from '../../core/bytes/source';
import { BlockSource } from './blockSource';

describe('BlockSource', () => {
  it('serves reads inside a prefetched block from memory and passes others through', async () => {
    const data = Uint8Array.from({ length: 100 }, (_, i) => i);
    const inner = new CountingSource(bytesSource(data));
    const b = new BlockSource(inner, 2);
    await b.prefetch(10, 20);
    expect(Array.from(await b.read(12, 3))).toEqual([12, 13, 14]);
    expect(inner.reads).toBe(1);
    expect(Array.from(await b.read(28, 4))).toEqual([28, 29, 30, 31]); // crosses the block end
    expect(inner.reads).toBe(2);
    await b.prefetch(40, 5);
    await b.prefetch(50, 5);
    await b.read(11, 1); // first block evicted (max 2)
    expect(inner.reads).toBe(5);
    b.drop();
    await b.read(41, 1);
    expect(inner.reads).toBe(6);
  });
});
