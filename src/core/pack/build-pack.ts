/**
 * The whole pipeline from a lane-streams document to `weights.v2c-bin` bytes (packs spec
 * "Canonical wiring order": emit → budget + adaptive dims → fold → synthesize → knobs →
 * DICT → quantize/audit/tune → merkle → sign), plus the `weights.v2c` JSON of the result.
 */
import { buildLanes, type BuildReport } from './pipeline/build.ts';
import { encodePack, type EncodeResult } from './write.ts';
import { makeV2c, type WeightsV2c } from './v2c-json.ts';

export interface BuildPackOptions {
  signKey?: Uint8Array;
  /** Config overrides on top of the document's `config`. */
  config?: unknown;
}

export interface BuiltPack extends EncodeResult {
  dims: number;
  report: BuildReport;
  v2c: WeightsV2c;
}

export function buildPack(doc: unknown, opts: BuildPackOptions = {}): BuiltPack {
  const built = buildLanes(doc, { config: opts.config });
  const pack = built.report.config.pack;
  const enc = encodePack(built.lanes, built.dims, {
    qscale: pack.qscale, audit: pack.audit, laneAudits: pack.laneAudits, merkle: pack.merkle, signKey: opts.signKey,
  });
  const v2c = makeV2c(built.lanes, built.dims, 0, { law: 'lane-dict-scxq2', compiler: 'asx-workbench' });
  if (pack.qscale) v2c.qscale = enc.scales;
  return { ...enc, dims: built.dims, report: built.report, v2c };
}
