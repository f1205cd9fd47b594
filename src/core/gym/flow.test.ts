import { describe, expect, it } from 'vitest';
import { AsxError } from '../errors.ts';
import { CANONICAL_FOLD } from '../fold/fixtures.ts';
import { applyFold } from './control.ts';
import { mkFold } from './control.fixtures.ts';
import { blendMode, flowEvents, flowStages, foldOrder } from './flow.ts';

const f32 = (...v: number[]) => Float32Array.from(v);

describe('G-FOLD-APPLY @flow stages and blend', () => {
  it('the canonical fold: smooth over two route stages', () => {
    expect(flowStages(CANONICAL_FOLD)).toEqual([
      { name: '@Pop', kind: 'entry', beta: 0 },
      { name: '@Wo', kind: 'route', beta: (1 - Math.cos(Math.PI / 2)) / 2 },
      { name: '@Sek', kind: 'route', beta: 1 },
      { name: '@Xul', kind: 'exit', beta: 1 },
    ]);
    expect(flowStages(CANONICAL_FOLD)[1].beta).toBe(0.49999999999999994);
  });
  it('hard (the default) puts the whole change at the first route stage', () => {
    const f = mkFold('f', {}, [], { '@flow': { entry: '@A', route: ['@B', '@C', '@D'], exit: '@E' } });
    expect(blendMode(f)).toBe('hard');
    expect(flowStages(f).map((s) => s.beta)).toEqual([0, 1, 1, 1, 1]);
    const s = mkFold('f', {}, [], { '@flow': { route: ['@B', '@C', '@D', '@F'], blend_mode: 'smooth' } });
    expect(flowStages(s).map((x) => x.beta)).toEqual([0, 1, 2, 3, 4].slice(1).map((k) => (k === 4 ? 1 : (1 - Math.cos((Math.PI * k) / 4)) / 2)));
    expect(flowStages(mkFold('f', {}, []))).toEqual([]);
  });
  it('events: norm of W_β and of W_β − W at each stage (W = [3, 4] → R = [0, 0])', () => {
    const st = flowStages(mkFold('f', {}, [], { '@flow': { entry: '@In', route: ['@Mid', '@End'], exit: '@Out', blend_mode: 'smooth' } }));
    const ev = flowEvents('f', st, 'w', f32(3, 4), f32(0, 0));
    expect(ev.map((e) => [e.stage, e.index, e.norm, e.change_norm])).toEqual([
      ['@In', 0, 5, 0],
      ['@Mid', 1, Math.sqrt(Math.fround(3 - 3 * st[1].beta) ** 2 + Math.fround(4 - 4 * st[1].beta) ** 2), Math.sqrt((Math.fround(3 - 3 * st[1].beta) - 3) ** 2 + (Math.fround(4 - 4 * st[1].beta) - 4) ** 2)],
      ['@End', 2, 0, 5],
      ['@Out', 3, 0, 5],
    ]);
    expect(Object.isFrozen(ev[0])).toBe(true);
  });
  it('the result does not depend on blend_mode; applyFold returns the flow trace, frozen', () => {
    const b = new Map([['w', { shape: [2], data: f32(3, 4) }]]);
    const d = new Map([['w', f32(1, -1)]]);
    const flow = { entry: '@In', route: ['@R1', '@R2', '@R3'], exit: '@Out' };
    const h = applyFold(b, mkFold('f', {}, [['w']], { '@flow': { ...flow, blend_mode: 'hard' } }), d);
    const s = applyFold(b, mkFold('f', {}, [['w']], { '@flow': { ...flow, blend_mode: 'smooth' } }), d);
    expect(h.tensors.get('w')!.data).toEqual(s.tensors.get('w')!.data);
    expect(h.flow.length).toBe(5);
    expect(h.flow.map((e) => e.change_norm)).toEqual([0, Math.SQRT2, Math.SQRT2, Math.SQRT2, Math.SQRT2]);
    expect(s.flow[1].change_norm).toBeLessThan(Math.SQRT2 / 2);
    expect(Object.isFrozen(s.flow)).toBe(true);
    expect(() => (s.flow as unknown as unknown[]).push(1)).toThrow();
  });
});

describe('G-FOLD-APPLY foldOrder: priority, ties, interactions', () => {
  const F = (id: string, priority: number, interaction?: string[]) => mkFold(id, { priority }, [], interaction ? { '@flow': { interaction } } : {});
  it('priority ascending, ties by fold_id in UTF-8 order', () => {
    const fs = [F('b', 1), F('a', 1), F('z', -3), F('é', 1), F('\u{1F600}', 1), F('\uFFFD', 1), F('c', 7)];
    expect(foldOrder(fs).map((i) => fs[i].fold_id)).toEqual(['z', 'a', 'b', 'é', '\uFFFD', '\u{1F600}', 'c']);
  });
  it('a fold comes after the folds it interacts with (outside ids ignored)', () => {
    const fs = [F('a', 0, ['c', 'missing']), F('b', 1), F('c', 5)];
    expect(foldOrder(fs).map((i) => fs[i].fold_id)).toEqual(['b', 'c', 'a']);
  });
  it('a cycle is interaction_cycle at the smallest id on it', () => {
    const fs = [F('x', 0), F('c', 0, ['a']), F('a', 0, ['b']), F('b', 0, ['c'])];
    try { foldOrder(fs); expect.unreachable(); } catch (e) {
      expect(e).toBeInstanceOf(AsxError);
      expect((e as AsxError).code).toBe('interaction_cycle');
      expect((e as AsxError).where.path).toBe('$[2]["@flow"].interaction');
      expect((e as AsxError).message).toContain('a → b → c → a');
    }
  });
  it('a fold id twice is bad_input', () => {
    try { foldOrder([F('a', 0), F('a', 1)]); expect.unreachable(); } catch (e) {
      expect([(e as AsxError).code, (e as AsxError).where.path]).toEqual(['bad_input', '$[1].fold_id']);
    }
  });
});
