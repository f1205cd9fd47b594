import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AsxError } from '../errors.ts';
import { utf8 } from '../bytes/utf8.ts';
import { checkFold, foldRefs, interactionCycle, parseFold, type FoldV1 } from './fold.ts';
import { formatScxq2Ref, parseScxq2Ref } from './ref.ts';
import { CANONICAL_FOLD } from './fixtures.ts';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
function issuesOf(mut: (f: Record<string, any>) => void) {
  const f = clone(CANONICAL_FOLD) as Record<string, any>;
  mut(f);
  const r = checkFold(f);
  return r.ok ? [] : r.issues.map((i) => i.path);
}

describe('F-REF scxq2://<fold_id>/<name>', () => {
  it('parses the spec refs', () => {
    expect(parseScxq2Ref('scxq2://dialogue_v3/l0_qproj.delta')).toEqual({ foldId: 'dialogue_v3', name: 'l0_qproj.delta' });
    expect(formatScxq2Ref({ foldId: 'a', name: 'b.c-d_e' })).toBe('scxq2://a/b.c-d_e');
  });
  const bad = [
    'SCXQ2://f/n', 'scxq2:/f/n', 'scxq2://f', 'scxq2://f/', 'scxq2:///n', 'scxq2://f/a/b', 'scxq2://f/..', 'scxq2://f/.',
    'scxq2://../n', 'scxq2://f/.hidden', 'scxq2://f/a%2Fb', 'scxq2://f/a?x', 'scxq2://f/a#x', 'scxq2://f/a b', 'scxq2://f/a\\b',
    'scxq2://f/é', `scxq2://f/${'a'.repeat(256)}`, `scxq2://${'f'.repeat(129)}/n`, ' scxq2://f/n', 'scxq2://f/n\n',
  ];
  for (const s of bad) it(`refuses ${JSON.stringify(s.slice(0, 30))}`, () => {
    try { parseScxq2Ref(s, '$.x'); expect.unreachable(); } catch (e) {
      expect(e).toBeInstanceOf(AsxError);
      expect((e as AsxError).code).toBe('bad_ref');
      expect((e as AsxError).where.path).toBe('$.x');
    }
  });
  it('accepted names are one safe path component (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
      let r;
      try { r = parseScxq2Ref(`scxq2://${a}/${b}`); } catch (e) { expect((e as AsxError).code).toBe('bad_ref'); return; }
      expect(r.foldId).toBe(a); expect(r.name).toBe(b);
      for (const s of [a, b]) { expect(s).not.toMatch(/[/\\%?#\s]/); expect(['.', '..']).not.toContain(s); expect(s[0]).not.toBe('.'); }
    }), { numRuns: 500 });
  });
});

describe('F-FOLD fold.v1', () => {
  it('the spec example is a valid fold; refs in source order', () => {
    expect(checkFold(clone(CANONICAL_FOLD)).ok).toBe(true);
    const f = parseFold(utf8(JSON.stringify(CANONICAL_FOLD)));
    expect(foldRefs(f).map((r) => r.path)).toEqual([
      '$["@data"].deltas[0].ref', '$["@data"].gradients[0].ref', '$["@data"].optimizer.state.m', '$["@data"].optimizer.state.v',
    ]);
  });
  it('issues carry JSON paths', () => {
    expect(issuesOf((f) => { delete f.fold_id; })).toEqual(['$']);
    expect(issuesOf((f) => { f.mx2gym_format = 'fold.v2'; })).toEqual(['$.mx2gym_format']);
    expect(issuesOf((f) => { f.extra = 1; })).toEqual(['$.extra']);
    expect(issuesOf((f) => { f['@data'].deltas[0].ref = 'scxq2://dialogue_v3/../x'; })).toEqual(['$["@data"].deltas[0].ref']);
    expect(issuesOf((f) => { f['@data'].deltas[0].ref = 'scxq2://other/x'; })).toEqual(['$["@data"].deltas[0].ref']);
    expect(issuesOf((f) => { delete f['@data'].deltas[0].ref; })).toEqual(['$["@data"].deltas[0]']);
    expect(issuesOf((f) => { f['@data'].optimizer.type = 'sgd'; })).toEqual(['$["@data"].optimizer.type']);
    expect(issuesOf((f) => { f['@data'].optimizer.state.square_avg = 'scxq2://dialogue_v3/x'; })).toEqual(['$["@data"].optimizer.state.square_avg']);
    expect(issuesOf((f) => { f['@data'].optimizer.type = 'lion'; })).toEqual(['$["@data"].optimizer.state.v']);
    expect(issuesOf((f) => { f['@data'].optimizer.type = 'rmsprop'; delete f['@data'].optimizer.state; })).toEqual(['$["@data"].optimizer.betas']);
    expect(issuesOf((f) => { f['@data'].optimizer.betas = [0.9, 1]; })).toEqual(['$["@data"].optimizer.betas']);
    expect(issuesOf((f) => { f['@control'].mode = 'subtract'; })).toEqual(['$["@control"].mode']);
    expect(issuesOf((f) => { f['@control'].apply = 'sometimes'; })).toEqual(['$["@control"].apply']);
    expect(issuesOf((f) => { f['@control'].priority = 1.5; })).toEqual(['$["@control"].priority']);
    expect(issuesOf((f) => { f['@control'].clamp = [0.2, -0.2]; })).toEqual(['$["@control"].clamp']);
    expect(issuesOf((f) => { f['@control'].conditions.cooldown_steps = -1; })).toEqual(['$["@control"].conditions.cooldown_steps']);
    expect(issuesOf((f) => { f['@flow'].interaction = ['dialogue_v3']; })).toEqual(['$["@flow"].interaction[0]']);
    expect(issuesOf((f) => { f['@flow'].route = ['Wo']; })).toEqual(['$["@flow"].route[0]']);
    expect(issuesOf((f) => { f['@data'].deltas.push({ ...f['@data'].deltas[0] }); })).toEqual(['$["@data"].deltas[1].layer']);
    expect(issuesOf((f) => { f['@metrics'].timestamp = 1.5; })).toEqual(['$["@metrics"].timestamp']);
  });
  it('parseFold: bad JSON and bad folds are bad_fold with a path', () => {
    for (const [text, path] of [['{"fold_id": 1', undefined], ['{"a":1,"a":2}', '$.a'], [JSON.stringify({ ...CANONICAL_FOLD, version: '1.0' }), '$.version']] as const) {
      try { parseFold(utf8(text)); expect.unreachable(); } catch (e) {
        expect((e as AsxError).code).toBe('bad_fold');
        if (path) expect((e as AsxError).where.path).toBe(path);
      }
    }
  });
  it('interaction cycles across folds', () => {
    const f = (id: string, ...inter: string[]) => ({ fold_id: id, '@flow': { interaction: inter } }) as Pick<FoldV1, 'fold_id' | '@flow'>;
    expect(interactionCycle([f('a', 'b'), f('b', 'c'), f('c')])).toBeNull();
    expect(interactionCycle([f('c', 'a'), f('a', 'b'), f('b', 'c')])).toEqual(['a', 'b', 'c']);
    expect(interactionCycle([f('x', 'y', 'outside'), f('y', 'x')])).toEqual(['x', 'y']);
  });
});
