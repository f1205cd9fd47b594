/**
 * buildLanes: streams document → selected, folded, synthesized lanes (law L-WIRING).
 *
 * Canonical wiring order (packs spec "Canonical wiring order" and "Adaptive Dims" §5):
 *   expand → decay → presets → preset interactions → matrix (upper-tri 10) → summaries
 *   → budget + dims → fold → synthesize (with knobs amp/temp)
 * Folding happens after dims are chosen (spec "Adaptive Dims" §5: "Folding must happen
 * after dims selection"), and only for selected lanes.
 *
 * Input streams are ordered by name (UTF-8) before emission, so nothing — not even the
 * report's emission lists — depends on the document's key order. Output lanes are sorted
 * by compareUtf8 of their id (the DICT order of the pack writer).
 */
import { compareUtf8 } from '../../bytes/utf8.ts';
import { AsxError, isAsxError } from '../../errors.ts';
import { classOffsets } from '../classes.ts';
import { selectLanes, type DroppedLane } from './budget.ts';
import { bad, isPlainObject, pathKey, resolveConfig, validateConfig, validateStreams, type ConfigPatch, type PipelineConfig } from './config.ts';
import { emitCombinedTemporalLanesDecay } from './decay.ts';
import { foldLaneWeighted } from './fold.ts';
import { emitInteractionMatrix4x4, emitInteractionUpperTri10, emitPresetInteractions } from './interactions.ts';
import { DEFAULT_AMP, DEFAULT_TEMP, resolveKnob } from './knobs.ts';
import { emitSemanticPresets } from './presets.ts';
import { emitMatrixSummaries } from './summaries.ts';
import { synthesizeLane } from './synthesis.ts';
import { expandTemporalLanes } from './temporal.ts';
import type { LaneStreams } from './streams.ts';

export type { PipelineConfig } from './config.ts';

export interface BuildOptions {
  /** A config object whose keys override the document's `config` (same validation; paths start at `opts.config`). */
  config?: unknown;
}

export interface BuiltLane {
  id: string;
  W: Float64Array;
}

export type StageName = 'streams' | 'expand' | 'decay' | 'presets' | 'preset-interactions' | 'matrix' | 'summaries';

export interface LaneKnobs {
  id: string;
  amp: number;
  /** Deciding knob key, null = built-in default. */
  ampKey: string | null;
  temp: number;
  tempKey: string | null;
}

export interface BuildReport {
  config: PipelineConfig;
  /** Lanes each stage added, in emission order ('streams' = the input streams). */
  stages: Array<{ stage: StageName; emitted: string[] }>;
  /** Configured interaction bases that are not input streams (their interactions are skipped). */
  missingBases: string[];
  candidates: number;
  /** Selected lane ids in priority order (tier, then UTF-8). */
  selected: string[];
  dropped: DroppedLane[];
  /** Lanes kept by the selection cap; equals candidates when unbounded. */
  capped: number;
  /** dims the spec's formula picks for the capped set, before the exact-size guard. */
  estimateDims: number;
  dims: number;
  budget: number | null;
  /** exactPackSize of the selected lanes with the configured pack options. */
  packBytes: number;
  /** Per selected lane, sorted by compareUtf8 of id. */
  knobs: LaneKnobs[];
  /** Knob keys that decided no selected lane. */
  unusedKnobKeys: { amp: string[]; temp: string[] };
}

export interface BuildResult {
  dims: number;
  /** Sorted by compareUtf8 of id. */
  lanes: BuiltLane[];
  report: BuildReport;
}

const TOP_KEYS = ['streams', 'config', '$schema'];

/** Validate the document and the override; returns the input streams and resolved config. */
export function parseStreamsDocument(input: unknown, opts: BuildOptions = {}): { streams: Array<[string, Float64Array]>; config: PipelineConfig } {
  if (!isPlainObject(input)) throw bad('the document must be an object {"streams": {...}, "config": {...}}', '$');
  for (const k of Object.keys(input)) {
    if (!TOP_KEYS.includes(k)) throw bad(`unknown key ${JSON.stringify(k)} (known: streams, config, $schema)`, pathKey('$', k));
  }
  if (input.$schema !== undefined && typeof input.$schema !== 'string') throw bad('$schema must be a string', '$.$schema');
  if (!('streams' in input)) throw bad('missing "streams"', '$.streams');
  const streams = validateStreams(input.streams, '$.streams');
  const patches: Array<{ patch: ConfigPatch; path: string }> = [];
  if (input.config !== undefined) patches.push({ patch: validateConfig(input.config, '$.config'), path: '$.config' });
  if (opts.config !== undefined) patches.push({ patch: validateConfig(opts.config, 'opts.config'), path: 'opts.config' });
  return { streams, config: resolveConfig(patches) };
}

/** Runs the emission stages in the canonical order; returns the final lane set and what each stage added. */
export function emitLanes(input: LaneStreams, cfg: PipelineConfig): { lanes: LaneStreams; stages: BuildReport['stages'] } {
  const stages: BuildReport['stages'] = [{ stage: 'streams', emitted: [...input.keys()] }];
  let cur: LaneStreams = input;
  const step = (stage: StageName, f: (s: LaneStreams) => LaneStreams): void => {
    const next = f(cur);
    stages.push({ stage, emitted: [...next.keys()].filter((id) => !cur.has(id)) });
    cur = next;
  };
  const { a, b, windows } = cfg;
  step('expand', (s) => expandTemporalLanes(s, windows));
  if (cfg.decay !== null) { const r = cfg.decay; step('decay', (s) => emitCombinedTemporalLanesDecay(s, r)); }
  if (cfg.presets) {
    step('presets', (s) => emitSemanticPresets(s));
    if (cfg.presetInteractions) step('preset-interactions', (s) => emitPresetInteractions(s, a, b));
  }
  if (cfg.matrix !== 'none') {
    step('matrix', (s) => (cfg.matrix === '4x4' ? emitInteractionMatrix4x4(s, a, b, windows) : emitInteractionUpperTri10(s, a, b, windows)));
    if (cfg.summaries) step('summaries', (s) => emitMatrixSummaries(s, a, b));
  }
  return { lanes: cur, stages };
}

/** selectLanes names config fields bare (`budget`); point them into the streams document */
function withConfigPath<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (isAsxError(e) && e.where.path !== undefined && !e.where.path.startsWith('$')) {
      throw new AsxError(e.code, e.message, { ...e.where, path: pathKey('$.config', e.where.path) });
    }
    throw e;
  }
}

export function buildLanes(input: unknown, opts: BuildOptions = {}): BuildResult {
  const { streams, config: cfg } = parseStreamsDocument(input, opts);
  const { lanes: all, stages } = emitLanes(new Map(streams), cfg);

  const sel = withConfigPath(() => selectLanes(all.keys(), { budget: cfg.budget, ladder: cfg.dimsLadder, dims: cfg.dims, pack: cfg.pack }));
  const dims = sel.dims;
  const offsets = classOffsets(dims);
  const ids = [...sel.selected].sort(compareUtf8);
  const usedAmp = new Set<string>();
  const usedTemp = new Set<string>();
  const knobs: LaneKnobs[] = [];
  const lanes: BuiltLane[] = ids.map((id) => {
    const vec = foldLaneWeighted(all.get(id)!, id, dims, offsets);
    const amp = resolveKnob(cfg.amp, id, DEFAULT_AMP);
    const temp = resolveKnob(cfg.temp, id, DEFAULT_TEMP);
    if (amp.key !== null) usedAmp.add(amp.key);
    if (temp.key !== null) usedTemp.add(temp.key);
    knobs.push({ id, amp: amp.value, ampKey: amp.key, temp: temp.value, tempKey: temp.key });
    return { id, W: synthesizeLane(vec, amp.value, temp.value) };
  });

  const names = new Set(streams.map(([n]) => n));
  const wantsPairs = cfg.matrix !== 'none' || (cfg.presets && cfg.presetInteractions);
  const report: BuildReport = {
    config: cfg,
    stages,
    missingBases: wantsPairs ? [...new Set([cfg.a, cfg.b])].filter((n) => !names.has(n)) : [],
    candidates: all.size,
    selected: sel.selected,
    dropped: sel.dropped,
    capped: sel.capped,
    estimateDims: sel.estimateDims,
    dims,
    budget: cfg.budget,
    packBytes: sel.packBytes,
    knobs,
    unusedKnobKeys: {
      amp: Object.keys(cfg.amp).filter((k) => !usedAmp.has(k)).sort(compareUtf8),
      temp: Object.keys(cfg.temp).filter((k) => !usedTemp.has(k)).sort(compareUtf8),
    },
  };
  return { dims, lanes, report };
}
