/**
 * Descriptor `object.v1` (§15.4, §15.11; docs/laws.md O-SCHEMA): the JSON Schema as a
 * constant, and `parseDescriptor`: bounded parse (json.ts) → schema → id / location /
 * reference checks, each failure a typed `load_error` naming the JSON path. Extension
 * members (the §16 `ai.*` fields) are allowed at the top level and in `payload`.
 */
import { ObjectError } from './errors.ts';
import { DESCRIPTOR_LIMITS, deepFreeze, parseDescriptorJson, pathSegment, type Json, type JsonLimits } from './json.ts';
import { validate, type Schema } from './schema.ts';
import { isCanonicalId, locationProblem } from './identity.ts';
import { isRef, parseRefText } from './reference.ts';

export const OBJECT_V1_SCHEMA_ID = 'object://schema/object.v1';
export const BUILTIN_INVARIANTS = ['immutable_payload', 'no_execution', 'projection_only', 'no_side_effects', 'deterministic', 'auditable'] as const;
export type BuiltinInvariant = (typeof BUILTIN_INVARIANTS)[number];
export const AUTHORITY_LEVELS = ['none', 'read', 'write', 'execute'] as const;
export type Authority = (typeof AUTHORITY_LEVELS)[number];
/** Most assertion nodes in all custom invariants of one descriptor (O-INVARIANTS). */
export const ASSERTION_NODES_MAX = 256;

const NAME = '^[A-Za-z][A-Za-z0-9_.-]{0,63}$';
const HASH = '^sha256:[0-9a-f]{64}$';

export const OBJECT_V1_SCHEMA: Schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: OBJECT_V1_SCHEMA_ID,
  title: 'object.v1 descriptor',
  type: 'object',
  required: ['id', 'hash', 'payload', 'projections'],
  properties: {
    $schema: { type: 'string', pattern: '^object://schema/[A-Za-z0-9._-]{1,128}$' },
    id: { type: 'string', format: 'object-id' },
    hash: { type: 'string', pattern: HASH },
    payload: {
      type: 'object',
      required: ['type'],
      properties: {
        type: { enum: ['json', 'binary', 'stream'] },
        mime: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}$' },
        location: { type: 'string', maxLength: 512, format: 'location' },
        encoding: { enum: ['utf-8', 'raw', 'base64', 'chunked'] },
        size: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
        semantics: { type: 'string', maxLength: 128 },
        merkle_root: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
    authority: { enum: [...AUTHORITY_LEVELS], default: 'none' },
    executable: { type: 'boolean', default: false },
    identity: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 256 },
        version: { type: 'string', maxLength: 64 },
        hash: { type: 'string', pattern: HASH },
      },
    },
    projections: {
      type: 'object',
      maxProperties: 64,
      propertyNames: { pattern: NAME },
      additionalProperties: { $ref: '#/$defs/projection' },
    },
    invariants: {
      type: 'array',
      maxItems: 64,
      items: { oneOf: [{ type: 'string', pattern: NAME }, { $ref: '#/$defs/customInvariant' }] },
    },
    events: {
      type: 'object',
      propertyNames: { enum: ['on_resolve', 'on_load', 'on_verify', 'on_project', 'on_error'] },
      additionalProperties: { type: 'array', maxItems: 16, items: { type: 'string', pattern: NAME } },
    },
  },
  $defs: {
    projection: {
      type: 'object',
      properties: {
        type: { type: 'string', pattern: NAME },
        mime: { type: 'string', maxLength: 128 },
        emit: {},
        body: {},
        source: { type: 'string' },
        status: { type: 'integer', minimum: 100, maximum: 599 },
        headers: { type: 'object', maxProperties: 64, propertyNames: { pattern: '^[A-Za-z0-9!#$%&\'*+.^_`|~-]{1,64}$' }, additionalProperties: { type: 'string', maxLength: 1024 } },
        encoding: { enum: ['raw', 'base64'] },
        requires: { type: 'array', maxItems: 16, uniqueItems: true, items: { type: 'string', pattern: NAME } },
      },
    },
    customInvariant: {
      type: 'object',
      required: ['name', 'assert'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', pattern: NAME },
        description: { type: 'string', maxLength: 512 },
        assert: { $ref: '#/$defs/assertion' },
      },
    },
    assertion: {
      type: 'object',
      minProperties: 1,
      additionalProperties: false,
      properties: {
        ref: { type: 'string', pattern: '^@(payload|meta)' },
        exists: { type: 'boolean' },
        type: { enum: ['null', 'boolean', 'number', 'integer', 'string', 'array', 'object'] },
        equals: {},
        one_of: { type: 'array', maxItems: 256 },
        minimum: { type: 'number' },
        maximum: { type: 'number' },
        min_length: { type: 'integer', minimum: 0 },
        max_length: { type: 'integer', minimum: 0 },
        unique_items: { const: true },
        all_of: { type: 'array', minItems: 1, maxItems: 32, items: { $ref: '#/$defs/assertion' } },
        any_of: { type: 'array', minItems: 1, maxItems: 32, items: { $ref: '#/$defs/assertion' } },
        not: { $ref: '#/$defs/assertion' },
      },
    },
  },
};

export interface Assertion {
  ref?: string; exists?: boolean; type?: string; equals?: Json; one_of?: Json[];
  minimum?: number; maximum?: number; min_length?: number; max_length?: number; unique_items?: true;
  all_of?: Assertion[]; any_of?: Assertion[]; not?: Assertion;
}
export interface CustomInvariant { name: string; description?: string; assert: Assertion }
export interface ProjectionSpec {
  type?: string; mime?: string; emit?: Json; body?: Json; source?: string; status?: number;
  headers?: Record<string, string>; encoding?: 'raw' | 'base64'; requires?: string[];
}
export interface Descriptor {
  $schema?: string;
  id: string;
  hash: string;
  payload: { type: 'json' | 'binary' | 'stream'; mime?: string; location?: string; encoding?: 'utf-8' | 'raw' | 'base64' | 'chunked'; size?: number; semantics?: string; merkle_root?: string; [k: string]: Json | undefined };
  authority?: Authority;
  executable?: boolean;
  identity?: { name?: string; version?: string; hash?: string };
  projections: Record<string, ProjectionSpec>;
  invariants?: Array<string | CustomInvariant>;
  events?: Partial<Record<'on_resolve' | 'on_load' | 'on_verify' | 'on_project' | 'on_error', string[]>>;
  [k: string]: unknown;
}

export const DESCRIPTOR_FORMATS = {
  'object-id': (v: string) => (isCanonicalId(v) ? null : 'must be a canonical object://<domain>/<name> id'),
  location: (v: string) => locationProblem(v),
};

/** Schema issues of a parsed value (empty: valid). */
export function descriptorIssues(v: unknown): { path: string; message: string }[] {
  const issues = validate(OBJECT_V1_SCHEMA, v, DESCRIPTOR_FORMATS);
  if (issues.length) return issues;
  const d = v as Descriptor;
  // Every reference in a projection must parse (literals are strings not starting with "@" or "@@…").
  const refs: { path: string; message: string }[] = [];
  const stack: Array<[unknown, string]> = [[d.projections, '$.projections']];
  while (stack.length && refs.length < 50) {
    const [x, p] = stack.pop()!;
    if (isRef(x)) {
      const r = parseRefText(x);
      if (typeof r === 'string') refs.push({ path: p, message: `bad reference: ${r}` });
    } else if (Array.isArray(x)) x.forEach((y, i) => stack.push([y, p + pathSegment(i)]));
    else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) stack.push([y, p + pathSegment(k)]);
  }
  const names = new Set<string>();
  (d.invariants ?? []).forEach((inv, i) => {
    const n = typeof inv === 'string' ? inv : inv.name;
    if (names.has(n)) refs.push({ path: `$.invariants[${i}]`, message: `invariant ${n} declared twice` });
    names.add(n);
    if (typeof inv !== 'string' && (BUILTIN_INVARIANTS as readonly string[]).includes(n)) refs.push({ path: `$.invariants[${i}].name`, message: `${n} is a built-in invariant and cannot be redefined` });
  });
  // Assertion nodes are evaluated once each per request; a cap keeps verification time
  // proportional to the payload, not to payload × a huge rule tree (O-INVARIANTS).
  let nodes = 0;
  const count = (a: unknown): void => {
    if (!a || typeof a !== 'object') return;
    nodes++;
    const x = a as Assertion;
    for (const sub of [...(x.all_of ?? []), ...(x.any_of ?? []), ...(x.not ? [x.not] : [])]) count(sub);
  };
  for (const inv of d.invariants ?? []) if (typeof inv !== 'string') count(inv.assert);
  if (nodes > ASSERTION_NODES_MAX) refs.push({ path: '$.invariants', message: `custom invariants have ${nodes} assertions, at most ${ASSERTION_NODES_MAX}` });
  if (d.identity?.hash !== undefined && d.identity.hash !== d.hash) refs.push({ path: '$.identity.hash', message: 'must equal $.hash (the hash is the identity)' });
  return refs;
}

/**
 * Bytes → validated, deep-frozen descriptor. Throws ObjectError (load phase): the bounded
 * parser's codes, or `invalid_descriptor` at the first issue's path (message counts the rest).
 */
export function parseDescriptor(bytes: Uint8Array, objectId: string | null = null, limits: JsonLimits = DESCRIPTOR_LIMITS): Descriptor {
  let v: Json;
  try { v = parseDescriptorJson(bytes, limits); } catch (e) {
    throw e instanceof ObjectError ? e.withContext(objectId) : e;
  }
  const issues = descriptorIssues(v);
  if (issues.length) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
    throw new ObjectError('invalid_descriptor', `descriptor ${issues[0].path} ${issues[0].message}${more}`, 'load', objectId, issues[0].path);
  }
  return deepFreeze(v as unknown as Descriptor);
}

export function authorityOf(d: Descriptor): Authority { return d.authority ?? 'none'; }

/**
 * The object's type for §19 hook `accepts`: the name after `object://schema/` in `$schema`
 * (`ai.brain.svg-tensor.v1`), else the `type` member, else "object.v1".
 */
export function objectTypeOf(d: Descriptor): string {
  if (d.$schema && d.$schema !== OBJECT_V1_SCHEMA_ID) return d.$schema.slice('object://schema/'.length);
  if (typeof d.type === 'string') return d.type;
  return 'object.v1';
}
