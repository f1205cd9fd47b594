import { describe, expect, it } from 'vitest';
import { arrangeLanes, compilePattern, laneMeta, proofFileName, temporalWindow, windowRank } from './lanes';
import type { LaneView } from '../store';

const view = (p: Partial<LaneView> = {}): LaneView => ({ pattern: '', hiddenClasses: [], minSaturation: 0, sort: 'class', scale: 'fit', ...p });
const ids = ['attention@t0', 'attention@t1', 'policy@early', 'policy@t0', 'policy@t0__x__attention@t1', 'policy@t1', 'value'];

describe('lane arrangement', () => {
  it('finds temporal windows and ranks them', () => {
    expect(temporalWindow('policy@t0__x__attention@t1')).toBe('t0');
    expect(temporalWindow('value')).toBe('');
    expect(['late', 't10', 't2', 't*', 'early', ''].sort((a, b) => windowRank(a) - windowRank(b))).toEqual(['t2', 't10', 't*', 'early', 'late', '']);
  });

  it('groups by class then window, keeping id order inside a group', () => {
    const m = laneMeta(ids);
    const a = arrangeLanes(ids, m, view());
    expect([...a.rows].map((i) => ids[i])).toEqual([
      'policy@t0', 'policy@t0__x__attention@t1', 'policy@t1', 'policy@early', 'attention@t0', 'attention@t1', 'value',
    ]);
    // The core classifies by prefix first: policy@early is a policy lane.
    expect(a.groups.map((g) => `${g.cls}:${g.window}:${g.start}+${g.count}`)).toEqual([
      'policy:t0:0+2', 'policy:t1:2+1', 'policy:early:3+1', 'attention:t0:4+1', 'attention:t1:5+1', 'other::6+1',
    ]);
  });

  it('filters by class, pattern (substring or /regex/) and saturation', () => {
    const m = laneMeta(ids, [{ index: 3, ratio: 0.2 }, { index: 5, ratio: 0.05 }]);
    expect([...arrangeLanes(ids, m, view({ hiddenClasses: ['policy'] })).rows].map((i) => ids[i])).toEqual(['attention@t0', 'attention@t1', 'value']);
    expect([...arrangeLanes(ids, m, view({ pattern: 'T1', sort: 'id' })).rows].map((i) => ids[i])).toEqual(['attention@t1', 'policy@t0__x__attention@t1', 'policy@t1']);
    expect([...arrangeLanes(ids, m, view({ pattern: '/^policy@t\\d$/', sort: 'id' })).rows].map((i) => ids[i])).toEqual(['policy@t0', 'policy@t1']);
    expect([...arrangeLanes(ids, m, view({ minSaturation: 0.1 })).rows]).toEqual([3]);
    const sat = arrangeLanes(ids, m, view({ sort: 'saturation' }));
    expect([...sat.rows].slice(0, 3)).toEqual([3, 5, 0]);
    expect(sat.groups).toEqual([]);
  });

  it('reports a bad regex without throwing and keeps every lane', () => {
    expect(compilePattern('/(/')).toHaveProperty('error');
    const a = arrangeLanes(ids, laneMeta(ids), view({ pattern: '/(/' }));
    expect(a.error).toBeTruthy();
    expect(a.rows.length).toBe(ids.length);
  });

  it('arranges 65,535 lanes quickly', () => {
    const big = Array.from({ length: 65_535 }, (_, i) => `${['policy', 'attention', 'f'][i % 3]}${i}@t${i % 4}`).sort();
    const m = laneMeta(big);
    const t0 = performance.now();
    const a = arrangeLanes(big, m, view());
    expect(a.rows.length).toBe(65_535);
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe('filter counts and file names', () => {
  it('counts matching lanes per class, hidden classes included', () => {
    const m = laneMeta(ids);
    const a = arrangeLanes(ids, m, view({ pattern: 't1', hiddenClasses: ['attention'] }));
    expect([...a.rows].map((i) => ids[i])).toEqual(['policy@t0__x__attention@t1', 'policy@t1']);
    expect(Object.fromEntries(a.classCounts)).toEqual({ policy: 2, attention: 1 });
    const none = arrangeLanes(ids, m, view({ pattern: 'zzz' }));
    expect(none.rows.length).toBe(0);
    expect(none.classCounts.size).toBe(0);
    expect(Object.fromEntries(arrangeLanes(ids, m, view()).classCounts)).toEqual({ policy: 4, attention: 2, other: 1 });
  });

  it('names proof files after the lane id, safe on every file system', () => {
    expect(proofFileName('policy@t0', '@3')).toBe('policy@t0.proof.json');
    expect(proofFileName('policy@t0__x__attention@t1', '@A')).toBe('policy@t0__x__attention@t1.proof.json');
    expect(proofFileName('a/b:c*?"<>|\\d', '@1')).toBe('a_b_c_______d.proof.json');
    expect(proofFileName('..hidden. ', '@1')).toBe('hidden.proof.json');
    expect(proofFileName('///', '@1z')).toBe('lane-1z.proof.json');
    expect(proofFileName('x'.repeat(300), '@1')).toBe(`${'x'.repeat(120)}.proof.json`);
  });
});
