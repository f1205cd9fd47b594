/**
 * Byte layout constants of `weights.v2c-bin` (packs spec "SCXQ2 binary packing v1.0" §1.3
 * and DESIGN addenda 1, 2, 5, 6) and the exact size of a pack before it is written.
 */
import { utf8 } from '../bytes/utf8.ts';
import { symbolFor } from './base62.ts';
import { canonicalJson } from '../json/jcs.ts';
import { selectAuditLanes } from './tiers.ts';

export const MAGIC = 'ASXW2CBN';
export const MAGIC_BYTES = new Uint8Array([0x41, 0x53, 0x58, 0x57, 0x32, 0x43, 0x42, 0x4e]);
export const FORMAT_VERSION = 0x0100;
export const HEADER_BYTES = 36;

export const FLAG_QUANT_I16 = 1 << 0;
export const FLAG_MERKLE = 1 << 1;
export const FLAG_SIGNATURE = 1 << 2;
export const FLAG_QSCALE = 1 << 3;
export const FLAG_AUDIT = 1 << 4;
export const KNOWN_FLAGS = FLAG_QUANT_I16 | FLAG_MERKLE | FLAG_SIGNATURE | FLAG_QSCALE | FLAG_AUDIT;

export const LANE_FORMAT_I16 = 1;
export const QSCALE_BYTES = 24;
export const AUDIT_CLASS_BYTES = 61;
export const MERKLE_BYTES = 32;
export const SIGNATURE_BYTES = 96;
export const LEAF_HASH_BYTES = 32;
export const MAX_LANES = 0xffff;
export const MAX_DIMS = 0xffff;
export const Q = 32767;

export function payloadBytes(dims: number): number {
  return 1 + 2 + 2 * dims;
}

export function indexEntryBytes(sym: string): number {
  return 1 + utf8(sym).length + 4 + 4 + LEAF_HASH_BYTES;
}

export function auditSectionBytes(laneAuditSymbols: readonly string[]): number {
  if (laneAuditSymbols.length === 0) return AUDIT_CLASS_BYTES;
  let n = AUDIT_CLASS_BYTES + 2;
  for (const s of laneAuditSymbols) n += 1 + utf8(s).length + 6;
  return n;
}

export interface PackShape {
  /** Lane ids in DICT (UTF-8) order. */
  ids: readonly string[];
  dims: number;
  qscale: boolean;
  audit: boolean;
  /** Number of per-lane audit entries (0 = per-class only). */
  laneAudits: number;
  merkle: boolean;
  signed: boolean;
}

/** The exact byte length the writer will produce for this shape. */
export function exactPackSize(shape: PackShape): number {
  const n = shape.ids.length;
  const dict: Record<string, string> = {};
  let index = 0;
  for (let i = 0; i < n; i++) {
    const sym = symbolFor(i);
    dict[sym] = shape.ids[i];
    index += indexEntryBytes(sym);
  }
  let size = HEADER_BYTES + utf8(canonicalJson(dict)).length + index + n * payloadBytes(shape.dims);
  if (shape.qscale) size += QSCALE_BYTES;
  if (shape.audit) {
    size += auditSectionBytes(selectAuditLanes(shape.ids, shape.laneAudits).map(symbolFor));
  }
  if (shape.merkle && n > 0) size += MERKLE_BYTES;
  if (shape.signed) size += SIGNATURE_BYTES;
  return size;
}
