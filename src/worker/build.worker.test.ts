import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../core/bytes/source';
import { openPack } from '../core/pack/read';
import { handleBuild } from './build.worker';

describe('build worker handler', () => {
  it('builds the demo streams into a pack the reader opens', async () => {
    const text = readFileSync('public/demo/demo-streams-a.json', 'utf8');
    const res = handleBuild({ id: 1, text });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const r = await openPack(bytesSource(res.bytes));
    expect(r.header.laneCount).toBe(res.lanes);
    expect(r.header.dims).toBe(res.dims);
  });

  it('reports JSON syntax errors with an offset', () => {
    const res = handleBuild({ id: 2, text: '{"streams": {"a": [1, 2,]}}' });
    expect(res).toMatchObject({ ok: false, code: 'bad_json' });
  });

  it('reports pipeline errors with the JSON path', () => {
    const res = handleBuild({ id: 3, text: '{"streams": {"policy": [1, "x"]}}' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.code).toBe('bad_input');
    expect(res.path).toBe('$.streams.policy[1]');
  });
});
