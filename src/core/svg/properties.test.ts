/**
 * Round-trip properties over generated SVGs (beyond the @mdi/svg set: every element kind,
 * transforms, ids, stroke-width/fill, long polylines, nesting, use) and hostile envelopes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { importSvg, canonicalize } from './canonical.ts';
import { mapToBuffers, buffersToCanonical } from './webgpu.ts';
import { encodeScxq2, Scxq2Reader, verifyEnvelope, laneRoot, globalRoot, HEADER_BYTES } from '../scxq2/envelope.ts';
import { decodeLane, LANE_ORDER } from '../scxq2/lanes.ts';
import { bytesSource } from '../bytes/source.ts';
import { AsxError } from '../errors.ts';

const num = fc.oneof(fc.integer({ min: -400, max: 400 }), fc.integer({ min: -400000, max: 400000 }).map((n) => n / 1000));
const pos = fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200000 }).map((n) => n / 1000));
const pair = fc.tuple(num, num).map(([a, b]) => `${a} ${b}`);

const pathCmd = fc.oneof(
  fc.tuple(fc.constantFrom('L', 'l', 'M', 'm', 'T', 't'), pair).map(([c, p]) => `${c}${p}`),
  fc.tuple(fc.constantFrom('H', 'h', 'V', 'v'), num).map(([c, n]) => `${c}${n}`),
  fc.tuple(fc.constantFrom('C', 'c'), pair, pair, pair).map(([c, a, b, d]) => `${c}${a} ${b} ${d}`),
  fc.tuple(fc.constantFrom('S', 's', 'Q', 'q'), pair, pair).map(([c, a, b]) => `${c}${a},${b}`),
  fc.tuple(fc.constantFrom('A', 'a'), pos, pos, fc.integer({ min: -360, max: 360 }), fc.boolean(), fc.boolean(), pair).map(([c, rx, ry, r, f1, f2, p]) => `${c}${rx} ${ry} ${r} ${f1 ? 1 : 0} ${f2 ? 1 : 0} ${p}`),
  fc.constant('Z'),
);
const transform = fc.oneof(
  fc.tuple(num, num).map(([a, b]) => `translate(${a} ${b})`),
  fc.tuple(pos, pos).map(([a, b]) => `scale(${a / 50} ${b / 50})`),
  fc.integer({ min: -360, max: 360 }).map((a) => `rotate(${a})`),
  fc.tuple(fc.integer({ min: -80, max: 80 }), num, num).map(([a, x, y]) => `rotate(${a} ${x} ${y}) skewX(${a / 4})`),
  fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 6, maxLength: 6 }).map((m) => `matrix(${m.join(',')})`),
);
const common = fc.record({
  id: fc.option(fc.string({ minLength: 1, maxLength: 6 }).map((s) => s.replace(/[\u0000-\u001f"&<>]/g, 'x')), { nil: undefined }),
  transform: fc.option(transform, { nil: undefined }),
  sw: fc.option(pos, { nil: undefined }),
  fill: fc.option(num, { nil: undefined }),
});
const attrs = (c: { id?: string; transform?: string; sw?: number; fill?: number }) =>
  `${c.id !== undefined ? ` id="${c.id}"` : ''}${c.transform ? ` transform="${c.transform}"` : ''}${c.sw !== undefined ? ` stroke-width="${c.sw}"` : ''}${c.fill !== undefined ? ` fill="${c.fill}"` : ''}`;

const leaf = fc.oneof(
  fc.tuple(common, pair, fc.array(pathCmd, { minLength: 1, maxLength: 12 })).map(([c, p, cmds]) => `<path${attrs(c)} d="M${p} ${cmds.join(' ')}"/>`),
  fc.tuple(common, num, num, num, num).map(([c, a, b, d, e]) => `<line${attrs(c)} x1="${a}" y1="${b}" x2="${d}" y2="${e}"/>`),
  fc.tuple(common, fc.constantFrom('polyline', 'polygon'), fc.array(pair, { minLength: 1, maxLength: 600 })).map(([c, k, pts]) => `<${k}${attrs(c)} points="${pts.join(' ')}"/>`),
  fc.tuple(common, num, num, pos).map(([c, x, y, r]) => `<circle${attrs(c)} cx="${x}" cy="${y}" r="${r}"/>`),
  fc.tuple(common, num, num, pos, pos).map(([c, x, y, a, b]) => `<ellipse${attrs(c)} cx="${x}" cy="${y}" rx="${a}" ry="${b}"/>`),
  fc.tuple(num, num, pos, pos).map(([x, y, w, h]) => `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${w / 4}"/>`),
);
const { tree } = fc.letrec<{ tree: string }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(common, fc.array(tie('tree'), { minLength: 0, maxLength: 4 })).map(([c, kids]) => `<g${attrs(c)}>${kids.join('')}</g>`)),
}));
const doc = fc.tuple(fc.array(tree, { minLength: 1, maxLength: 6 }), fc.boolean()).map(([kids, withUse]) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-500 -500 1000 1000"><defs><path id="__ref" d="M0 0 L3 4"/></defs>${kids.join('')}${withUse ? '<use href="#__ref" x="7"/>' : ''}</svg>`);

describe('generated SVGs round-trip', () => {
  it('import → canonical fixed point → map⁻¹ → SCXQ2 encode/decode → verify', async () => {
    let imported = 0;
    await fc.assert(fc.asyncProperty(doc, async (svg) => {
      let imp;
      try { imp = importSvg(svg); } catch (e) {
        expect(e).toBeInstanceOf(AsxError);
        expect((e as AsxError).code).toBe('svg_import');
        return;
      }
      imported++;
      expect(canonicalize(imp.bytes).text).toBe(imp.text);
      expect(buffersToCanonical(mapToBuffers(imp.model)).text).toBe(imp.text);
      const env = encodeScxq2(imp.model, imp.hash);
      expect((await (await Scxq2Reader.fromBytes(env)).inflate()).text).toBe(imp.text);
      expect((await verifyEnvelope(bytesSource(env))).ok).toBe(true);
    }), { numRuns: 400 });
    expect(imported).toBeGreaterThan(300);
  });
});

/** Re-seal an envelope after changing a lane, so the merkle checks pass and the decoders see it. */
function reseal(env: Uint8Array, lane: number, mutate: (b: Uint8Array) => Uint8Array): Uint8Array {
  const dv = new DataView(env.buffer, env.byteOffset, env.byteLength);
  const n = env[8];
  const lanes: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const e = HEADER_BYTES + 9 * i;
    const off = dv.getUint32(e + 1, true), size = dv.getUint32(e + 5, true);
    lanes.push(env.slice(off, off + size));
  }
  lanes[lane] = mutate(lanes[lane]);
  const total = HEADER_BYTES + 41 * n + lanes.reduce((a, l) => a + l.length, 0);
  const out = new Uint8Array(total);
  out.set(env.subarray(0, HEADER_BYTES + 9 * n));
  const odv = new DataView(out.buffer);
  odv.setUint32(14, total, true);
  let off = HEADER_BYTES + 41 * n;
  const roots: Uint8Array[] = [];
  lanes.forEach((l, i) => {
    const id = String.fromCharCode(out[HEADER_BYTES + 9 * i]);
    odv.setUint32(HEADER_BYTES + 9 * i + 1, off, true);
    odv.setUint32(HEADER_BYTES + 9 * i + 5, l.length, true);
    const r = laneRoot(id, l);
    roots.push(r);
    out.set(r, HEADER_BYTES + 9 * n + 32 * i);
    out.set(l, off);
    off += l.length;
  });
  out.set(globalRoot(roots, out.subarray(18, 50)), 50);
  return out;
}

describe('hostile envelopes whose hashes are valid', () => {
  const c = canonicalize('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><g id="a" transform="rotate(30)"><polyline points="0 0 1 1 2 0 3 3" stroke-width="2"/><circle r="2" fill="1"/></g><path id="b" d="M0 0 C1 1 2 2 3 0 Z"/></svg>');
  const env = encodeScxq2(c.model, c.hash);
  it('resealing unchanged lanes gives the same bytes', () => {
    expect(reseal(env, 2, (b) => b)).toEqual(env);
  });
  it('a consistent-looking but wrong derived lane (T, W) is refused by verify', async () => {
    for (const lane of [1, 4]) {
      const bad = reseal(env, lane, (b) => { const x = b.slice(); x[x.length - 8] ^= 1; return x; });
      expect((await Scxq2Reader.fromBytes(bad)).meta.toc.length).toBe(6); // opens, hashes agree
      const r = await verifyEnvelope(bytesSource(bad));
      expect(r.ok).toBe(false);
      expect(r.error!.code).toMatch(/round_trip_failure|bad_envelope/);
    }
  });
  it('random lane mutations, truncations and extensions: only typed errors, and never a wrong tensor', async () => {
    await fc.assert(fc.asyncProperty(fc.nat(5), fc.nat(1000), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'cut', 'grow'), async (lane, p, v, how) => {
      const bad = reseal(env, lane, (b) => {
        const x = b.slice();
        if (how === 'set') { x[p % x.length] = v; return x; }
        if (how === 'cut') return x.slice(0, Math.max(12, x.length - 1 - (p % x.length)));
        const y = new Uint8Array(x.length + 1 + (p % 64)); y.set(x); y.fill(v, x.length); return y;
      });
      const r = await verifyEnvelope(bytesSource(bad));
      if (r.ok) {
        // a mutation the decoders accept must still inflate to exactly the canonical bytes
        const inf = await (await Scxq2Reader.fromBytes(bad)).inflate();
        expect(inf.text).toBe(c.text);
      } else {
        expect(['bad_envelope', 'round_trip_failure', 'missing_lane', 'integrity_violation', 'illegal_tensor']).toContain(r.error!.code);
      }
      for (const id of LANE_ORDER) {
        try { decodeLane(id, bad.subarray(HEADER_BYTES + 41 * 6)); } catch (e) { expect(e).toBeInstanceOf(AsxError); }
      }
    }), { numRuns: 3000 });
  });
});
