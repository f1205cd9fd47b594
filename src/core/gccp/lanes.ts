/**
 * The SCXQ2 lane layout of §12.2 for π-GCCP state: DICT, FIELD, LANE, EDGE, QUANTUM.
 *
 * Byte layout (little-endian; docs/laws.md π-GCCP §Lanes). Each lane is framed
 *   tag (4 ASCII bytes) · payload length (u32) · payload
 * with tags `DICT`, `FLD `, `LANE`, `EDGE`, `QNTM`, so the concatenation the hash covers
 * is unambiguous (moving a byte between lanes changes it).
 *   DICT    payload: JCS JSON {"nodes": [ids…], "paths": [ids…]} (the symbol table)
 *   FIELD   payload: u32 vectorCount, u32 nodeCount, u32 edgeCount, u32 dims (= 2), u32 order (0 = SVG DOM order)
 *   LANE    payload: vectorCount × [f32 x][f32 y], index order == SVG DOM order
 *   EDGE    payload: edgeCount × [u32 from][u32 to]
 *   QUANTUM payload: one [f32 phase][f32 weight] per vector pair
 * index_hash = "sha256:" + hex(sha256(DICT || FIELD || LANE || EDGE)) over the framed lanes;
 * QUANTUM is excluded, so recomputing phases or swapping profiles keeps the index identity.
 */
import { AsxError } from '../errors.ts';
import { canonicalJson } from '../json/jcs.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import { utf8, decodeUtf8Strict } from '../bytes/utf8.ts';

export const LANE_TAGS = { DICT: 'DICT', FIELD: 'FLD ', LANE: 'LANE', EDGE: 'EDGE', QUANTUM: 'QNTM' } as const;
export type LaneName = keyof typeof LANE_TAGS;
export const LANE_ORDER: LaneName[] = ['DICT', 'FIELD', 'LANE', 'EDGE', 'QUANTUM'];

export interface GccpIndex {
  nodes: string[];
  paths: string[];
  /** Interleaved f32 vectors, SVG DOM order. */
  vectors: Float32Array;
  /** Interleaved [from, to] node indices. */
  edges: Uint32Array;
  nodeCount: number;
}

export interface Quantum { phase: Float32Array; weight: Float32Array }

function frame(name: LaneName, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  for (let i = 0; i < 4; i++) out[i] = LANE_TAGS[name].charCodeAt(i);
  new DataView(out.buffer).setUint32(4, payload.length, true);
  out.set(payload, 8);
  return out;
}

export function encodeLanes(index: GccpIndex, quantum?: Quantum): Record<LaneName, Uint8Array> {
  const n = index.vectors.length / 2;
  if (!Number.isInteger(n)) throw new AsxError('bad_vectors', 'LANE needs interleaved [x, y] pairs');
  if (index.edges.length % 2) throw new AsxError('bad_input', 'EDGE needs [from, to] pairs');
  for (let i = 0; i < index.edges.length; i++) if (index.edges[i] >= index.nodeCount) throw new AsxError('bad_input', `edge ${i >> 1} names node ${index.edges[i]} of ${index.nodeCount}`, { path: `edges[${i >> 1}]` });
  const dict = utf8(canonicalJson({ nodes: index.nodes, paths: index.paths }));
  const field = new Uint8Array(20);
  const fv = new DataView(field.buffer);
  [n, index.nodeCount, index.edges.length / 2, 2, 0].forEach((v, i) => fv.setUint32(4 * i, v, true));
  const lane = new Uint8Array(8 * n);
  const lv = new DataView(lane.buffer);
  for (let i = 0; i < 2 * n; i++) lv.setFloat32(4 * i, index.vectors[i], true);
  const edge = new Uint8Array(4 * index.edges.length);
  const ev = new DataView(edge.buffer);
  for (let i = 0; i < index.edges.length; i++) ev.setUint32(4 * i, index.edges[i], true);
  const q = quantum ?? { phase: new Float32Array(n), weight: new Float32Array(n) };
  if (q.phase.length !== n || q.weight.length !== n) throw new AsxError('bad_input', 'QUANTUM needs one [phase, weight] per vector pair');
  const quant = new Uint8Array(8 * n);
  const qv = new DataView(quant.buffer);
  for (let i = 0; i < n; i++) { qv.setFloat32(8 * i, q.phase[i], true); qv.setFloat32(8 * i + 4, q.weight[i], true); }
  return { DICT: frame('DICT', dict), FIELD: frame('FIELD', field), LANE: frame('LANE', lane), EDGE: frame('EDGE', edge), QUANTUM: frame('QUANTUM', quant) };
}

/** All five lanes in the frozen order, one byte string. */
export function concatLanes(lanes: Record<LaneName, Uint8Array>): Uint8Array {
  const total = LANE_ORDER.reduce((s, k) => s + lanes[k].length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const k of LANE_ORDER) { out.set(lanes[k], o); o += lanes[k].length; }
  return out;
}

export function indexHash(lanes: Record<LaneName, Uint8Array>): string {
  const parts = (['DICT', 'FIELD', 'LANE', 'EDGE'] as const).map((k) => lanes[k]);
  const buf = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { buf.set(p, o); o += p.length; }
  return `sha256:${toHex(sha256(buf))}`;
}

/** Read the five lanes back (the writer's inverse); rejects bad tags, lengths and counts. */
export function decodeLanes(bytes: Uint8Array): { index: GccpIndex; quantum: Quantum; lanes: Record<LaneName, Uint8Array> } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lanes = {} as Record<LaneName, Uint8Array>;
  const payloads = {} as Record<LaneName, DataView>;
  let o = 0;
  for (const k of LANE_ORDER) {
    if (o + 8 > bytes.length) throw new AsxError('truncated', `lane ${k} header is cut off`, { offset: o });
    const tag = String.fromCharCode(...bytes.subarray(o, o + 4));
    if (tag !== LANE_TAGS[k]) throw new AsxError('bad_lane', `expected lane tag ${JSON.stringify(LANE_TAGS[k])}, found ${JSON.stringify(tag)}`, { offset: o });
    const len = dv.getUint32(o + 4, true);
    if (o + 8 + len > bytes.length) throw new AsxError('section_overflow', `lane ${k} claims ${len} bytes past the end`, { offset: o + 4 });
    lanes[k] = bytes.subarray(o, o + 8 + len);
    payloads[k] = new DataView(bytes.buffer, bytes.byteOffset + o + 8, len);
    o += 8 + len;
  }
  if (o !== bytes.length) throw new AsxError('bad_lane', 'bytes after the QUANTUM lane', { offset: o });
  let dict: { nodes?: unknown; paths?: unknown };
  try { dict = JSON.parse(decodeUtf8Strict(lanes.DICT.subarray(8))); } catch { throw new AsxError('bad_dict', 'DICT is not UTF-8 JSON', { offset: 8 }); }
  if (!Array.isArray(dict.nodes) || !Array.isArray(dict.paths)) throw new AsxError('bad_dict', 'DICT needs "nodes" and "paths" arrays');
  const f = payloads.FIELD;
  if (f.byteLength !== 20) throw new AsxError('bad_lane', 'FIELD is 20 bytes');
  const [n, nodeCount, edgeCount] = [0, 1, 2].map((i) => f.getUint32(4 * i, true));
  if (payloads.LANE.byteLength !== 8 * n || payloads.EDGE.byteLength !== 8 * edgeCount || payloads.QUANTUM.byteLength !== 8 * n) throw new AsxError('bad_lane', 'lane sizes disagree with FIELD counts');
  const vectors = new Float32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) vectors[i] = payloads.LANE.getFloat32(4 * i, true);
  const edges = new Uint32Array(2 * edgeCount);
  for (let i = 0; i < edges.length; i++) edges[i] = payloads.EDGE.getUint32(4 * i, true);
  const phase = new Float32Array(n), weight = new Float32Array(n);
  for (let i = 0; i < n; i++) { phase[i] = payloads.QUANTUM.getFloat32(8 * i, true); weight[i] = payloads.QUANTUM.getFloat32(8 * i + 4, true); }
  return { index: { nodes: dict.nodes as string[], paths: dict.paths as string[], vectors, edges, nodeCount }, quantum: { phase, weight }, lanes };
}

export interface CacheCheck { legal: boolean; reason: string }

/** §12.2 cache legality: hash(index) == hash(request) AND hash(profile) == hash(profile_used). */
export function cacheLegal(cached: { index_hash: string; profile_hash: string }, request: { index_hash: string; profile_hash: string }): CacheCheck {
  if (cached.index_hash !== request.index_hash) return { legal: false, reason: `index hash differs (${cached.index_hash} ≠ ${request.index_hash})` };
  if (cached.profile_hash !== request.profile_hash) return { legal: false, reason: `profile hash differs (${cached.profile_hash} ≠ ${request.profile_hash})` };
  return { legal: true, reason: 'index and profile hashes match' };
}
