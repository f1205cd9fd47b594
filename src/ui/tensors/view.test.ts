import { describe, expect, it } from 'vitest';
import type { TensorRow } from './source';
import { diffPlan, filterRows, fmtNum, gridOf, pageCount, pageOf, PAGE_ELEMENTS, toCells } from './view';

const row = (name: string, dtype: string, shape: number[]): TensorRow => ({ name, dtype: dtype as TensorRow['dtype'], shape, elements: shape.reduce((a, b) => a * b, 1), bytes: 0, offset: 0 });

describe('Tensors face: layout', () => {
  it('folds shapes into rows × cols', () => {
    expect(gridOf([64, 48])).toMatchObject({ rows: 64, cols: 48 });
    expect(gridOf([2, 3, 4])).toMatchObject({ rows: 6, cols: 4 });
    expect(gridOf([])).toMatchObject({ rows: 1, cols: 1, note: 'scalar' });
    expect(gridOf([10])).toMatchObject({ rows: 3, cols: 4 }); // ⌈√10⌉ = 4 columns
    expect(gridOf([0, 5])).toMatchObject({ rows: 0, cols: 0 });
  });
  it('pages rows so one page reads at most PAGE_ELEMENTS', () => {
    const g = gridOf([5000, 1000]);
    expect(pageCount(g)).toBe(Math.ceil(5000 / Math.floor(PAGE_ELEMENTS / 1000)));
    const p1 = pageOf(g, 5_000_000, 1);
    expect(p1).toEqual({ row0: 1048, rowCount: 1048, colCount: 1000, start: 1_048_000, count: 1_048_000 });
    const last = pageOf(g, 5_000_000, pageCount(g) - 1);
    expect(last.start + last.count).toBe(5_000_000);
    // 1-D wrapped: the last row is short.
    const w = gridOf([10]);
    expect(pageOf(w, 10, 0)).toEqual({ row0: 0, rowCount: 3, colCount: 4, start: 0, count: 10 });
    // One row wider than a page: its first PAGE_ELEMENTS columns.
    const wide = gridOf([2, PAGE_ELEMENTS * 2]);
    expect(pageOf(wide, PAGE_ELEMENTS * 4, 1)).toMatchObject({ row0: 1, rowCount: 1, colCount: PAGE_ELEMENTS, count: PAGE_ELEMENTS });
  });
  it('reduces pages to cells by block means, skipping NaN/Inf', () => {
    const c = toCells([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 3, 4, 4, 2);
    expect(c).toMatchObject({ width: 2, height: 2, rowStep: 2, colStep: 2 });
    expect([...c.values]).toEqual([(1 + 2 + 5 + 6) / 4, (3 + 4 + 7 + 8) / 4, 9.5, 11.5]);
    const d = toCells([NaN, Infinity, 1, 2, 3, 4, 5, 6, 7, 8], 3, 4, 4);
    expect(d.width).toBe(4);
    expect(d.values[0]).toBeNaN();
    expect(d.values[2]).toBe(1);
    expect(d.values[9]).toBe(8);
    expect(d.values[10]).toBeNaN(); // past the end of a short last row
  });
});

describe('Tensors face: diff plan, filter, numbers', () => {
  it('lines up two models', () => {
    const a = [row('x', 'F32', [2, 2]), row('y', 'F32', [3]), row('only.a', 'F16', [1])];
    const b = [row('y', 'BF16', [3]), row('x', 'F32', [4]), row('only.b', 'I8', [2])];
    expect(diffPlan(a, b).map((r) => [r.name, r.status])).toEqual([['x', 'shape'], ['y', 'compared'], ['only.a', 'onlyA'], ['only.b', 'onlyB']]);
    expect(diffPlan(a, b)[1]).toMatchObject({ dtypeA: 'F32', dtypeB: 'BF16' });
  });
  it('filters by substring, dtype or /regex/', () => {
    const rows = [row('model.layers.0.q.weight', 'F32', [1]), row('model.layers.1.q.bias', 'BF16', [1]), row('lm_head.weight', 'F32', [1])];
    expect(filterRows(rows, 'LAYERS').length).toBe(2);
    expect(filterRows(rows, 'bf16').map((r) => r.name)).toEqual(['model.layers.1.q.bias']);
    expect(filterRows(rows, '/\\.weight$/').length).toBe(2);
    expect(filterRows(rows, '/[/').length).toBe(0); // a bad regex is a plain substring
    expect(filterRows(rows, '  ').length).toBe(3);
  });
  it('prints numbers with 6 significant digits', () => {
    expect(fmtNum(0.123456789)).toBe('0.123457');
    expect(fmtNum(-2)).toBe('-2');
    expect(fmtNum(1e-7)).toBe('1e-7');
    expect(fmtNum(123456789)).toBe('1.2346e+8');
    expect(fmtNum(null)).toBe('—');
    expect(fmtNum(NaN)).toBe('NaN');
  });
});
