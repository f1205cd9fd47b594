/**
 * Fuzz suite for the SVG-tensor pipeline and SCXQ2 envelopes (run with the fuzz config):
 *
 *   FUZZ_CASES=100000 npx vitest run --config vitest.fuzz.config.ts src/core/svg/svg.fuzz.test.ts
 *   FUZZ_SEED=0x1234 …   another deterministic stream
 *
 * SVG oracles: checkLegality and importSvg either succeed or throw an AsxError from the
 * XML/import codes; a successful import is a canonical fixed point, its GPU map inverts
 * exactly, and its envelope decodes to the same bytes and verifies. Envelope oracles:
 * verifyEnvelope never throws; it accepts a mutant only if the mutant is byte-identical to
 * the original. Every case stays under MAX_CASE_MS.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSvg, canonicalize } from './canonical.ts';
import { checkLegality } from './tensor.ts';
import { mapToBuffers, buffersToCanonical } from './webgpu.ts';
import { encodeScxq2, Scxq2Reader, verifyEnvelope } from '../scxq2/envelope.ts';
import { bytesSource } from '../bytes/source.ts';
import { bytesEqual } from '../bytes/hex.ts';
import { AsxError } from '../errors.ts';

const CASES = Number(process.env.FUZZ_CASES ?? 2000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 0x5c0a2;
const MAX_CASE_MS = 5000;
const SVG_CODES = new Set(['xml_syntax', 'xml_entity', 'xml_limit', 'svg_import']);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) | 0; let t = Math.imul(s ^ (s >>> 15), 1 | s); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

const TOKENS = ['<', '>', '/>', '</g>', '<g>', '<g transform="rotate(33 1 2)">', '&lt;', '&amp;', '&x;', '&#0;', '&#x10FFFF;', '<!DOCTYPE s [<!ENTITY a "b">]>', '<![CDATA[x]]>', ']]>',
  '<!--', '-->', '<?pi?>', ' d="', '"', "'", '=', ' id="a"', ' id="a"', '1e400', 'NaN', '-', '.', ',', ' ', 'A1 1 0 0 1 ', 'Z', 'z', 'M', 'm0 0', 'l1 1', 'c', 's', 'q', 't', 'h', 'v',
  '<use href="#a"/>', '<defs>', '</defs>', '<script>x</script>', ' onload="x()"', ' style="a"', '<rect width="2" height="3"/>', '<circle r="0"/>', ' transform="scale(0)"', ' stroke-width="-1"', '\u0000', '\uFFFF', '\u{1F600}'];

function mutateText(s: string, r: () => number): string {
  let t = s;
  const n = 1 + Math.floor(r() * 3);
  for (let k = 0; k < n; k++) {
    const p = Math.floor(r() * (t.length + 1));
    const op = r();
    if (op < 0.45) t = t.slice(0, p) + TOKENS[Math.floor(r() * TOKENS.length)] + t.slice(p);
    else if (op < 0.7) t = t.slice(0, p) + t.slice(p + 1 + Math.floor(r() * 8));
    else if (op < 0.85) { const q = Math.floor(r() * t.length); t = t.slice(0, p) + t.slice(Math.min(p, q), Math.max(p, q)).slice(0, 200) + t.slice(p); }
    else t = t.slice(0, p) + String.fromCharCode(32 + Math.floor(r() * 95)) + t.slice(p + 1);
  }
  return t;
}

function seeds(): string[] {
  const dir = join(process.cwd(), 'node_modules/@mdi/svg/svg');
  const files = readdirSync(dir).sort();
  const out = [0, 1, 500, 1234, 4000, 7000].map((i) => readFileSync(join(dir, files[i % files.length]), 'utf8'));
  out.push('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><path id="p" d="M0 0 L1 0"/></defs><g id="policy" transform="translate(1 2) rotate(30)"><use href="#p" x="2"/><ellipse rx="2" ry="1"/></g><polyline points="0 0 1 1 2 0" stroke-width="2"/><polygon points="0 0 3 0 3 3" fill="0.5"/></svg>');
  return out;
}

describe(`SVG pipeline fuzz (${CASES} cases, seed 0x${SEED.toString(16)})`, () => {
  it('only typed errors; everything imported round-trips', async () => {
    const r = rng(SEED);
    const base = seeds();
    let imported = 0, worst = 0;
    for (let c = 0; c < CASES; c++) {
      const text = mutateText(base[c % base.length], r);
      const t0 = performance.now();
      try { checkLegality(text); } catch (e) {
        if (!(e instanceof AsxError) || !SVG_CODES.has(e.code)) throw new Error(`case ${c}: check threw ${String(e)}\n${text}`);
      }
      let imp;
      try { imp = importSvg(text); } catch (e) {
        if (!(e instanceof AsxError) || !SVG_CODES.has(e.code)) throw new Error(`case ${c}: import threw ${String(e)}\n${text}`);
      }
      if (imp) {
        imported++;
        expect(canonicalize(imp.bytes).text, `case ${c}`).toBe(imp.text);
        expect(buffersToCanonical(mapToBuffers(imp.model)).text, `case ${c}`).toBe(imp.text);
        const env = encodeScxq2(imp.model, imp.hash);
        expect((await (await Scxq2Reader.fromBytes(env)).inflate()).text, `case ${c}`).toBe(imp.text);
        expect((await verifyEnvelope(bytesSource(env))).ok, `case ${c}`).toBe(true);
      }
      worst = Math.max(worst, performance.now() - t0);
    }
    console.log(`svg fuzz: ${CASES} cases, ${imported} imported, slowest ${worst.toFixed(0)} ms`);
    expect(worst).toBeLessThan(MAX_CASE_MS);
  }, 3_600_000);

  it('mutated envelopes: never an exception, never a wrong acceptance', async () => {
    const r = rng(SEED ^ 0xe11e);
    const envs = seeds().map((s) => { const i = importSvg(s); return encodeScxq2(i.model, i.hash); });
    let rejected = 0;
    for (let c = 0; c < CASES; c++) {
      const env = envs[c % envs.length];
      let b = env.slice();
      const op = r();
      if (op < 0.5) { const p = Math.floor(r() * b.length); b[p] ^= 1 << Math.floor(r() * 8); }
      else if (op < 0.7) { b = b.slice(0, Math.floor(r() * b.length)); }
      else if (op < 0.85) { const p = 10 + Math.floor(r() * 8); b[p] = Math.floor(r() * 256); } // toc_offset / total_size
      else { const p = 82 + Math.floor(r() * 41 * b[8]); if (p < b.length) b[p] = Math.floor(r() * 256); } // TOC
      const v = await verifyEnvelope(bytesSource(b));
      if (v.ok) expect(bytesEqual(b, env), `case ${c}: accepted a mutant`).toBe(true);
      else rejected++;
    }
    console.log(`envelope fuzz: ${CASES} cases, ${rejected} rejected`);
  }, 3_600_000);
});
