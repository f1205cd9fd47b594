import { describe, expect, it } from 'vitest';
import { CELL_LIMIT, colour, densityT, heatOf, heatPixels, INDEX_BINS, MEAN_BINS, PHASE_BINS } from './heat';
import { runLabJob, labTransferables } from './labJobs';
import { gccpExact } from '../../core/gccp/mirror';
import { randomPairs } from '../../core/gccp/random';
import { DEFAULT_PROFILE } from '../../core/gccp/profile';
import type { LabResults } from './labTypes';

describe('π-GCCP heatmap data', () => {
  it('keeps one cell per pair up to CELL_LIMIT, counting undefined phases', () => {
    const v = Float64Array.from([0, Math.PI, NaN, 1]);
    const h = heatOf('phase', v);
    expect(h.mode).toBe('cells');
    expect(h.nan).toBe(1);
    expect(h.mode === 'cells' && Array.from(h.values.subarray(0, 2))).toEqual([0, Math.fround(Math.PI)]);
    expect(heatOf('weight', new Float64Array(CELL_LIMIT)).mode).toBe('cells');
  });

  it('above CELL_LIMIT the phase becomes a density that conserves every pair, the weight a mean per bin', () => {
    const { a, b } = randomPairs(100_000, 3, DEFAULT_PROFILE.epsilon);
    const r = gccpExact(a, b, DEFAULT_PROFILE);
    const p = heatOf('phase', r.phase);
    expect(p.mode).toBe('density');
    if (p.mode !== 'density') return;
    expect(p.cols).toBe(INDEX_BINS);
    expect(p.rows).toBe(PHASE_BINS);
    expect(p.per).toBe(Math.ceil(100_000 / INDEX_BINS));
    expect(p.counts.reduce((s, c) => s + c, 0) + p.nan).toBe(100_000);
    // half the pairs are within 2ε of aligned: the bottom 2 of 48 rows (small phases) hold
    // several times their even share (~4%)
    const bottom = p.counts.subarray((PHASE_BINS - 2) * INDEX_BINS).reduce((s, c) => s + c, 0);
    expect(bottom).toBeGreaterThan(0.15 * 100_000);
    const w = heatOf('weight', r.weight);
    expect(w.mode).toBe('mean');
    if (w.mode !== 'mean') return;
    expect(w.bins).toBeLessThanOrEqual(MEAN_BINS);
    expect(w.ones).toBe(r.weight.reduce((s, x) => s + x, 0));
    const mean = w.values.reduce((s, x) => s + x, 0) / w.bins;
    expect(Math.abs(mean - w.ones / 100_000)).toBeLessThan(0.01);
  });

  it('colours: viridis ends, log density, grey for undefined cells', () => {
    expect(colour(0)).toEqual([68, 1, 84]);
    expect(colour(1)).toEqual([253, 231, 37]);
    expect(colour(NaN)).toEqual(colour(0));
    expect(densityT(0, 10)).toBe(0);
    expect(densityT(10, 10)).toBe(1);
    const px = heatPixels(heatOf('phase', Float64Array.from([0, NaN])));
    expect(Array.from(px.subarray(4, 8))).toEqual([128, 128, 128, 255]);
  });
});

describe('π-GCCP lab jobs', () => {
  it('a run is the CPU mirror on the seeded vectors, binned; stages in order; buffers transferable', async () => {
    const stages: string[] = [];
    const spec = { kind: 'seeded' as const, gen: 'random' as const, n: 5000, seed: 9, epsilon: DEFAULT_PROFILE.epsilon };
    const r = (await runLabJob({ type: 'run', spec, profile: DEFAULT_PROFILE, keepVectors: true }, (s) => stages.push(s))) as LabResults['run'];
    const { a, b } = randomPairs(5000, 9, DEFAULT_PROFILE.epsilon);
    expect(r.cpu.collapse).toBe(gccpExact(a, b, DEFAULT_PROFILE).collapse);
    expect(Array.from(r.a!)).toEqual(Array.from(a));
    expect(stages).toEqual(['vectors', 'cpu', 'heatmaps']);
    const t = labTransferables(r);
    expect(new Set(t).size).toBe(t.length);
    expect(t).toHaveLength(4);
    const c = (await runLabJob({ type: 'collapse', spec, profiles: [DEFAULT_PROFILE, { ...DEFAULT_PROFILE, epsilon: 0.9 }] }, () => {})) as number[];
    expect(c[0]).toBe(r.cpu.collapse);
    expect(c[1]).toBe(gccpExact(a, b, { epsilon: 0.9, rotation: 0 }).collapse);
  });
});
