/**
 * Fuzz suite for the fold bundle (docs/laws.md F-BUNDLE).
 *
 *   FUZZ_CASES=100000 npx vitest run --config vitest.fuzz.config.ts src/core/fold
 *   FUZZ_SEED=… / FUZZ_CASE=… as in qrecord.fuzz.test.ts
 *
 * Seeds are writer bundles (the canonical mx2gym.md fold with records of every form; a minimal
 * fold with an extra non-record entry). Cases: 1–3 byte mutations (flips, interesting bytes,
 * index-length lies, truncation, appends), re-sealed trailer half the time; and index mutations
 * (an entry's name/offset/length/hash changed, entries dropped or swapped, the fold edited),
 * re-serialized canonically with the data kept and the trailer re-sealed.
 *
 * Oracles: openFoldBundle succeeds or throws an AsxError (bad_magic, truncated, bad_bundle,
 * bad_fold) with an offset in [0, length]; verifyFoldBundle never throws, is ok exactly when the
 * bytes are a bundle the writer would write again from its fold and entries, and names an entry
 * or a path in each entry problem; resolving every reference of an opened bundle gives bytes or
 * a typed error.
 */
import { describe, expect, it } from 'vitest';
import { AsxError } from '../errors.ts';
import { utf8 } from '../bytes/utf8.ts';
import { sha256 } from '../hash/sha256.ts';
import { canonicalJsonBytes } from '../json/jcs.ts';
import { FuzzRng } from '../testing/fuzz-rng.ts';
import { openFoldBundle, verifyFoldBundle, writeFoldBundle } from './bundle.ts';
import { CANONICAL_FOLD } from './fixtures.ts';
import { foldRefs, type FoldV1 } from './fold.ts';
import { encodeTensorRecord, QFORMS } from './qrecord.ts';

const CASES = Math.max(1, Number(process.env.FUZZ_CASES ?? 3000));
const SEED = process.env.FUZZ_SEED === 'random' ? (Math.random() * 2 ** 32) >>> 0 : Number(process.env.FUZZ_SEED ?? 0xb0d1e) >>> 0;
const ONE = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);
const OPEN_CODES = new Set(['bad_magic', 'truncated', 'bad_bundle', 'bad_fold']);

function seeds(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const rng = new FuzzRng(SEED, -1);
  for (const form of QFORMS) {
    const rec = (n: number) => { const v = new Float32Array(n); for (let i = 0; i < n; i++) v[i] = (rng.int(2001) - 1000) / 50; return encodeTensorRecord(v, [n], form); };
    out.push(writeFoldBundle(CANONICAL_FOLD, ['l0_qproj.delta', 'grad_l0_qproj.grad', 'adam_m.state', 'adam_v.state'].map((name, i) => ({ name, bytes: rec(i * 3) }))));
  }
  const t1: FoldV1 = {
    fold_id: 't1', version: '1.0.0', model_base: 'm', mx2gym_format: 'fold.v1',
    '@data': { deltas: [{ layer: 'b', encoding: 'scxq2', ref: 'scxq2://t1/b.delta' }] }, '@control': { apply: 'always', priority: 0, mode: 'additive' },
  };
  out.push(writeFoldBundle(t1, [{ name: 'b.delta', bytes: encodeTensorRecord(Float32Array.of(1, -2, 3), [3], 'int2') }, { name: 'notes.txt', bytes: utf8('hello') }]));
  return out;
}

function seal(b: Uint8Array): void { if (b.length >= 32) b.set(sha256(b.subarray(0, b.length - 32)), b.length - 32); }

function mutateBytes(rng: FuzzRng, src: Uint8Array, log: string[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(src);
  for (let j = rng.range(1, 3); j > 0; j--) {
    const at = b.length ? rng.int(b.length) : 0;
    switch (rng.int(5)) {
      case 0: if (b.length) { b[at] ^= 1 << rng.int(8); log.push(`flip ${at}`); } break;
      case 1: if (b.length) { b[at] = rng.pick([0, 0x22, 0x2c, 0x3a, 0x5b, 0x5d, 0x7b, 0x7d, 0x30, 0x39, 0xff]); log.push(`set ${at}`); } break;
      case 2: if (b.length >= 12) { new DataView(b.buffer).setUint32(8, rng.pick([0, 1, b.length, 0xffffffff, rng.u32()]) >>> 0, true); log.push('L lie'); } break;
      case 3: { const n = rng.int(b.length + 1); b = b.slice(0, n); log.push(`cut ${n}`); break; }
      default: { const e = rng.bytes(rng.range(1, 16)); const c = new Uint8Array(b.length + e.length); c.set(b); c.set(e, b.length); b = c; log.push('append'); }
    }
  }
  if (rng.chance(0.5)) { seal(b); log.push('seal'); }
  return b;
}

function mutateIndex(rng: FuzzRng, src: Uint8Array, log: string[]): Uint8Array {
  const L = new DataView(src.buffer, src.byteOffset).getUint32(8, true);
  const idx = JSON.parse(new TextDecoder().decode(src.subarray(12, 12 + L))) as { entries: Array<Record<string, unknown>>; fold: Record<string, unknown> };
  let data = src.subarray(12 + L, src.length - 32);
  for (let j = rng.range(1, 3); j > 0; j--) {
    const e = idx.entries.length ? idx.entries[rng.int(idx.entries.length)] : undefined;
    switch (rng.int(8)) {
      case 0: if (e) { e.name = rng.pick(['..', 'a/b', '', 'zzz', 'A', 'x'.repeat(300), 7]); log.push('name'); } break;
      case 1: if (e) { e.offset = rng.pick([-1, 0, 1, 1e300, 2 ** 53, 0.5, '0']); log.push('offset'); } break;
      case 2: if (e) { e.length = rng.pick([-1, 0, 1, (e.length as number) + 1, 2 ** 32, 1e300]); log.push('length'); } break;
      case 3: if (e) { e.hash = rng.pick(['sha256:', `sha256:${'0'.repeat(64)}`, 5, null]); log.push('hash'); } break;
      case 4: if (idx.entries.length) { idx.entries.splice(rng.int(idx.entries.length), 1); log.push('drop'); } break;
      case 5: if (idx.entries.length > 1) { idx.entries.reverse(); log.push('swap'); } break;
      case 6: { (idx.fold as Record<string, unknown>)[rng.pick(['fold_id', '@control', 'extra', 'version'])] = rng.pick(['x', 1, null, {}]); log.push('fold'); break; }
      default: { data = data.subarray(0, rng.int(data.length + 1)); log.push('data cut'); }
    }
  }
  let ib: Uint8Array;
  try { ib = canonicalJsonBytes(idx); } catch { ib = utf8('{}'); }
  const out = new Uint8Array(12 + ib.length + data.length + 32);
  out.set(src.subarray(0, 8)); new DataView(out.buffer).setUint32(8, ib.length, true);
  out.set(ib, 12); out.set(data, 12 + ib.length); seal(out);
  return out;
}

describe(`fold bundle fuzz (${CASES} cases, seed 0x${SEED.toString(16)})`, () => {
  it('open gives typed errors, verify never throws and is ok only for writer bundles', () => {
    const S = seeds();
    let opened = 0, ok = 0;
    const from = ONE ?? 0, to = ONE === undefined ? CASES : ONE + 1;
    for (let i = from; i < to; i++) {
      const rng = new FuzzRng(SEED, i);
      const log: string[] = [];
      const src = S[rng.int(S.length)];
      const b = rng.chance(0.5) ? mutateBytes(rng, src, log) : mutateIndex(rng, src, log);
      const at = `case ${i}: ${log.join(', ')}`;
      if (ONE !== undefined) console.log(at);
      const v = verifyFoldBundle(b); // must not throw
      for (const p of v.problems) if (p.code === 'hash_mismatch' || p.code === 'missing_ref') expect(p.entry !== undefined || p.offset !== undefined, at).toBe(true);
      let bundle;
      try { bundle = openFoldBundle(b); opened++; } catch (e) {
        if (!(e instanceof AsxError)) throw new Error(`${at}: untyped ${String(e)}`);
        if (!OPEN_CODES.has(e.code)) throw new Error(`${at}: unexpected code ${e.code}`);
        const off = e.where.offset;
        if (off === undefined || off < 0 || off > b.length) throw new Error(`${at}: offset ${off}`);
        expect(v.ok, at).toBe(false);
        continue;
      }
      for (const { ref } of foldRefs(bundle.fold)) {
        try { bundle.resolve(ref); } catch (e) { if (!(e instanceof AsxError)) throw new Error(`${at}: resolve untyped ${String(e)}`); }
      }
      if (v.ok) {
        ok++;
        const again = writeFoldBundle(bundle.fold, bundle.entries.map((e) => ({ name: e.name, bytes: bundle.entryBytes(e.name)! })));
        expect(again, at).toEqual(b);
      }
    }
    console.log(`bundle fuzz: ${to - from} cases, ${opened} opened, ${ok} verified ok`);
  });
});
