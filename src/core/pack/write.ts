/**
 * `weights.v2c-bin` writer (packs spec "SCXQ2 binary packing v1.0" §1.3, "Class-Aware
 * Quantization" §4, "Saturation Auditing" §2, "Auto-Tuning" §7 and DESIGN addenda 1–7).
 *
 * Pipeline (auto-tuning §7): audit with the starting scales → tune once → quantize with the
 * tuned float32 scales → leaf hashes → merkle → sign. `planPack`, `quantScales`,
 * `writeLanePayload` and `finishPack` are the steps; `encodePack` runs them over lanes in
 * memory, `encodePackStream` (write-stream.ts) over lanes read one at a time.
 */
import { AsxError } from '../errors.ts';
import { utf8 } from '../bytes/utf8.ts';
import { merkleRootFlat, sha256Batch } from '../hash/sha256.ts';
import { CLASS_ORDER, CLASS_QSCALE, classifyLane, type LaneClass } from './classes.ts';
import { buildLaneDict, dictJson } from './dict.ts';
import { AuditAccumulator, encodeAudit, type PackAudit } from './audit.ts';
import { autoTuneScales } from './autotune.ts';
import { f32 } from './quant.ts';
import { selectAuditLanes } from './tiers.ts';
import { publicKeyOf, signMessage, signatureMessage } from './sign.ts';
import {
  FLAG_AUDIT, FLAG_MERKLE, FLAG_QSCALE, FLAG_QUANT_I16, FLAG_SIGNATURE, FORMAT_VERSION, HEADER_BYTES,
  LANE_FORMAT_I16, MAGIC_BYTES, MAX_DIMS, MAX_LANES, Q, QSCALE_BYTES, SIGNATURE_BYTES, indexEntryBytes, payloadBytes,
} from './layout.ts';

export interface LaneInput { id: string; W: ArrayLike<number> }

export interface EncodeOptions {
  /** Class-aware quantization with a QSCALE section (default true). Without it every scale is 1. */
  qscale?: boolean;
  /** One-shot auto-tuning of the scales from the audit (default true; needs qscale). */
  tune?: boolean;
  /** Explicit scales (e.g. the target's when re-quantizing): stored as float32, no tuning. */
  scales?: Readonly<Record<LaneClass, number>>;
  /** AUDIT section (default true). */
  audit?: boolean;
  /** Per-lane audit entries, first N by tier then id (default 0: per class only). */
  laneAudits?: number;
  /** MERKLE section (default true; a pack with no lanes has none). */
  merkle?: boolean;
  /** 32-byte Ed25519 seed: adds a SIGNATURE section. */
  signKey?: Uint8Array;
}

export interface EncodeResult {
  bytes: Uint8Array;
  /** The float32 scales the lanes were quantized with (all 1 without QSCALE). */
  scales: Record<LaneClass, number>;
  /** The scales the audit measured against (pre-tuning). */
  auditScales: Record<LaneClass, number>;
  audit: PackAudit | null;
  ids: string[];
}

function ones(): Record<LaneClass, number> {
  const o = {} as Record<LaneClass, number>;
  for (const c of CLASS_ORDER) o[c] = 1;
  return o;
}

function validateIds(ids: readonly string[], dims: number): void {
  if (!Number.isInteger(dims) || dims < 1 || dims > MAX_DIMS) throw new AsxError('bad_input', `dims must be an integer in 1..${MAX_DIMS}, got ${dims}`, { path: '$.dims' });
  if (ids.length > MAX_LANES) throw new AsxError('too_many_lanes', `${ids.length} lanes exceed the format's limit of ${MAX_LANES}`, { path: '$.lanes' });
  for (const id of ids) {
    if (typeof id !== 'string' || id.length === 0) throw new AsxError('bad_input', 'lane id must be a non-empty string', { path: '$.lanes' });
    if (utf8(id).length > 4096) throw new AsxError('bad_input', `lane id is longer than 4096 bytes`, { path: `$.lanes[${JSON.stringify(id.slice(0, 40))}]` });
  }
}

/** One lane's weights: the count is dims and every weight a finite number. */
export function validateLaneWeights(id: string, W: ArrayLike<number>, dims: number): void {
  if (W.length !== dims) throw new AsxError('bad_input', `lane ${JSON.stringify(id)} has ${W.length} weights, dims is ${dims}`, { path: `$.lanes[${JSON.stringify(id)}].W` });
  const typed = W instanceof Float64Array || W instanceof Float32Array;
  for (let i = 0; i < W.length; i++) {
    const v = W[i];
    // v − v is 0 exactly for finite numbers (NaN for NaN and ±Infinity); typed arrays hold only numbers.
    if (typed ? v - v === 0 : typeof v === 'number' && Number.isFinite(v)) continue;
    if (typeof W[i] !== 'number' || !Number.isFinite(W[i])) throw new AsxError('bad_input', `weight is not a finite number`, { path: `$.lanes[${JSON.stringify(id)}].W[${i}]` });
  }
}

/**
 * Everything about a pack that follows from its lane ids, dims and options, before any
 * weight is seen: DICT, section sizes, where DATA starts, the audit's starting scales.
 * The in-memory writer and the streaming writer (write-stream.ts) share it, so they write
 * the same bytes.
 */
export interface PackPlan {
  dims: number;
  /** Lane ids in DICT order (symbol i names ids[i]). */
  ids: string[];
  syms: string[];
  dictBytes: Uint8Array;
  indexBytes: number;
  payloadBytes: number;
  dataStart: number;
  dataBytes: number;
  useQscale: boolean;
  useAudit: boolean;
  useMerkle: boolean;
  /** Tuning runs (a first pass over every lane before any is quantized). */
  tune: boolean;
  /** The audit runs (for its section, for tuning, or both). */
  audits: boolean;
  auditScales: Record<LaneClass, number>;
  laneAuditIndices: number[];
  signKey?: Uint8Array;
}

export function planPack(laneIds: readonly string[], dims: number, opts: EncodeOptions = {}): PackPlan {
  validateIds(laneIds, dims);
  const useQ = opts.qscale ?? true;
  const useAudit = opts.audit ?? true;
  const useMerkle = opts.merkle ?? true;
  const laneAuditCap = opts.laneAudits ?? 0;
  if (!Number.isInteger(laneAuditCap) || laneAuditCap < 0 || laneAuditCap > MAX_LANES) throw new AsxError('bad_input', `lane audit count must be an integer in 0..${MAX_LANES}`, { path: 'laneAudits' });
  if (opts.signKey && opts.signKey.length !== 32) throw new AsxError('bad_key', 'a signing key must be a 32-byte Ed25519 seed');
  const ld = buildLaneDict(laneIds);

  // Scales: the audit measures against the starting scales (addendum 7); tuning fires once.
  let auditScales: Record<LaneClass, number>;
  if (!useQ) auditScales = ones();
  else if (opts.scales) {
    auditScales = {} as Record<LaneClass, number>;
    for (const c of CLASS_ORDER) {
      const s = f32(opts.scales[c]);
      if (!Number.isFinite(s) || s <= 0) throw new AsxError('bad_input', `scale for ${c} must be a positive finite number`, { path: `$.qscale.${c}` });
      auditScales[c] = s;
    }
  } else auditScales = { ...CLASS_QSCALE };
  const tune = useQ && (opts.tune ?? true) && !opts.scales;
  const dictBytes = utf8(dictJson(ld));
  const syms = ld.ids.map((id) => ld.rev.get(id)!);
  const indexBytes = syms.reduce((s, sym) => s + indexEntryBytes(sym), 0);
  const pl = payloadBytes(dims);
  return {
    dims, ids: ld.ids, syms, dictBytes, indexBytes, payloadBytes: pl,
    dataStart: HEADER_BYTES + dictBytes.length + indexBytes, dataBytes: ld.ids.length * pl,
    useQscale: useQ, useAudit, useMerkle, tune, audits: useAudit || tune, auditScales,
    laneAuditIndices: useAudit ? selectAuditLanes(ld.ids, laneAuditCap) : [], signKey: opts.signKey,
  };
}

/** The float32 scales lanes are quantized with, from the plan and (when tuning) the audit. */
export function quantScales(plan: PackPlan, audit: PackAudit | null): Record<LaneClass, number> {
  const scales = {} as Record<LaneClass, number>;
  if (!plan.useQscale) return ones();
  if (!plan.tune) for (const c of CLASS_ORDER) scales[c] = f32(plan.auditScales[c]);
  else {
    const tuned = autoTuneScales(plan.auditScales, audit!.classes);
    for (const c of CLASS_ORDER) scales[c] = f32(tuned[c]);
  }
  return scales;
}

/**
 * Quantize one lane into its payload bytes (format byte, count, i16 LE weights) at `out[o]`.
 * The loop is `quantizeValue` inlined (same operations in the same order, so the same bits):
 * it runs for every weight of every pack, 1.5 billion times for a 3 GiB one.
 */
export function writeLanePayload(W: ArrayLike<number>, scale: number, dims: number, out: Uint8Array, o: number): void {
  out[o] = LANE_FORMAT_I16;
  out[o + 1] = dims & 0xff;
  out[o + 2] = dims >>> 8;
  let p = o + 3;
  for (let k = 0; k < dims; k++) {
    const v = W[k] * scale;
    const x = (v < -1 ? -1 : v > 1 ? 1 : v) * Q;
    let t = Math.trunc(x);
    const frac = x - t;
    if (frac >= 0.5) t += 1;
    else if (frac <= -0.5) t -= 1;
    const q = t & 0xffff;
    out[p++] = q & 0xff;
    out[p++] = q >>> 8;
  }
}

/**
 * The bytes around DATA once every leaf hash is known: `head` = header, DICT, INDEX (file
 * offset 0) and `tail` = QSCALE, AUDIT, MERKLE, SIGNATURE (file offset dataStart + dataBytes).
 */
export function finishPack(plan: PackPlan, scales: Record<LaneClass, number>, audit: PackAudit | null, leafFlat: Uint8Array): { head: Uint8Array; tail: Uint8Array } {
  const n = plan.ids.length;
  const head = new Uint8Array(plan.dataStart);
  head.set(plan.dictBytes, HEADER_BYTES);
  const hdv = new DataView(head.buffer);
  let io = HEADER_BYTES + plan.dictBytes.length;
  for (let i = 0; i < n; i++) {
    const sb = utf8(plan.syms[i]);
    head[io++] = sb.length;
    head.set(sb, io); io += sb.length;
    hdv.setUint32(io, i * plan.payloadBytes, true); io += 4;
    hdv.setUint32(io, plan.payloadBytes, true); io += 4;
    head.set(leafFlat.subarray(32 * i, 32 * i + 32), io); io += 32;
  }

  const qscaleBytes = new Uint8Array(plan.useQscale ? QSCALE_BYTES : 0);
  if (plan.useQscale) {
    const qdv = new DataView(qscaleBytes.buffer);
    CLASS_ORDER.forEach((c, k) => qdv.setFloat32(4 * k, scales[c], true));
  }
  const auditBytes = plan.useAudit ? encodeAudit(audit!) : new Uint8Array(0);
  const root = plan.useMerkle ? merkleRootFlat(leafFlat, n) : null;
  const merkleBytes = root ?? new Uint8Array(0);
  const signed = !!plan.signKey;

  let flags = FLAG_QUANT_I16;
  if (root) flags |= FLAG_MERKLE;
  if (signed) flags |= FLAG_SIGNATURE;
  if (plan.useQscale) flags |= FLAG_QSCALE;
  if (plan.useAudit) flags |= FLAG_AUDIT;

  head.set(MAGIC_BYTES, 0);
  hdv.setUint16(8, FORMAT_VERSION, true);
  hdv.setUint16(10, flags, true);
  hdv.setUint16(12, plan.dims, true);
  hdv.setUint16(14, n, true);
  hdv.setUint32(16, plan.dictBytes.length, true);
  hdv.setUint32(20, plan.indexBytes, true);
  hdv.setUint32(24, plan.dataBytes, true);
  hdv.setUint32(28, merkleBytes.length, true);
  hdv.setUint32(32, signed ? SIGNATURE_BYTES : 0, true);

  const before = qscaleBytes.length + auditBytes.length + merkleBytes.length;
  const tail = new Uint8Array(before + (signed ? SIGNATURE_BYTES : 0));
  tail.set(qscaleBytes, 0);
  tail.set(auditBytes, qscaleBytes.length);
  tail.set(merkleBytes, qscaleBytes.length + auditBytes.length);
  if (signed) {
    const seed = plan.signKey!;
    tail.set(publicKeyOf(seed), before);
    tail.set(signMessage(seed, signatureMessage(head, tail.subarray(0, before))), before + 32);
  }
  return { head, tail };
}

export function encodePack(lanesIn: readonly LaneInput[], dims: number, opts: EncodeOptions = {}): EncodeResult {
  const plan = planPack(lanesIn.map((l) => l.id), dims, opts);
  for (const lane of lanesIn) validateLaneWeights(lane.id, lane.W, dims);
  const byId = new Map(lanesIn.map((l) => [l.id, l]));
  const lanes = plan.ids.map((id) => byId.get(id)!);

  let audit: PackAudit | null = null;
  if (plan.audits) {
    const acc = new AuditAccumulator(plan.auditScales, lanes.length, plan.laneAuditIndices);
    lanes.forEach((lane, i) => acc.add(i, lane.id, lane.W));
    audit = acc.result();
  }
  const scales = quantScales(plan, audit);

  // DATA payloads in symbol order (addendum 4), hashed in one batch.
  const pl = plan.payloadBytes;
  const data = new Uint8Array(plan.dataBytes);
  lanes.forEach((lane, i) => writeLanePayload(lane.W, scales[classifyLane(lane.id)], dims, data, i * pl));
  const leafFlat = new Uint8Array(32 * lanes.length);
  sha256Batch(data, 0, pl, pl, lanes.length, leafFlat, 0);

  const { head, tail } = finishPack(plan, scales, audit, leafFlat);
  const out = new Uint8Array(head.length + data.length + tail.length);
  out.set(head, 0);
  out.set(data, head.length);
  out.set(tail, head.length + data.length);
  return { bytes: out, scales, auditScales: plan.auditScales, audit: plan.useAudit ? audit : null, ids: plan.ids };
}
