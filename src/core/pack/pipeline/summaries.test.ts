import { describe, expect, it } from 'vitest';
import { emitMatrixSummaries, escapeRegExp } from './summaries.ts';
import { emitInteractionUpperTri10 } from './interactions.ts';
import { emitSemanticPresets } from './presets.ts';
import { emitCombinedTemporalLanesDecay } from './decay.ts';
import { expandTemporalLanes } from './temporal.ts';
import { exact, lanes, p17 } from './testutil.ts';

describe('L-SUMMARY emitMatrixSummaries', () => {
  const base = lanes({ policy: [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6], attention: [1, 0.5, 0.25, 2, 1, 0.5, 0.25, 2] });
  const mat = emitInteractionUpperTri10(emitSemanticPresets(emitCombinedTemporalLanesDecay(expandTemporalLanes(base))));
  const out = emitMatrixSummaries(mat);
  const added = [...out.keys()].filter((k) => !mat.has(k));

  it('emits rows (ascending i), then columns (ascending j), then the global lane', () => {
    expect(added).toEqual([
      'policy@t0__x__attention@row', 'policy@t1__x__attention@row', 'policy@t2__x__attention@row', 'policy@t3__x__attention@row',
      'policy@col__x__attention@t0', 'policy@col__x__attention@t1', 'policy@col__x__attention@t2', 'policy@col__x__attention@t3',
      'policy@all__x__attention@all',
    ]);
  });

  it('test vector (policy [0.2..1.6 step 0.2], attention [1,.5,.25,2,1,.5,.25,2])', () => {
    expect(exact(mat.get('policy@t0__x__attention@t0'))).toEqual(p17([0.19737532022490401, 0.19737532022490401]));
    expect(exact(mat.get('policy@t3__x__attention@t3'))).toEqual(p17([0.33637554433633221, 0.99668239783965118]));
    expect(exact(out.get('policy@t0__x__attention@row'))).toEqual(p17([0.12366684759139199, 0.43070604524637657]));
    expect(exact(out.get('policy@t3__x__attention@row'))).toEqual(p17([0.33637554433633221, 0.99668239783965118]));
    expect(exact(out.get('policy@col__x__attention@t0'))).toEqual(p17([0.19737532022490401, 0.19737532022490401]));
    expect(exact(out.get('policy@col__x__attention@t3'))).toEqual(p17([0.19503440383030982, 0.89151564505191294]));
    expect(exact(out.get('policy@all__x__attention@all'))).toEqual(p17([0.26723753873060452, 0.64635170745850401]));
  });

  it('escapes base names: base "a.b" does not pick up "axb" lanes (the spec JS RegExp would)', () => {
    const s = lanes({ 'axb@t0__x__c@t0': [1], 'a.b@t0__x__c@t1': [0.5] });
    const o = emitMatrixSummaries(s, 'a.b', 'c');
    expect([...o.keys()].filter((k) => !s.has(k))).toEqual(['a.b@t0__x__c@row', 'a.b@col__x__c@t1', 'a.b@all__x__c@all']);
    expect(Array.from(o.get('a.b@all__x__c@all')!)).toEqual([0.5]);
    expect(new RegExp(`^${escapeRegExp('a.b*+?')}$`).test('a.b*+?')).toBe(true);
  });

  it('only canonical indices: t01 is not t1', () => {
    const s = lanes({ 'p@t01__x__q@t1': [1] });
    expect(emitMatrixSummaries(s, 'p', 'q').size).toBe(1);
  });

  it('nothing to summarize → nothing emitted; the result is clamped to [0, 1]', () => {
    expect(emitMatrixSummaries(lanes({ policy: [1] })).size).toBe(1);
    const o = emitMatrixSummaries(lanes({ 'p@t0__x__q@t0': [3, -1] }), 'p', 'q');
    expect(Array.from(o.get('p@all__x__q@all')!)).toEqual([1, 0]);
  });
});
