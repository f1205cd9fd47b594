/**
 * §16.1 global invariants of every `ai.*` object, and the descriptor schema check
 * (docs/laws.md AI-GLOBAL, AI-SCHEMA). Findings, never exceptions.
 */
import { descriptorIssues, DESCRIPTOR_FORMATS } from '../descriptor.ts';
import { validate } from '../schema.ts';
import { isRef, parseRefText } from '../reference.ts';
import { SCXQ2_HOOKS } from '../../scxq2/hooks.ts';
import { AI_SCHEMAS, aiTypeOf, type AiType } from './schemas.ts';
import type { Finding } from './findings.ts';

/** The hook names (without `hook.`) every core provides (the §19 table). */
const CORE_HOOK_NAMES: readonly string[] = SCXQ2_HOOKS.map((h) => h.id.replace(/^hook\./, ''));

/** §16.1 names, and the invariant names §16.2–§16.8 and §14 declare. */
export const AI_GLOBAL_INVARIANTS = ['no_execution', 'deterministic', 'immutable_payload', 'projection_only', 'hash_authority', 'host_agnostic'] as const;
/**
 * Names that are not object.v1 built-ins and that the AI family enforces through its
 * legality checks (a verified `ai.*` object has passed them): the verify phase accepts them
 * for `ai.*` objects instead of answering `unknown_invariant`.
 */
export const AI_INVARIANT_NAMES = [
  'hash_authority', 'host_agnostic',
  'fixed_vocab', 'no_context_dependency', // tokenizer
  'one_to_one_mapping', // vocab
  'shape_consistent', 'no_training', // weights
  'order_fixed', 'probability_conserved', // n-gram
  'geometry_is_weight', 'no_visual_semantics', 'deterministic_traversal', 'no_visual_requirement', // svg brain
  'no_sampling', 'no_randomness', 'no_external_state', // profile
] as const;

/** object.v1 schema, then the type's §16 schema: one finding per issue (`ai.schema`). */
export function schemaFindings(d: unknown, type: AiType): Finding[] {
  const base = descriptorIssues(d);
  const issues = base.length ? base : validate(AI_SCHEMAS[type], d, DESCRIPTOR_FORMATS);
  return issues.map((i) => ({ code: 'ai.schema', message: `${i.path} ${i.message}`, path: i.path }));
}

interface DescriptorLike {
  hash?: unknown; authority?: unknown; executable?: unknown;
  payload?: { type?: unknown; location?: unknown };
  projections?: Record<string, { requires?: unknown } & Record<string, unknown>>;
}

/**
 * §16.1: no_execution (not executable, authority not `execute`), immutable_payload (authority
 * not `write`/`execute`), projection_only (authority `none`), hash_authority (the payload is
 * stored bytes named by its hash: not a `stream`), deterministic (no projection mentions
 * `@meta.projected_at`), host_agnostic (no projection requires a hook outside the core's
 * §19 set).
 */
export function globalFindings(dIn: unknown): Finding[] {
  const d = dIn as DescriptorLike;
  const out: Finding[] = [];
  const auth = typeof d.authority === 'string' ? d.authority : 'none';
  if (d.executable === true) out.push({ code: 'ai.no_execution', message: 'an AI object is never executable', path: '$.executable' });
  if (auth === 'execute') out.push({ code: 'ai.no_execution', message: 'authority execute', path: '$.authority' });
  if (auth === 'write' || auth === 'execute') out.push({ code: 'ai.immutable_payload', message: `authority ${auth} would allow modifying the payload`, path: '$.authority' });
  if (auth !== 'none') out.push({ code: 'ai.projection_only', message: `authority ${auth}; an AI object allows projections only (none)`, path: '$.authority' });
  if (d.payload?.type === 'stream') out.push({ code: 'ai.hash_authority', message: 'a stream payload has no fixed bytes for its hash to define', path: '$.payload.type' });
  for (const [name, p] of Object.entries(d.projections ?? {})) {
    const stack: Array<[unknown, string]> = [[p, `$.projections.${name}`]];
    while (stack.length) {
      const [x, at] = stack.pop()!;
      if (isRef(x)) {
        const r = parseRefText(x);
        if (typeof r !== 'string' && r.root === 'meta' && r.segments[0] === 'projected_at') out.push({ code: 'ai.deterministic', message: 'a projection of an AI object may not read the clock (@meta.projected_at)', path: at });
      } else if (Array.isArray(x)) x.forEach((y, i) => stack.push([y, `${at}[${i}]`]));
      else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) stack.push([y, `${at}.${k}`]);
    }
    if (Array.isArray(p?.requires)) {
      for (const [i, h] of p.requires.entries()) {
        if (typeof h === 'string' && !CORE_HOOK_NAMES.includes(h)) out.push({ code: 'ai.host_agnostic', message: `projection ${name} requires the host hook ${h}; AI objects use only the core hooks`, path: `$.projections.${name}.requires[${i}]` });
      }
    }
  }
  return out;
}

export { aiTypeOf };
