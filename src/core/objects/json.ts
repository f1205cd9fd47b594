/**
 * Bounded JSON (docs/laws.md O-PARSE). Descriptors and JSON payloads are parsed here, not by
 * JSON.parse, so that hostile input gets a typed error in time and memory linear in its
 * length: a byte limit is checked before decoding, nesting depth and member counts while
 * parsing (no recursion past the depth limit), duplicate keys are refused (two parsers must
 * not disagree about which value counts), numbers must be finite, and errors name the JSON
 * path and character offset. A `__proto__` key becomes an own data property.
 */
import { ObjectError, type ObjectErrorCode, type Phase } from './errors.ts';

export interface JsonLimits {
  /** Largest input in bytes (checked before decoding). */
  maxBytes: number;
  /** Deepest nesting of arrays/objects (the top-level value is depth 1). */
  maxDepth: number;
  /** Most object members in the whole JSON text. */
  maxKeys: number;
  /** Most values (of any kind) in the whole JSON text. */
  maxValues: number;
}

/** Descriptor limits (O-PARSE). */
export const DESCRIPTOR_LIMITS: JsonLimits = { maxBytes: 1 << 20, maxDepth: 32, maxKeys: 4096, maxValues: 65_536 };
/** JSON payload limits (O-PARSE): payloads are data, so larger, but still bounded. */
export const PAYLOAD_JSON_LIMITS: JsonLimits = { maxBytes: 256 << 20, maxDepth: 256, maxKeys: 1 << 24, maxValues: 1 << 25 };

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Codes { large: ObjectErrorCode; deep: ObjectErrorCode; keys: ObjectErrorCode; syntax: ObjectErrorCode }
const DESCRIPTOR_CODES: Codes = { large: 'descriptor_too_large', deep: 'descriptor_too_deep', keys: 'descriptor_too_many_keys', syntax: 'bad_json' };
const PAYLOAD_CODES: Codes = { large: 'payload_too_large', deep: 'bad_payload', keys: 'bad_payload', syntax: 'bad_payload' };

/** Path segment in the `$.a[0]["b c"]` form used everywhere in this folder. */
export function pathSegment(k: string | number): string {
  if (typeof k === 'number') return `[${k}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}

class Parser {
  i = 0;
  keys = 0;
  values = 0;
  constructor(readonly s: string, readonly lim: JsonLimits, readonly codes: Codes, readonly phase: Phase) {}

  fail(code: ObjectErrorCode, msg: string, path: string): never {
    throw new ObjectError(code, `${msg} (character ${this.i})`, this.phase, null, path);
  }
  ws(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    this.i = i;
  }
  value(path: string, depth: number): Json {
    if (++this.values > this.lim.maxValues) this.fail(this.codes.keys, `more than ${this.lim.maxValues} values`, path);
    this.ws();
    const c = this.s[this.i];
    if (c === '{' || c === '[') {
      if (depth + 1 > this.lim.maxDepth) this.fail(this.codes.deep, `nesting deeper than ${this.lim.maxDepth}`, path);
      return c === '{' ? this.object(path, depth + 1) : this.array(path, depth + 1);
    }
    if (c === '"') return this.string(path);
    if (c === 't') return this.word('true', true, path);
    if (c === 'f') return this.word('false', false, path);
    if (c === 'n') return this.word('null', null, path);
    if (c === '-' || (c >= '0' && c <= '9')) return this.number(path);
    return this.fail(this.codes.syntax, c === undefined ? 'unexpected end of JSON' : `unexpected ${JSON.stringify(c)}`, path);
  }
  word<T>(w: string, v: T, path: string): T {
    if (this.s.startsWith(w, this.i)) { this.i += w.length; return v; }
    return this.fail(this.codes.syntax, 'invalid literal', path);
  }
  number(path: string): number {
    const re = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    re.lastIndex = this.i;
    const m = re.exec(this.s);
    if (!m) this.fail(this.codes.syntax, 'invalid number', path);
    const n = Number(m[0]);
    if (!Number.isFinite(n)) this.fail(this.codes.syntax, `number ${m[0].slice(0, 32)} is not finite`, path);
    this.i += m[0].length;
    return n;
  }
  string(path: string): string {
    const s = this.s;
    let i = this.i + 1;
    let out = '';
    let start = i;
    for (;;) {
      if (i >= s.length) { this.i = i; this.fail(this.codes.syntax, 'unterminated string', path); }
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) { this.i = i; this.fail(this.codes.syntax, 'control character in string', path); }
      if (c === 0x5c) {
        out += s.slice(start, i);
        const e = s[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) { out += simple[e]; i += 2; }
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) { out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16)); i += 6; }
        else { this.i = i; this.fail(this.codes.syntax, 'invalid escape', path); }
        start = i;
        continue;
      }
      i++;
    }
    out += s.slice(start, i);
    this.i = i + 1;
    return out;
  }
  array(path: string, depth: number): Json[] {
    this.i++;
    const out: Json[] = [];
    this.ws();
    if (this.s[this.i] === ']') { this.i++; return out; }
    for (;;) {
      out.push(this.value(path + pathSegment(out.length), depth));
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') { this.i--; this.fail(this.codes.syntax, 'expected , or ]', path + pathSegment(out.length)); }
    }
  }
  object(path: string, depth: number): { [k: string]: Json } {
    this.i++;
    const out: { [k: string]: Json } = {};
    this.ws();
    if (this.s[this.i] === '}') { this.i++; return out; }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail(this.codes.syntax, 'expected a member name', path);
      if (++this.keys > this.lim.maxKeys) this.fail(this.codes.keys, `more than ${this.lim.maxKeys} object members`, path);
      const k = this.string(path);
      const p = path + pathSegment(k);
      if (Object.prototype.hasOwnProperty.call(out, k)) this.fail(this.codes.syntax, `duplicate key ${JSON.stringify(k.slice(0, 64))}`, p);
      this.ws();
      if (this.s[this.i++] !== ':') { this.i--; this.fail(this.codes.syntax, 'expected :', p); }
      const v = this.value(p, depth);
      if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
      else out[k] = v;
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') { this.i--; this.fail(this.codes.syntax, 'expected , or }', p); }
    }
  }
}

function parse(bytes: Uint8Array, lim: JsonLimits, codes: Codes, phase: Phase, what: string): Json {
  if (bytes.length > lim.maxBytes) throw new ObjectError(codes.large, `${what} is ${bytes.length} bytes, the limit is ${lim.maxBytes}`, phase, null, '$');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ObjectError(codes.syntax, `${what} is not valid UTF-8`, phase, null, '$');
  }
  const p = new Parser(text, lim, codes, phase);
  const v = p.value('$', 0);
  p.ws();
  if (p.i !== text.length) p.fail(codes.syntax, 'trailing characters after the JSON value', '$');
  return v;
}

/** Parse descriptor bytes (O-PARSE limits; `load` phase; descriptor_* / bad_json codes). */
export function parseDescriptorJson(bytes: Uint8Array, lim: JsonLimits = DESCRIPTOR_LIMITS): Json {
  return parse(bytes, lim, DESCRIPTOR_CODES, 'load', 'the descriptor');
}

/** Parse a JSON payload (`project` phase: payloads are parsed only after verification). */
export function parsePayloadJson(bytes: Uint8Array, lim: JsonLimits = PAYLOAD_JSON_LIMITS): Json {
  return parse(bytes, lim, PAYLOAD_CODES, 'project', 'the JSON payload');
}

/** Deep-freeze a parsed value (handlers and projections get read-only data). */
export function deepFreeze<T>(v: T): T {
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    if (x && typeof x === 'object' && !Object.isFrozen(x) && !ArrayBuffer.isView(x)) {
      Object.freeze(x);
      for (const k of Object.keys(x)) stack.push((x as Record<string, unknown>)[k]);
    }
  }
  return v;
}
