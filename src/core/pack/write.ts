/**
 * `weights.v2c-bin` writer (packs spec "SCXQ2 binary packing v1.0" §1.3, "Class-Aware
 * Quantization" §4, "Saturation Auditing" §2, "Auto-Tuning" §7 and DESIGN addenda 1–7).
 *
 * Pipeline (auto-tuning §7): audit with the starting scales → tune once → quantize with the
 * tuned float32 scales → leaf hashes → merkle → sign.
 */
import { AsxError } from '../errors.ts';
import { utf8 } from '../bytes/utf8.ts';
import { sha256 } from '../hash/sha256.ts';
import { CLASS_ORDER, CLASS_QSCALE, classifyLane, type LaneClass } from './classes.ts';
import { buildLaneDict, dictJson } from './dict.ts';
import { auditLanes, encodeAudit, type PackAudit } from './audit.ts';
import { autoTuneScales } from './autotune.ts';
import { merkleRoot } from './merkle.ts';
import { quantizeLane, f32 } from './quant.ts';
import { selectAuditLanes } from './tiers.ts';
import { publicKeyOf, signMessage, signatureMessage } from './sign.ts';
import {
  FLAG_AUDIT, FLAG_MERKLE, FLAG_QSCALE, FLAG_QUANT_I16, FLAG_SIGNATURE, FORMAT_VERSION, HEADER_BYTES,
  LANE_FORMAT_I16, MAGIC_BYTES, MAX_DIMS, MAX_LANES, QSCALE_BYTES, SIGNATURE_BYTES, indexEntryBytes, payloadBytes,
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

function validate(lanes: readonly LaneInput[], dims: number): void {
  if (!Number.isInteger(dims) || dims < 1 || dims > MAX_DIMS) throw new AsxError('bad_input', `dims must be an integer in 1..${MAX_DIMS}, got ${dims}`, { path: '$.dims' });
  if (lanes.length > MAX_LANES) throw new AsxError('too_many_lanes', `${lanes.length} lanes exceed the format's limit of ${MAX_LANES}`, { path: '$.lanes' });
  for (const lane of lanes) {
    if (typeof lane.id !== 'string' || lane.id.length === 0) throw new AsxError('bad_input', 'lane id must be a non-empty string', { path: '$.lanes' });
    if (utf8(lane.id).length > 4096) throw new AsxError('bad_input', `lane id is longer than 4096 bytes`, { path: `$.lanes[${JSON.stringify(lane.id.slice(0, 40))}]` });
    if (lane.W.length !== dims) throw new AsxError('bad_input', `lane ${JSON.stringify(lane.id)} has ${lane.W.length} weights, dims is ${dims}`, { path: `$.lanes[${JSON.stringify(lane.id)}].W` });
    for (let i = 0; i < lane.W.length; i++) {
      if (typeof lane.W[i] !== 'number' || !Number.isFinite(lane.W[i])) throw new AsxError('bad_input', `weight is not a finite number`, { path: `$.lanes[${JSON.stringify(lane.id)}].W[${i}]` });
    }
  }
}

export function encodePack(lanesIn: readonly LaneInput[], dims: number, opts: EncodeOptions = {}): EncodeResult {
  validate(lanesIn, dims);
  const useQ = opts.qscale ?? true;
  const useAudit = opts.audit ?? true;
  const useMerkle = opts.merkle ?? true;
  const laneAuditCap = opts.laneAudits ?? 0;
  if (!Number.isInteger(laneAuditCap) || laneAuditCap < 0 || laneAuditCap > MAX_LANES) throw new AsxError('bad_input', `lane audit count must be an integer in 0..${MAX_LANES}`, { path: 'laneAudits' });

  const ld = buildLaneDict(lanesIn.map((l) => l.id));
  const byId = new Map(lanesIn.map((l) => [l.id, l]));
  const lanes = ld.ids.map((id) => byId.get(id)!);

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
  const auditIdx = useAudit ? selectAuditLanes(ld.ids, laneAuditCap) : [];
  const audit = useAudit || (useQ && (opts.tune ?? true) && !opts.scales) ? auditLanes(lanes, auditScales, auditIdx) : null;

  const scales = {} as Record<LaneClass, number>;
  if (!useQ) Object.assign(scales, ones());
  else if (opts.scales || !(opts.tune ?? true)) for (const c of CLASS_ORDER) scales[c] = f32(auditScales[c]);
  else {
    const tuned = autoTuneScales(auditScales, audit!.classes);
    for (const c of CLASS_ORDER) scales[c] = f32(tuned[c]);
  }

  // DATA payloads and INDEX entries, in symbol order (addendum 4).
  const pl = payloadBytes(dims);
  const data = new Uint8Array(lanes.length * pl);
  const ddv = new DataView(data.buffer);
  const leaves: Uint8Array[] = [];
  lanes.forEach((lane, i) => {
    const q = quantizeLane(lane.W, scales[classifyLane(lane.id)]);
    const o = i * pl;
    ddv.setUint8(o, LANE_FORMAT_I16);
    ddv.setUint16(o + 1, dims, true);
    for (let k = 0; k < dims; k++) ddv.setInt16(o + 3 + 2 * k, q[k], true);
    leaves.push(sha256(data.subarray(o, o + pl)));
  });

  const dictBytes = utf8(dictJson(ld));
  const syms = ld.ids.map((id) => ld.rev.get(id)!);
  const indexLen = syms.reduce((s, sym) => s + indexEntryBytes(sym), 0);
  const index = new Uint8Array(indexLen);
  const idv = new DataView(index.buffer);
  let io = 0;
  syms.forEach((sym, i) => {
    const sb = utf8(sym);
    index[io++] = sb.length;
    index.set(sb, io); io += sb.length;
    idv.setUint32(io, i * pl, true); io += 4;
    idv.setUint32(io, pl, true); io += 4;
    index.set(leaves[i], io); io += 32;
  });

  const qscaleBytes = new Uint8Array(useQ ? QSCALE_BYTES : 0);
  if (useQ) {
    const qdv = new DataView(qscaleBytes.buffer);
    CLASS_ORDER.forEach((c, k) => qdv.setFloat32(4 * k, scales[c], true));
  }
  const auditBytes = useAudit ? encodeAudit(audit!) : new Uint8Array(0);
  const root = useMerkle ? merkleRoot(leaves) : null;
  const merkleBytes = root ?? new Uint8Array(0);
  const signed = !!opts.signKey;

  let flags = FLAG_QUANT_I16;
  if (root) flags |= FLAG_MERKLE;
  if (signed) flags |= FLAG_SIGNATURE;
  if (useQ) flags |= FLAG_QSCALE;
  if (useAudit) flags |= FLAG_AUDIT;

  const header = new Uint8Array(HEADER_BYTES);
  const hdv = new DataView(header.buffer);
  header.set(MAGIC_BYTES, 0);
  hdv.setUint16(8, FORMAT_VERSION, true);
  hdv.setUint16(10, flags, true);
  hdv.setUint16(12, dims, true);
  hdv.setUint16(14, lanes.length, true);
  hdv.setUint32(16, dictBytes.length, true);
  hdv.setUint32(20, index.length, true);
  hdv.setUint32(24, data.length, true);
  hdv.setUint32(28, merkleBytes.length, true);
  hdv.setUint32(32, signed ? SIGNATURE_BYTES : 0, true);

  const parts = [header, dictBytes, index, data, qscaleBytes, auditBytes, merkleBytes];
  const total = parts.reduce((s, p) => s + p.length, 0) + (signed ? SIGNATURE_BYTES : 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  if (signed) {
    const dataStart = HEADER_BYTES + dictBytes.length + index.length;
    const dataEnd = dataStart + data.length;
    const msg = signatureMessage(out.subarray(0, dataStart), out.subarray(dataEnd, o));
    const seed = opts.signKey!;
    if (seed.length !== 32) throw new AsxError('bad_key', 'a signing key must be a 32-byte Ed25519 seed');
    out.set(publicKeyOf(seed), o);
    out.set(signMessage(seed, msg), o + 32);
  }
  return { bytes: out, scales, auditScales, audit: useAudit ? audit : null, ids: ld.ids };
}
