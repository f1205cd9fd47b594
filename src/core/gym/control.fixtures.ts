/** Test fixtures for the gym's fold tests: a minimal fold.v1 with one delta ref per layer. */
import type { FoldV1 } from '../fold/fold.ts';

export function mkFold(id: string, control: Partial<FoldV1['@control']>, layers: Array<[string, number?]>, extra: Partial<FoldV1> = {}): FoldV1 {
  return {
    fold_id: id, version: '1.0.0', model_base: 'm', mx2gym_format: 'fold.v1',
    '@data': { deltas: layers.map(([layer, scale], i) => ({ layer, encoding: 'scxq2' as const, ref: `scxq2://${id}/d${i}`, ...(scale === undefined ? {} : { scale }) })) },
    '@control': { apply: 'always', priority: 0, mode: 'additive', ...control },
    ...extra,
  };
}
