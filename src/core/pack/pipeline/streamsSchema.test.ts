import { describe, expect, it } from 'vitest';
import { streamsSchema } from './streamsSchema.ts';
import { CONFIG_KEYS, DEFAULT_CONFIG } from './config.ts';
import { buildLanes } from './build.ts';

// ajv 6 (draft-07) is only present as eslint's dependency; the cross-check runs when it is there.
type Validate = ((doc: unknown) => boolean) & { errors?: unknown };
let validate: Validate | null = null;
try {
  const mod = (await import('ajv')) as unknown as { default: new (o: object) => { compile(s: object): Validate } };
  validate = new mod.default({ allErrors: true }).compile(streamsSchema as unknown as object);
} catch {
  validate = null;
}

describe('streamsSchema', () => {
  it('lists exactly the config keys and their defaults', () => {
    const props = streamsSchema.properties.config.properties as Record<string, { default?: unknown }>;
    expect(Object.keys(props).sort()).toEqual([...CONFIG_KEYS].sort());
    for (const k of CONFIG_KEYS) {
      if (k === 'pack') continue;
      expect(props[k].default, k).toEqual((DEFAULT_CONFIG as unknown as Record<string, unknown>)[k]);
    }
    const pack = streamsSchema.properties.config.properties.pack.properties as Record<string, { default: unknown }>;
    expect(Object.fromEntries(Object.entries(pack).map(([k, v]) => [k, v.default]))).toEqual(DEFAULT_CONFIG.pack);
  });

  it('is plain JSON (survives a JSON round trip)', () => {
    expect(JSON.parse(JSON.stringify(streamsSchema))).toEqual(streamsSchema);
  });

  const docs: unknown[] = [
    { streams: { policy: [1, 2, 3] } },
    { $schema: 's', streams: { Policy2: [0.5] }, config: { windows: 3, decay: null, matrix: '4x4', budget: null, dims: 8, amp: { '*': 0.1 } } },
    { streams: {} },
    { streams: { 'a@b': [1] } },
    { streams: { a__x__b: [1] } },
    { streams: { a: [] } },
    { streams: { a: ['1'] } },
    { streams: { a: [1] }, config: { windows: 0 } },
    { streams: { a: [1] }, config: { nope: 1 } },
    { streams: { a: [1] }, config: { matrix: 'full' } },
    { streams: { a: [1] }, config: { amp: { '*': 2 } } },
    { streams: { a: [1] }, config: { pack: { laneAudits: -1 } } },
    { streams: { a: [1] }, extra: 1 },
  ];
  it.skipIf(validate === null)('accepts and rejects the same documents as buildLanes (ajv draft-07)', () => {
    for (const d of docs) {
      let ok = true;
      try {
        buildLanes(d);
      } catch {
        ok = false;
      }
      expect(validate!(d), JSON.stringify(d)).toBe(ok);
    }
  });
});
