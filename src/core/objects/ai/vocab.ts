/**
 * `ai.vocab.v1` legality (§16.3; docs/laws.md AI-VOCAB): tokens unique, ids one-to-one,
 * the declared size the real one. Payload (JSON), either
 *   {"tokens": ["<unk>", "the", …]}        id = index (the list form), or
 *   {"<unk>": 0, "the": 1, …}               Hugging Face `vocab.json` (token → id),
 * ids dense 0 … size − 1 either way.
 */
import type { Json } from '../json.ts';
import { pathSegment } from '../json.ts';
import { FindingList, type Finding, type LegalityResult } from './findings.ts';
import { isObject, readJsonPayload } from './payload-json.ts';

export interface VocabTable {
  /** token by id */
  tokens: string[];
  ids: Map<string, number>;
  /** Entries in the payload (duplicates included). */
  count: number;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The table and its findings (a table is returned whenever the payload has a usable shape). */
export function readVocab(value: Json, out: FindingList): VocabTable | null {
  const tokens: string[] = [];
  const ids = new Map<string, number>();
  const checkToken = (t: string, path: string) => {
    if (t.length === 0) out.add({ code: 'vocab.bad_token', message: 'a token is the empty string', path });
    else if (LONE_SURROGATE.test(t)) out.add({ code: 'vocab.bad_token', message: 'a token has a lone surrogate (no UTF-8 form)', path });
  };
  if (isObject(value) && Array.isArray(value.tokens)) {
    value.tokens.forEach((t, i) => {
      const path = `payload$.tokens[${i}]`;
      if (typeof t !== 'string') { out.add({ code: 'vocab.bad_token', message: 'a token is a string', path }); tokens.push(''); return; }
      checkToken(t, path);
      const prev = ids.get(t);
      if (prev !== undefined) out.add({ code: 'vocab.duplicate_token', message: `token ${JSON.stringify(t.slice(0, 64))} is also id ${prev}`, path });
      else ids.set(t, i);
      tokens.push(t);
    });
    return { tokens, ids, count: value.tokens.length };
  }
  if (isObject(value)) {
    const byId = new Map<number, string>();
    for (const [t, id] of Object.entries(value)) {
      const path = `payload$${pathSegment(t)}`;
      checkToken(t, path);
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 16_777_215) { out.add({ code: 'vocab.bad_id', message: 'an id is an integer 0 … 16777215', path }); continue; }
      const prev = byId.get(id);
      if (prev !== undefined) { out.add({ code: 'vocab.duplicate_id', message: `id ${id} is also token ${JSON.stringify(prev.slice(0, 64))}`, path }); continue; }
      byId.set(id, t);
      ids.set(t, id);
    }
    for (let i = 0; i < byId.size; i++) {
      if (!byId.has(i)) { out.add({ code: 'vocab.id_gap', message: `ids are 0 … ${byId.size - 1} without gaps; ${i} is missing`, path: 'payload$' }); break; }
      tokens.push(byId.get(i)!);
    }
    return { tokens, ids, count: Object.keys(value).length };
  }
  out.add({ code: 'vocab.bad_payload', message: 'the payload is {"tokens": [...]} or a {"token": id} map', path: 'payload$' });
  return null;
}

export function checkVocab(descriptor: { size?: unknown }, payload: Uint8Array): LegalityResult & { table: VocabTable | null } {
  const out = new FindingList();
  const j = readJsonPayload(payload, 'vocab.bad_payload');
  if ('finding' in j) { out.add(j.finding); return { ...out.result(), table: null }; }
  const table = readVocab(j.value, out);
  if (table && typeof descriptor.size === 'number' && descriptor.size !== table.count) {
    out.add({ code: 'vocab.size_mismatch', message: `the descriptor declares size ${descriptor.size}, the payload has ${table.count} tokens`, path: '$.size' });
  }
  return { ...out.result(), table };
}

export type { Finding };
