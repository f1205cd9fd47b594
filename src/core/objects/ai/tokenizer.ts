/**
 * `ai.tokenizer.v1` legality (§16.2; docs/laws.md AI-TOKENIZER). The payload is a Hugging
 * Face `tokenizer.json`; encoding is done by `@huggingface/tokenizers` (pure JavaScript, no
 * dependencies, the same code in Node, browsers and workers), never re-implemented here.
 *
 * Checks: the model is one the library encodes (BPE, WordPiece, Unigram, WordLevel) and is the
 * declared `tokenizer_type`; model vocabulary ids unique; BPE merges made of vocabulary tokens
 * and producing one; `unk_token` in the vocabulary; added tokens consistent; `ruleset_hash` is
 * SHA-256 of the JCS form of the whole tokenizer.json value; `vocab_ref` resolves to an
 * `ai.vocab` object that holds every token of the tokenizer with the same id (fixed_vocab);
 * and encoding the fixed probe texts (plus the first vocabulary tokens) emits only ids of
 * that vocab object (§16.2 "must not emit tokens outside the referenced vocab", "must be
 * total": an exception or a missing id is a finding).
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { canonicalJsonBytes } from '../../json/jcs.ts';
import { sha256 } from '../../hash/sha256.ts';
import { toHex } from '../../bytes/hex.ts';
import { pathSegment, type Json } from '../json.ts';
import { FindingList, type LegalityResult } from './findings.ts';
import { isObject, readJsonPayload } from './payload-json.ts';
import type { VocabTable } from './vocab.ts';

/** Texts every tokenizer must encode into vocabulary ids (ASCII, punctuation, digits, other scripts, emoji, whitespace). */
export const PROBE_TEXTS: readonly string[] = [
  '',
  'The quick brown fox jumps over the lazy dog.',
  'It was 1961; prices rose 3.5% (or so) — "quite" a lot!',
  'naïve café Ünïcödé ß Straße ✓ 東京 Привет مرحبا 🙂👍🏽',
  ' \t leading, trailing  and   repeated\nwhitespace \r\n',
  '<unk> <s> </s> [UNK] [CLS] ## Ġ ▁',
];
/** How many vocabulary tokens are also encoded (joined by spaces) as a probe. */
export const PROBE_VOCAB_TOKENS = 512;

const MODEL_OF_TYPE: Record<string, string> = { bpe: 'BPE', wordpiece: 'WordPiece', unigram: 'Unigram', wordlevel: 'WordLevel' };
const SUPPORTED = ['BPE', 'WordPiece', 'Unigram', 'WordLevel'];

/** `sha256:<hex>` of the RFC 8785 canonical bytes of a tokenizer.json value. */
export function rulesetHash(tokenizerJson: unknown): string {
  return `sha256:${toHex(sha256(canonicalJsonBytes(tokenizerJson)))}`;
}

export interface TokenizerContext {
  /** The referenced vocab's table, or why it is not there. */
  vocab: VocabTable | { missing: 'unresolved' | 'wrong_type' | 'illegal'; detail?: string };
}

/** Token → id of the model (and added tokens), with findings about the vocabulary itself. */
function modelVocab(model: Record<string, Json>, out: FindingList): Map<string, number> {
  const ids = new Map<string, number>();
  const byId = new Map<number, string>();
  const add = (t: string, id: number, path: string) => {
    const prev = byId.get(id);
    if (prev !== undefined && prev !== t) { out.add({ code: 'tokenizer.duplicate_id', message: `id ${id} is both ${JSON.stringify(prev.slice(0, 64))} and ${JSON.stringify(t.slice(0, 64))}`, path }); return; }
    if (ids.has(t) && ids.get(t) !== id) { out.add({ code: 'tokenizer.duplicate_token', message: `token ${JSON.stringify(t.slice(0, 64))} has ids ${ids.get(t)} and ${id}`, path }); return; }
    byId.set(id, t);
    ids.set(t, id);
  };
  if (model.type === 'Unigram') {
    if (!Array.isArray(model.vocab)) { out.add({ code: 'tokenizer.bad_model', message: 'a Unigram model has a vocab list of [piece, score]', path: 'payload$.model.vocab' }); return ids; }
    model.vocab.forEach((e, i) => {
      const path = `payload$.model.vocab[${i}]`;
      if (!Array.isArray(e) || typeof e[0] !== 'string' || typeof e[1] !== 'number') { out.add({ code: 'tokenizer.bad_model', message: 'a Unigram entry is [piece, score]', path }); return; }
      if (ids.has(e[0])) { out.add({ code: 'tokenizer.duplicate_token', message: `piece ${JSON.stringify(e[0].slice(0, 64))} is also id ${ids.get(e[0])}`, path }); return; }
      add(e[0], i, path);
    });
    return ids;
  }
  if (!isObject(model.vocab)) { out.add({ code: 'tokenizer.bad_model', message: `a ${String(model.type)} model has a vocab object {token: id}`, path: 'payload$.model.vocab' }); return ids; }
  for (const [t, id] of Object.entries(model.vocab)) {
    const path = `payload$.model.vocab${pathSegment(t)}`;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) { out.add({ code: 'tokenizer.bad_id', message: 'an id is a non-negative integer', path }); continue; }
    add(t, id, path);
  }
  return ids;
}

function checkMerges(model: Record<string, Json>, ids: Map<string, number>, out: FindingList): void {
  if (model.type !== 'BPE' || model.merges === undefined) return;
  if (!Array.isArray(model.merges)) { out.add({ code: 'tokenizer.bad_model', message: 'merges is a list', path: 'payload$.model.merges' }); return; }
  const prefix = typeof model.continuing_subword_prefix === 'string' ? model.continuing_subword_prefix : '';
  model.merges.forEach((m, i) => {
    const path = `payload$.model.merges[${i}]`;
    const pair = typeof m === 'string' ? m.split(' ') : Array.isArray(m) ? m : null;
    if (!pair || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') { out.add({ code: 'tokenizer.bad_merge', message: 'a merge is "a b" or ["a", "b"]', path }); return; }
    const [a, b] = pair as [string, string];
    const merged = a + (prefix && b.startsWith(prefix) ? b.slice(prefix.length) : b);
    for (const t of [a, b, merged]) if (!ids.has(t)) { out.add({ code: 'tokenizer.bad_merge', message: `merge ${JSON.stringify(`${a} ${b}`.slice(0, 64))} needs ${JSON.stringify(t.slice(0, 64))}, which is not in the vocabulary`, path }); return; }
  });
}

function checkAdded(tj: Record<string, Json>, ids: Map<string, number>, out: FindingList): Map<string, number> {
  const added = new Map<string, number>();
  if (tj.added_tokens === undefined || tj.added_tokens === null) return added;
  if (!Array.isArray(tj.added_tokens)) { out.add({ code: 'tokenizer.bad_added_token', message: 'added_tokens is a list', path: 'payload$.added_tokens' }); return added; }
  const seenIds = new Map<number, string>();
  tj.added_tokens.forEach((a, i) => {
    const path = `payload$.added_tokens[${i}]`;
    if (!isObject(a) || typeof a.content !== 'string' || typeof a.id !== 'number' || !Number.isInteger(a.id) || a.id < 0) { out.add({ code: 'tokenizer.bad_added_token', message: 'an added token has a string content and a non-negative integer id', path }); return; }
    const prevId = seenIds.get(a.id);
    if (prevId !== undefined || added.has(a.content)) { out.add({ code: 'tokenizer.duplicate_added_token', message: `added token ${JSON.stringify(a.content.slice(0, 64))} (id ${a.id}) repeats an earlier one`, path }); return; }
    const inModel = ids.get(a.content);
    if (inModel !== undefined && inModel !== a.id) { out.add({ code: 'tokenizer.added_token_conflict', message: `added token ${JSON.stringify(a.content.slice(0, 64))} has id ${a.id}, the model vocabulary says ${inModel}`, path }); return; }
    seenIds.set(a.id, a.content);
    added.set(a.content, a.id);
  });
  return added;
}

/** Legality of a tokenizer.json payload against its descriptor and its referenced vocab. */
export function checkTokenizer(descriptor: { tokenizer_type?: unknown; ruleset_hash?: unknown }, payload: Uint8Array, ctx: TokenizerContext): LegalityResult {
  const out = new FindingList();
  const j = readJsonPayload(payload, 'tokenizer.bad_payload');
  if ('finding' in j) { out.add(j.finding); return out.result(); }
  const tj = j.value;
  if (!isObject(tj) || !isObject(tj.model)) { out.add({ code: 'tokenizer.bad_payload', message: 'a tokenizer.json is an object with a model', path: 'payload$' }); return out.result(); }
  const model = tj.model;
  const type = typeof model.type === 'string' ? model.type : inferType(model);
  if (!SUPPORTED.includes(type)) { out.add({ code: 'tokenizer.unsupported_model', message: `model type ${JSON.stringify(type)}; supported: ${SUPPORTED.join(', ')}`, path: 'payload$.model.type' }); return out.result(); }
  const declared = typeof descriptor.tokenizer_type === 'string' ? descriptor.tokenizer_type : '';
  if (declared !== 'char' && MODEL_OF_TYPE[declared] !== type) out.add({ code: 'tokenizer.type_mismatch', message: `the descriptor says ${declared}, the payload's model is ${type}`, path: '$.tokenizer_type' });
  if (typeof descriptor.ruleset_hash === 'string') {
    const h = rulesetHash(tj);
    if (h !== descriptor.ruleset_hash) out.add({ code: 'tokenizer.ruleset_hash_mismatch', message: `the payload's ruleset hashes to ${h}`, path: '$.ruleset_hash' });
  }
  const ids = modelVocab({ ...model, type }, out);
  checkMerges({ ...model, type }, ids, out);
  const unk = typeof model.unk_token === 'string' ? model.unk_token : null;
  if (unk !== null && !ids.has(unk)) out.add({ code: 'tokenizer.unk_not_in_vocab', message: `unk_token ${JSON.stringify(unk.slice(0, 64))} is not in the model vocabulary`, path: 'payload$.model.unk_token' });
  const added = checkAdded(tj, ids, out);
  // The referenced vocab.
  const v = ctx.vocab;
  if ('missing' in v) {
    const code = v.missing === 'unresolved' ? 'tokenizer.vocab_ref_unresolved' : v.missing === 'wrong_type' ? 'tokenizer.vocab_ref_wrong_type' : 'tokenizer.vocab_ref_illegal';
    out.add({ code, message: `vocab_ref: ${v.detail ?? v.missing}`, path: '$.vocab_ref' });
    return out.result();
  }
  for (const [t, id] of [...ids, ...added]) {
    const vid = v.ids.get(t);
    if (vid !== id) out.add({ code: 'tokenizer.token_outside_vocab', message: vid === undefined ? `token ${JSON.stringify(t.slice(0, 64))} (id ${id}) is not in the referenced vocab` : `token ${JSON.stringify(t.slice(0, 64))} is id ${id} here and ${vid} in the referenced vocab`, path: 'payload$.model.vocab' });
    if (out.size >= 20) break;
  }
  // Encode the probes with the library.
  let tok: Tokenizer;
  try {
    tok = new Tokenizer(tj as object, unk !== null ? { unk_token: unk } : {});
  } catch (e) {
    out.add({ code: 'tokenizer.unsupported', message: `the tokenizer library refuses this tokenizer.json: ${e instanceof Error ? e.message.slice(0, 200) : 'unknown error'}`, path: 'payload$' });
    return out.result();
  }
  const probes = [...PROBE_TEXTS, v.tokens.slice(0, PROBE_VOCAB_TOKENS).join(' ')];
  probes.forEach((text, p) => {
    let enc: { ids: unknown[]; tokens?: unknown[] };
    try { enc = tok.encode(text, { add_special_tokens: false }) as { ids: unknown[]; tokens?: unknown[] }; } catch (e) {
      out.add({ code: 'tokenizer.not_total', message: `encoding probe ${p} throws: ${e instanceof Error ? e.message.slice(0, 200) : 'unknown error'}`, path: `probe[${p}]` });
      return;
    }
    for (let i = 0; i < enc.ids.length; i++) {
      const id = enc.ids[i];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= v.tokens.length || !v.ids.has(v.tokens[id])) {
        const t = enc.tokens?.[i];
        out.add({ code: 'tokenizer.emits_outside_vocab', message: `probe ${p} token ${i}${typeof t === 'string' ? ` ${JSON.stringify(t.slice(0, 64))}` : ''} is id ${String(id)}, which the referenced vocab does not have`, path: `probe[${p}]` });
        return;
      }
    }
  });
  return out.result();
}

function inferType(model: Record<string, Json>): string {
  if (Array.isArray(model.vocab)) return 'Unigram';
  if (model.merges !== undefined) return 'BPE';
  if (model.continuing_subword_prefix !== undefined) return 'WordPiece';
  return 'WordLevel';
}
