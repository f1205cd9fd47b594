/**
 * Merges (packs spec "Cross-Pack Compatibility Rules v1.0" §8–9): overlay, blend (λ) and
 * union, in float space after each lane is decoded with its own pack's scales and
 * down-folded to the normalized dims; the result is re-quantized with the target's QSCALE
 * and must be re-signed (the old signature never carries over). Decisions the spec leaves
 * open are in docs/laws.md (L-MERGE).
 */
import { AsxError } from '../errors.ts';
import { compareUtf8 } from '../bytes/utf8.ts';
import { compatibility, downFold } from './compat.ts';
import { encodePack, type EncodeOptions, type EncodeResult, type LaneInput } from './write.ts';
import type { PackReader } from './read.ts';
import { selectLanes, TOTAL_BUDGET } from './pipeline/budget.ts';

export type MergeMode = 'overlay' | 'blend' | 'union';

export interface MergeOptions {
  mode: MergeMode;
  /** Blend weight of the source, fixed in [0, 1] (default 0.5). */
  lambda?: number;
  signKey?: Uint8Array;
}

export interface MergeResult extends EncodeResult { lanes: LaneInput[]; dims: number; mode: MergeMode }

async function laneAt(r: PackReader, id: string, dims: number): Promise<Float64Array> {
  return downFold((await r.getLane(r.find(id))).W, dims);
}

export async function mergePacks(target: PackReader, source: PackReader, opts: MergeOptions): Promise<MergeResult> {
  const compat = compatibility(target, source);
  if (compat.level === 3) throw new AsxError('incompatible', `packs are incompatible (level 3): ${compat.differed.join('; ')}`);
  const lambda = opts.lambda ?? 0.5;
  if (opts.mode === 'blend' && !(typeof lambda === 'number' && lambda >= 0 && lambda <= 1)) throw new AsxError('bad_input', `λ must be a number in [0, 1], got ${lambda}`, { path: 'lambda' });
  let dims = compat.dimsN;
  const inS = (id: string) => source.dict.rev.has(id);
  const lanes: LaneInput[] = [];

  if (opts.mode === 'overlay') {
    // Target's lane set; a lane present in the source replaces the target's.
    for (const id of target.ids) lanes.push({ id, W: await laneAt(inS(id) ? source : target, id, dims) });
  } else if (opts.mode === 'blend') {
    // Target's lane set; V = λ·VS + (1 − λ)·VT, a lane missing from the source is zero.
    for (const id of target.ids) {
      const vt = await laneAt(target, id, dims);
      const vs = inS(id) ? await laneAt(source, id, dims) : new Float64Array(dims);
      const v = new Float64Array(dims);
      for (let k = 0; k < dims; k++) v[k] = lambda * vs[k] + (1 - lambda) * vt[k];
      lanes.push({ id, W: v });
    }
  } else if (opts.mode === 'union') {
    let ids = [...new Set([...target.ids, ...source.ids])].sort(compareUtf8);
    // Union re-runs the lane budget and adaptive dims (§8 Mode C) when both inputs are
    // budgeted (≤ 5 KB) packs; larger packs were built unbounded and stay so (laws L-MERGE).
    if (target.fileSize <= TOTAL_BUDGET && source.fileSize <= TOTAL_BUDGET) {
      const sel = selectLanes(ids, {
        budget: TOTAL_BUDGET,
        pack: { qscale: target.hasQscale, audit: !!target.audit, laneAudits: target.audit?.lanes.length ?? 0, merkle: true, signed: !!opts.signKey },
      });
      ids = sel.selected.sort(compareUtf8);
      dims = Math.min(dims, sel.dims); // never upsample
    }
    for (const id of ids) lanes.push({ id, W: await laneAt(inS(id) ? source : target, id, dims) });
  } else {
    throw new AsxError('usage', `merge mode must be overlay, blend or union`, { path: 'mode' });
  }

  const enc: EncodeOptions = {
    qscale: target.hasQscale,
    scales: target.hasQscale ? target.scales : undefined,
    audit: !!target.audit,
    laneAudits: target.audit?.lanes.length ?? 0,
    merkle: true,
    signKey: opts.signKey,
  };
  const res = encodePack(lanes, dims, enc);
  return { ...res, lanes, dims, mode: opts.mode };
}

