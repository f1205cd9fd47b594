/**
 * `ai.agent.reply.v1` legality (§16.8; docs/laws.md AI-REPLY). Payload (JSON):
 *   { "format": "text|tokens|structured", "tokens": [ids], "text"?: string, … }
 * Checks: the format is the descriptor's; tokens are non-negative integers; `text` is a
 * string when the format is text or structured; with `vocab_ref`, every id is in that vocab.
 */
import { FindingList, type LegalityResult } from './findings.ts';
import { isObject, readJsonPayload } from './payload-json.ts';
import type { VocabTable } from './vocab.ts';

export function checkReply(d: { format?: unknown; vocab_ref?: unknown }, payload: Uint8Array, vocab?: VocabTable | { missing: 'unresolved' | 'wrong_type' | 'illegal'; detail?: string }): LegalityResult {
  const out = new FindingList();
  const j = readJsonPayload(payload, 'reply.bad_payload');
  if ('finding' in j) { out.add(j.finding); return out.result(); }
  const p = j.value;
  if (!isObject(p)) { out.add({ code: 'reply.bad_payload', message: 'the payload is a JSON object', path: 'payload$' }); return out.result(); }
  if (p.format !== d.format) out.add({ code: 'reply.format_mismatch', message: `payload format ${JSON.stringify(p.format)}, descriptor format ${JSON.stringify(d.format)}`, path: 'payload$.format' });
  if (!Array.isArray(p.tokens)) out.add({ code: 'reply.bad_tokens', message: 'tokens is a list of token ids', path: 'payload$.tokens' });
  else p.tokens.forEach((t, i) => {
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) out.add({ code: 'reply.bad_tokens', message: 'a token id is a non-negative integer', path: `payload$.tokens[${i}]` });
    else if (vocab && !('missing' in vocab) && t >= vocab.tokens.length) out.add({ code: 'reply.token_outside_vocab', message: `id ${t} is not in the referenced vocab (size ${vocab.tokens.length})`, path: `payload$.tokens[${i}]` });
  });
  if ((p.format === 'text' || p.format === 'structured') && typeof p.text !== 'string') out.add({ code: 'reply.bad_text', message: 'text is a string', path: 'payload$.text' });
  if (d.vocab_ref !== undefined && vocab && 'missing' in vocab) out.add({ code: vocab.missing === 'unresolved' ? 'reply.vocab_ref_unresolved' : vocab.missing === 'wrong_type' ? 'reply.vocab_ref_wrong_type' : 'reply.vocab_ref_illegal', message: `vocab_ref: ${vocab.detail ?? vocab.missing}`, path: '$.vocab_ref' });
  return out.result();
}
