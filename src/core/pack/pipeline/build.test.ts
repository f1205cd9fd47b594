import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildLanes, type BuildResult } from './build.ts';
import { compareUtf8 } from '../../bytes/utf8.ts';
import { exactPackSize } from '../layout.ts';
import { AsxError, isAsxError } from '../../errors.ts';
import { exact, p17 } from './testutil.ts';

const DOC = { streams: { policy: [0.2, 0.4, 0.6, 0.8, 1.0, 1.2, 1.4, 1.6], attention: [1, 0.5, 0.25, 2, 1, 0.5, 0.25, 2] } };

function errorOf(f: () => unknown): AsxError {
  try {
    f();
  } catch (e) {
    if (isAsxError(e)) return e;
    throw e;
  }
  throw new Error('expected an AsxError');
}

function sizeOf(r: BuildResult): number {
  const c = r.report.config.pack;
  return exactPackSize({ ids: r.lanes.map((l) => l.id), dims: r.dims, ...c });
}

describe('L-WIRING buildLanes end to end', () => {
  const r = buildLanes(DOC);

  it('test vector: 2 streams → 40 candidates, dims 24, all 40 selected, 5119 bytes (≤ 5120)', () => {
    expect(r.report.candidates).toBe(40);
    expect(r.dims).toBe(24);
    expect(r.lanes.length).toBe(40);
    expect(r.report.packBytes).toBe(5119);
    expect(sizeOf(r)).toBe(5119);
    expect(r.report.stages.map((s) => [s.stage, s.emitted.length])).toEqual([
      ['streams', 2], ['expand', 8], ['decay', 2], ['presets', 6], ['preset-interactions', 3], ['matrix', 10], ['summaries', 9],
    ]);
  });

  it('test vector: lane weights', () => {
    const get = (id: string) => r.lanes.find((l) => l.id === id)!.W;
    const z = (n: number) => Array<number>(n).fill(0);
    expect(exact(get('policy'))).toEqual(p17([...z(7),
      0.028419250959745641, 0.050469462201043078, 0.064445768777399479, 0.072202647383389329,
      0.076193129216293662, 0.078165994772393166, 0.079122192176087944, 0.079581175964335324, ...z(9)]));
    expect(exact(get('attention@t*'))).toEqual(p17([0, 0.052477946730278204, 0.078578145804945931, ...z(21)]));
    expect(exact(get('policy@mid__x__attention@mid'))).toEqual(p17([...z(7), 0.055627054688465453, 0.073430234371063607, ...z(15)]));
  });

  it('boundary: budget 5119 keeps all 40 lanes; 5118 drops the lowest-priority one', () => {
    expect(buildLanes(DOC, { config: { budget: 5119 } }).report.packBytes).toBe(5119);
    const r2 = buildLanes(DOC, { config: { budget: 5118 } });
    expect(r2.lanes.length).toBe(39);
    expect(r2.report.dropped).toEqual([{ id: 'policy@t3__x__attention@row', reason: 'size' }]);
    expect(r2.report.packBytes).toBe(4990);
  });

  it('output lanes are sorted by UTF-8 id; report.selected is in priority order', () => {
    const ids = r.lanes.map((l) => l.id);
    expect(ids).toEqual([...ids].sort(compareUtf8));
    expect(r.report.selected.slice(0, 4)).toEqual(['attention', 'policy', 'attention@t0', 'attention@t1']);
  });

  it('unbounded: budget null or 0 → every lane at dims 64', () => {
    for (const budget of [null, 0]) {
      const u = buildLanes(DOC, { config: { budget } });
      expect(u.dims).toBe(64);
      expect(u.lanes.length).toBe(40);
      expect(u.report.budget).toBeNull();
      expect(u.report.packBytes).toBe(8319);
    }
    expect(buildLanes(DOC, { config: { budget: null, dims: 8 } }).dims).toBe(8);
  });

  it('config switches: matrix 4x4 / none, presets off, decay null, windows', () => {
    const count = (config: object) => buildLanes(DOC, { config: { budget: null, ...config } }).report.candidates;
    expect(count({ matrix: '4x4' })).toBe(40 - 10 + 16);
    expect(count({ matrix: 'none' })).toBe(40 - 10 - 9);
    expect(count({ presets: false })).toBe(40 - 6 - 3);
    expect(count({ presetInteractions: false })).toBe(40 - 3);
    expect(count({ decay: null })).toBe(38);
    expect(count({ summaries: false })).toBe(31);
    expect(count({ windows: 2 })).toBe(2 + 4 + 2 + 6 + 3 + 3 + (2 + 2 + 1));
  });

  it('interaction bases are configurable; a missing base is reported, not an error', () => {
    const doc = { streams: { Alpha: [1, 2, 3, 4], beta9: [4, 3, 2, 1] }, config: { a: 'beta9', b: 'Alpha', budget: null } };
    const b = buildLanes(doc);
    expect(b.lanes.some((l) => l.id === 'beta9@t0__x__Alpha@t3')).toBe(true);
    expect(b.report.missingBases).toEqual([]);
    expect(buildLanes({ streams: { x: [1] } }).report.missingBases).toEqual(['policy', 'attention']);
  });

  it('knobs: the spec example map; deciding keys and unused keys are reported', () => {
    const doc = { ...DOC, config: { amp: { 'policy@t*': 0.09, 'policy@t1__x__attention@t2': 0.06, '*': 0.08, 'nomatch*': 1 }, temp: { 'policy@t*': 0.65, '*': 0.7 } } };
    const k = buildLanes(doc).report;
    const by = (id: string) => k.knobs.find((x) => x.id === id)!;
    expect(by('policy@t1__x__attention@t2')).toEqual({ id: 'policy@t1__x__attention@t2', amp: 0.06, ampKey: 'policy@t1__x__attention@t2', temp: 0.65, tempKey: 'policy@t*' });
    expect(by('policy@t*')).toMatchObject({ amp: 0.09, ampKey: 'policy@t*' });
    expect(by('attention')).toMatchObject({ amp: 0.08, ampKey: '*', temp: 0.7, tempKey: '*' });
    expect(k.unusedKnobKeys).toEqual({ amp: ['nomatch*'], temp: [] });
  });

  it('knob values reach the weights: amp 0 silences a lane, a larger temp softens it', () => {
    const b = buildLanes({ ...DOC, config: { amp: { policy: 0, '*': 0.08 }, temp: { 'attention@t*': 70 } } });
    const get = (id: string) => Array.from(b.lanes.find((l) => l.id === id)!.W);
    expect(get('policy').every((w) => w === 0)).toBe(true);
    expect(get('policy@t0').some((w) => w !== 0)).toBe(true);
    const soft = get('attention@t*');
    expect(soft[1]).toBeGreaterThan(0);
    expect(soft[1]).toBeLessThan(0.052477946730278204 / 10); // ≈ amp·vec/temp, far from saturation
  });

  it('opts.config overrides the document config; pack options merge key by key', () => {
    const doc = { ...DOC, config: { budget: 9000, pack: { signed: false } } };
    const b = buildLanes(doc, { config: { pack: { merkle: false } } });
    expect(b.report.config.budget).toBe(9000);
    expect(b.report.config.pack).toEqual({ qscale: true, audit: true, laneAudits: 0, merkle: false, signed: false });
  });
});

describe('L-INPUT validation', () => {
  const cases: Array<[string, unknown, string, RegExp?]> = [
    ['not an object', [1], '$'],
    ['unknown top-level key', { streams: { a: [1] }, stream: {} }, '$.stream'],
    ['missing streams', { config: {} }, '$.streams'],
    ['streams not an object', { streams: [[1]] }, '$.streams'],
    ['empty streams object', { streams: {} }, '$.streams', /empty/],
    ['empty stream', { streams: { policy: [] } }, '$.streams.policy', /at least one/],
    ['stream not an array', { streams: { policy: 3 } }, '$.streams.policy'],
    ['non-number sample', { streams: { policy: [1, 2, 3, '4'] } }, '$.streams.policy[3]', /string/],
    ['null sample', { streams: { policy: [null] } }, '$.streams.policy[0]', /null/],
    ['NaN sample', { streams: { policy: [1, NaN] } }, '$.streams.policy[1]', /finite/],
    ['Infinity sample', { streams: { policy: [Infinity] } }, '$.streams.policy[0]', /finite/],
    ['huge sample', { streams: { policy: [1e13] } }, '$.streams.policy[0]'],
    ['hole in array', { streams: { policy: new Array(2) } }, '$.streams.policy[0]', /undefined/],
    ['name with @', { streams: { 'policy@t0': [1] } }, '$.streams["policy@t0"]'],
    ['name with *', { streams: { 'a*': [1] } }, '$.streams["a*"]'],
    ['name with __x__', { streams: { a__x__b: [1] } }, '$.streams.a__x__b', /separator/],
    ['empty name', { streams: { '': [1] } }, '$.streams[""]'],
    ['too long stream', { streams: { p: new Array(65537).fill(0) } }, '$.streams.p', /limit/],
    ['unknown config key', { streams: { a: [1] }, config: { window: 4 } }, '$.config.window', /unknown config key/],
    ['windows not integer', { streams: { a: [1] }, config: { windows: 2.5 } }, '$.config.windows'],
    ['windows too large', { streams: { a: [1] }, config: { windows: 17 } }, '$.config.windows'],
    ['decay 0', { streams: { a: [1] }, config: { decay: 0 } }, '$.config.decay'],
    ['presets string', { streams: { a: [1] }, config: { presets: 'yes' } }, '$.config.presets'],
    ['bad matrix', { streams: { a: [1] }, config: { matrix: 'full' } }, '$.config.matrix'],
    ['bad base', { streams: { a: [1] }, config: { a: 'x@y' } }, '$.config.a'],
    ['negative budget', { streams: { a: [1] }, config: { budget: -1 } }, '$.config.budget'],
    ['fractional budget', { streams: { a: [1] }, config: { budget: 5120.5 } }, '$.config.budget'],
    ['dims with a budget', { streams: { a: [1] }, config: { dims: 32 } }, '$.config.dims', /budget/],
    ['ladder ascending', { streams: { a: [1] }, config: { dimsLadder: [16, 32] } }, '$.config.dimsLadder'],
    ['ladder entry', { streams: { a: [1] }, config: { dimsLadder: [64, 'x'] } }, '$.config.dimsLadder[1]'],
    ['amp not object', { streams: { a: [1] }, config: { amp: 0.1 } }, '$.config.amp'],
    ['amp out of range', { streams: { a: [1] }, config: { amp: { 'policy@t*': 2 } } }, '$.config.amp["policy@t*"]'],
    ['temp zero', { streams: { a: [1] }, config: { temp: { '*': 0 } } }, '$.config.temp["*"]'],
    ['unknown pack option', { streams: { a: [1] }, config: { pack: { sign: true } } }, '$.config.pack.sign'],
    ['laneAudits fractional', { streams: { a: [1] }, config: { pack: { laneAudits: 1.5 } } }, '$.config.pack.laneAudits'],
    ['$schema not string', { streams: { a: [1] }, $schema: 1 }, '$.$schema'],
    ['budget too small', { streams: { a: [1] }, config: { budget: 100 } }, '$.config.budget', /smallest possible pack/],
  ];
  for (const [name, doc, path, msg] of cases) {
    it(`${name} → bad_input at ${path}`, () => {
      const e = errorOf(() => buildLanes(doc));
      expect(e.code).toBe('bad_input');
      expect(e.where.path).toBe(path);
      if (msg) expect(e.message).toMatch(msg);
    });
  }

  it('override errors carry the opts.config path', () => {
    expect(errorOf(() => buildLanes(DOC, { config: { windows: 0 } })).where.path).toBe('opts.config.windows');
  });

  it('absurd sizes fail before any allocation', () => {
    const many = Object.fromEntries(Array.from({ length: 1025 }, (_, i) => [`s${i}`, [1]]));
    expect(errorOf(() => buildLanes({ streams: many })).message).toMatch(/1025 streams exceed/);
    const big = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`s${i}`, new Array(65536).fill(0)]));
    expect(errorOf(() => buildLanes({ streams: big })).message).toMatch(/samples in all/);
    // an array-like with a giant length is not an array
    expect(errorOf(() => buildLanes({ streams: { p: { length: 1e12 } } })).where.path).toBe('$.streams.p');
  });

  it('uppercase, digits, dots and dashes in names are fine; $schema is allowed', () => {
    const b = buildLanes({ $schema: 'x', streams: { Policy2: [1, 2, 3, 4, 5], '9lives': [1], 'a.b-c_d': [0.5, 0.5] }, config: { budget: null } });
    expect(b.lanes.map((l) => l.id)).toContain('Policy2@t*');
    expect(b.lanes.map((l) => l.id)).toContain('9lives@t0');
    expect(b.lanes.map((l) => l.id)).toContain('a.b-c_d@late');
  });

  it('-0 samples are stored as +0', () => {
    const b = buildLanes({ streams: { p: [-0] }, config: { budget: null, dims: 1 } });
    for (const l of b.lanes) for (const w of l.W) expect(Object.is(w, -0)).toBe(false);
  });
});

const nameArb = fc.stringMatching(/^[A-Za-z0-9_.-]{1,10}$/).filter((s) => !s.includes('__x__'));
const sampleArb = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const docArb = fc.record({
  streams: fc.dictionary(fc.oneof(fc.constantFrom('policy', 'attention'), nameArb), fc.array(sampleArb, { minLength: 1, maxLength: 120 }), { minKeys: 1, maxKeys: 6 }),
  config: fc.record({
    windows: fc.integer({ min: 1, max: 8 }),
    matrix: fc.constantFrom('upper-tri', '4x4', 'none'),
    budget: fc.integer({ min: 300, max: 20000 }),
    pack: fc.record({ qscale: fc.boolean(), audit: fc.boolean(), laneAudits: fc.nat(10), merkle: fc.boolean(), signed: fc.boolean() }),
  }, { requiredKeys: [] }),
});

describe('properties of buildLanes', () => {
  it('within budget (exactPackSize), sorted, deterministic, independent of key order', () => {
    fc.assert(fc.property(docArb, (doc) => {
      const a = buildLanes(doc);
      const budget = a.report.budget ?? Infinity;
      expect(sizeOf(a)).toBe(a.report.packBytes);
      expect(a.report.packBytes).toBeLessThanOrEqual(budget);
      const ids = a.lanes.map((l) => l.id);
      expect(ids).toEqual([...ids].sort(compareUtf8));
      expect(new Set(ids).size).toBe(ids.length);
      for (const l of a.lanes) {
        expect(l.W.length).toBe(a.dims);
        for (const w of l.W) expect(Number.isFinite(w)).toBe(true);
      }
      const reversed = { config: doc.config, streams: Object.fromEntries(Object.entries(doc.streams).reverse()) };
      const b = buildLanes(JSON.parse(JSON.stringify(reversed)));
      expect(b.dims).toBe(a.dims);
      expect(b.lanes.map((l) => [l.id, Array.from(l.W)])).toEqual(a.lanes.map((l) => [l.id, Array.from(l.W)]));
      expect(b.report).toEqual(a.report);
    }), { numRuns: 300 });
  });

  it('the default 5120 budget always holds (many random documents)', () => {
    fc.assert(fc.property(docArb, (doc) => {
      const r = buildLanes({ streams: doc.streams });
      expect(r.report.packBytes).toBeLessThanOrEqual(5120);
      expect(sizeOf(r)).toBeLessThanOrEqual(5120);
      for (const l of r.lanes) for (const w of l.W) expect(Math.abs(w)).toBeLessThanOrEqual(0.08);
    }), { numRuns: 500 });
  });
});
