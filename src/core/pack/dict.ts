/**
 * Lane-id compression DICT (packs spec "SCXQ2 Lane ID Compression v1.0" §2–3, addendum 3).
 * Ids sort by UTF-8 bytes and get symbols `@0`, `@1`, … in that order. The DICT section
 * is the JCS canonical JSON of `{symbol: id}`.
 */
import { AsxError } from '../errors.ts';
import { compareUtf8 } from '../bytes/utf8.ts';
import { canonicalJson } from '../json/jcs.ts';
import { symbolFor, symbolIndex } from './base62.ts';

export interface LaneDict {
  /** Lane ids in symbol order: ids[i] has symbol `@base62(i)`. */
  ids: string[];
  /** symbol → id */
  dict: Record<string, string>;
  /** id → symbol */
  rev: Map<string, string>;
}

export function buildLaneDict(laneIds: Iterable<string>): LaneDict {
  const ids = [...laneIds].sort(compareUtf8);
  const dict: Record<string, string> = {};
  const rev = new Map<string, string>();
  for (let i = 0; i < ids.length; i++) {
    if (i > 0 && ids[i] === ids[i - 1]) throw new AsxError('bad_input', `duplicate lane id ${JSON.stringify(ids[i])}`);
    const sym = symbolFor(i);
    dict[sym] = ids[i];
    rev.set(ids[i], sym);
  }
  return { ids, dict, rev };
}

export function dictJson(d: LaneDict): string {
  return canonicalJson(d.dict);
}

/**
 * Validate a parsed DICT object: exactly the symbols `@0..@(n-1)`, string ids, one-to-one,
 * ids in UTF-8 order (so the DICT is the one the writer law produces).
 */
export function laneDictFromObject(obj: unknown, expectedCount: number): LaneDict {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new AsxError('bad_dict', 'DICT is not a JSON object');
  const entries = Object.entries(obj as Record<string, unknown>);
  if (entries.length !== expectedCount) throw new AsxError('bad_dict', `DICT has ${entries.length} entries, header says ${expectedCount} lanes`);
  const ids: string[] = new Array(expectedCount);
  for (const [sym, id] of entries) {
    const i = symbolIndex(sym);
    if (i < 0 || i >= expectedCount) throw new AsxError('bad_dict', `DICT key ${JSON.stringify(sym)} is not a symbol @0..@${expectedCount - 1}`, { path: sym });
    if (typeof id !== 'string' || id.length === 0) throw new AsxError('bad_dict', `DICT value for ${sym} is not a non-empty string`, { path: sym });
    ids[i] = id;
  }
  for (let i = 1; i < ids.length; i++) {
    if (compareUtf8(ids[i - 1], ids[i]) >= 0) throw new AsxError('bad_dict', `DICT ids are not in strict UTF-8 order at ${symbolFor(i)}`, { path: symbolFor(i) });
  }
  const dict: Record<string, string> = {};
  const rev = new Map<string, string>();
  ids.forEach((id, i) => { dict[symbolFor(i)] = id; rev.set(id, symbolFor(i)); });
  return { ids, dict, rev };
}
