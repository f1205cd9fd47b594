/**
 * The inference request envelope (§20.3; docs/laws.md MX2LM-INFER "envelope"): exactly
 *
 *   {"@request": "ai.inference", "prompt": "…", "profile": "object://…", "projection": "agent.reply"}
 *
 * Every member required, no other member (temperature, top_k, seed, max_tokens, … are
 * `inference_error.bad_request`: behaviour is declared in objects, §20.1); the prompt a string of
 * at most PROMPT_MAX_CHARS UTF-16 units; the profile a canonical object id.
 *
 * Pure: no DOM, no Node.
 */
import { AsxError } from '../errors.ts';
import { isCanonicalId } from '../objects/identity.ts';

export interface InferenceRequest {
  readonly '@request': 'ai.inference';
  readonly prompt: string;
  readonly profile: string;
  readonly projection: 'agent.reply';
}

export const PROMPT_MAX_CHARS = 4096;
const MEMBERS = ['@request', 'prompt', 'profile', 'projection'];

function bad(message: string, path: string): AsxError {
  return new AsxError('inference_error.bad_request', message, { path });
}

/** The request of a JSON text or value, or a typed `inference_error.bad_request`. */
export function parseRequest(input: string | unknown): InferenceRequest {
  let v: unknown = input;
  if (typeof input === 'string') {
    try { v = JSON.parse(input); } catch (e) { throw bad(`the request is not JSON: ${(e as Error).message}`, '$'); }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad('the request is a JSON object', '$');
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!MEMBERS.includes(k)) throw bad(`unknown member ${JSON.stringify(k)}: the envelope has exactly @request, prompt, profile, projection (no parameters, no temperature, §20.3)`, `$.${k}`);
  for (const k of MEMBERS) if (!(k in o)) throw bad(`missing member ${k}`, `$.${k}`);
  if (o['@request'] !== 'ai.inference') throw bad('@request is "ai.inference"', '$["@request"]');
  if (typeof o.prompt !== 'string') throw bad('prompt is a string', '$.prompt');
  if (o.prompt.length > PROMPT_MAX_CHARS) throw bad(`prompt has ${o.prompt.length} characters, at most ${PROMPT_MAX_CHARS}`, '$.prompt');
  if (typeof o.profile !== 'string' || !isCanonicalId(o.profile)) throw bad('profile is a canonical object:// id', '$.profile');
  if (o.projection !== 'agent.reply') throw bad('projection is "agent.reply"', '$.projection');
  return { '@request': 'ai.inference', prompt: o.prompt, profile: o.profile, projection: 'agent.reply' };
}

/** The request as canonical bytes (members in envelope order). */
export function requestJson(r: InferenceRequest): string {
  return JSON.stringify({ '@request': r['@request'], prompt: r.prompt, profile: r.profile, projection: r.projection });
}
