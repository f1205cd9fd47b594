/**
 * Lane-id compression DICT (packs spec "SCXQ2 Lane ID Compression v1.0" §2–3, addendum 3).
 * Ids sort by UTF-8 bytes and get symbols `@0`, `@1`, … in that order. The DICT section
 * is the JCS canonical JSON of `{symbol: id}`.
 */
import { AsxError } from '../errors.ts';
import { compareUtf8 } from '../bytes/utf8.ts';
import { canonicalJson } from '../json/jcs.ts';
import { symbolBytes, symbolFor, symbolIndex } from './base62.ts';

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

/**
 * Indices 0..n-1 with their symbols `@0..@(n-1)` in JCS key order (UTF-16 units; symbols are
 * ASCII and the base-62 alphabet is in ASCII order, so this is the lexicographic order of the
 * digit strings: a pre-order walk of the base-62 digit trie — a number, then each number it
 * prefixes — with no sort). Memoized by n.
 */
let symbolOrderN = -1;
let symbolOrder = new Int32Array(0);
export function jcsSymbolOrder(n: number): Int32Array {
  if (n !== symbolOrderN) {
    const order = new Int32Array(n);
    let k = 0;
    // Iterative pre-order walk; `0` has no children (no leading zeros), 1..61 are the roots.
    const stack: number[] = [];
    if (n > 0) order[k++] = 0;
    for (let root = Math.min(61, n - 1); root >= 1; root--) stack.push(root);
    while (stack.length) {
      const x = stack.pop()!;
      order[k++] = x;
      const first = x * 62;
      for (let c = Math.min(61, n - 1 - first); c >= 0; c--) stack.push(first + c);
    }
    symbolOrder = order;
    symbolOrderN = n;
  }
  return symbolOrder;
}

const SURROGATE = /[\uD800-\uDFFF]/;
/** Any character but printable ASCII (0x20–0x7e) other than the backslash. */
const NOT_PLAIN = /[^\x20-\x5b\x5d-\x7e]/;

/**
 * The DICT text: RFC 8785 form of `{symbol: id}`, built directly (ids serialize as
 * JSON.stringify does, which is JCS's string form); equal to canonicalJson(d.dict).
 */
export function dictJson(d: LaneDict): string {
  const order = jcsSymbolOrder(d.ids.length);
  const syms = symbolTable(d.ids.length);
  const parts: string[] = new Array(order.length);
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    const id = d.ids[i];
    if (SURROGATE.test(id)) return canonicalJson(d.dict); // JCS rejects lone surrogates: let it say where
    parts[k] = `"${syms[i]}":${JSON.stringify(id)}`;
  }
  return `{${parts.join(',')}}`;
}

/**
 * Validate a parsed DICT object: exactly the symbols `@0..@(n-1)`, string ids, one-to-one,
 * ids in UTF-8 order (so the DICT is the one the writer law produces).
 */
export function laneDictFromObject(obj: unknown, expectedCount: number): LaneDict {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new AsxError('bad_dict', 'DICT is not a JSON object');
  const o = obj as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== expectedCount) throw new AsxError('bad_dict', `DICT has ${keys.length} entries, header says ${expectedCount} lanes`);
  const syms = symbolTable(expectedCount);
  const ids: string[] = new Array(expectedCount);
  const dict: Record<string, string> = {};
  const rev = new Map<string, string>();
  for (let i = 0; i < expectedCount; i++) {
    const sym = syms[i];
    const id = Object.prototype.hasOwnProperty.call(o, sym) ? o[sym] : undefined;
    if (id === undefined) {
      const stray = keys.find((k) => symbolIndex(k) < 0 || symbolIndex(k) >= expectedCount) ?? sym;
      throw new AsxError('bad_dict', `DICT key ${JSON.stringify(stray)} is not a symbol @0..@${expectedCount - 1}`, { path: stray });
    }
    if (typeof id !== 'string' || id.length === 0) throw new AsxError('bad_dict', `DICT value for ${sym} is not a non-empty string`, { path: sym });
    if (i > 0 && compareUtf8(ids[i - 1], id) >= 0) throw new AsxError('bad_dict', `DICT ids are not in strict UTF-8 order at ${sym}`, { path: sym });
    ids[i] = id;
    dict[sym] = id;
    rev.set(id, sym);
  }
  return { ids, dict, rev };
}

/** `@0..@(n-1)`, memoized for the last n (a reader opens one pack size at a time). */
let symbolTableN = -1;
let symbolTableCache: string[] = [];
export function symbolTable(n: number): string[] {
  if (n !== symbolTableN) {
    symbolTableCache = Array.from({ length: n }, (_, i) => symbolFor(i));
    symbolTableN = n;
  }
  return symbolTableCache;
}

/**
 * Single-pass DICT check for the common case: the DICT text is ASCII and every id is
 * printable ASCII without `"` or `\` (so its JSON form is the id in quotes). Walks the text
 * once, comparing it directly with what `dictJson` would write (keys in JCS order, no
 * re-serialization, no JSON.parse) and checking the UTF-8 order of the ids. Returns null
 * whenever the text is not of that form — then the caller runs the general path (JSON.parse,
 * laneDictFromObject, dictJson comparison), which accepts or rejects with its messages. When
 * this returns a dict, the general path would have returned the same one.
 */
export function laneDictFromAsciiCanonical(text: string, byteLength: number, n: number): LaneDict | null {
  if (text.length !== byteLength) return null; // not all ASCII
  // One native scan: printable ASCII without `\` (so no escapes: an id ends at the next `"`).
  if (NOT_PLAIN.test(text)) return null;
  const order = jcsSymbolOrder(n);
  const ids: string[] = new Array(n);
  const sym = new Uint8Array(16);
  let p = 0;
  if (text.charCodeAt(p++) !== 0x7b) return null;
  for (let k = 0; k < n; k++) {
    if (k > 0 && text.charCodeAt(p++) !== 0x2c) return null;
    const i = order[k];
    if (text.charCodeAt(p++) !== 0x22) return null;
    const sl = symbolBytes(i, sym);
    for (let j = 0; j < sl; j++) if (text.charCodeAt(p++) !== sym[j]) return null;
    if (text.charCodeAt(p) !== 0x22 || text.charCodeAt(p + 1) !== 0x3a || text.charCodeAt(p + 2) !== 0x22) return null;
    p += 3;
    const q = text.indexOf('"', p);
    if (q <= p) return null; // empty id, or no closing quote
    ids[i] = text.slice(p, q);
    p = q + 1;
  }
  if (text.charCodeAt(p++) !== 0x7d || p !== text.length) return null;
  // ASCII: UTF-16 order is UTF-8 byte order.
  for (let i = 1; i < n; i++) if (!(ids[i - 1] < ids[i])) return null;
  // symbol → id and id → symbol are built on first use (a reader finds lanes by binary search).
  let dict: Record<string, string> | null = null;
  let rev: Map<string, string> | null = null;
  return {
    ids,
    get rev(): Map<string, string> {
      if (!rev) { rev = new Map(); for (let i = 0; i < n; i++) rev.set(ids[i], symbolFor(i)); }
      return rev;
    },
    get dict(): Record<string, string> {
      if (!dict) { dict = {}; for (let i = 0; i < n; i++) dict[symbolFor(i)] = ids[i]; }
      return dict;
    },
  };
}
