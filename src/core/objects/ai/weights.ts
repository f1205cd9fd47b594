/**
 * `ai.model.weights.v1` legality (§16.4; docs/laws.md AI-WEIGHTS). The payload is one
 * safetensors file (read with the project's reader: header validated as the reference does).
 *
 *   shape_hash = "sha256:" + hex(SHA-256(JCS(layer_map)))
 *
 * where JCS is RFC 8785 (members sorted by UTF-16 code units, no whitespace, integers in
 * shortest form) and layer_map maps every tensor name to its shape. Checks: the declared
 * shape_hash is that of the declared layer_map; the file has exactly the tensors of
 * layer_map with exactly those shapes ("shapes must match declared map"); every tensor has
 * the declared dtype unless dtype is `custom` ("no implicit casting"); no tensor is a
 * gradient (a name ending in `.grad` or `_grad`, or beginning with `grad.` — "no gradients").
 */
import { canonicalJsonBytes } from '../../json/jcs.ts';
import { sha256 } from '../../hash/sha256.ts';
import { toHex } from '../../bytes/hex.ts';
import { AsxError } from '../../errors.ts';
import { parseSafetensorsHeader, type Dtype } from '../../tensors/safetensors.ts';
import { pathSegment } from '../json.ts';
import { FindingList, type LegalityResult } from './findings.ts';

export function shapeHash(layerMap: Readonly<Record<string, readonly number[]>>): string {
  return `sha256:${toHex(sha256(canonicalJsonBytes(layerMap)))}`;
}

/** The safetensors dtypes each declared `dtype` allows. */
export const DTYPE_OF: Readonly<Record<string, readonly Dtype[]>> = { fp32: ['F32'], fp16: ['F16'], bf16: ['BF16'], int8: ['I8'] };
const GRADIENT = /(?:\.grad|_grad)$|^grad\./;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** `payload`: the file, or its first 8 + N bytes (length and header) with `fileSize` the file's size. */
export function checkWeights(d: { format?: unknown; dtype?: unknown; shape_hash?: unknown; layer_map?: unknown }, payload: Uint8Array, fileSize = payload.length): LegalityResult {
  const out = new FindingList();
  const layerMap = (d.layer_map ?? {}) as Record<string, number[]>;
  if (typeof d.shape_hash === 'string') {
    const h = shapeHash(layerMap);
    if (h !== d.shape_hash) out.add({ code: 'weights.shape_hash_mismatch', message: `layer_map hashes to ${h}`, path: '$.shape_hash' });
  }
  if (d.format !== 'safetensors') {
    out.add({ code: 'weights.unsupported_format', message: `format ${String(d.format)}: only safetensors payloads can be checked`, path: '$.format' });
    return out.result();
  }
  let tensors: { name: string; dtype: Dtype; shape: number[] }[];
  try { tensors = parseSafetensorsHeader(payload, fileSize).tensors; } catch (e) {
    out.add({ code: 'weights.bad_safetensors', message: e instanceof AsxError ? e.message : 'not a safetensors file', path: 'payload$' });
    return out.result();
  }
  const allowed = typeof d.dtype === 'string' ? DTYPE_OF[d.dtype] : undefined;
  const inFile = new Set<string>();
  for (const t of tensors) {
    inFile.add(t.name);
    if (GRADIENT.test(t.name)) out.add({ code: 'weights.gradient_tensor', message: 'a weights object holds no gradients', tensor: t.name });
    const want = Object.prototype.hasOwnProperty.call(layerMap, t.name) ? layerMap[t.name] : undefined;
    if (want === undefined) out.add({ code: 'weights.undeclared_tensor', message: `the file has a tensor layer_map does not declare (shape [${t.shape.join(', ')}])`, tensor: t.name, path: '$.layer_map' });
    else if (!sameShape(want, t.shape)) out.add({ code: 'weights.shape_mismatch', message: `shape [${t.shape.join(', ')}], layer_map declares [${want.join(', ')}]`, tensor: t.name, path: `$.layer_map${pathSegment(t.name)}` });
    if (allowed && !allowed.includes(t.dtype)) out.add({ code: 'weights.dtype_mismatch', message: `dtype ${t.dtype}, the descriptor declares ${String(d.dtype)} (no implicit casting)`, tensor: t.name, path: '$.dtype' });
  }
  for (const name of Object.keys(layerMap)) if (!inFile.has(name)) out.add({ code: 'weights.missing_tensor', message: 'layer_map declares a tensor the file does not have', tensor: name, path: `$.layer_map${pathSegment(name)}` });
  return out.result();
}
