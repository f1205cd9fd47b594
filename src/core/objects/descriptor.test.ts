/** O-PARSE and O-SCHEMA vectors, properties and a small fuzz run (docs/laws.md). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { utf8 } from '../bytes/utf8.ts';
import { DESCRIPTOR_LIMITS, parseDescriptorJson, parsePayloadJson } from './json.ts';
import { OBJECT_V1_SCHEMA, parseDescriptor } from './descriptor.ts';
import { ObjectError } from './errors.ts';
import { counterDescriptor } from './testkit.ts';

const H = `sha256:${'0'.repeat(64)}`;
function err(f: () => unknown): ObjectError {
  try { f(); } catch (e) { if (e instanceof ObjectError) return e; throw e; }
  throw new Error('no error');
}
const desc = (extra: Record<string, unknown> = {}) => utf8(JSON.stringify({ ...counterDescriptor(), hash: H, ...extra }));

describe('O-PARSE bounded JSON', () => {
  it('vectors: limits', () => {
    expect(DESCRIPTOR_LIMITS).toEqual({ maxBytes: 1048576, maxDepth: 32, maxKeys: 4096, maxValues: 65536 });
    const t0 = performance.now();
    const deep = err(() => parseDescriptorJson(utf8('['.repeat(1_000_000))));
    expect([deep.code, deep.status, deep.path]).toEqual(['descriptor_too_deep', 500, '$' + '[0]'.repeat(32)]);
    const big = err(() => parseDescriptorJson(new Uint8Array((1 << 20) + 1)));
    expect([big.code, big.message]).toEqual(['descriptor_too_large', 'the descriptor is 1048577 bytes, the limit is 1048576']);
    const keys = err(() => parseDescriptorJson(utf8(`{${Array.from({ length: 5000 }, (_, i) => `"k${i}":0`).join(',')}}`)));
    expect([keys.code, keys.path]).toEqual(['descriptor_too_many_keys', '$']);
    const vals = err(() => parseDescriptorJson(utf8(`[${'0,'.repeat(70000)}0]`)));
    expect(vals.code).toBe('descriptor_too_many_keys');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
  it('vectors: syntax errors name the path', () => {
    expect([err(() => parseDescriptorJson(utf8('{"a":1,"a":2}'))).message, err(() => parseDescriptorJson(utf8('{"a":1,"a":2}'))).path]).toEqual(['duplicate key "a" (character 10)', '$.a']);
    expect(err(() => parseDescriptorJson(utf8('{"a":{"b c":[1,}]}}'))).path).toBe('$.a["b c"][1]');
    expect(err(() => parseDescriptorJson(utf8('{"a":1e400}'))).message).toMatch(/^number 1e400 is not finite/);
    expect(err(() => parseDescriptorJson(new Uint8Array([0x7b, 0xff, 0x7d]))).message).toBe('the descriptor is not valid UTF-8');
    expect(err(() => parseDescriptorJson(utf8('{} x'))).message).toMatch(/^trailing characters/);
    expect(err(() => parseDescriptorJson(utf8('{"a":NaN}'))).code).toBe('bad_json');
    expect(err(() => parseDescriptorJson(utf8('{"a":"\u0001"}'))).message).toMatch(/^control character/);
    expect(parseDescriptorJson(utf8('\ufeff {"__proto__": {"x": 1}} '))).toEqual(JSON.parse('{"__proto__": {"x": 1}}'));
    expect(Object.getPrototypeOf(parseDescriptorJson(utf8('{"__proto__": {"x": 1}}')))).toBe(Object.prototype);
    expect(err(() => parsePayloadJson(utf8('[1,'))).code).toBe('bad_payload');
  });
  it('property: agrees with JSON.parse on JSON without duplicate keys', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
      const s = JSON.stringify(v);
      expect(parsePayloadJson(utf8(s))).toEqual(JSON.parse(s));
    }), { numRuns: 500 });
  });
  it('fuzz: mutated descriptors give a descriptor or an ObjectError, never anything else, in bounded time', () => {
    const base = desc();
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'del', 'ins')), { minLength: 1, maxLength: 8 }), (muts) => {
      let b = Array.from(base);
      for (const [at, byte, op] of muts) {
        const i = at % (b.length + 1);
        if (op === 'set' && i < b.length) b[i] = byte; else if (op === 'del') b.splice(i, 1); else b.splice(i, 0, byte);
      }
      try { parseDescriptor(new Uint8Array(b)); } catch (e) { expect(e).toBeInstanceOf(ObjectError); }
      b = [];
    }), { numRuns: 3000 });
  });
});

describe('O-SCHEMA object.v1', () => {
  it('the canonical §15.4 descriptor is valid; the schema constant names itself', () => {
    expect(parseDescriptor(desc()).id).toBe('object://example/counter');
    expect(OBJECT_V1_SCHEMA.$id).toBe('object://schema/object.v1');
    expect(Object.isFrozen(parseDescriptor(desc()).projections)).toBe(true);
  });
  it('vectors: errors at the JSON path', () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ hash: 'sha256:XYZ' }, '$.hash', 'must match ^sha256:[0-9a-f]{64}$'],
      [{ id: 'object://example/../x' }, '$.id', 'must be a canonical object://<domain>/<name> id'],
      [{ payload: { type: 'json', location: '../../etc/passwd' } }, '$.payload.location', 'empty or dot segment (absolute path or traversal)'],
      [{ payload: { type: 'video' } }, '$.payload.type', 'must be one of "json", "binary", "stream"'],
      [{ authority: 'root' }, '$.authority', 'must be one of "none", "read", "write", "execute"'],
      [{ projections: { default: { type: 'json', emit: { x: '@payload..a' } } } }, '$.projections.default.emit.x', 'bad reference: bad name at character 9'],
      [{ projections: { default: { emit: '@env.HOME' } } }, '$.projections.default.emit', 'bad reference: a reference starts with @payload or @meta (write @@ for a literal "@")'],
      [{ projections: { default: { emit: '@meta.clock' } } }, '$.projections.default.emit', 'bad reference: @meta has exactly one of the keys id, hash, size, mime, type, name, version, projection, projected_at'],
      [{ invariants: ['no_execution', 'no_execution'] }, '$.invariants[1]', 'invariant no_execution declared twice'],
      [{ invariants: [{ name: 'deterministic', assert: { exists: true } }] }, '$.invariants[0].name', 'deterministic is a built-in invariant and cannot be redefined'],
      [{ invariants: [{ name: 'x', assert: { ref: '@payload.a', bogus: 1 } }] }, '$.invariants[0].assert.bogus', 'is not allowed here'],
      [{ identity: { hash: `sha256:${'1'.repeat(64)}` } }, '$.identity.hash', 'must equal $.hash (the hash is the identity)'],
      [{ events: { on_boot: ['log'] } }, '$.events.on_boot', 'member name must be one of "on_resolve", "on_load", "on_verify", "on_project", "on_error"'],
      [{ projections: { default: { type: 'http-response', status: 700 } } }, '$.projections.default.status', 'must be ≤ 599'],
      [{ invariants: Array.from({ length: 9 }, (_, i) => ({ name: `r${i}`, assert: { all_of: Array.from({ length: 32 }, () => ({ exists: true })) } })) }, '$.invariants', 'custom invariants have 297 assertions, at most 256'],
    ];
    for (const [extra, path, msg] of cases) {
      const e = err(() => parseDescriptor(desc(extra)));
      expect([e.code, e.path, e.message.replace(/^descriptor \S+ /, '').replace(/ \(and \d+ more issues?\)$/, '')], JSON.stringify(extra)).toEqual(['invalid_descriptor', path, msg]);
    }
    const missing = err(() => parseDescriptor(utf8('{"id":"object://a/b"}')));
    expect([missing.path, missing.message]).toEqual(['$', 'descriptor $ missing required member "hash" (and 2 more issues)']);
  });
  it('extension members (§16 ai.* descriptors) are allowed', () => {
    const d = parseDescriptor(desc({ $schema: 'object://schema/ai.tokenizer.v1', type: 'ai.tokenizer', tokenizer_type: 'bpe', vocab_ref: 'object://ai.vocab/base' }));
    expect(d.tokenizer_type).toBe('bpe');
  });
});
