/**
 * A small JSON Schema (2020-12 subset) interpreter for the schemas this folder ships
 * (docs/laws.md O-SCHEMA). Supported keywords: type, enum, const, required, properties,
 * additionalProperties, patternProperties, propertyNames, minProperties, maxProperties,
 * items, minItems, maxItems, uniqueItems, minLength, maxLength, pattern, minimum, maximum,
 * oneOf, anyOf, $ref (to #/$defs/…), format (named checks passed in). Every issue carries the
 * JSON path of the offending value. No code generation; time is linear in the document
 * size times the schema size, and the document was already bounded by json.ts.
 */
import { pathSegment, type Json } from './json.ts';

export interface Schema {
  $schema?: string; $id?: string; $defs?: Record<string, Schema>; $ref?: string;
  title?: string; description?: string;
  type?: string | string[]; enum?: Json[]; const?: Json;
  required?: string[]; properties?: Record<string, Schema>; additionalProperties?: boolean | Schema;
  patternProperties?: Record<string, Schema>; propertyNames?: Schema; minProperties?: number; maxProperties?: number;
  items?: Schema; minItems?: number; maxItems?: number; uniqueItems?: boolean;
  minLength?: number; maxLength?: number; pattern?: string; format?: string;
  minimum?: number; maximum?: number; oneOf?: Schema[]; anyOf?: Schema[];
  default?: Json;
}

export interface SchemaIssue { path: string; message: string }
export type FormatCheck = (v: string) => string | null;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const a = typeOf(v);
  return a === t || (t === 'number' && a === 'integer');
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const regexCache = new Map<string, RegExp>();
function re(p: string): RegExp {
  let r = regexCache.get(p);
  if (!r) { r = new RegExp(p, 'u'); regexCache.set(p, r); }
  return r;
}

/** Validate `value` against `schema`; returns every issue (at most `maxIssues`), in document order. */
export function validate(schema: Schema, value: unknown, formats: Record<string, FormatCheck> = {}, maxIssues = 50): SchemaIssue[] {
  const root = schema;
  const out: SchemaIssue[] = [];
  const add = (path: string, message: string) => { if (out.length < maxIssues) out.push({ path, message }); };

  const walk = (s: Schema, v: unknown, path: string, sink: (p: string, m: string) => void): void => {
    if (s.$ref) {
      const m = /^#\/\$defs\/(.+)$/.exec(s.$ref);
      const target = m ? root.$defs?.[m[1]] : undefined;
      if (!target) { sink(path, `schema error: unresolved $ref ${s.$ref}`); return; }
      walk(target, v, path, sink);
    }
    if (s.type !== undefined) {
      const ts = Array.isArray(s.type) ? s.type : [s.type];
      if (!ts.some((t) => typeMatches(v, t))) { sink(path, `must be ${ts.join(' or ')}, is ${typeOf(v)}`); return; }
    }
    if (s.const !== undefined && !jsonEqual(v, s.const)) sink(path, `must be ${JSON.stringify(s.const)}`);
    if (s.enum && !s.enum.some((e) => jsonEqual(v, e))) sink(path, `must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
    if (typeof v === 'string') {
      const n = [...v].length;
      if (s.minLength !== undefined && n < s.minLength) sink(path, `must have at least ${s.minLength} characters`);
      if (s.maxLength !== undefined && n > s.maxLength) sink(path, `must have at most ${s.maxLength} characters`);
      if (s.pattern !== undefined && !re(s.pattern).test(v)) sink(path, `must match ${s.pattern}`);
      if (s.format !== undefined) {
        const f = formats[s.format];
        const why = f ? f(v) : null;
        if (why) sink(path, why);
      }
    }
    if (typeof v === 'number') {
      if (s.minimum !== undefined && v < s.minimum) sink(path, `must be ≥ ${s.minimum}`);
      if (s.maximum !== undefined && v > s.maximum) sink(path, `must be ≤ ${s.maximum}`);
    }
    if (Array.isArray(v)) {
      if (s.minItems !== undefined && v.length < s.minItems) sink(path, `must have at least ${s.minItems} items`);
      if (s.maxItems !== undefined && v.length > s.maxItems) { sink(path, `must have at most ${s.maxItems} items`); return; }
      if (s.items) v.forEach((x, i) => walk(s.items!, x, path + pathSegment(i), sink));
      if (s.uniqueItems) {
        for (let i = 0; i < v.length; i++) for (let j = 0; j < i; j++) if (jsonEqual(v[i], v[j])) { sink(path + pathSegment(i), `duplicates item ${j}`); break; }
      }
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (s.minProperties !== undefined && keys.length < s.minProperties) sink(path, `must have at least ${s.minProperties} members`);
      if (s.maxProperties !== undefined && keys.length > s.maxProperties) { sink(path, `must have at most ${s.maxProperties} members`); return; }
      for (const r of s.required ?? []) if (!Object.prototype.hasOwnProperty.call(o, r)) sink(path, `missing required member ${JSON.stringify(r)}`);
      for (const k of keys) {
        const p = path + pathSegment(k);
        if (s.propertyNames) walk(s.propertyNames, k, p, (pp, m) => sink(pp, `member name ${m}`));
        let matched = false;
        if (s.properties && Object.prototype.hasOwnProperty.call(s.properties, k)) { matched = true; walk(s.properties[k], o[k], p, sink); }
        for (const [pat, ps] of Object.entries(s.patternProperties ?? {})) if (re(pat).test(k)) { matched = true; walk(ps, o[k], p, sink); }
        if (!matched && s.additionalProperties !== undefined) {
          if (s.additionalProperties === false) sink(p, 'is not allowed here');
          else if (s.additionalProperties !== true) walk(s.additionalProperties, o[k], p, sink);
        }
      }
    }
    for (const [kw, list] of [['oneOf', s.oneOf], ['anyOf', s.anyOf]] as const) {
      if (!list) continue;
      const results = list.map((alt) => { const iss: SchemaIssue[] = []; walk(alt, v, path, (p, m) => iss.push({ path: p, message: m })); return iss; });
      const passing = results.filter((r) => r.length === 0).length;
      if (kw === 'oneOf' && passing !== 1) {
        if (passing > 1) sink(path, 'matches more than one alternative');
        else {
          // Report the alternative that got furthest (fewest issues, deepest first issue).
          const best = results.reduce((a, b) => (b.length < a.length || (b.length === a.length && b[0].path.length > a[0].path.length) ? b : a));
          for (const i of best) sink(i.path, i.message);
        }
      }
      if (kw === 'anyOf' && passing === 0) {
        const best = results.reduce((a, b) => (b.length < a.length ? b : a));
        for (const i of best) sink(i.path, i.message);
      }
    }
  };
  walk(schema, value, '$', add);
  return out;
}
