/** SCXQ2 envelope: layout, encodings, lazy reads, proofs, tamper detection, hooks. */
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../svg/canonical.ts';
import { encodeScxq2, Scxq2Reader, verifyEnvelope, verifyScxq2Proof, chunkHash, CHUNK_SIZE, HEADER_BYTES, laneRoot, globalRoot, TOC_ENTRY_BYTES } from './envelope.ts';
import { decodeLane, ENCODING, readLaneHeader, type LaneId } from './lanes.ts';
import { detect, extractToc, verifyRoot, verifyLanes, decompressLanes, canonicalInflate, legality, webgpuMap, errorSurface, runHook, SCXQ2_HOOKS, projectWebgpu, type ObjectErrorEvent } from './hooks.ts';
import { bytesSource, CountingSource } from '../bytes/source.ts';
import { AsxError } from '../errors.ts';
import { toHex } from '../bytes/hex.ts';

const S = (b: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">${b}</svg>`;
const small = canonicalize(S('<g id="a" transform="translate(1 2)"><line x2="3"/></g><polygon points="0 0 1 0 1 1"/>'));
const smallEnv = encodeScxq2(small.model, small.hash);

/** A tensor large enough for several 4096-byte chunks in G, with repeated transforms. */
function bigTensor() {
  let body = '';
  for (let i = 0; i < 300; i++) body += `<g transform="translate(${i % 3} 0)"><path d="M${i % 90} ${(i * 7) % 90} L${(i * 3) % 97 + 0.5} ${(i * 11) % 89 + 0.25} C1 2 3 4 ${i % 50} 5.125"/></g>`;
  return canonicalize(S(body));
}

async function code(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try { await (typeof p === 'function' ? p() : p); } catch (e) { if (e instanceof AsxError) return e.code; throw e; }
  return 'ok';
}

describe('envelope', () => {
  it('round-trips and verifies', async () => {
    const r = await Scxq2Reader.fromBytes(smallEnv);
    expect((await r.inflate()).text).toBe(small.text);
    expect((await verifyEnvelope(bytesSource(smallEnv))).ok).toBe(true);
    expect((await verifyEnvelope(bytesSource(smallEnv), { root: toHex(r.meta.globalRoot) })).ok).toBe(true);
    expect((await verifyEnvelope(bytesSource(smallEnv), { root: '00'.repeat(32) })).ok).toBe(false);
  });

  it('every single flipped bit of a small envelope is detected', async () => {
    let detected = 0;
    for (let i = 0; i < smallEnv.length; i++) {
      for (const bit of [0, 7]) {
        const b = smallEnv.slice();
        b[i] ^= 1 << bit;
        if (!(await verifyEnvelope(bytesSource(b))).ok) detected++;
      }
    }
    expect(detected).toBe(smallEnv.length * 2);
  });

  it('truncation and trailing bytes are bad_envelope; wrong magic is bad_magic', async () => {
    expect(await code(Scxq2Reader.fromBytes(smallEnv.slice(0, 100)))).toBe('bad_envelope');
    const longer = new Uint8Array(smallEnv.length + 1); longer.set(smallEnv);
    expect(await code(Scxq2Reader.fromBytes(longer))).toBe('bad_envelope');
    expect(await code(Scxq2Reader.fromBytes(new TextEncoder().encode('<svg></svg>'.repeat(10))))).toBe('bad_magic');
    expect(await code(Scxq2Reader.fromBytes(new Uint8Array(3)))).toBe('bad_envelope');
  });

  it('chooses DICT for repeated matrices and DELTA for geometry; decoders check every count', async () => {
    const t = bigTensor();
    const env = encodeScxq2(t.model, t.hash);
    const r = await Scxq2Reader.fromBytes(env);
    expect(readLaneHeader(await r.laneBytes('X')).encoding).toBe(ENCODING.DICT);
    expect(readLaneHeader(await r.laneBytes('G')).encoding).toBe(ENCODING.DELTA);
    expect(readLaneHeader(await r.laneBytes('G')).precision).toBe(1000);
    expect((await r.inflate()).text).toBe(t.text);
    const m = (await r.laneBytes('M')).slice();
    m[8] = 0xff; // item_count
    expect(() => decodeLane('M', m)).toThrow(/truncated/);
  });

  it('lazy: opening reads only the header and TOC; one lane reads only that lane', async () => {
    const t = bigTensor();
    const env = encodeScxq2(t.model, t.hash);
    const src = new CountingSource(bytesSource(env));
    const r = await Scxq2Reader.open(src);
    expect(src.bytesRead).toBe(HEADER_BYTES + 6 * 41);
    await r.lane('T');
    expect(src.bytesRead).toBe(HEADER_BYTES + 6 * 41 + r.entry('T').size);
    expect(r.entry('G').size).toBeGreaterThan(2 * CHUNK_SIZE);
  });
});

describe('lane E (values that do not fit int32 at the lane precision)', () => {
  const big = canonicalize('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9000 9000"><path d="M3000.123456 10 L3001 11.5"/><line x2="5.25"/>'
    + '<g transform="matrix(1 0 0 1 4000.000001 2)"><circle r="1"/></g><g transform="translate(1 2)"><circle r="2"/></g></svg>');
  it('wide commands and transforms round-trip through E; E exists only when needed', async () => {
    const env = encodeScxq2(big.model, big.hash);
    const r = await Scxq2Reader.fromBytes(env);
    expect(r.meta.toc.map((t) => t.lane).join('')).toBe('MTGXWDE');
    const e = await r.lane('E');
    expect(e.id === 'E' && Array.from(e.values)).toEqual([0, 0, 9000, 9000, 9000, 9000, 3000.123456, 10, 3001, 11.5, 1, 0, 0, 1, 4000.000001, 2]);
    expect((await r.inflate()).text).toBe(big.text);
    expect((await verifyEnvelope(bytesSource(env))).ok).toBe(true);
    expect((await Scxq2Reader.fromBytes(smallEnv)).has('E')).toBe(false);
  });
  it('without lane E the tensor cannot be inflated: missing_lane', async () => {
    const env = encodeScxq2(big.model, big.hash, { lanes: ['M', 'T', 'G', 'X', 'W', 'D'] });
    expect(await code((await Scxq2Reader.fromBytes(env)).inflate())).toBe('missing_lane');
  });
});

/** The envelope with one lane's bytes replaced by bytes of the same size, roots recomputed. */
async function withLane(env: Uint8Array, lane: LaneId, bytes: Uint8Array): Promise<Uint8Array> {
  const r = await Scxq2Reader.fromBytes(env);
  const out = env.slice();
  const i = r.meta.toc.findIndex((t) => t.lane === lane);
  expect(r.meta.toc[i].size).toBe(bytes.length);
  out.set(bytes, r.meta.toc[i].offset);
  const roots = r.meta.toc.map((t, k) => (k === i ? laneRoot(lane, bytes) : t.root));
  out.set(roots[i], HEADER_BYTES + r.meta.laneCount * TOC_ENTRY_BYTES + 32 * i);
  out.set(globalRoot(roots, r.meta.canonicalHash), 50);
  return out;
}

describe('lane W precision (L-LANE-W)', () => {
  it('a 400,000-long path is stored as 400,000 (precision 10^3), not saturated at 214,748.3647', async () => {
    const t = canonicalize('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 500000 10"><path d="M0 0 L400000 0"></path></svg>');
    const env = encodeScxq2(t.model, t.hash);
    const r = await Scxq2Reader.fromBytes(env);
    const w = await r.lane('W');
    if (w.id !== 'W') throw new Error('not W');
    expect(w.header.precision).toBe(1000);
    expect(w.weights).toEqual([[400_000_000, 1000, 0]]);
    expect(w.values).toEqual([[400_000, 1, 0]]);
    expect(toHex(await r.laneBytes('W'))).toBe('57010000' + 'e8030000' + '01000000' + '0084d717' + 'e8030000' + '00000000');
    expect((await r.inflate()).bytes).toEqual(t.bytes);
    expect((await verifyEnvelope(bytesSource(env))).ok).toBe(true);
    // An envelope written before the fix (W at 10^4, magnitude saturated) still opens and
    // inflates; its W decodes to what it says; full verification names the stale lane.
    const legacyW = new Uint8Array([0x57, 1, 0, 0, 0x10, 0x27, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 0x10, 0x27, 0, 0, 0, 0, 0, 0]);
    const legacy = await withLane(env, 'W', legacyW);
    const lr = await Scxq2Reader.fromBytes(legacy);
    expect((await lr.inflate()).bytes).toEqual(t.bytes);
    const lw = await lr.lane('W');
    expect(lw.id === 'W' && lw.values).toEqual([[214748.3647, 1, 0]]);
    const v = await verifyEnvelope(bytesSource(legacy));
    expect(v.ok).toBe(false);
    expect(v.error?.code).toBe('round_trip_failure');
    expect(v.error?.message).toMatch(/lane W/);
  });
  it('a value beyond int32 even at precision 1 is stored as binary32 bits (precision 0)', async () => {
    const t = canonicalize('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000000000 10"><path d="M0 0 L1000000000 0 L0 0 L1000000000 0"></path></svg>');
    const env = encodeScxq2(t.model, t.hash);
    const r = await Scxq2Reader.fromBytes(env);
    const w = await r.lane('W');
    if (w.id !== 'W') throw new Error('not W');
    expect(w.header.precision).toBe(0);
    expect(w.weights[0][0]).toBe(0x4f32d05e); // 3e9 as binary32
    expect(w.weights[0][1]).toBe(0x3f800000); // 1
    expect(w.values[0][0]).toBe(3e9);
    expect(w.values[0][2]).toBe(Math.fround((2 * Math.PI) / 3e9)); // two reversals of π each
    expect((await r.inflate()).bytes).toEqual(t.bytes);
    expect((await verifyEnvelope(bytesSource(env))).ok).toBe(true);
  });
  it('tensors whose weights fit at 10^4 keep the precision (and bytes) they always had', async () => {
    const w = await (await Scxq2Reader.fromBytes(smallEnv)).lane('W');
    expect(w.header.precision).toBe(10_000);
  });
});

describe('lane D is always present (L-LANE-D)', () => {
  it('a tensor without ids has an empty D; an old or a D-less envelope of it inflates alike', async () => {
    const t = canonicalize(S('<line x2="3"/>'));
    const env = encodeScxq2(t.model, t.hash);
    const r = await Scxq2Reader.fromBytes(env);
    expect(r.meta.toc.map((x) => x.lane).join('')).toBe('MTGXWD');
    expect(toHex(await r.laneBytes('D'))).toBe('440100000000000000000000');
    const bare = encodeScxq2(t.model, t.hash, { lanes: ['M', 'T', 'G', 'X', 'W'] });
    expect((await (await Scxq2Reader.fromBytes(bare)).inflate()).bytes).toEqual(t.bytes);
  });
});

describe('proofs (§18.10, §18.11)', () => {
  it('a chunk proof verifies with its bytes and fails when anything changes', async () => {
    const t = bigTensor();
    const env = encodeScxq2(t.model, t.hash);
    const r = await Scxq2Reader.fromBytes(env);
    const proof = await r.proof('G', 1);
    expect(proof.chunk_count).toBeGreaterThanOrEqual(3);
    const chunk = await r.chunk('G', 1);
    expect(toHex(chunkHash('G', chunk))).toBe(proof.chunk_hash);
    expect(verifyScxq2Proof(proof, chunk)).toEqual({ ok: true });
    expect(verifyScxq2Proof(proof, chunk, proof.global_root)).toEqual({ ok: true });
    const badChunk = chunk.slice(); badChunk[0] ^= 1;
    expect(verifyScxq2Proof(proof, badChunk).code).toBe('integrity_violation');
    expect(verifyScxq2Proof({ ...proof, siblings: [...proof.siblings].reverse() }).code).toBe('integrity_violation');
    expect(verifyScxq2Proof({ ...proof, canonical_svg_hash: '00'.repeat(32) }).code).toBe('integrity_violation');
    expect(verifyScxq2Proof(proof, chunk, 'ab'.repeat(32)).code).toBe('integrity_violation');
    expect(verifyScxq2Proof({ ...proof, lane: 'Q' }).code).toBe('bad_proof');
    expect(verifyScxq2Proof(null).code).toBe('bad_proof');
  });
});

describe('hooks (§19)', () => {
  it('detect looks at the magic only', () => {
    expect(detect({ payload_bytes: smallEnv })).toEqual({ format: 'scxq2-svg', envelope: { version: 0x0100, lane_count: 6, toc_offset: 82, total_size: smallEnv.length } });
    expect(detect({ payload_bytes: small.bytes }).format).toBe('svg-canonical');
  });
  it('the minimal reference wiring works end to end', async () => {
    const { reader, meta } = await extractToc(bytesSource(smallEnv));
    verifyRoot(reader, toHex(meta.globalRoot));
    const res = await verifyLanes(reader, 'webgpu');
    expect(res.map((x) => x.lane)).toEqual(['M', 'G', 'X', 'D']);
    const lanes = await decompressLanes(reader, 'canonical');
    const bytes = canonicalInflate(lanes, meta.canonicalHash);
    expect(new TextDecoder().decode(bytes)).toBe(small.text);
    legality(bytes);
    expect(webgpuMap(bytes).metaBuffer[0]).toBe(5);
    expect(SCXQ2_HOOKS.map((h) => h.phase)).toEqual(['load', 'load', 'verify', 'verify', 'verify', 'project', 'project', 'project']);
    // the same through the table's uniform functions
    const hook = (id: string) => SCXQ2_HOOKS.find((h) => h.id === id)!;
    expect(hook('hook.scxq2.detect').fn({ payload_bytes: smallEnv })).toMatchObject({ format: 'scxq2-svg' });
    const dl = await hook('hook.scxq2.decompress-lanes').fn({ reader, projection: 'canonical' }) as Map<never, never>;
    expect(hook('hook.svg.canonical.inflate').fn({ lanes: dl, canonical_hash: meta.canonicalHash })).toEqual(bytes);
    expect(() => hook('hook.svg.webgpu.map').fn({})).toThrow(/needs canonical_bytes/);
    const gpu = await projectWebgpu(reader);
    expect(gpu.nodeBuffer).toEqual(webgpuMap(bytes).nodeBuffer);
  });
  it('errors carry the §19.10 names and emit object.error', async () => {
    const events: ObjectErrorEvent[] = [];
    // missing lane
    const noD = encodeScxq2(small.model, small.hash, { lanes: ['M', 'T', 'G', 'X', 'W'] });
    const r = await Scxq2Reader.fromBytes(noD);
    await expect(runHook('hook.svg.canonical.inflate', () => r.inflate(), (e) => events.push(e))).rejects.toThrow(/lane D/);
    // integrity
    const bad = smallEnv.slice(); bad[bad.length - 1] ^= 1;
    const rb = await Scxq2Reader.fromBytes(bad);
    await expect(runHook('hook.scxq2.merkle.verify-lanes', () => verifyLanes(rb, ['D']), (e) => events.push(e))).rejects.toThrow();
    // illegal
    await expect(runHook('hook.scxq2.legality.svg-tensor', () => legality(new TextEncoder().encode('<svg viewBox="0 0 1 1"><script/></svg>')), (e) => events.push(e))).rejects.toThrow();
    await expect(runHook('hook.scxq2.legality.svg-tensor', () => legality(new TextEncoder().encode('<svg viewBox="0 0 1 1"><line x2="1"/></svg>')), (e) => events.push(e))).rejects.toThrow(/not in svg-tensor.canonical.v1 form/);
    // round trip: lanes from another tensor than the declared hash
    const lanes = await decompressLanes(await Scxq2Reader.fromBytes(smallEnv), 'canonical');
    await expect(runHook('hook.svg.canonical.inflate', () => canonicalInflate(lanes, new Uint8Array(32)), (e) => events.push(e))).rejects.toThrow();
    expect(events.map((e) => `${e.type} ${e.error}`)).toEqual([
      'object.error load_error.missing_lane',
      'object.error verification_error.integrity_violation',
      'object.error verification_error.illegal_tensor',
      'object.error verification_error.illegal_tensor',
      'object.error projection_error.round_trip_failure',
    ]);
    expect(errorSurface(new Error('x'))).toBeNull();
  });
  it('the webgpu projection refuses an envelope whose required lane lacks proof', async () => {
    const bad = smallEnv.slice(); bad[bad.length - 1] ^= 1; // inside lane D, needed by webgpu
    const events: ObjectErrorEvent[] = [];
    await expect(projectWebgpu(await Scxq2Reader.fromBytes(bad), (e) => events.push(e))).rejects.toThrow(/lane D: root mismatch/);
    expect(events.map((e) => `${e.hook} ${e.error}`)).toEqual(['hook.scxq2.merkle.verify-lanes verification_error.integrity_violation']);
  });
  it('a projection that needs a lane the envelope lacks is missing_lane', async () => {
    const onlyM = encodeScxq2(small.model, small.hash, { lanes: ['M', 'G'] });
    const r = await Scxq2Reader.fromBytes(onlyM);
    expect(await code(verifyLanes(r, 'topology'))).toBe('missing_lane');
  });
});
