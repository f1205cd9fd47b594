/**
 * Verification (§15.7, §15.10, §15.15; docs/laws.md O-VERIFY, O-AUTHORITY, O-INVARIANTS).
 * `verifyObject` returns a result, never throws for a bad object: the steps it ran, and
 * either a VerifiedObject (the only thing `projectObject` accepts) or the first error.
 * Order: size (before any byte is hashed) → SHA-256 → format integrity (§19 verify hooks)
 * → authority for the requested operation → declared invariants → forbidden patterns.
 */
import { ObjectError } from './errors.ts';
import { authorityOf, AUTHORITY_LEVELS, BUILTIN_INVARIANTS, type Assertion, type Authority, type CustomInvariant, type Descriptor } from './descriptor.ts';
import { hashPayload, sizeOf, toObjectError, verifyFormat, type FormatInfo, type PayloadInput, type PayloadView } from './payload.ts';
import { aiTypeOf } from './ai/schemas.ts';
import { AI_INVARIANT_NAMES } from './ai/global.ts';
import { checkAiObject, type AiLegalityResult, type AiResolver } from './ai/legality.ts';
import { describeFinding } from './ai/findings.ts';
import { metaFor, parseRefOrThrow, resolveReference, type RefContext } from './resolve.ts';
import type { Json } from './json.ts';
import type { ObjectErrorEvent } from '../scxq2/hooks.ts';

export type Operation = 'project' | 'read' | 'write' | 'execute';
/** Authority an operation needs (O-AUTHORITY). */
export const OPERATION_AUTHORITY: Record<Operation, Authority> = { project: 'none', read: 'read', write: 'write', execute: 'execute' };
/** Event bindings that only observe (what `no_side_effects` allows). */
export const OBSERVATIONAL_BINDINGS = ['log', 'audit', 'trace', 'metrics'] as const;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface VerifyStep { check: string; ok: boolean; detail?: string }

/** What a host-registered invariant sees (read-only). */
export interface InvariantContext {
  descriptor: Descriptor;
  operation: Operation;
  /** Resolve a reference (`@payload.x`) against the verified payload. */
  resolve(ref: string): Promise<unknown>;
}
/** A host-registered invariant: true when it holds, else the reason it does not. */
export type InvariantCheck = (ctx: InvariantContext) => true | string | Promise<true | string>;

export interface LoadedObject {
  id: string;
  descriptor: Descriptor;
  payload: PayloadInput;
  format: FormatInfo;
  objectType: string;
}

const verified = new WeakSet<object>();
export interface VerifiedObject extends LoadedObject {
  readonly size: number;
  readonly view: PayloadView;
  readonly steps: readonly VerifyStep[];
}
export function isVerified(o: unknown): o is VerifiedObject {
  return typeof o === 'object' && o !== null && verified.has(o);
}

export type VerifyResult =
  | { ok: true; object: VerifiedObject; steps: VerifyStep[] }
  | { ok: false; error: ObjectError; steps: VerifyStep[] };

export interface VerifyOptions {
  operation?: Operation;
  capabilities?: readonly string[];
  /** Host-registered invariants by name (O-INVARIANTS). */
  invariants?: Readonly<Record<string, InvariantCheck>>;
  /** Is someone listening to events? (`auditable` needs it.) */
  listening?: boolean;
  /** The hash already verified for this payload (payload cache hit): skip re-hashing. */
  hashVerified?: boolean;
  /** Build the payload view once verified (the server caches it per hash). */
  view: (o: LoadedObject) => Promise<PayloadView>;
  emit?: (e: ObjectErrorEvent) => void;
  onProgress?: (done: number, total: number) => void;
  /** Resolves `vocab_ref` and a profile's objects for the AI legality step (docs/laws.md AI-LIFECYCLE). */
  aiResolve?: AiResolver;
  /** The AI legality check (default `checkAiObject` with `aiResolve`); the server passes a memoized one. */
  aiCheck?: (d: Descriptor, payload: PayloadInput) => Promise<AiLegalityResult>;
}

function rank(a: Authority): number { return AUTHORITY_LEVELS.indexOf(a); }

/** §15.10: the error for an operation beyond the declared authority, or null. */
export function checkAuthority(d: Descriptor, op: Operation, capabilities: readonly string[] = []): ObjectError | null {
  const declared = authorityOf(d);
  const need = OPERATION_AUTHORITY[op];
  if (rank(need) > rank(declared)) return new ObjectError('authority_exceeded', `operation ${op} needs authority ${need}; the object declares ${declared}`, 'verify', d.id);
  if (op !== 'project' && !capabilities.includes(op)) return new ObjectError('capability_required', `operation ${op} needs the ${op} capability (escalation)`, 'verify', d.id);
  if (op === 'execute' && d.executable !== true) return new ObjectError('authority_exceeded', 'operation execute on an object that is not executable', 'verify', d.id);
  return null;
}

/** Built-in invariants (O-INVARIANTS). Returns null when it holds, else why not. */
export function builtinInvariant(name: string, d: Descriptor, op: Operation, listening: boolean): string | null {
  const auth = authorityOf(d);
  switch (name) {
    case 'immutable_payload':
      if (auth === 'write' || auth === 'execute') return `authority ${auth} would allow modifying the payload`;
      return op === 'write' ? 'a write operation on an immutable payload' : null;
    case 'no_execution':
      if (d.executable === true) return 'the object is executable';
      if (auth === 'execute') return 'authority execute';
      return op === 'execute' ? 'an execute operation' : null;
    case 'projection_only':
      if (auth !== 'none') return `authority ${auth} (projection_only needs none)`;
      return op !== 'project' ? `a ${op} operation` : null;
    case 'no_side_effects': {
      if (auth === 'write' || auth === 'execute') return `authority ${auth}`;
      if (op === 'write' || op === 'execute') return `a ${op} operation`;
      for (const [k, list] of Object.entries(d.events ?? {})) {
        const bad = (list ?? []).find((b) => !(OBSERVATIONAL_BINDINGS as readonly string[]).includes(b));
        if (bad) return `event binding ${k}: ${bad} is not observational (${OBSERVATIONAL_BINDINGS.join(', ')})`;
      }
      return null;
    }
    case 'deterministic':
      // Holds by construction: projections are pure functions of (descriptor, payload, request),
      // and @meta.projected_at is null for this object (O-META).
      return null;
    case 'auditable':
      return listening ? null : 'no event listener is attached, so operations would not be logged';
    default:
      return `${name} is not a built-in invariant`;
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * A custom invariant declared as data (O-INVARIANTS). `ref` is resolved once (default:
 * `@payload`); a missing reference fails every predicate except `exists: false`.
 */
export async function evalAssertion(a: Assertion, ctx: RefContext, path: string, inherited?: { found: boolean; value: unknown }): Promise<string | null> {
  let cur = inherited ?? { found: true, value: undefined as unknown };
  if (a.ref !== undefined || inherited === undefined) {
    const ref = parseRefOrThrow(a.ref ?? '@payload', ctx.objectId, path + '.ref');
    try { cur = { found: true, value: await resolveReference(ref, ctx) }; } catch (e) {
      if (e instanceof ObjectError && e.code === 'reference_not_found') cur = { found: false, value: undefined };
      else throw e;
    }
  }
  const { found, value: v } = cur;
  const at = a.ref ?? '@payload';
  if (a.exists !== undefined && a.exists !== found) return `${at} ${found ? 'exists' : 'does not exist'}`;
  const needsValue = a.type !== undefined || a.equals !== undefined || a.one_of !== undefined || a.minimum !== undefined || a.maximum !== undefined || a.min_length !== undefined || a.max_length !== undefined || a.unique_items !== undefined;
  if (needsValue && !found) return `${at} does not exist`;
  if (a.type !== undefined) {
    const t = typeName(v);
    const ok = a.type === t || (a.type === 'integer' && Number.isInteger(v)) || (a.type === 'object' && t === 'object' && !ArrayBuffer.isView(v));
    if (!ok) return `${at} is ${t}, not ${a.type}`;
  }
  if (a.equals !== undefined && !jsonEqual(v, a.equals)) return `${at} is not ${JSON.stringify(a.equals)}`;
  if (a.one_of !== undefined && !a.one_of.some((x: Json) => jsonEqual(v, x))) return `${at} is none of the allowed values`;
  if (a.minimum !== undefined && !(typeof v === 'number' && v >= a.minimum)) return `${at} is not a number ≥ ${a.minimum}`;
  if (a.maximum !== undefined && !(typeof v === 'number' && v <= a.maximum)) return `${at} is not a number ≤ ${a.maximum}`;
  const len = typeof v === 'string' ? [...v].length : Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length : -1;
  if (a.min_length !== undefined && !(len >= a.min_length)) return `${at} has fewer than ${a.min_length} items`;
  if (a.max_length !== undefined && !(len >= 0 && len <= a.max_length)) return `${at} has more than ${a.max_length} items`;
  if (a.unique_items) {
    if (!Array.isArray(v)) return `${at} is not an array`;
    const seen = new Set<string>();
    for (const x of v) {
      const k = typeof x === 'object' && x !== null ? JSON.stringify(x) : `${typeof x}:${String(x)}`;
      if (seen.has(k)) return `${at} has duplicate items`;
      seen.add(k);
    }
  }
  const sub = { found, value: v };
  if (a.all_of) for (let i = 0; i < a.all_of.length; i++) { const r = await evalAssertion(a.all_of[i], ctx, `${path}.all_of[${i}]`, a.all_of[i].ref ? undefined : sub); if (r) return r; }
  if (a.any_of) {
    const rs: string[] = [];
    for (let i = 0; i < a.any_of.length; i++) { const r = await evalAssertion(a.any_of[i], ctx, `${path}.any_of[${i}]`, a.any_of[i].ref ? undefined : sub); if (!r) { rs.length = 0; break; } rs.push(r); }
    if (rs.length) return `none of any_of holds (${rs[0]})`;
  }
  if (a.not) { const r = await evalAssertion(a.not, ctx, `${path}.not`, a.not.ref ? undefined : sub); if (!r) return `not: ${a.not.ref ?? at} satisfies the negated assertion`; }
  return null;
}

function forbiddenPattern(d: Descriptor): string | null {
  if (d.executable === true && authorityOf(d) !== 'execute') return 'executable: true without authority execute';
  const stack: Array<[unknown, string]> = [[d, '$']];
  while (stack.length) {
    const [x, p] = stack.pop()!;
    if (x && typeof x === 'object') {
      for (const k of Object.keys(x)) {
        if (FORBIDDEN_KEYS.has(k)) return `member name ${k} at ${p}`;
        stack.push([(x as Record<string, unknown>)[k], `${p}.${k}`]);
      }
    }
  }
  return null;
}

/** §15.7 over a loaded object. Never throws for a bad object; the result says why. */
export async function verifyObject(o: LoadedObject, opts: VerifyOptions): Promise<VerifyResult> {
  const d = o.descriptor;
  const steps: VerifyStep[] = [];
  const fail = (e: ObjectError, check: string): VerifyResult => {
    steps.push({ check, ok: false, detail: e.message });
    return { ok: false, error: e.withContext(d.id, 'verify'), steps };
  };
  const op = opts.operation ?? 'project';
  // 1. size, then hash
  const size = sizeOf(o.payload);
  if (d.payload.size !== undefined && d.payload.size !== size) return fail(new ObjectError('size_mismatch', `payload is ${size} bytes, the descriptor declares ${d.payload.size}`, 'verify', d.id), 'size');
  steps.push({ check: 'size', ok: true, detail: `${size} bytes` });
  if (opts.hashVerified) steps.push({ check: 'hash', ok: true, detail: 'verified earlier for this hash (cache)' });
  else {
    let h: string;
    try { h = await hashPayload(o.payload, undefined, opts.onProgress); } catch { return fail(new ObjectError('payload_unavailable', 'payload could not be read while hashing', 'verify', d.id), 'hash'); }
    if (h !== d.hash) return fail(new ObjectError('hash_mismatch', `payload hashes to ${h}, the descriptor declares ${d.hash}`, 'verify', d.id, '$.hash'), 'hash');
    steps.push({ check: 'hash', ok: true, detail: h });
  }
  // 1b. format integrity (§19 verify-phase hooks that need no lane)
  try {
    for (const c of await verifyFormat(d, o.payload, o.format, o.objectType, opts.emit)) steps.push({ check: c, ok: true });
  } catch (e) { return fail(toObjectError(e, d.id, 'verify'), 'format'); }
  // 1c. AI object legality (§16): schema, §16.1 invariants, the type's payload checks.
  const aiType = aiTypeOf(d);
  if (aiType) {
    const r = opts.aiCheck ? await opts.aiCheck(d, o.payload) : await checkAiObject({ descriptor: d, payload: o.payload, resolve: opts.aiResolve });
    if (!r.ok) {
      const f = r.findings[0];
      const more = r.findings.length > 1 ? ` (and ${r.findings.length - 1} more)` : '';
      return fail(new ObjectError(aiType === 'ai.brain.svg-tensor' && f.code.startsWith('svg.') ? 'illegal_tensor' : 'invariant_violation', `${aiType} legality: ${describeFinding(f)}${more}`, 'verify', d.id, f.path?.startsWith('$') ? f.path : undefined), 'ai.legality');
    }
    steps.push({ check: 'ai.legality', ok: true, detail: aiType });
  }
  // 2. authority
  const ae = checkAuthority(d, op, opts.capabilities);
  if (ae) return fail(ae, 'authority');
  steps.push({ check: 'authority', ok: true, detail: `${op} within ${authorityOf(d)}` });
  // 3. invariants
  let view: PayloadView;
  try { view = await opts.view(o); } catch (e) { return fail(toObjectError(e, d.id, 'verify'), 'payload'); }
  const ctx: RefContext = { view, meta: metaFor(d, size, null), objectId: d.id, emit: opts.emit };
  for (const [i, inv] of (d.invariants ?? []).entries()) {
    const name = typeof inv === 'string' ? inv : inv.name;
    let why: string | null;
    try {
      if (typeof inv !== 'string') why = await evalAssertion((inv as CustomInvariant).assert, ctx, `$.invariants[${i}].assert`);
      else if ((BUILTIN_INVARIANTS as readonly string[]).includes(name)) why = builtinInvariant(name, d, op, !!opts.listening);
      else if (opts.invariants && Object.prototype.hasOwnProperty.call(opts.invariants, name)) {
        const r = await opts.invariants[name]({ descriptor: d, operation: op, resolve: async (t) => resolveReference(parseRefOrThrow(t, d.id, `$.invariants[${i}]`), ctx) });
        why = r === true ? null : String(r);
      } else if (aiType && (AI_INVARIANT_NAMES as readonly string[]).includes(name)) why = null; // enforced by the ai.legality step above
      else return fail(new ObjectError('unknown_invariant', `invariant ${name} is neither built in, declared as data, nor registered, so it cannot be enforced`, 'verify', d.id, `$.invariants[${i}]`), `invariant:${name}`);
    } catch (e) { return fail(e instanceof ObjectError ? new ObjectError('invariant_violation', `invariant ${name}: ${e.message}`, 'verify', d.id, `$.invariants[${i}]`) : new ObjectError('invariant_violation', `invariant ${name} could not be checked`, 'verify', d.id, `$.invariants[${i}]`), `invariant:${name}`); }
    if (why !== null) return fail(new ObjectError('invariant_violation', `invariant '${name}' violated: ${why}`, 'verify', d.id, `$.invariants[${i}]`), `invariant:${name}`);
    steps.push({ check: `invariant:${name}`, ok: true });
  }
  // 4. forbidden patterns
  const fp = forbiddenPattern(d);
  if (fp) return fail(new ObjectError('forbidden_pattern', `forbidden pattern: ${fp}`, 'verify', d.id), 'forbidden_patterns');
  steps.push({ check: 'forbidden_patterns', ok: true });
  const obj: VerifiedObject = Object.freeze({ ...o, size, view, steps: Object.freeze([...steps]) });
  verified.add(obj);
  return { ok: true, object: obj, steps };
}
