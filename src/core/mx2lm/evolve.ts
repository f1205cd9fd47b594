/**
 * `mx2gym.evolve.mx2lm()` (docs/laws.md MX2LM-EVOLVE): the symbolic brains (the KN trigram ARPA of
 * ngram-brain.ts and the SVG graph of svg-graph.ts) evolve by append-only count deltas, chained by
 * SHA-256 and carried in a fold bundle with no tensors.
 *
 *   count delta  {"counts":[[id…,count]…],"format":"mx2lm.count-delta.v1","order":N,
 *                 "parent":"sha256:<hex>","vocab_hash":"sha256:<hex>"}, RFC 8785 canonical JSON;
 *                 its hash = "sha256:" + SHA-256 of those bytes.
 *   counts       the raw n-gram counts, n = 1 … N, of the padded sentences `<s> w1 … wn </s>`
 *                (every position, `<s>` and `</s>` included; a word outside the vocabulary as
 *                `<unk>`), one entry [id_1, …, id_n, count] per n-gram with count ≥ 1, ids the
 *                token ids of the vocabulary (`<unk>` 0, `<s>` 1, `</s>` 2); sorted by n, then
 *                by ids (numeric, lexicographic); no n-gram twice. Consistent: `<s>` only first,
 *                `</s>` only last, and for every (n−1)-gram g listed or not, Σ_w c(g w) = c(g)
 *                unless g ends with `</s>` (then 0), Σ_w c(w g) = c(g) unless g starts with `<s>`.
 *   vocab_hash   "sha256:" + SHA-256 of the ai.vocab payload `{"tokens":[…]}` (vocabBytes).
 *   chain        the base record (the train counts) has parent = vocab_hash; its hash is the
 *                chain's root. Every delta's parent is the hash of the record before it; the
 *                state's head is the last hash. A delta only adds (counts ≥ 1).
 *
 * Pure: no Node, no DOM, no clock.
 */
import { AsxError } from '../errors.ts';
import { toHex } from '../bytes/hex.ts';
import { compareBytes } from '../bytes/utf8.ts';
import { sha256 } from '../hash/sha256.ts';
import { canonicalJsonBytes } from '../json/jcs.ts';
import { parsePayloadJson, type Json } from '../objects/json.ts';
import type { ArpaModel } from '../ngram/arpa.ts';
import { BOS, EOS, UNK } from '../ngram/kneser-ney.ts';
import { openFoldBundle, verifyFoldBundle, writeFoldBundle } from '../fold/bundle.ts';
import type { FoldV1 } from '../fold/fold.ts';
import { kneserNeyFromCounts, MX2LM_NGRAM_ORDER } from './ngram-brain.ts';
import { buildSvgGraphFromCounts, SVG_GRAPH_NODES, SVG_GRAPH_SUCCESSORS, type SvgGraph } from './svg-graph.ts';
import { vocabBytes } from './vocab-build.ts';

export const COUNT_DELTA_FORMAT = 'mx2lm.count-delta.v1';
export const COUNT_CHAIN_FORMAT = 'mx2lm.count-chain.v1';
/** The manifest entry of an evolve fold bundle. */
export const EVOLVE_CHAIN_ENTRY = 'evolve.chain.json';
/** The stages of an evolve fold: count the sentences, make the delta, chain it, rebuild the brains. */
export const EVOLVE_ROUTE: readonly string[] = ['@Count', '@Delta', '@Chain', '@Rebuild'];
export const EVOLVE_FOLD_VERSION = '1.0.0';

const HASH_RE = /^sha256:[0-9a-f]{64}$/;

export interface CountDelta {
  format: typeof COUNT_DELTA_FORMAT;
  /** Hash of the previous record (the base record: the vocab hash). */
  parent: string;
  vocab_hash: string;
  order: number;
  /** [id_1, …, id_n, count], sorted (see above). */
  counts: number[][];
}

/** A count state: the base record, then the chain of deltas, each record with its hash. */
export interface CountState {
  readonly tokens: readonly string[];
  readonly vocabHash: string;
  readonly order: number;
  readonly base: CountDelta;
  /** Hash of the base record. */
  readonly root: string;
  readonly deltas: readonly CountDelta[];
  /** Hash of each delta, in chain order. */
  readonly hashes: readonly string[];
  /** The last hash (root when there is no delta). */
  readonly head: string;
}

function sha(b: Uint8Array): string { return `sha256:${toHex(sha256(b))}`; }

/** "sha256:" + SHA-256 of the ai.vocab payload of `tokens`. */
export function vocabHash(tokens: readonly string[]): string { return sha(vocabBytes(tokens)); }

function checkTokens(tokens: readonly string[]): void {
  if (tokens[0] !== UNK || tokens[1] !== BOS || tokens[2] !== EOS) throw new AsxError('bad_input', 'the vocabulary must start with <unk>, <s>, </s>', { path: '$.tokens' });
  if (new Set(tokens).size !== tokens.length) throw new AsxError('bad_input', 'the vocabulary repeats a token', { path: '$.tokens' });
}

function checkOrder(order: number, V: number): void {
  if (!Number.isInteger(order) || order < 2 || order > 16) throw new AsxError('bad_input', `order ${order}: 2 … 16`, { path: '$.order' });
  if (V ** order >= 2 ** 53) throw new AsxError('bad_input', `|V|^order = ${V}^${order} is not below 2^53`, { path: '$.order' });
}

/** Raw counts by order (index n = 1 … order), keyed Σ id_j · V^(n−1−j). */
type Counts = Map<number, number>[];

function emptyCounts(order: number): Counts { return Array.from({ length: order + 1 }, () => new Map()); }

function countSentences(tokens: readonly string[], sentences: readonly (readonly string[])[], order: number): Counts {
  const V = tokens.length;
  const id = new Map(tokens.map((w, i) => [w, i]));
  const raw = emptyCounts(order);
  for (const s of sentences) {
    const ids = [1, ...s.map((w) => id.get(w) ?? 0), 2];
    for (let n = 1; n <= order; n++) {
      const r = raw[n];
      for (let i = 0; i + n <= ids.length; i++) {
        let k = 0;
        for (let j = 0; j < n; j++) k = k * V + ids[i + j];
        r.set(k, (r.get(k) ?? 0) + 1);
      }
    }
  }
  return raw;
}

function countsList(raw: Counts, V: number): number[][] {
  const out: number[][] = [];
  for (let n = 1; n < raw.length; n++) {
    const keys = Float64Array.from(raw[n].keys()).sort();
    for (const k0 of keys) {
      const e = new Array<number>(n + 1);
      let k = k0;
      for (let j = n - 1; j >= 0; j--) { e[j] = k % V; k = Math.floor(k / V); }
      e[n] = raw[n].get(k0)!;
      out.push(e);
    }
  }
  return out;
}

/** The count delta of `sentences` over `tokens` (specials first), chained after `parent`. */
export function countDelta(tokens: readonly string[], sentences: readonly (readonly string[])[], parent: string, order = MX2LM_NGRAM_ORDER): CountDelta {
  checkTokens(tokens);
  checkOrder(order, tokens.length);
  if (!HASH_RE.test(parent)) throw new AsxError('bad_input', `parent ${JSON.stringify(parent)} is not sha256:<64 lowercase hex>`, { path: '$.parent' });
  return { format: COUNT_DELTA_FORMAT, parent, vocab_hash: vocabHash(tokens), order, counts: countsList(countSentences(tokens, sentences, order), tokens.length) };
}

/** The canonical bytes of a delta (checked first). */
export function deltaBytes(d: CountDelta): Uint8Array {
  checkCountDelta(d);
  return canonicalJsonBytes(d);
}

/** "sha256:" + SHA-256 of the canonical bytes. */
export function deltaHash(d: CountDelta): string { return sha(deltaBytes(d)); }

function bad(path: string, message: string): never { throw new AsxError('bad_input', message, { path }); }

/**
 * Check a count delta value (every rule above but the vocabulary size, which `applyDelta` checks);
 * typed errors `bad_input` with the JSON path. `vocabSize`, when given, bounds the ids.
 */
export function checkCountDelta(value: unknown, vocabSize?: number): CountDelta {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) bad('$', 'a count delta is an object');
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v).sort().join();
  if (keys !== 'counts,format,order,parent,vocab_hash') bad('$', `a count delta has exactly counts, format, order, parent, vocab_hash (has ${keys})`);
  if (v.format !== COUNT_DELTA_FORMAT) bad('$.format', `format must be ${COUNT_DELTA_FORMAT}`);
  for (const k of ['parent', 'vocab_hash'] as const) if (typeof v[k] !== 'string' || !HASH_RE.test(v[k])) bad(`$.${k}`, `${k} must be sha256:<64 lowercase hex>`);
  const order = v.order;
  if (typeof order !== 'number' || !Number.isInteger(order) || order < 2 || order > 16) bad('$.order', 'order must be an integer 2 … 16');
  if (!Array.isArray(v.counts)) bad('$.counts', 'counts must be an array');
  const V = vocabSize ?? Number.MAX_SAFE_INTEGER;
  const counts = v.counts as unknown[];
  let prev: number[] | null = null;
  counts.forEach((e, i) => {
    const p = `$.counts[${i}]`;
    if (!Array.isArray(e) || e.length < 2 || e.length > order + 1) bad(p, `an entry is [id_1, …, id_n, count] with 1 ≤ n ≤ ${order}`);
    const n = e.length - 1;
    for (let j = 0; j < n; j++) {
      const x = e[j];
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x >= V) bad(`${p}[${j}]`, `id ${JSON.stringify(x)} is not a token id${vocabSize === undefined ? '' : ` (0 … ${V - 1})`}`);
      if (x === 1 && j > 0) bad(`${p}[${j}]`, '<s> (id 1) only starts an n-gram');
      if (x === 2 && j < n - 1) bad(`${p}[${j}]`, '</s> (id 2) only ends an n-gram');
    }
    const c = e[n];
    if (typeof c !== 'number' || !Number.isFinite(c)) bad(`${p}[${n}]`, `count ${JSON.stringify(c)} is not a number`);
    if (c < 0) bad(`${p}[${n}]`, `count ${c} is negative: a count delta only adds (append-only)`);
    if (!Number.isInteger(c)) bad(`${p}[${n}]`, `count ${c} is not an integer`);
    if (c === 0) bad(`${p}[${n}]`, 'count 0: n-grams that are not added are not listed');
    if (c > Number.MAX_SAFE_INTEGER) bad(`${p}[${n}]`, `count ${c} is beyond 2^53 − 1`);
    if (prev) {
      let cmp = prev.length - e.length;
      for (let j = 0; cmp === 0 && j < n; j++) cmp = prev[j] - (e[j] as number);
      if (cmp >= 0) bad(p, 'entries are sorted by n, then ids, and no n-gram is listed twice');
    }
    prev = e as number[];
  });
  checkMarginals(counts as number[][], order);
  return v as unknown as CountDelta;
}

/** Σ_w c(g w) = c(g) unless g ends with </s>; Σ_w c(w g) = c(g) unless g starts with <s>. */
function checkMarginals(counts: readonly number[][], order: number): void {
  const key = (ids: readonly number[]) => ids.join(' ');
  const at = new Map<string, number>();
  const c = new Map<string, number>();
  counts.forEach((e, i) => { const k = key(e.slice(0, -1)); c.set(k, e[e.length - 1]); at.set(k, i); });
  const right = new Map<string, number>(), left = new Map<string, number>();
  for (const e of counts) {
    const n = e.length - 1;
    if (n < 2) continue;
    const cnt = e[n];
    const pre = key(e.slice(0, n - 1)), suf = key(e.slice(1, n));
    right.set(pre, (right.get(pre) ?? 0) + cnt);
    left.set(suf, (left.get(suf) ?? 0) + cnt);
  }
  const where = (k: string) => { const i = at.get(k); return i === undefined ? '$.counts' : `$.counts[${i}]`; };
  const keys = new Set([...c.keys(), ...right.keys(), ...left.keys()]);
  for (const k of keys) {
    const ids = k.split(' ').map(Number);
    if (ids.length >= order) continue;
    const own = c.get(k) ?? 0;
    const r = right.get(k) ?? 0, l = left.get(k) ?? 0;
    const wantR = ids[ids.length - 1] === 2 ? 0 : own;
    if (r !== wantR) bad(where(k), `the n-grams extending [${k}] to the right count ${r}, not ${wantR}: not the counts of sentences`);
    const wantL = ids[0] === 1 ? 0 : own;
    if (l !== wantL) bad(where(k), `the n-grams extending [${k}] to the left count ${l}, not ${wantL}: not the counts of sentences`);
  }
}

/** Parse and check canonical delta bytes (`file` names them in errors). */
export function parseCountDelta(bytes: Uint8Array, file?: string): CountDelta {
  let v: Json;
  try { v = parsePayloadJson(bytes, { maxBytes: 1 << 30, maxDepth: 8, maxKeys: 1 << 10, maxValues: 1 << 28 }); } catch (e) {
    throw new AsxError('bad_json', `count delta is not JSON: ${(e as Error).message}`, { path: (e as { path?: string }).path, file });
  }
  let d: CountDelta;
  try { d = checkCountDelta(v); } catch (e) {
    if (e instanceof AsxError) throw new AsxError(e.code, e.message, { ...e.where, file });
    throw e;
  }
  if (compareBytes(canonicalJsonBytes(d), bytes) !== 0) throw new AsxError('bad_input', 'count delta is not in RFC 8785 canonical form', { path: '$', file });
  return d;
}

/** The state of the train sentences: the base record (parent = vocab hash), no deltas. */
export function baseState(tokens: readonly string[], train: readonly (readonly string[])[], order = MX2LM_NGRAM_ORDER): CountState {
  const vh = vocabHash(tokens);
  const base = countDelta(tokens, train, vh, order);
  const root = deltaHash(base);
  return { tokens: [...tokens], vocabHash: vh, order, base, root, deltas: [], hashes: [], head: root };
}

/**
 * Append a delta: its parent must be the state's head (`hash_mismatch` naming both), its vocab
 * hash and order the state's (`incompatible`), its ids below |V| (`bad_input` at the path).
 */
export function applyDelta(state: CountState, delta: CountDelta): CountState {
  checkCountDelta(delta, state.tokens.length);
  if (delta.vocab_hash !== state.vocabHash) throw new AsxError('incompatible', `delta is over vocabulary ${delta.vocab_hash}, the state over ${state.vocabHash}`, { path: '$.vocab_hash' });
  if (delta.order !== state.order) throw new AsxError('incompatible', `delta has order ${delta.order}, the state ${state.order}`, { path: '$.order' });
  if (delta.parent !== state.head) throw new AsxError('hash_mismatch', `delta parent ${delta.parent} is not the state's head ${state.head}`, { path: '$.parent' });
  const h = deltaHash(delta);
  return { ...state, deltas: [...state.deltas, delta], hashes: [...state.hashes, h], head: h };
}

/** Count `sentences` into a delta after the head and append it. */
export function evolveState(state: CountState, sentences: readonly (readonly string[])[]): CountState {
  return applyDelta(state, countDelta(state.tokens, sentences, state.head, state.order));
}

/** The summed counts of the state (base + every delta), by order. */
export function stateCounts(state: CountState): Map<number, number>[] {
  const V = state.tokens.length;
  const raw = emptyCounts(state.order);
  for (const d of [state.base, ...state.deltas]) {
    for (const e of d.counts) {
      const n = e.length - 1;
      let k = 0;
      for (let j = 0; j < n; j++) k = k * V + e[j];
      raw[n].set(k, (raw[n].get(k) ?? 0) + e[n]);
    }
  }
  return raw;
}

/** The KN n-gram brain of the state: `buildNgramBrain(tokens, train + every delta's sentences)`. */
export function stateNgramBrain(state: CountState, digits = 7): ArpaModel {
  return kneserNeyFromCounts(state.tokens, stateCounts(state), state.order, digits);
}

/** The SVG graph brain of the state: `buildSvgGraph(tokens, train + every delta's sentences)`. */
export function stateSvgGraph(state: CountState, nodes = SVG_GRAPH_NODES, successors = SVG_GRAPH_SUCCESSORS): SvgGraph {
  return buildSvgGraphFromCounts(state.tokens, stateCounts(state)[2], nodes, successors);
}

/** Sentences a delta adds (its count of the unigram `<s>`) and n-gram occurrences (Σ counts, all orders). */
export function deltaSize(d: CountDelta): { sentences: number; ngrams: number } {
  let sentences = 0, ngrams = 0;
  for (const e of d.counts) {
    ngrams += e[e.length - 1];
    if (e.length === 2 && e[0] === 1) sentences = e[1];
  }
  return { sentences, ngrams };
}

/** The entry name of the i-th delta (1-based): counts.0001.delta.json … */
export function deltaEntryName(i: number): string { return `counts.${String(i).padStart(4, '0')}.delta.json`; }

export interface CountChainManifest {
  format: typeof COUNT_CHAIN_FORMAT;
  base: string;
  vocab_hash: string;
  order: number;
  root: string;
  head: string;
  /** Entry names, in chain order. */
  deltas: string[];
}

export interface EvolveFoldOptions {
  foldId: string;
  /** The object the chain starts from (the fold's model_base), e.g. object://ai/brain/ngram/mx2lm-brown. */
  baseId: string;
  state: CountState;
  description?: string;
}

/** The evolve fold's @metrics: steps_trained = sentences added, delta_norm = n-gram occurrences added, timestamp = deltas. */
function evolveMetrics(deltas: readonly CountDelta[]): NonNullable<FoldV1['@metrics']> {
  let sentences = 0, ngrams = 0;
  for (const d of deltas) { const s = deltaSize(d); sentences += s.sentences; ngrams += s.ngrams; }
  return { steps_trained: sentences, delta_norm: ngrams, timestamp: deltas.length };
}

/** The evolve fold of a state's chain as fold bundle bytes (deterministic). */
export function evolveFold({ foldId, baseId, state, description }: EvolveFoldOptions): Uint8Array {
  const names = state.deltas.map((_, i) => deltaEntryName(i + 1));
  const manifest: CountChainManifest = { format: COUNT_CHAIN_FORMAT, base: baseId, vocab_hash: state.vocabHash, order: state.order, root: state.root, head: state.head, deltas: names };
  const fold: FoldV1 = {
    fold_id: foldId,
    version: EVOLVE_FOLD_VERSION,
    model_base: baseId,
    mx2gym_format: 'fold.v1',
    description: description ?? `evolve.mx2lm: ${state.deltas.length} append-only count delta(s) of order ${state.order} after ${state.root} (${EVOLVE_CHAIN_ENTRY}); no tensors`,
    '@data': { deltas: [] },
    '@control': { apply: 'always', priority: 0, mode: 'additive' },
    '@flow': { entry: EVOLVE_ROUTE[0], route: [...EVOLVE_ROUTE], exit: EVOLVE_ROUTE[EVOLVE_ROUTE.length - 1] },
    '@metrics': evolveMetrics(state.deltas),
  };
  const entries = [{ name: EVOLVE_CHAIN_ENTRY, bytes: canonicalJsonBytes(manifest) }, ...state.deltas.map((d, i) => ({ name: names[i], bytes: deltaBytes(d) }))];
  return writeFoldBundle(fold, entries);
}

export interface EvolveFoldRead {
  fold: FoldV1;
  manifest: CountChainManifest;
  deltas: CountDelta[];
  /** Hash of each delta (= its bundle entry hash). */
  hashes: string[];
}

function badFold(message: string, path?: string, file?: string): never {
  throw new AsxError('bad_fold', message, { ...(path ? { path } : {}), ...(file ? { file } : {}) });
}

/**
 * Read an evolve fold bundle: the bundle verified (trailer, entry hashes), the manifest, the
 * entries exactly the manifest and its deltas, every delta canonical and checked, the parent chain
 * root → … → head, the metrics and @flow route as `evolveFold` writes them.
 */
export function readEvolveFold(bytes: Uint8Array): EvolveFoldRead {
  const ver = verifyFoldBundle(bytes);
  if (!ver.ok) {
    const p = ver.problems[0];
    throw new AsxError(p.code === 'missing_ref' ? 'bad_ref' : p.code, p.message, { ...(p.offset !== undefined ? { offset: p.offset } : {}), ...(p.path ? { path: p.path } : {}), ...(p.entry ? { file: p.entry } : {}) });
  }
  const b = openFoldBundle(bytes);
  const fold = b.fold;
  if (fold['@data'].deltas.length || fold['@data'].gradients?.length || fold['@data'].optimizer) badFold('an evolve fold carries no tensors', '$["@data"]');
  if (JSON.stringify(fold['@flow']?.route) !== JSON.stringify(EVOLVE_ROUTE)) badFold(`an evolve fold's route is ${EVOLVE_ROUTE.join(' → ')}`, '$["@flow"].route');
  const mb = b.entryBytes(EVOLVE_CHAIN_ENTRY);
  if (!mb) badFold(`no ${EVOLVE_CHAIN_ENTRY} entry`);
  let mv: Json;
  try { mv = parsePayloadJson(mb); } catch (e) { badFold(`manifest is not JSON: ${(e as Error).message}`, (e as { path?: string }).path, EVOLVE_CHAIN_ENTRY); }
  const m = mv as unknown as CountChainManifest;
  if (mv === null || typeof mv !== 'object' || Array.isArray(mv) || Object.keys(mv).sort().join() !== 'base,deltas,format,head,order,root,vocab_hash') badFold('the manifest has exactly base, deltas, format, head, order, root, vocab_hash', '$', EVOLVE_CHAIN_ENTRY);
  if (m.format !== COUNT_CHAIN_FORMAT) badFold(`format must be ${COUNT_CHAIN_FORMAT}`, '$.format', EVOLVE_CHAIN_ENTRY);
  if (compareBytes(canonicalJsonBytes(mv), mb) !== 0) badFold('manifest is not in RFC 8785 canonical form', '$', EVOLVE_CHAIN_ENTRY);
  if (m.base !== fold.model_base) badFold(`manifest base ${JSON.stringify(m.base)} is not the fold's model_base`, '$.base', EVOLVE_CHAIN_ENTRY);
  for (const k of ['root', 'head', 'vocab_hash'] as const) if (typeof m[k] !== 'string' || !HASH_RE.test(m[k])) badFold(`${k} must be sha256:<64 lowercase hex>`, `$.${k}`, EVOLVE_CHAIN_ENTRY);
  if (!Array.isArray(m.deltas) || m.deltas.some((n, i) => n !== deltaEntryName(i + 1))) badFold('deltas lists counts.0001.delta.json, counts.0002.delta.json, … in chain order', '$.deltas', EVOLVE_CHAIN_ENTRY);
  const want = [EVOLVE_CHAIN_ENTRY, ...m.deltas].sort();
  const have = b.entries.map((e) => e.name).sort();
  if (want.join('\n') !== have.join('\n')) badFold(`the bundle's entries must be ${EVOLVE_CHAIN_ENTRY} and the manifest's deltas`, '$.entries');
  const byName = new Map(b.entries.map((e) => [e.name, e]));
  const deltas: CountDelta[] = [], hashes: string[] = [];
  let head = m.root;
  m.deltas.forEach((name, i) => {
    const d = parseCountDelta(b.entryBytes(name)!, name);
    if (d.vocab_hash !== m.vocab_hash || d.order !== m.order) throw new AsxError('incompatible', `${name}: vocab_hash/order differ from the manifest's`, { path: '$.vocab_hash', file: name });
    if (d.parent !== head) throw new AsxError('hash_mismatch', `${name}: parent ${d.parent} is not ${i === 0 ? 'the root' : `the hash of ${m.deltas[i - 1]}`} ${head}`, { path: '$.parent', file: name });
    head = byName.get(name)!.hash;
    deltas.push(d); hashes.push(head);
  });
  if (head !== m.head) throw new AsxError('hash_mismatch', `the chain ends at ${head}, the manifest says head ${m.head}`, { path: '$.head', file: EVOLVE_CHAIN_ENTRY });
  const mt = evolveMetrics(deltas), have2 = fold['@metrics'] ?? {};
  for (const k of ['steps_trained', 'delta_norm', 'timestamp'] as const) if (have2[k] !== mt[k]) badFold(`@metrics.${k} is ${have2[k]}, the chain says ${mt[k]}`, `$["@metrics"].${k}`);
  return { fold, manifest: m, deltas, hashes };
}

/**
 * Replay an evolve fold onto a state: the fold's chain must start at the state's root, and the
 * state's head must be on it (the root or one of its deltas); the deltas after it are applied.
 */
export function replayEvolveFold(state: CountState, bytes: Uint8Array): CountState {
  const r = readEvolveFold(bytes);
  if (r.manifest.root !== state.root) throw new AsxError('hash_mismatch', `the fold's chain starts at ${r.manifest.root}, the state's at ${state.root}`, { path: '$.root', file: EVOLVE_CHAIN_ENTRY });
  const at = state.head === state.root ? 0 : r.hashes.indexOf(state.head) + 1;
  if (at === 0 && state.head !== state.root) throw new AsxError('hash_mismatch', `the state's head ${state.head} is not on the fold's chain`, { path: '$.head', file: EVOLVE_CHAIN_ENTRY });
  let s = state;
  for (const d of r.deltas.slice(at)) s = applyDelta(s, d);
  return s;
}
