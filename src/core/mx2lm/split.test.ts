import { describe, expect, it } from 'vitest';
import { loadBrown, sentencesOf } from '../../cli/brown.ts';
import { splitDocuments, splitOfPosition } from './split.ts';

describe('the split rule', () => {
  it('position mod 10: 0 → test, 9 → validation', () => {
    expect([1, 8, 9, 10, 11, 19, 20].map(splitOfPosition)).toEqual(['train', 'train', 'validation', 'test', 'train', 'validation', 'test']);
  });
  it('sorts by id first, whatever the input order', () => {
    const docs = Array.from({ length: 20 }, (_, i) => ({ id: `ca${String(i + 1).padStart(2, '0')}` })).reverse();
    const s = splitDocuments(docs);
    expect(s.validation.map((d) => d.id)).toEqual(['ca09', 'ca19']);
    expect(s.test.map((d) => d.id)).toEqual(['ca10', 'ca20']);
    expect(s.train.length).toBe(16);
    expect(s.train[0].id).toBe('ca01');
  });
});

describe('the Brown split (docs/laws.md MX2LM-CORPUS)', () => {
  const docs = loadBrown();
  const s = splitDocuments(docs);
  it('500 documents, 400 / 50 / 50, with the stated sentence and token counts', () => {
    expect(docs.length).toBe(500);
    const figures = (['train', 'validation', 'test'] as const).map((k) => {
      const ss = sentencesOf(s[k]);
      return [s[k].length, ss.length, ss.reduce((a, x) => a + x.length, 0)];
    });
    expect(figures).toEqual([[400, 46175, 968054], [50, 5523, 120230], [50, 5642, 120760]]);
  });
  it('every genre in every split', () => {
    for (const k of ['train', 'validation', 'test'] as const) expect(new Set(s[k].map((d) => d.genre)).size).toBe(15);
    expect(s.test.map((d) => d.id).slice(0, 5)).toEqual(['ca10', 'ca20', 'ca30', 'ca40', 'cb06']);
    expect(s.validation.map((d) => d.id).slice(0, 5)).toEqual(['ca09', 'ca19', 'ca29', 'ca39', 'cb05']);
  });
});
