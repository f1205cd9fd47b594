/**
 * The compliance fixture set (docs/laws.md O-COMPLIANCE): the objects an Object Server must
 * hold, under `object://compliance/…`, for the §15.14 suite (compliance-suite.ts) to run
 * against it over HTTP. `asx objects fixture DIR` writes them into an object folder; any other
 * server loads the same descriptors and blobs by its own means. Pure and deterministic: the
 * same bytes every time, in Node and in the browser.
 *
 * A blob is listed under the hash its descriptor declares; for `tampered` the stored bytes are
 * deliberately not the bytes of that hash (same length, one digit changed), and `missing-payload`
 * declares a hash whose blob is not in the set.
 */
import { bytesSource } from '../bytes/source.ts';
import { utf8 } from '../bytes/utf8.ts';
import { encodePack } from '../pack/write.ts';
import { openPack } from '../pack/read.ts';
import { MemoryStore, payloadHash } from './server.ts';

export const COMPLIANCE_DOMAIN = 'compliance';
const ID = (name: string) => `object://${COMPLIANCE_DOMAIN}/${name}`;

/** The §15.14 counter payload (the same 72 bytes as the in-process compliance tests). */
export const FIXTURE_COUNTER = utf8('{"counter":3,"label":"demo","items":[1,2,3],"nested":{"a":{"b":"deep"}}}');
/** Declared bytes of `tampered`, and the bytes stored under their hash instead. */
const TAMPER_DECLARED = utf8('{"counter":5,"label":"demo","items":[1,2,3],"nested":{"a":{"b":"deep"}}}');
const TAMPER_STORED = utf8('{"counter":6,"label":"demo","items":[1,2,3],"nested":{"a":{"b":"deep"}}}');
/** Declared bytes of `missing-payload` (never stored). */
const MISSING_DECLARED = utf8('{"compliance":"this payload is not in the store"}');

/** Size of the streamed binary fixture: 3 MiB + 17 bytes (several 1 MiB chunks, an odd tail). */
export const FIXTURE_BLOB_BYTES = 3 * 1024 * 1024 + 17;
/** Lanes of the pack fixtures (ids sorted as the pack stores them). */
export const FIXTURE_PACK_LANES = ['attention@t0', 'ctx@t0', 'policy@t0', 'value@t0'] as const;
export const FIXTURE_PACK_DIMS = 16;
/** The lane whose DATA bytes are flipped in `pack-tampered-lane`. */
export const FIXTURE_TAMPERED_LANE = 'value@t0';

export interface FixtureSet {
  /** Descriptor bytes by canonical id. */
  descriptors: Map<string, Uint8Array>;
  /** Stored payload bytes by the hash that names them (`sha256:<hex>`); `tampered`'s do not match their name. */
  blobs: Map<string, Uint8Array>;
  /** Facts the suite checks against. */
  facts: {
    counterHash: string;
    blobHash: string;
    blob: Uint8Array;
    packHash: string;
    tamperedPackHash: string;
  };
}

/** Deterministic bytes (xorshift32). */
export function fixtureBlob(n = FIXTURE_BLOB_BYTES, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

function laneWeights(i: number): number[] {
  return Array.from({ length: FIXTURE_PACK_DIMS }, (_, d) => Math.round(1000 * Math.sin(1 + i * 7 + d * 0.37)) / 1000);
}

const BUILTINS = ['immutable_payload', 'no_execution', 'projection_only'];

function jsonObject(name: string, hash: string, size: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    $schema: 'object://schema/object.v1',
    id: ID(name),
    hash,
    payload: { type: 'json', mime: 'application/json', location: './state.json', encoding: 'utf-8', size },
    authority: 'none',
    executable: false,
    identity: { name, version: '1.0.0' },
    projections: {
      default: { type: 'json', emit: { counter: '@payload.counter', label: '@payload.label' } },
      http: { type: 'http-response', status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'immutable' }, body: '@payload' },
      raw: { type: 'binary', source: '@payload', encoding: 'raw' },
      text: { type: 'http-response', status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: '@payload.label' },
    },
    invariants: [...BUILTINS, 'deterministic'],
    ...extra,
  };
}

function packObject(name: string, hash: string, size: number): Record<string, unknown> {
  const lanes: Record<string, unknown> = {};
  for (const l of FIXTURE_PACK_LANES) lanes[`lane.${l.replace('@', '.')}`] = { type: 'json', emit: `@payload.lanes[${JSON.stringify(l)}]` };
  return {
    $schema: 'object://schema/object.v1',
    id: ID(name),
    hash,
    payload: { type: 'binary', mime: 'application/octet-stream', location: './weights.v2c.bin', encoding: 'raw', size },
    authority: 'none',
    executable: false,
    identity: { name, version: '1.0.0' },
    projections: { manifest: { type: 'json', emit: '@payload.manifest' }, root: { type: 'json', emit: { merkle_root: '@payload.merkle_root', lane_ids: '@payload.lane_ids' } }, ...lanes, raw: { type: 'binary', source: '@payload' } },
    invariants: BUILTINS,
  };
}

/** Projection name of a pack fixture lane (`lane.policy.t0`). */
export function laneProjection(lane: string): string { return `lane.${lane.replace('@', '.')}`; }

let memo: Promise<FixtureSet> | null = null;

/** The fixture set (built once per process). */
export function complianceFixtures(): Promise<FixtureSet> {
  memo ??= buildFixtures();
  return memo;
}

async function buildFixtures(): Promise<FixtureSet> {
  const descriptors = new Map<string, Uint8Array>();
  const blobs = new Map<string, Uint8Array>();
  const put = (d: Record<string, unknown>) => descriptors.set(d.id as string, utf8(JSON.stringify(d, null, 2) + '\n'));

  const counterHash = payloadHash(FIXTURE_COUNTER);
  blobs.set(counterHash, FIXTURE_COUNTER);
  const n = FIXTURE_COUNTER.length;
  put(jsonObject('counter', counterHash, n));
  // Built-in invariants contradicted by the descriptor.
  put(jsonObject('projection-only-violated', counterHash, n, { authority: 'read' }));
  put(jsonObject('executable', counterHash, n, { executable: true }));
  // Authority read: projection allowed, read needs the capability (escalation).
  put(jsonObject('authority-read', counterHash, n, { authority: 'read', invariants: ['immutable_payload', 'no_execution', 'deterministic'] }));
  // Custom invariants declared as data (O-INVARIANTS), one holding, one violated, one unknown.
  put(jsonObject('custom-holds', counterHash, n, { invariants: [...BUILTINS, { name: 'counter_small', description: 'the counter is an integer ≤ 10', assert: { ref: '@payload.counter', all_of: [{ type: 'integer' }, { maximum: 10 }] } }] }));
  put(jsonObject('custom-violated', counterHash, n, { invariants: [...BUILTINS, { name: 'counter_tiny', description: 'the counter is ≤ 2', assert: { ref: '@payload.counter', maximum: 2 } }] }));
  put(jsonObject('custom-unknown', counterHash, n, { invariants: [...BUILTINS, 'compliance_unregistered_rule'] }));
  // Load failures.
  const tamperedHash = payloadHash(TAMPER_DECLARED);
  blobs.set(tamperedHash, TAMPER_STORED);
  put(jsonObject('tampered', tamperedHash, TAMPER_DECLARED.length));
  put(jsonObject('missing-payload', payloadHash(MISSING_DECLARED), MISSING_DECLARED.length));
  descriptors.set(ID('bad-descriptor'), utf8(JSON.stringify({ id: ID('bad-descriptor'), hash: counterHash }) + '\n'));

  // Streaming: a binary payload larger than one read chunk.
  const blob = fixtureBlob();
  const blobHash = payloadHash(blob);
  blobs.set(blobHash, blob);
  put({
    $schema: 'object://schema/object.v1', id: ID('blob'), hash: blobHash,
    payload: { type: 'binary', mime: 'application/octet-stream', location: './data.bin', encoding: 'raw', size: blob.length },
    authority: 'none', executable: false, identity: { name: 'blob', version: '1.0.0' },
    projections: { default: { type: 'binary', source: '@payload' }, raw: { type: 'binary', source: '@payload' } },
    invariants: BUILTINS,
  });

  // ASX integration (§19, O-HOOKS): a weights.v2c-bin pack, and the same pack with one lane's DATA flipped.
  const pack = encodePack(FIXTURE_PACK_LANES.map((id, i) => ({ id, W: laneWeights(i) })), FIXTURE_PACK_DIMS, { laneAudits: 0 }).bytes;
  const packHash = payloadHash(pack);
  blobs.set(packHash, pack);
  put(packObject('pack', packHash, pack.length));
  const reader = await openPack(bytesSource(pack));
  const li = reader.find(FIXTURE_TAMPERED_LANE);
  const bad = pack.slice();
  bad[reader.dataStart + li * reader.laneBytes + reader.laneBytes - 1] ^= 0x01;
  const tamperedPackHash = payloadHash(bad);
  blobs.set(tamperedPackHash, bad);
  put(packObject('pack-tampered-lane', tamperedPackHash, bad.length));

  return { descriptors, blobs, facts: { counterHash, blobHash, blob, packHash, tamperedPackHash } };
}

/** The fixture set in a MemoryStore (the reference answers of the suite come from the core over it). */
export async function fixtureStore(): Promise<MemoryStore> {
  const f = await complianceFixtures();
  const s = new MemoryStore();
  for (const [h, b] of f.blobs) s.putPayload(b, h);
  for (const [id, d] of f.descriptors) s.putDescriptor(id, d);
  return s;
}
