import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AsxError } from '../errors.ts';
import { toHex } from '../bytes/hex.ts';
import { utf8 } from '../bytes/utf8.ts';
import { sha256 } from '../hash/sha256.ts';
import { canonicalJsonBytes } from '../json/jcs.ts';
import { openFoldBundle, verifyFoldBundle, writeFoldBundle } from './bundle.ts';
import type { FoldV1 } from './fold.ts';
import { CANONICAL_FOLD } from './fixtures.ts';
import { dequantize, encodeTensorRecord, QFORMS } from './qrecord.ts';

// docs/laws.md F-BUNDLE vector.
const T1: FoldV1 = {
  fold_id: 't1', version: '1.0.0', model_base: 'mx2lm-demo', mx2gym_format: 'fold.v1',
  '@data': { deltas: [{ layer: 'out.bias', encoding: 'scxq2', ref: 'scxq2://t1/out.bias.delta', scale: 1 }] },
  '@control': { apply: 'always', priority: 0, mode: 'additive' },
};
const T1_REC = encodeTensorRecord(Float32Array.of(0.5, -1), [2], 'int8');
const T1_INDEX = '{"entries":[{"hash":"sha256:8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4","length":2,"name":"a.txt","offset":0},'
  + '{"hash":"sha256:8c82d14d197d63fa6f5ec228bd4d20c5fbb875b8b58c682bd8a1753c2f614e57","length":51,"name":"out.bias.delta","offset":2}],'
  + '"fold":{"@control":{"apply":"always","mode":"additive","priority":0},"@data":{"deltas":[{"encoding":"scxq2","layer":"out.bias","ref":"scxq2://t1/out.bias.delta","scale":1}]},'
  + '"fold_id":"t1","model_base":"mx2lm-demo","mx2gym_format":"fold.v1","version":"1.0.0"},"format":"asx.fold-bundle.v1"}';
const T1_HASH = 'sha256:a30c20878c5b5affda7f3359e382beeb8e520bab04a8805400717fe5690b316c';

const t1 = () => writeFoldBundle(T1, [{ name: 'out.bias.delta', bytes: T1_REC }, { name: 'a.txt', bytes: utf8('hi') }]);

function err(f: () => unknown): AsxError {
  try { f(); } catch (e) { if (e instanceof AsxError) return e; throw e; }
  throw new Error('no error');
}

describe('F-BUNDLE vector', () => {
  it('bytes: magic, index length, canonical index, data in name order, trailer', () => {
    const b = t1();
    expect(toHex(T1_REC)).toBe('5351325201040100020000000402013c408120120ad8022a0de8311823a2084bc6c7ad5739f61b1a29faf76d48c5b1bbaa703b');
    expect(b.length).toBe(650);
    expect(toHex(b.subarray(0, 12))).toBe('415358464f4c443129020000');
    expect(new TextDecoder().decode(b.subarray(12, 12 + 553))).toBe(T1_INDEX);
    expect(toHex(b.subarray(565, 567))).toBe(toHex(utf8('hi')));
    expect(b.subarray(567, 618)).toEqual(T1_REC);
    expect(`sha256:${toHex(b.subarray(618))}`).toBe(T1_HASH);
    expect(`sha256:${toHex(sha256(b.subarray(0, 618)))}`).toBe(T1_HASH);
    const o = openFoldBundle(b);
    expect(o.bundleHash).toBe(T1_HASH);
    expect(o.fold).toEqual(T1);
    expect(o.entries.map((e) => [e.name, e.offset, e.length])).toEqual([['a.txt', 0, 2], ['out.bias.delta', 2, 51]]);
    expect(verifyFoldBundle(b)).toEqual({ ok: true, bundleHash: T1_HASH, problems: [] });
    expect([...dequantize(o.resolveRecord('scxq2://t1/out.bias.delta').record)]).toEqual([64 * Math.fround(1 / 127), -1]);
  });
  it('the same fold and entries in any order give the same bytes', () => {
    const a = t1();
    const b = writeFoldBundle(JSON.parse(JSON.stringify(T1)) as FoldV1, [{ name: 'a.txt', bytes: utf8('hi') }, { name: 'out.bias.delta', bytes: Uint8Array.from(T1_REC) }]);
    expect(b).toEqual(a);
  });
});

describe('F-BUNDLE resolver', () => {
  const b = t1();
  const o = openFoldBundle(b);
  it('resolves refs of its fold; refuses other folds, missing names, traversal', () => {
    expect(o.resolve('scxq2://t1/a.txt')).toEqual(utf8('hi'));
    expect(err(() => o.resolve('scxq2://t2/a.txt')).code).toBe('bad_ref');
    expect(err(() => o.resolve('scxq2://t1/b.txt')).code).toBe('bad_ref');
    expect(err(() => o.resolve('scxq2://t1/../a.txt')).code).toBe('bad_ref');
    expect(err(() => o.resolveRecord('scxq2://t1/a.txt')).code).toBe('bad_magic');
  });
  it('a corrupted entry is refused on resolve and named by verify', () => {
    const c = Uint8Array.from(b);
    c[567 + 20] ^= 1; // inside out.bias.delta
    const oc = openFoldBundle(c);
    const e = err(() => oc.resolve('scxq2://t1/out.bias.delta'));
    expect([e.code, e.where.offset, e.where.path]).toEqual(['hash_mismatch', 567, 'out.bias.delta']);
    const v = verifyFoldBundle(c);
    expect(v.ok).toBe(false);
    expect(v.problems.map((p) => [p.code, p.entry ?? null])).toEqual([['hash_mismatch', null], ['hash_mismatch', 'out.bias.delta']]);
  });
  it('verify names a referenced entry that is not a §2 record', () => {
    const f: FoldV1 = { ...T1, '@data': { deltas: [{ layer: 'x', encoding: 'scxq2', ref: 'scxq2://t1/a.txt' }] } };
    const v = verifyFoldBundle(writeFoldBundle(f, [{ name: 'a.txt', bytes: utf8('hi') }]));
    expect(v.problems).toEqual([expect.objectContaining({ code: 'bad_magic', entry: 'a.txt', path: '$.fold["@data"].deltas[0].ref' })]);
  });
});

describe('F-BUNDLE writer and opener refuse', () => {
  it('writer: missing refs, bad names, duplicates, bad folds', () => {
    expect(err(() => writeFoldBundle(T1, [])).code).toBe('bad_ref');
    expect(err(() => writeFoldBundle(T1, [{ name: 'out.bias.delta', bytes: T1_REC }, { name: '../x', bytes: T1_REC }])).code).toBe('bad_ref');
    expect(err(() => writeFoldBundle(T1, [{ name: 'out.bias.delta', bytes: T1_REC }, { name: 'out.bias.delta', bytes: T1_REC }])).code).toBe('bad_input');
    expect(err(() => writeFoldBundle({ ...T1, fold_id: 'x/y' }, [])).code).toBe('bad_fold');
  });
  const good = t1();
  /** Rebuild a bundle around a replaced index (re-sealed trailer) to reach the checks behind it. */
  const withIndex = (index: unknown, data = good.subarray(565, 618)) => {
    const ib = typeof index === 'string' ? utf8(index) : canonicalJsonBytes(index);
    const out = new Uint8Array(12 + ib.length + data.length + 32);
    out.set(utf8('ASXFOLD1')); new DataView(out.buffer).setUint32(8, ib.length, true);
    out.set(ib, 12); out.set(data, 12 + ib.length);
    out.set(sha256(out.subarray(0, out.length - 32)), out.length - 32);
    return out;
  };
  const idx = () => JSON.parse(T1_INDEX) as { entries: Array<Record<string, unknown>>; fold: Record<string, unknown>; format: string };
  const cases: Array<[string, () => Uint8Array, string, number | undefined, string | undefined]> = [
    ['magic', () => Uint8Array.of(0x41, 0x53, 0x59), 'bad_magic', 2, undefined],
    ['short', () => good.subarray(0, 40), 'truncated', 40, undefined],
    ['index length lie', () => { const c = Uint8Array.from(good); c[10] = 0x10; return c; }, 'truncated', 8, undefined],
    ['huge index length', () => { const c = Uint8Array.from(good); c[11] = 0xff; return c; }, 'bad_bundle', 8, undefined],
    ['not canonical', () => withIndex(T1_INDEX.replace('{"entries"', '{ "entries"')), 'bad_bundle', 12, undefined],
    ['format', () => withIndex({ ...idx(), format: 'x' }), 'bad_bundle', 12, '$.format'],
    ['extra member', () => withIndex({ ...idx(), more: 1 }), 'bad_bundle', 12, '$'],
    ['order', () => { const i = idx(); i.entries.reverse(); return withIndex(i); }, 'bad_bundle', 12, '$.entries[0].offset'],
    ['gap', () => { const i = idx(); i.entries[1].offset = 3; return withIndex(i); }, 'bad_bundle', 12, '$.entries[1].offset'],
    ['overrun', () => { const i = idx(); i.entries[1].length = 52; return withIndex(i); }, 'bad_bundle', 12, '$.entries[1].length'],
    ['orphan bytes', () => { const i = idx(); i.entries[1].length = 50; return withIndex(i); }, 'bad_bundle', 12 + 553 + 52, undefined],
    ['hash form', () => { const i = idx(); i.entries[0].hash = 'sha256:AB'; return withIndex(i); }, 'bad_bundle', 12, '$.entries[0].hash'],
    ['traversal name', () => { const i = idx(); i.entries[0].name = '..'; return withIndex(i); }, 'bad_bundle', 12, '$.entries[0].name'],
    ['bad fold', () => { const i = idx(); (i.fold['@control'] as Record<string, unknown>).mode = 'x'; return withIndex(i); }, 'bad_fold', 12, '$.fold["@control"].mode'],
  ];
  for (const [name, make, code, offset, path] of cases) {
    it(`opener: ${name}`, () => {
      const b = make();
      const e = err(() => openFoldBundle(b));
      expect([e.code, e.where.offset, e.where.path]).toEqual([code, offset, path]);
      const v = verifyFoldBundle(b);
      expect(v.ok).toBe(false);
      expect(v.problems[0].code).toBe(code);
    });
  }
  it('verify reports a missing ref (index edited, re-sealed) without throwing', () => {
    const i = idx();
    i.entries = [i.entries[0]];
    const v = verifyFoldBundle(withIndex(i, good.subarray(565, 567)));
    expect(v.problems).toEqual([expect.objectContaining({ code: 'missing_ref', entry: 'out.bias.delta', path: '$.fold["@data"].deltas[0].ref' })]);
  });
});

describe('F-BUNDLE properties', () => {
  it('round trip over the canonical fold with random records; every byte flip is caught by verify', () => {
    fc.assert(fc.property(
      fc.array(fc.float({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 12 }),
      fc.constantFrom(...QFORMS), fc.nat(), fc.integer({ min: 0, max: 7 }),
      (xs, form, at, bit) => {
        const rec = (s: number) => encodeTensorRecord(Float32Array.from(xs.map((x) => x * s)), [xs.length], form);
        const entries = [
          { name: 'l0_qproj.delta', bytes: rec(1) }, { name: 'grad_l0_qproj.grad', bytes: rec(2) },
          { name: 'adam_m.state', bytes: rec(3) }, { name: 'adam_v.state', bytes: rec(4) },
        ];
        const b = writeFoldBundle(CANONICAL_FOLD, entries);
        expect(writeFoldBundle(CANONICAL_FOLD, [...entries].reverse())).toEqual(b);
        const o = openFoldBundle(b);
        expect(o.fold).toEqual(CANONICAL_FOLD);
        for (const e of entries) expect(o.resolve(`scxq2://dialogue_v3/${e.name}`)).toEqual(e.bytes);
        expect(verifyFoldBundle(b).ok).toBe(true);
        const c = Uint8Array.from(b);
        c[at % c.length] ^= 1 << bit;
        const v = verifyFoldBundle(c);
        expect(v.ok).toBe(false);
      },
    ), { numRuns: 200 });
  });
});
