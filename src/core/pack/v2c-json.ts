/**
 * The `weights.v2c` JSON form (packs spec "SCXQ2 Lane ID Compression v1.0" §4, §9):
 * `{version, dims, bias, dict, lanes: {sym: {W}}, meta}`, its canonical hash
 * sha256(JCS({dict, lanes, dims, bias, meta})), a strict validating reader and the decoder
 * from a binary pack. Optional `qscale` carries a pack's stored scales so that re-encoding a
 * decoded pack quantizes to the same integers (laws L-V2C).
 */
import { AsxError } from '../errors.ts';
import { toHex } from '../bytes/hex.ts';
import { sha256 } from '../hash/sha256.ts';
import { canonicalJsonBytes } from '../json/jcs.ts';
import { CLASS_ORDER, type LaneClass } from './classes.ts';
import { buildLaneDict, laneDictFromObject } from './dict.ts';
import { f32ToShortest } from './quant.ts';
import { MAX_DIMS, MAX_LANES } from './layout.ts';
import type { LaneInput } from './write.ts';
import type { PackReader } from './read.ts';

export interface WeightsV2c {
  version: 'weights.v2c';
  dims: number;
  bias: number;
  dict: Record<string, string>;
  lanes: Record<string, { W: number[] }>;
  meta: Record<string, unknown>;
  qscale?: Record<LaneClass, number>;
}

export function v2cHash(doc: WeightsV2c): string {
  return toHex(sha256(canonicalJsonBytes({ dict: doc.dict, lanes: doc.lanes, dims: doc.dims, bias: doc.bias, meta: doc.meta })));
}

export function makeV2c(lanes: readonly LaneInput[], dims: number, bias = 0, meta: Record<string, unknown> = { law: 'lane-dict-scxq2' }): WeightsV2c {
  const d = buildLaneDict(lanes.map((l) => l.id));
  const byId = new Map(lanes.map((l) => [l.id, l]));
  const out: Record<string, { W: number[] }> = {};
  d.ids.forEach((id) => { out[d.rev.get(id)!] = { W: Array.from(byId.get(id)!.W) }; });
  return { version: 'weights.v2c', dims, bias, dict: d.dict, lanes: out, meta };
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Validate untrusted JSON as weights.v2c; returns lanes keyed by expanded id. */
export function parseV2c(doc: unknown): { doc: WeightsV2c; lanes: LaneInput[] } {
  const bad = (msg: string, path: string): never => { throw new AsxError('bad_input', msg, { path }); };
  if (!isObj(doc)) bad('a weights.v2c document is a JSON object', '$');
  const d = doc as Record<string, unknown>;
  if (d.version !== 'weights.v2c') bad(`version must be "weights.v2c"`, '$.version');
  if (!Number.isInteger(d.dims) || (d.dims as number) < 1 || (d.dims as number) > MAX_DIMS) bad(`dims must be an integer in 1..${MAX_DIMS}`, '$.dims');
  const dims = d.dims as number;
  const bias = d.bias ?? 0;
  if (typeof bias !== 'number' || !Number.isFinite(bias)) bad('bias must be a finite number', '$.bias');
  if (!isObj(d.dict)) bad('dict must be an object of symbol → lane id', '$.dict');
  if (!isObj(d.lanes)) bad('lanes must be an object of symbol → {W}', '$.lanes');
  const meta = d.meta ?? {};
  if (!isObj(meta)) bad('meta must be an object', '$.meta');
  const n = Object.keys(d.dict as object).length;
  if (n > MAX_LANES) bad(`${n} lanes exceed the format's limit of ${MAX_LANES}`, '$.dict');
  let dict;
  try { dict = laneDictFromObject(d.dict, n); } catch (e) { throw new AsxError('bad_input', (e as Error).message, { path: `$.dict${(e as AsxError).where?.path ? '.' + (e as AsxError).where.path : ''}` }); }
  const lanesObj = d.lanes as Record<string, unknown>;
  const lanes: LaneInput[] = [];
  for (const sym of Object.keys(lanesObj)) if (!(sym in dict.dict)) bad(`lane ${sym} is not in dict`, `$.lanes.${sym}`);
  for (let i = 0; i < dict.ids.length; i++) {
    const sym = dict.rev.get(dict.ids[i])!;
    const lane = lanesObj[sym];
    if (!isObj(lane) || !Array.isArray(lane.W)) bad(`lane ${sym} needs a W array`, `$.lanes.${sym}.W`);
    const W = (lane as { W: unknown[] }).W;
    if (W.length !== dims) bad(`lane ${sym} has ${W.length} weights, dims is ${dims}`, `$.lanes.${sym}.W`);
    for (let k = 0; k < W.length; k++) if (typeof W[k] !== 'number' || !Number.isFinite(W[k] as number)) bad('weight is not a finite number', `$.lanes.${sym}.W[${k}]`);
    lanes.push({ id: dict.ids[i], W: W as number[] });
  }
  let qscale: Record<LaneClass, number> | undefined;
  if (d.qscale !== undefined) {
    if (!isObj(d.qscale)) bad('qscale must be an object of class → scale', '$.qscale');
    qscale = {} as Record<LaneClass, number>;
    for (const c of CLASS_ORDER) {
      const s = (d.qscale as Record<string, unknown>)[c];
      if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) bad(`qscale.${c} must be a positive number`, `$.qscale.${c}`);
      qscale[c] = s as number;
    }
  }
  return { doc: { version: 'weights.v2c', dims, bias: bias as number, dict: dict.dict, lanes: lanesObj as WeightsV2c['lanes'], meta: meta as Record<string, unknown>, qscale }, lanes };
}

/** Decode a binary pack back to weights.v2c (reads every lane, each hash-checked). */
export async function decodeToV2c(r: PackReader): Promise<WeightsV2c> {
  const lanes: Record<string, { W: number[] }> = {};
  for (let i = 0; i < r.ids.length; i++) {
    const lane = await r.getLane(i);
    lanes[lane.sym] = { W: Array.from(lane.W) };
  }
  const doc: WeightsV2c = {
    version: 'weights.v2c', dims: r.header.dims, bias: 0, dict: { ...r.dict.dict }, lanes,
    meta: { law: 'lane-dict-scxq2', decoded_from: 'weights.v2c-bin', format_version: `${r.header.version >> 8}.${r.header.version & 0xff}` },
  };
  if (r.hasQscale) {
    doc.qscale = {} as Record<LaneClass, number>;
    for (const c of CLASS_ORDER) doc.qscale[c] = f32ToShortest(r.scales[c]);
  }
  return doc;
}
