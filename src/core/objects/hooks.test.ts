/** O-HOOKS: SCXQ2 envelopes and weights.v2c-bin packs as object payloads, lanes loaded lazily (docs/laws.md). */
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../svg/canonical.ts';
import { encodeScxq2, Scxq2Reader } from '../scxq2/envelope.ts';
import { encodePack } from '../pack/write.ts';
import { openPack } from '../pack/read.ts';
import { sampleLanes } from '../pack/testkit.ts';
import { bytesSource, type ByteSource } from '../bytes/source.ts';
import { toHex } from '../bytes/hex.ts';
import { MemoryStore, ObjectServer, payloadHash } from './server.ts';
import type { ObjectEvent } from './events.ts';
import { text } from './testkit.ts';

const S = (b: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">${b}</svg>`;
const small = canonicalize(S('<g id="a" transform="translate(1 2)"><line x2="3"/></g><polygon points="0 0 1 0 1 1"/>'));
const env = encodeScxq2(small.model, small.hash);

function recording(b: Uint8Array): ByteSource & { reads: Array<[number, number]> } {
  const inner = bytesSource(b);
  const reads: Array<[number, number]> = [];
  return { size: b.length, reads, read: (o, n) => { reads.push([o, n]); return inner.read(o, n); } };
}

function envServer(bytes: Uint8Array, extra: Record<string, unknown> = {}) {
  const store = new MemoryStore();
  const src = recording(bytes);
  const hash = payloadHash(bytes);
  store.putPayload(src, hash);
  const lanes = ['scxq2.merkle.verify-lanes', 'scxq2.decompress-lanes', 'svg.canonical.inflate'];
  store.putDescriptor('object://brain/small', {
    id: 'object://brain/small', hash, payload: { type: 'binary', mime: 'application/x-scxq2', encoding: 'raw', size: bytes.length },
    invariants: ['immutable_payload', 'no_execution', 'projection_only', 'deterministic'],
    projections: {
      default: { type: 'json', emit: { toc: '@payload.toc', root: '@payload.global_root' } },
      svg: { type: 'http-response', headers: { 'Content-Type': 'image/svg+xml' }, body: '@payload.canonical_svg', requires: lanes },
      m: { type: 'json', emit: '@payload.lanes.M', requires: lanes.slice(0, 2) },
      w: { type: 'json', emit: '@payload.lanes.W', requires: lanes.slice(0, 2) },
      nodes: { type: 'binary', source: '@payload.webgpu.nodeBuffer', requires: [...lanes, 'svg.webgpu.map'] },
      raw: { type: 'binary' },
    },
    ...extra,
  });
  return { store, src, server: new ObjectServer({ store }) };
}

describe('O-HOOKS SCXQ2 envelopes', () => {
  it('load reads the magic and TOC; later requests read only the lanes a projection needs', async () => {
    const r = await Scxq2Reader.fromBytes(env);
    const range = (l: string) => { const e = r.meta.toc.find((t) => t.lane === l)!; return [e.offset, e.size] as [number, number]; };
    const { src, server } = envServer(env);
    const first = await server.handle({ path: 'object://brain/small' });
    expect(first.ok && JSON.parse(text(first.body)).toc.map((t: { lane: string }) => t.lane).join('')).toBe(r.meta.toc.map((t) => t.lane).join(''));
    expect(src.reads.slice(0, 3)).toEqual([[0, 18], [0, 82], [82, 41 * r.meta.laneCount]]); // detect, extract-toc (no lane)
    src.reads.length = 0;
    const m = await server.handle({ path: 'object://brain/small', projection: 'm' });
    expect(m.ok && JSON.parse(text(m.body)).id).toBe('M');
    expect(src.reads).toEqual([range('M')]);
    src.reads.length = 0;
    const svg = await server.handle({ path: 'object://brain/small', projection: 'svg' });
    expect(svg.ok && [svg.headers['Content-Type'], text(svg.body)]).toEqual(['image/svg+xml', small.text]);
    expect(src.reads.every(([o]) => o !== range('T')[0] && o !== range('W')[0])).toBe(true);
    const nodes = await server.handle({ path: 'object://brain/small', projection: 'nodes' });
    expect(nodes.ok && (nodes.body as Uint8Array).length % 16).toBe(0);
  });
  it('an unused tampered lane stays unverified; using it is verification_error.integrity_violation', async () => {
    const r = await Scxq2Reader.fromBytes(env);
    const w = r.meta.toc.find((t) => t.lane === 'W')!;
    const bad = env.slice();
    bad[w.offset + w.size - 1] ^= 1;
    const { server } = envServer(bad);
    const ev: ObjectEvent[] = [];
    server.on((e) => ev.push(e));
    expect((await server.handle({ path: 'object://brain/small', projection: 'svg' })).ok).toBe(true);
    const res = await server.handle({ path: 'object://brain/small', projection: 'w' });
    expect(!res.ok && [res.status, res.error.surface]).toEqual([422, 'verification_error.integrity_violation']);
    expect(ev.at(-1)?.data).toMatchObject({ hook: 'hook.scxq2.merkle.verify-lanes', error: { code: 'integrity_violation' } });
  });
  it('the declared merkle_root is checked at verify; a malformed envelope loses to a hash mismatch', async () => {
    const r = await Scxq2Reader.fromBytes(env);
    const ok = envServer(env, { payload: { type: 'binary', merkle_root: toHex(r.meta.globalRoot) } });
    expect((await ok.server.handle({ path: 'object://brain/small' })).ok).toBe(true);
    const wrong = envServer(env, { payload: { type: 'binary', merkle_root: '00'.repeat(32) } });
    const w = await wrong.server.handle({ path: 'object://brain/small' });
    expect(!w.ok && [w.error.code, w.error.phase]).toEqual(['integrity_violation', 'verify']);
    const broken = env.slice(); broken[9] = 1; // reserved byte
    const b = await envServer(broken).server.handle({ path: 'object://brain/small' });
    expect(!b.ok && [b.error.code, b.error.message]).toEqual(['integrity_violation', 'bad_envelope: reserved byte is not 0']);
    const { server, store } = envServer(broken);
    store.payloads.set(payloadHash(broken), env);
    const h = await server.handle({ path: 'object://brain/small' });
    expect(!h.ok && h.error.code).toBe('hash_mismatch');
  });
  it('a projection that needs a lane the envelope lacks is load_error.missing_lane', async () => {
    const noW = encodeScxq2(canonicalize(S('<line x2="3"/>')).model, canonicalize(S('<line x2="3"/>')).hash);
    const has = (await Scxq2Reader.fromBytes(noW)).meta.toc.map((t) => t.lane).join('');
    const { server } = envServer(noW);
    const r = await server.handle({ path: 'object://brain/small', projection: 'w' });
    if (has.includes('W')) expect(r.ok).toBe(true);
    else expect(!r.ok && r.error.surface).toBe('load_error.missing_lane');
  });
});

describe('O-HOOKS weights.v2c-bin packs', () => {
  const pack = encodePack(sampleLanes(11, 16), 16).bytes;
  function packServer(bytes: Uint8Array) {
    const store = new MemoryStore();
    const src = recording(bytes);
    store.putPayload(src, payloadHash(bytes));
    store.putDescriptor('object://packs/demo', {
      id: 'object://packs/demo', hash: payloadHash(bytes), payload: { type: 'binary', mime: 'application/octet-stream' },
      invariants: ['deterministic'],
      projections: { default: { type: 'json', emit: { root: '@payload.merkle_root', ids: '@payload.lane_ids' } }, manifest: { type: 'json', emit: '@payload.manifest' }, lane: { type: 'json', emit: '@payload.lanes["policy@t0"].q' }, raw: { type: 'binary' } },
    });
    return { src, server: new ObjectServer({ store }) };
  }
  it('lanes are read one at a time, hash-checked against their INDEX leaf', async () => {
    const r = await openPack(bytesSource(pack));
    const i = r.find('policy@t0');
    const { src, server } = packServer(pack);
    const d = await server.handle({ path: 'object://packs/demo' });
    expect(d.ok && JSON.parse(text(d.body)).ids).toEqual(r.ids);
    const man = await server.handle({ path: 'object://packs/demo', projection: 'manifest' });
    expect(man.ok && JSON.parse(text(man.body)).schema).toBe('asx.pack.manifest.v1');
    src.reads.length = 0;
    const lane = await server.handle({ path: 'object://packs/demo', projection: 'lane' });
    expect(lane.ok && JSON.parse(text(lane.body))).toEqual(Array.from((await r.getLane('policy@t0')).q));
    expect(src.reads).toEqual([[r.dataStart + i * r.laneBytes, r.laneBytes]]);
    const raw = await server.handle({ path: 'object://packs/demo', projection: 'raw' });
    expect(raw.ok && (raw.body as ByteSource).size).toBe(pack.length);
  });
  it('a tampered DATA lane fails only when projected; a tampered INDEX fails verification', async () => {
    const r = await openPack(bytesSource(pack));
    const i = r.find('policy@t0');
    const data = pack.slice(); data[r.dataStart + i * r.laneBytes + 4] ^= 1;
    const { server } = packServer(data);
    expect((await server.handle({ path: 'object://packs/demo', projection: 'manifest' })).ok).toBe(true);
    const l = await server.handle({ path: 'object://packs/demo', projection: 'lane' });
    expect(!l.ok && [l.status, l.error.code, l.error.message.split(':')[0]]).toEqual([422, 'integrity_violation', 'leaf_mismatch']);
    const index = pack.slice(); index[r.dataStart - 1] ^= 1; // last byte of the last INDEX leaf hash
    const v = await packServer(index).server.handle({ path: 'object://packs/demo' });
    expect(!v.ok && [v.error.code, v.error.phase]).toEqual(['integrity_violation', 'verify']);
  });
});
