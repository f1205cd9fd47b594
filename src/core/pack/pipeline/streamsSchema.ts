/**
 * JSON Schema (draft-07, what Monaco's JSON language service speaks) of the streams
 * document that buildLanes accepts. It mirrors config.ts; config.test.ts checks the two
 * agree on keys, defaults and bounds. buildLanes remains the authority (it also checks
 * limits a schema cannot express, such as the total sample count).
 */
import { MAX_DIMS, MAX_LANES } from '../layout.ts';
import { DEFAULT_CONFIG, LIMITS } from './config.ts';
import { MAX_WINDOWS } from './temporal.ts';

const knobMap = (description: string, minimum: number, maximum: number, def: Record<string, number>) => ({
  type: 'object',
  description,
  maxProperties: LIMITS.maxKnobKeys,
  propertyNames: { minLength: 1, maxLength: LIMITS.maxKnobKeyLength },
  additionalProperties: { type: 'number', minimum, maximum },
  default: def,
});

const nameSchema = {
  type: 'string',
  minLength: 1,
  maxLength: LIMITS.maxNameLength,
  pattern: '^(?!.*__x__)[A-Za-z0-9_.-]+$',
};

export const streamsSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://asx.local/schemas/streams.v1.json',
  title: 'ASX lane streams document',
  description: 'Base streams and pipeline config for buildLanes (docs/laws.md, "Lane pipeline laws").',
  type: 'object',
  required: ['streams'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    streams: {
      type: 'object',
      description: 'Base stream name → samples. Each stream is cut into `windows` temporal windows.',
      minProperties: 1,
      maxProperties: LIMITS.maxStreams,
      propertyNames: nameSchema,
      additionalProperties: {
        type: 'array',
        minItems: 1,
        maxItems: LIMITS.maxStreamLength,
        items: { type: 'number', minimum: -LIMITS.maxAbsValue, maximum: LIMITS.maxAbsValue },
      },
    },
    config: {
      type: 'object',
      additionalProperties: false,
      properties: {
        windows: { type: 'integer', minimum: 1, maximum: MAX_WINDOWS, default: DEFAULT_CONFIG.windows, description: 'K contiguous windows <base>@t0..t{K-1} (law L-WINDOWS).' },
        decay: { type: ['number', 'null'], exclusiveMinimum: 0, maximum: 1, default: DEFAULT_CONFIG.decay, description: 'Retention r: window j weighs r^(m-1-j) in <base>@t*; null = no decay lane (law L-DECAY).' },
        presets: { type: 'boolean', default: DEFAULT_CONFIG.presets, description: 'Emit <base>@early/@mid/@late (law L-PRESETS).' },
        presetInteractions: { type: 'boolean', default: DEFAULT_CONFIG.presetInteractions, description: 'Emit the 3 preset interactions a@early⊗b@late, a@mid⊗b@mid, a@late⊗b@early.' },
        a: { ...nameSchema, default: DEFAULT_CONFIG.a, description: 'Interaction base A.' },
        b: { ...nameSchema, default: DEFAULT_CONFIG.b, description: 'Interaction base B.' },
        matrix: { enum: ['upper-tri', '4x4', 'none'], default: DEFAULT_CONFIG.matrix, description: 'Temporal interaction matrix A@t<i> ⊗ B@t<j>: j >= i only, all K×K, or none.' },
        summaries: { type: 'boolean', default: DEFAULT_CONFIG.summaries, description: 'Emit row/column/global matrix summaries.' },
        budget: { type: ['integer', 'null'], minimum: 0, maximum: LIMITS.maxBudget, default: DEFAULT_CONFIG.budget, description: `Pack byte budget; null or 0 = unbounded (up to ${MAX_LANES} lanes).` },
        dims: { type: ['integer', 'null'], minimum: 1, maximum: MAX_DIMS, default: null, description: 'Fixed dims; only with "budget": null (default 64).' },
        dimsLadder: { type: 'array', items: { type: 'integer', minimum: 1, maximum: MAX_DIMS }, minItems: 1, maxItems: 16, default: DEFAULT_CONFIG.dimsLadder, description: 'Strictly descending adaptive dims ladder; the last entry is the floor.' },
        amp: knobMap('Amplitude knob: exact lane id or glob (* = any run) → amp in [0, 1]. Exact id beats glob; more literal characters beat fewer.', 0, 1, DEFAULT_CONFIG.amp),
        temp: knobMap('Temperature knob: W = amp·tanh(vec/temp).', LIMITS.minTemp, LIMITS.maxTemp, DEFAULT_CONFIG.temp),
        pack: {
          type: 'object',
          additionalProperties: false,
          description: 'Pack sections that count against the budget.',
          properties: {
            qscale: { type: 'boolean', default: DEFAULT_CONFIG.pack.qscale },
            audit: { type: 'boolean', default: DEFAULT_CONFIG.pack.audit },
            laneAudits: { type: 'integer', minimum: 0, maximum: MAX_LANES, default: DEFAULT_CONFIG.pack.laneAudits },
            merkle: { type: 'boolean', default: DEFAULT_CONFIG.pack.merkle },
            signed: { type: 'boolean', default: DEFAULT_CONFIG.pack.signed },
          },
        },
      },
    },
  },
} as const;
