/**
 * §19 Object Server SCXQ2 hooks as plain, pure functions (the Object Server issue wires
 * them). Each failure is an AsxError whose code maps to the §19.10 error surface
 * (`errorSurface`); `runHook` emits the `object.error` event for it.
 */
import { AsxError } from '../errors.ts';
import { bytesEqual } from '../bytes/hex.ts';
import type { ByteSource } from '../bytes/source.ts';
import { MAGIC, Scxq2Reader, inflateLanes, type EnvelopeMeta, type LaneVerifyResult } from './envelope.ts';
import type { DecodedLane, LaneId } from './lanes.ts';
import { canonicalize } from '../svg/canonical.ts';
import { mapToBuffers, type GpuBuffers } from '../svg/webgpu.ts';
import { decodeXmlInput } from '../svg/xml.ts';

export type HookErrorName =
  | 'verification_error.integrity_violation'
  | 'verification_error.illegal_tensor'
  | 'load_error.missing_lane'
  | 'projection_error.round_trip_failure';

/** §19.10 name of an error; malformed envelope bytes count as integrity violations (L-HOOKS). */
export function errorSurface(e: unknown): HookErrorName | null {
  if (!(e instanceof AsxError)) return null;
  switch (e.code) {
    case 'integrity_violation': case 'bad_envelope': case 'bad_magic': case 'bad_version': case 'truncated': return 'verification_error.integrity_violation';
    case 'illegal_tensor': case 'xml_syntax': case 'xml_entity': case 'xml_limit': return 'verification_error.illegal_tensor';
    case 'missing_lane': return 'load_error.missing_lane';
    case 'round_trip_failure': return 'projection_error.round_trip_failure';
    default: return null;
  }
}

export interface ObjectErrorEvent { type: 'object.error'; hook: string; error: HookErrorName | 'internal'; code: string; message: string }

/** Run a hook; on failure emit `object.error` and rethrow. */
export async function runHook<T>(hook: string, fn: () => T | Promise<T>, emit?: (e: ObjectErrorEvent) => void): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    emit?.({ type: 'object.error', hook, error: errorSurface(e) ?? 'internal', code: e instanceof AsxError ? e.code : 'internal', message: (e as Error).message });
    throw e;
  }
}

export type PayloadFormat = 'svg-canonical' | 'scxq2-svg';
export interface DetectResult { format: PayloadFormat; envelope?: { version: number; lane_count: number; toc_offset: number; total_size: number } }

/** hook.scxq2.detect (load): look at the magic only — no decompression, validation or hashing. */
export function detect(input: { payload_bytes: Uint8Array }): DetectResult {
  const b = input.payload_bytes;
  if (b.length >= 18 && String.fromCharCode(...b.subarray(0, 6)) === MAGIC) {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return { format: 'scxq2-svg', envelope: { version: dv.getUint16(6, true), lane_count: b[8], toc_offset: dv.getUint32(10, true), total_size: dv.getUint32(14, true) } };
  }
  return { format: 'svg-canonical' };
}

/** hook.scxq2.extract-toc (load): header and TOC, nothing else read. */
export async function extractToc(src: ByteSource): Promise<{ reader: Scxq2Reader; meta: EnvelopeMeta }> {
  const reader = await Scxq2Reader.open(src);
  return { reader, meta: reader.meta };
}

/** hook.scxq2.merkle.verify-root (verify). */
export function verifyRoot(reader: Scxq2Reader, descriptorRoot?: string): void {
  reader.verifyRoot(descriptorRoot);
}

export type Projection = 'canonical' | 'webgpu' | 'topology' | 'weights';
/** Lanes each projection needs (§19.5 "verify required lanes based on projection"). */
export const PROJECTION_LANES: Record<Projection, readonly LaneId[]> = {
  canonical: ['M', 'G', 'X', 'D', 'E'],
  webgpu: ['M', 'G', 'X', 'D', 'E'],
  topology: ['M', 'T'],
  weights: ['M', 'W'],
};

/** Lanes a projection needs, in TOC order; a required lane the envelope lacks is `missing_lane` (X, D, E only when M/G need them: inflate checks). */
export function requiredLanes(reader: Scxq2Reader, projection: Projection | readonly LaneId[]): LaneId[] {
  const want = typeof projection === 'string' ? PROJECTION_LANES[projection] : projection;
  const out: LaneId[] = [];
  for (const l of want) {
    if (reader.has(l)) out.push(l);
    else if (l !== 'X' && l !== 'D' && l !== 'E') throw new AsxError('missing_lane', `projection needs lane ${l}, the envelope has ${reader.meta.toc.map((t) => t.lane).join('')}`);
  }
  return out;
}

/** hook.scxq2.merkle.verify-lanes (verify): only the lanes the projection needs. */
export async function verifyLanes(reader: Scxq2Reader, projection: Projection | readonly LaneId[]): Promise<LaneVerifyResult[]> {
  const res = await reader.verifyLanes(requiredLanes(reader, projection));
  const bad = res.find((r) => !r.ok);
  if (bad) throw new AsxError('integrity_violation', bad.message ?? `lane ${bad.lane} failed verification`);
  return res;
}

/** hook.scxq2.legality.svg-tensor (verify): the bytes are a legal tensor in canonical form. */
export function legality(canonicalBytes: Uint8Array): void {
  const c = canonicalize(canonicalBytes);
  if (!bytesEqual(c.bytes, canonicalBytes)) throw new AsxError('illegal_tensor', 'legal, but not in svg-tensor.canonical.v1 form (canonicalize it first)');
}

/** hook.scxq2.decompress-lanes (project): lazy, lane-scoped, in TOC order. */
export async function decompressLanes(reader: Scxq2Reader, projection: Projection | readonly LaneId[]): Promise<Map<LaneId, DecodedLane>> {
  const out = new Map<LaneId, DecodedLane>();
  for (const l of requiredLanes(reader, projection)) out.set(l, await reader.lane(l));
  return out;
}

/** hook.svg.canonical.inflate (project): lane streams → canonical SVG bytes. */
export function canonicalInflate(lanes: Map<LaneId, DecodedLane>, canonicalHash: Uint8Array): Uint8Array {
  const m = lanes.get('M'), g = lanes.get('G');
  if (!m) throw new AsxError('missing_lane', 'inflate needs lane M');
  if (!g) throw new AsxError('missing_lane', 'inflate needs lane G');
  return inflateLanes(m, g, lanes.get('X') ?? null, lanes.get('D') ?? null, canonicalHash, lanes.get('E') ?? null).bytes;
}

/** hook.svg.webgpu.map (project): canonical bytes → buffers (never written after creation). */
export function webgpuMap(canonicalBytes: Uint8Array): GpuBuffers {
  decodeXmlInput(canonicalBytes);
  const c = canonicalize(canonicalBytes);
  return mapToBuffers(c.model);
}

/**
 * §18.13 + §19.7 for the webgpu projection over an envelope: verify the required lanes
 * (refusing if any lacks proof), decompress only them, inflate, then map.
 */
export async function projectWebgpu(reader: Scxq2Reader, emit?: (e: ObjectErrorEvent) => void): Promise<GpuBuffers> {
  await runHook('hook.scxq2.merkle.verify-root', () => verifyRoot(reader), emit);
  await runHook('hook.scxq2.merkle.verify-lanes', () => verifyLanes(reader, 'webgpu'), emit);
  const lanes = await runHook('hook.scxq2.decompress-lanes', () => decompressLanes(reader, 'webgpu'), emit);
  const bytes = await runHook('hook.svg.canonical.inflate', () => canonicalInflate(lanes, reader.meta.canonicalHash), emit);
  return runHook('hook.svg.webgpu.map', () => webgpuMap(bytes), emit);
}

/** Uniform hook input: what the Object Server hands a hook. */
export interface HookInput {
  payload_bytes?: Uint8Array;
  source?: ByteSource;
  reader?: Scxq2Reader;
  projection?: Projection;
  descriptor_root?: string;
  lanes?: Map<LaneId, DecodedLane>;
  canonical_hash?: Uint8Array;
  canonical_bytes?: Uint8Array;
}

export interface ObjectHook {
  id: string;
  phase: 'load' | 'verify' | 'project';
  accepts: string[];
  provides: string[];
  fn(input: HookInput): unknown;
}

function need<T>(v: T | undefined, what: string, hook: string): T {
  if (v === undefined) throw new AsxError('bad_input', `${hook} needs ${what}`);
  return v;
}

/** The §19.4–§19.6 hook table. */
export const SCXQ2_HOOKS: readonly ObjectHook[] = [
  { id: 'hook.scxq2.detect', phase: 'load', accepts: ['ai.brain.svg-tensor.v1'], provides: ['compression-aware-load'],
    fn: (i) => detect({ payload_bytes: need(i.payload_bytes, 'payload_bytes', 'hook.scxq2.detect') }) },
  { id: 'hook.scxq2.extract-toc', phase: 'load', accepts: ['scxq2-svg'], provides: ['lane-index'],
    fn: (i) => extractToc(need(i.source, 'source', 'hook.scxq2.extract-toc')) },
  { id: 'hook.scxq2.merkle.verify-root', phase: 'verify', accepts: ['scxq2-svg'], provides: ['integrity-verification'],
    fn: (i) => verifyRoot(need(i.reader, 'reader', 'hook.scxq2.merkle.verify-root'), i.descriptor_root) },
  { id: 'hook.scxq2.merkle.verify-lanes', phase: 'verify', accepts: ['scxq2-svg'], provides: ['lane-verification'],
    fn: (i) => verifyLanes(need(i.reader, 'reader', 'hook.scxq2.merkle.verify-lanes'), i.projection ?? 'canonical') },
  { id: 'hook.scxq2.legality.svg-tensor', phase: 'verify', accepts: ['ai.brain.svg-tensor.v1'], provides: ['tensor-legality'],
    fn: (i) => legality(need(i.canonical_bytes, 'canonical_bytes', 'hook.scxq2.legality.svg-tensor')) },
  { id: 'hook.scxq2.decompress-lanes', phase: 'project', accepts: ['scxq2-svg'], provides: ['lane-streams'],
    fn: (i) => decompressLanes(need(i.reader, 'reader', 'hook.scxq2.decompress-lanes'), i.projection ?? 'canonical') },
  { id: 'hook.svg.canonical.inflate', phase: 'project', accepts: ['lane-streams'], provides: ['canonical-svg'],
    fn: (i) => canonicalInflate(need(i.lanes, 'lanes', 'hook.svg.canonical.inflate'), need(i.canonical_hash, 'canonical_hash', 'hook.svg.canonical.inflate')) },
  { id: 'hook.svg.webgpu.map', phase: 'project', accepts: ['ai.brain.svg-tensor.v1'], provides: ['gpu-buffers'],
    fn: (i) => webgpuMap(need(i.canonical_bytes, 'canonical_bytes', 'hook.svg.webgpu.map')) },
];
