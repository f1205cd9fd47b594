/**
 * `svg-tensor.webgpu.map.v1` (§17.2): canonical model → node, edge, weight and meta buffers,
 * plus the three buffers the exact inverse needs (op, value, id; docs/laws.md L-MAP), and
 * the inverse projection buffers → canonical SVG bytes. Indices follow canonical order.
 */
import { AsxError } from '../errors.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import { utf8, decodeUtf8Strict } from '../bytes/utf8.ts';
import { isPrimitive, preorder, serialize, KINDS, type TNode } from './model.ts';
import { FLAG, KIND_SHIFT, modelToRecords, recordsToModel, type ElementRecord, type Cmd } from './records.ts';
import { applyMatrix, multiply, IDENTITY, type Matrix } from './transform.ts';
import { dsin, dcos, datan2, dhypot } from './detmath.ts';

export const MAP_PROFILE = 'svg-tensor.webgpu.map.v1';
export const META_HEADER_WORDS = 4;
export const META_ELEMENT_WORDS = 8;
/** Meta header `topology` enum (§16.6 topology names). */
export const TOPOLOGY = { graph: 0, lattice: 1, manifold: 2 } as const;
/** Meta header `flags` bits. */
export const MAP_FLAGS = { HAS_CYCLE: 1, LEGAL: 2, TWO_D: 4 } as const;

export interface GpuBuffers {
  /** struct Node { f32 x, y, z, rank } — world coordinates (all transforms applied). */
  nodeBuffer: Float32Array;
  /** struct Edge { u32 from, to }. */
  edgeBuffer: Uint32Array;
  /** struct Weight { f32 magnitude, confidence, gradient } — one per primitive, canonical order. */
  weightBuffer: Float32Array;
  /** struct Meta { u32 nodeCount, edgeCount, topology, flags } then 8 words per element. */
  metaBuffer: Uint32Array;
  /** One word per command: opcode | pairs << 8. */
  opBuffer: Uint32Array;
  /** Every number (transforms, then command values) as f64 bit pairs (lo, hi). */
  valueBuffer: Uint32Array;
  /** Ids, UTF-8, each preceded by a u32 little-endian byte length. */
  idBuffer: Uint8Array;
}

export interface ElementWeight { magnitude: number; confidence: number; gradient: number }

const FLATTEN_STEPS = 16;

/** Polyline approximation of a primitive in its own coordinates, as subpaths with a closed flag. */
export function primitivePolylines(n: TNode): { pts: number[]; closed: boolean }[] {
  switch (n.kind) {
    case 'path': {
      const out: { pts: number[]; closed: boolean }[] = [];
      let cur: { pts: number[]; closed: boolean } | null = null;
      let cx = 0, cy = 0;
      for (const c of n.d!) {
        if (c.op === 'M') { cur = { pts: [c.p[0], c.p[1]], closed: false }; out.push(cur); cx = c.p[0]; cy = c.p[1]; continue; }
        if (!cur) continue;
        if (c.op === 'L') { cur.pts.push(c.p[0], c.p[1]); cx = c.p[0]; cy = c.p[1]; }
        else if (c.op === 'C' || c.op === 'Q') {
          const p = c.p;
          // A curve whose control points and end all sit on its start has zero length. Its
          // flattening would not be exact (u²·x + 2ut·x + t²·x need not round to x): sub-ulp
          // segments in arbitrary directions that add up to ~π of turning each (L-WEIGHT).
          let degenerate = true;
          for (let k = 0; k < p.length; k += 2) if (p[k] !== cx || p[k + 1] !== cy) degenerate = false;
          if (degenerate) continue;
          for (let k = 1; k <= FLATTEN_STEPS; k++) {
            const t = k / FLATTEN_STEPS, u = 1 - t;
            if (c.op === 'C') cur.pts.push(u * u * u * cx + 3 * u * u * t * p[0] + 3 * u * t * t * p[2] + t * t * t * p[4], u * u * u * cy + 3 * u * u * t * p[1] + 3 * u * t * t * p[3] + t * t * t * p[5]);
            else cur.pts.push(u * u * cx + 2 * u * t * p[0] + t * t * p[2], u * u * cy + 2 * u * t * p[1] + t * t * p[3]);
          }
          cx = p[p.length - 2]; cy = p[p.length - 1];
        } else if (c.op === 'Z') cur.closed = true;
      }
      return out;
    }
    case 'line': return [{ pts: [n.x1!, n.y1!, n.x2!, n.y2!], closed: false }];
    case 'polyline': return [{ pts: n.points!.slice(), closed: false }];
    case 'polygon': return [{ pts: n.points!.slice(), closed: true }];
    case 'circle': case 'ellipse': {
      const rx = n.kind === 'circle' ? n.r! : n.rx!, ry = n.kind === 'circle' ? n.r! : n.ry!;
      const pts: number[] = [];
      const steps = 4 * FLATTEN_STEPS;
      for (let k = 0; k < steps; k++) { const a = (2 * Math.PI * k) / steps; pts.push(n.cx! + rx * dcos(a), n.cy! + ry * dsin(a)); }
      return [{ pts, closed: true }];
    }
    default: return [];
  }
}

/**
 * L-WEIGHT: magnitude = length × √|det(CTM)| (ellipses: Ramanujan's perimeter, curves:
 * 16-step flattening); confidence = the nearest stroke-width on the element or an ancestor
 * (default 1); gradient = total absolute turning angle / length (mean curvature).
 */
export function elementWeight(n: TNode, ctm: Matrix, strokeWidth: number): ElementWeight {
  let length = 0;
  let turning = 0;
  if (n.kind === 'circle' || n.kind === 'ellipse') {
    const a = n.kind === 'circle' ? n.r! : n.rx!, b = n.kind === 'circle' ? n.r! : n.ry!;
    length = Math.PI * (3 * (a + b) - Math.sqrt((3 * a + b) * (a + 3 * b)));
    turning = 2 * Math.PI;
  } else {
    for (const sp of primitivePolylines(n)) {
      const p = sp.pts;
      const segs: number[] = [];
      for (let i = 2; i < p.length; i += 2) segs.push(p[i - 2], p[i - 1], p[i], p[i + 1]);
      if (sp.closed && p.length >= 4) segs.push(p[p.length - 2], p[p.length - 1], p[0], p[1]);
      let pdx = 0, pdy = 0, have = false;
      for (let i = 0; i < segs.length; i += 4) {
        const dx = segs[i + 2] - segs[i], dy = segs[i + 3] - segs[i + 1];
        const l = dhypot(dx, dy);
        if (l === 0) continue;
        length += l;
        if (have) turning += Math.abs(datan2(pdx * dy - pdy * dx, pdx * dx + pdy * dy));
        pdx = dx; pdy = dy; have = true;
      }
    }
  }
  const scale = Math.sqrt(Math.abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]));
  return { magnitude: length * scale, confidence: strokeWidth, gradient: length > 0 ? turning / length : 0 };
}

export interface Traversal {
  nodes: number[]; // x, y, z, rank
  edges: number[]; // from, to
  weights: ElementWeight[];
  /** Per element (canonical order): first node, node count, first edge, edge count. */
  spans: [number, number, number, number][];
  hasCycle: boolean;
}

/** Nodes, edges and weights of a canonical model (L-MAP). */
export function traverse(root: TNode): Traversal {
  const nodes: number[] = [];
  const edges: number[] = [];
  const weights: ElementWeight[] = [];
  const spans: [number, number, number, number][] = [];
  let hasCycle = false;
  const ctms = new Map<TNode, Matrix>();
  const sws = new Map<TNode, number>();
  const parents = new Map<TNode, TNode>();
  for (const { node } of preorder(root)) for (const c of node.children) parents.set(c, node);
  for (const { node: n, rank } of preorder(root)) {
    const parent = parents.get(n);
    const pctm = parent ? ctms.get(parent)! : IDENTITY;
    const ctm = n.transform ? multiply(pctm, n.transform) : pctm;
    ctms.set(n, ctm);
    const sw = n.strokeWidth ?? (parent ? sws.get(parent)! : 1);
    sws.set(n, sw);
    const n0 = nodes.length / 4, e0 = edges.length / 2;
    if (isPrimitive(n.kind)) {
      const add = (x: number, y: number) => { const [wx, wy] = applyMatrix(ctm, x, y); nodes.push(wx, wy, 0, rank); return nodes.length / 4 - 1; };
      const edge = (a: number, b: number) => { edges.push(a, b); };
      switch (n.kind) {
        case 'path': {
          let cur = -1, start = -1;
          for (const c of n.d!) {
            if (c.op === 'M') { cur = start = add(c.p[0], c.p[1]); continue; }
            if (c.op === 'Z') { if (cur !== start) { edge(cur, start); hasCycle = true; } cur = start; continue; }
            const k = add(c.p[c.p.length - 2], c.p[c.p.length - 1]);
            edge(cur, k);
            cur = k;
          }
          break;
        }
        case 'line': { const a = add(n.x1!, n.y1!); edge(a, add(n.x2!, n.y2!)); break; }
        case 'polyline': case 'polygon': {
          const p = n.points!;
          const first = nodes.length / 4;
          for (let i = 0; i < p.length; i += 2) { const k = add(p[i], p[i + 1]); if (i > 0) edge(k - 1, k); }
          if (n.kind === 'polygon' && p.length >= 4) { edge(nodes.length / 4 - 1, first); hasCycle = true; }
          break;
        }
        case 'circle': case 'ellipse': {
          const rx = n.kind === 'circle' ? n.r! : n.rx!, ry = n.kind === 'circle' ? n.r! : n.ry!;
          const a = add(n.cx! + rx, n.cy!), b = add(n.cx!, n.cy! + ry), c = add(n.cx! - rx, n.cy!), d = add(n.cx!, n.cy! - ry);
          edge(a, b); edge(b, c); edge(c, d); edge(d, a);
          hasCycle = true;
          break;
        }
        default: break;
      }
      weights.push(elementWeight(n, ctm, sw));
    }
    spans.push([n0, nodes.length / 4 - n0, e0, edges.length / 2 - e0]);
  }
  return { nodes, edges, weights, spans, hasCycle };
}

/** Map a canonical model to buffers (the model must be sorted: use canonicalFromModel first). */
export function mapToBuffers(root: TNode): GpuBuffers {
  const recs = modelToRecords(root);
  const tr = traverse(root);
  const meta = new Uint32Array(META_HEADER_WORDS + META_ELEMENT_WORDS * recs.length);
  meta[0] = tr.nodes.length / 4;
  meta[1] = tr.edges.length / 2;
  meta[2] = TOPOLOGY.graph;
  meta[3] = (tr.hasCycle ? MAP_FLAGS.HAS_CYCLE : 0) | MAP_FLAGS.LEGAL | MAP_FLAGS.TWO_D;
  const ops: number[] = [];
  const values: number[] = [];
  const ids: Uint8Array[] = [];
  recs.forEach((r, i) => {
    const o = META_HEADER_WORDS + META_ELEMENT_WORDS * i;
    const s = tr.spans[i];
    meta[o] = r.flags; meta[o + 1] = r.rank; meta[o + 2] = s[0]; meta[o + 3] = s[1]; meta[o + 4] = s[2]; meta[o + 5] = s[3];
    meta[o + 6] = ops.length; meta[o + 7] = r.cmds.length;
    if (r.transform) values.push(...r.transform);
    for (const c of r.cmds) { ops.push(c.op | ((c.v.length / 2) << 8)); for (const v of c.v) values.push(v); }
    if (r.id !== undefined) ids.push(utf8(r.id));
  });
  const vb = new Uint32Array(new Float64Array(values).buffer);
  let idLen = 0;
  for (const b of ids) idLen += 4 + b.length;
  const idBuffer = new Uint8Array(idLen);
  let p = 0;
  for (const b of ids) { new DataView(idBuffer.buffer).setUint32(p, b.length, true); idBuffer.set(b, p + 4); p += 4 + b.length; }
  const w = new Float32Array(tr.weights.length * 3);
  tr.weights.forEach((x, i) => { w[3 * i] = x.magnitude; w[3 * i + 1] = x.confidence; w[3 * i + 2] = x.gradient; });
  return {
    nodeBuffer: new Float32Array(tr.nodes), edgeBuffer: new Uint32Array(tr.edges), weightBuffer: w,
    metaBuffer: meta, opBuffer: new Uint32Array(ops), valueBuffer: vb, idBuffer,
  };
}

function fail(msg: string): never {
  throw new AsxError('round_trip_failure', `inverse projection: ${msg}`);
}

function sameWords(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/** Buffers → records → model (no re-sorting: indices are canonical already). */
export function buffersToModel(b: GpuBuffers): TNode {
  const meta = b.metaBuffer;
  if (meta.length < META_HEADER_WORDS || (meta.length - META_HEADER_WORDS) % META_ELEMENT_WORDS !== 0) fail('meta buffer length');
  const count = (meta.length - META_HEADER_WORDS) / META_ELEMENT_WORDS;
  if (b.valueBuffer.length % 2) fail('value buffer length is odd');
  const values = new Float64Array(b.valueBuffer.slice().buffer);
  const dv = new DataView(b.idBuffer.buffer, b.idBuffer.byteOffset, b.idBuffer.byteLength);
  let vp = 0, ip = 0;
  const recs: ElementRecord[] = [];
  for (let i = 0; i < count; i++) {
    const o = META_HEADER_WORDS + META_ELEMENT_WORDS * i;
    const flags = meta[o], rank = meta[o + 1], opStart = meta[o + 6], opCount = meta[o + 7];
    const kind = KINDS[(flags >> KIND_SHIFT) & 15];
    if (!kind) fail(`element ${i}: kind`);
    if (opStart + opCount > b.opBuffer.length) fail(`element ${i}: op range`);
    const r: ElementRecord = { kind, rank, flags, cmds: [] };
    if (flags & FLAG.HAS_TRANSFORM) {
      if (vp + 6 > values.length) fail('value buffer too short');
      r.transform = Array.from(values.subarray(vp, vp + 6)) as Matrix;
      vp += 6;
    }
    for (let k = 0; k < opCount; k++) {
      const w = b.opBuffer[opStart + k];
      const pairs = w >>> 8;
      if (vp + 2 * pairs > values.length) fail('value buffer too short');
      const c: Cmd = { op: w & 0xff, v: Array.from(values.subarray(vp, vp + 2 * pairs)) };
      vp += 2 * pairs;
      r.cmds.push(c);
    }
    if (flags & FLAG.HAS_ID) {
      if (ip + 4 > b.idBuffer.length) fail('id buffer too short');
      const len = dv.getUint32(ip, true);
      if (ip + 4 + len > b.idBuffer.length) fail('id buffer too short');
      try { r.id = decodeUtf8Strict(b.idBuffer.subarray(ip + 4, ip + 4 + len)); } catch { fail('id is not UTF-8'); }
      ip += 4 + len;
    }
    recs.push(r);
  }
  if (vp !== values.length) fail('unused values');
  if (ip !== b.idBuffer.length) fail('unused id bytes');
  return recordsToModel(recs);
}

/** Inverse projection: buffers → canonical SVG bytes; the GPU buffers must agree with them. */
export function buffersToCanonical(b: GpuBuffers): { bytes: Uint8Array; text: string; hashHex: string } {
  const model = buffersToModel(b);
  const again = mapToBuffers(model);
  for (const k of ['nodeBuffer', 'edgeBuffer', 'weightBuffer', 'metaBuffer', 'opBuffer', 'valueBuffer', 'idBuffer'] as const) {
    if (!sameWords(again[k], b[k])) fail(`${k} disagrees with the model it encodes`);
  }
  const text = serialize(model);
  const bytes = utf8(text);
  return { bytes, text, hashHex: toHex(sha256(bytes)) };
}

/**
 * Per-edge Weight (3 f32 per edge: the Weight of the primitive the edge belongs to), for
 * §20.7 traversal kernels that read one weight per edge. Derived from meta spans; the
 * weight buffer itself stays one per primitive.
 */
export function edgeWeights(b: GpuBuffers): Float32Array {
  const m = b.metaBuffer;
  const out = new Float32Array((b.edgeBuffer.length / 2) * 3);
  const elements = (m.length - META_HEADER_WORDS) / META_ELEMENT_WORDS;
  let prim = 0;
  for (let k = 0; k < elements; k++) {
    const o = META_HEADER_WORDS + META_ELEMENT_WORDS * k;
    if (((m[o] >> KIND_SHIFT) & 15) < 2) continue; // svg, g
    for (let e = m[o + 4]; e < m[o + 4] + m[o + 5]; e++) out.set(b.weightBuffer.subarray(3 * prim, 3 * prim + 3), 3 * e);
    prim++;
  }
  return out;
}

export interface BufferSummary {
  profile: string;
  nodes: number; edges: number; primitives: number; elements: number;
  topology: string; flags: number;
  bytes: Record<string, number>;
  weights: { magnitude: number; confidence: number; gradient: number }[];
}

export function bufferSummary(b: GpuBuffers): BufferSummary {
  const w: BufferSummary['weights'] = [];
  for (let i = 0; i < b.weightBuffer.length; i += 3) w.push({ magnitude: b.weightBuffer[i], confidence: b.weightBuffer[i + 1], gradient: b.weightBuffer[i + 2] });
  return {
    profile: MAP_PROFILE,
    nodes: b.metaBuffer[0], edges: b.metaBuffer[1], primitives: b.weightBuffer.length / 3,
    elements: (b.metaBuffer.length - META_HEADER_WORDS) / META_ELEMENT_WORDS,
    topology: 'graph', flags: b.metaBuffer[3],
    bytes: Object.fromEntries((['nodeBuffer', 'edgeBuffer', 'weightBuffer', 'metaBuffer', 'opBuffer', 'valueBuffer', 'idBuffer'] as const).map((k) => [k, b[k].byteLength])),
    weights: w,
  };
}
