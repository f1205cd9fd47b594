/**
 * `ai.inference.profile.v1` legality (§16.7; docs/laws.md AI-PROFILE). Payload (JSON):
 *   { "mode": "matrix|graph|hybrid",
 *     "objects": { "tokenizer"?: id, "vocab"?: id, "weights"?: id, "ngram"?: id, "svg"?: id },
 *     "collapse": { "alpha": a, "beta": b, "gamma": c },   // C = a·P_matrix + b·P_svg + c·P_ngram
 *     "selector": "argmax", "tie": "lowest_id", "context": k, "max_tokens": n, "stop"?: token }
 * Checks: the mode is the descriptor's; no sampling member (`temperature`, `top_k`, `top_p`,
 * `typical_p`, `seed`, `sample`, `do_sample`, `random` anywhere: no_sampling, no_randomness);
 * selector argmax with the lowest-id tie rule; collapse weights ≥ 0 summing to 1 (± 1e-9),
 * `matrix` using only alpha and `graph` no alpha; every input type the descriptor lists has an
 * object of that type (resolved, when a resolver is given); context 1–64, max_tokens 1–4096.
 */
import type { Json } from '../json.ts';
import { isCanonicalId } from '../identity.ts';
import { FindingList, type LegalityResult } from './findings.ts';
import { isObject, readJsonPayload } from './payload-json.ts';
import type { AiType } from './schemas.ts';

export const PROFILE_OBJECT_TYPES: Readonly<Record<string, AiType>> = {
  tokenizer: 'ai.tokenizer', vocab: 'ai.vocab', weights: 'ai.model.weights', ngram: 'ai.brain.ngram', svg: 'ai.brain.svg-tensor',
};
const SAMPLING = new Set(['temperature', 'top_k', 'top_p', 'typical_p', 'seed', 'sample', 'do_sample', 'random']);
export const COLLAPSE_TOLERANCE = 1e-9;

/** Types of the resolved objects by key (null: did not resolve), from the caller's resolver. */
export type ResolvedTypes = Readonly<Record<string, AiType | 'other' | null>>;

export function checkProfile(d: { mode?: unknown; inputs?: unknown }, payload: Uint8Array, resolved?: ResolvedTypes): LegalityResult & { objects?: Record<string, string> } {
  const out = new FindingList();
  const j = readJsonPayload(payload, 'profile.bad_payload');
  if ('finding' in j) { out.add(j.finding); return out.result(); }
  const p = j.value;
  if (!isObject(p)) { out.add({ code: 'profile.bad_payload', message: 'the payload is a JSON object', path: 'payload$' }); return out.result(); }
  if (p.mode !== d.mode) out.add({ code: 'profile.mode_mismatch', message: `payload mode ${JSON.stringify(p.mode)}, descriptor mode ${JSON.stringify(d.mode)}`, path: 'payload$.mode' });
  const stack: Array<[Json, string]> = [[p, 'payload$']];
  while (stack.length) {
    const [x, at] = stack.pop()!;
    if (Array.isArray(x)) x.forEach((y, i) => stack.push([y, `${at}[${i}]`]));
    else if (isObject(x)) for (const [k, y] of Object.entries(x)) {
      if (SAMPLING.has(k)) out.add({ code: 'profile.sampling_forbidden', message: `${k}: an inference profile does not sample (no_sampling, no_randomness)`, path: `${at}.${k}` });
      stack.push([y, `${at}.${k}`]);
    }
  }
  if (p.selector !== 'argmax') out.add({ code: 'profile.bad_selector', message: 'selector is "argmax" (deterministic)', path: 'payload$.selector' });
  if (p.tie !== 'lowest_id') out.add({ code: 'profile.bad_tie', message: 'tie is "lowest_id"', path: 'payload$.tie' });
  for (const [k, lo, hi] of [['context', 1, 64], ['max_tokens', 1, 4096]] as const) {
    const v = p[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) out.add({ code: 'profile.bad_limit', message: `${k} is an integer ${lo}–${hi}`, path: `payload$.${k}` });
  }
  const c = p.collapse;
  if (!isObject(c)) out.add({ code: 'profile.bad_collapse', message: 'collapse is {alpha, beta, gamma}', path: 'payload$.collapse' });
  else {
    const w = ['alpha', 'beta', 'gamma'].map((k) => c[k]);
    if (!w.every((x) => typeof x === 'number' && x >= 0)) out.add({ code: 'profile.bad_collapse', message: 'alpha, beta and gamma are numbers ≥ 0', path: 'payload$.collapse' });
    else {
      const [a, b, g] = w as number[];
      if (Math.abs(a + b + g - 1) > COLLAPSE_TOLERANCE) out.add({ code: 'profile.bad_collapse', message: `alpha + beta + gamma = ${a + b + g}, not 1`, path: 'payload$.collapse' });
      if (p.mode === 'matrix' && (b !== 0 || g !== 0)) out.add({ code: 'profile.bad_collapse', message: 'mode matrix uses alpha only', path: 'payload$.collapse' });
      if (p.mode === 'graph' && a !== 0) out.add({ code: 'profile.bad_collapse', message: 'mode graph has alpha 0', path: 'payload$.collapse' });
    }
  }
  const objects: Record<string, string> = {};
  if (!isObject(p.objects)) out.add({ code: 'profile.bad_payload', message: 'objects is {tokenizer, vocab, weights, ngram, svg} → object ids', path: 'payload$.objects' });
  else {
    for (const [k, id] of Object.entries(p.objects)) {
      const at = `payload$.objects.${k}`;
      if (!(k in PROFILE_OBJECT_TYPES)) { out.add({ code: 'profile.bad_payload', message: `unknown input ${k}`, path: at }); continue; }
      if (typeof id !== 'string' || !isCanonicalId(id)) { out.add({ code: 'profile.bad_payload', message: 'an input is a canonical object:// id', path: at }); continue; }
      objects[k] = id;
      if (resolved) {
        const t = resolved[k];
        if (t === null || t === undefined) out.add({ code: 'profile.input_unresolved', message: `${id} does not resolve`, path: at });
        else if (t !== PROFILE_OBJECT_TYPES[k]) out.add({ code: 'profile.input_wrong_type', message: `${id} is ${t}, not ${PROFILE_OBJECT_TYPES[k]}`, path: at });
      }
    }
    const types = new Set(Object.keys(objects).map((k) => PROFILE_OBJECT_TYPES[k]));
    for (const need of Array.isArray(d.inputs) ? d.inputs : []) {
      const ok = need === 'ai.brain.*' ? types.has('ai.brain.ngram') || types.has('ai.brain.svg-tensor') : types.has(need as AiType);
      if (!ok) out.add({ code: 'profile.missing_input', message: `the descriptor lists input ${String(need)}; objects has none`, path: 'payload$.objects' });
    }
  }
  return { ...out.result(), objects };
}
