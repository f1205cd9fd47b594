/** O-IDENTITY vectors and properties (docs/laws.md). */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isCanonicalId, locationProblem, normalizeId, resolveRef } from './identity.ts';
import { ObjectError } from './errors.ts';

const H = 'ab'.repeat(32);

function refused(s: string): boolean {
  try { resolveRef(s); return false; } catch (e) { return e instanceof ObjectError && e.code === 'invalid_id' && e.status === 404; }
}

describe('O-IDENTITY', () => {
  it('vectors: accepted forms normalize to one id', () => {
    expect(resolveRef('/objects/example/counter')).toEqual({ id: 'object://example/counter' });
    expect(resolveRef('object://example/counter')).toEqual({ id: 'object://example/counter' });
    expect(resolveRef('Object://example/counter/')).toEqual({ id: 'object://example/counter' });
    expect(resolveRef('/objects/ai/model/phi2/weights')).toEqual({ id: 'object://ai/model/phi2/weights' });
    expect(resolveRef('/objects/retrieve/semantic%2Ev1')).toEqual({ id: 'object://retrieve/semantic.v1' });
    expect(resolveRef(`object://example/counter@sha256:${H}`)).toEqual({ id: 'object://example/counter', hash: `sha256:${H}` });
    expect(normalizeId('/objects/ai.vocab/base-v1')).toBe('object://ai.vocab/base-v1');
  });

  const TRAVERSALS = [
    '/objects/../etc/passwd', '/objects/example/..', '/objects/example/../x', 'object://example/./x', 'object://../x',
    '/objects/example/%2e%2e/x', '/objects/example/%2E%2E/x', '/objects/example/.%2e/x', '/objects/example/%2e./x',
    '/objects/example/%252e%252e/x', '/objects/example/..%2fx', '/objects/example%2f..%2fx', '/objects/example/%2e%2e%2fx',
    'object://example\\..\\x', '/objects/example/a\\b', '/objects/example/%5c..%5cx', '/objects/example/..%5cx',
    '/etc/passwd', '/objects//etc/passwd', 'object:///etc/passwd', '/objects/example//x', 'C:\\objects\\x', 'c:/objects/x',
    '/objects/C:/x', '/objects/example/C:x', '/objects/example/c%3a%5cwindows', '\\\\server\\share\\x', '//server/share/x',
    '/objects/%5c%5cserver/share', 'object://example/x%00.json', '/objects/example/x\u0000', '/objects/example/CON',
    '/objects/example/nul.txt', '/objects/example/Com1', '/objects/example/lpt9.log', '/objects/example/x.', '/objects/example/...',
    '/objects/example/\uff0e\uff0e', '/objects/example/%ef%bc%8e%ef%bc%8e', '/objects/example/..%c0%af', '/objects/example/%c0%ae%c0%ae',
    '/objects/example/PROGRA~1', 'file:///etc/passwd', 'objects/example/x', '/objects/example', 'object://example',
    '/objects/example/x?projection=raw', '/objects/example/x#frag', '/objects/example/x y', `/objects/example/x@sha256:${H.toUpperCase()}`,
    '', '/objects/', 'object://', `/objects/example/${'a'.repeat(129)}`,
  ];
  it('refuses every traversal, absolute, drive, UNC, NUL and device form (POSIX and Windows)', () => {
    expect(TRAVERSALS.length).toBe(54);
    for (const t of TRAVERSALS) expect(refused(t), t).toBe(true);
  });

  it('locations: relative inside the object, or stream://', () => {
    expect(locationProblem('./payload.json')).toBeNull();
    expect(locationProblem('data/x.bin')).toBeNull();
    expect(locationProblem('stream://source/id')).toBeNull();
    for (const bad of ['../x', './../x', '/etc/passwd', 'C:\\x', 'c:/x', '\\\\h\\s', 'a//b', 'a/./b', '%2e%2e/x', 'x\u0000', 'con', 'a/b.', 'https://example.com/x']) {
      expect(locationProblem(bad), bad).not.toBeNull();
    }
  });

  const seg = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,10}[A-Za-z0-9_-]$/).filter((s) => !/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(s));
  const id = fc.array(seg, { minLength: 2, maxLength: 5 }).map((s) => s.join('/'));
  it('property: normalization is idempotent and both request forms agree', () => {
    fc.assert(fc.property(id, fc.boolean(), fc.boolean(), (p, trailing, encode) => {
      const body = encode ? p.replace(/\./g, '%2E') : p;
      const a = normalizeId(`/objects/${body}${trailing ? '/' : ''}`);
      const b = normalizeId(`object://${body}`);
      expect(a).toBe(b);
      expect(normalizeId(a)).toBe(a);
      expect(isCanonicalId(a)).toBe(true);
    }), { numRuns: 500 });
  });

  it('property: anything accepted is a safe canonical id; the result is a fixed point', () => {
    const tokens = fc.constantFrom('..', '.', '%2e', '%2E', '%25', '%5c', '%2f', '%00', '\\', '/', '//', ':', 'C:', '~', 'a', 'b', 'x.y', '-', '_', '%41', '@', 'CON', ' ', '\u0000', '\uff0e');
    const input = fc.tuple(fc.constantFrom('/objects/', 'object://', 'OBJECT://', '', '/', '\\\\'), fc.array(tokens, { maxLength: 12 })).map(([p, t]) => p + t.join(''));
    fc.assert(fc.property(fc.oneof(input, fc.string({ maxLength: 40 })), (s) => {
      let r;
      try { r = resolveRef(s); } catch (e) { expect(e).toBeInstanceOf(ObjectError); return; }
      const segs = r.id.slice('object://'.length).split('/');
      expect(segs.length).toBeGreaterThanOrEqual(2);
      for (const g of segs) {
        expect(g).toMatch(/^[A-Za-z0-9._-]+$/);
        expect(g === '.' || g === '..' || g.endsWith('.')).toBe(false);
      }
      expect(resolveRef(r.id).id).toBe(r.id);
    }), { numRuns: 3000 });
  });

  it('property: a traversal segment in any position, in any encoding, is refused', () => {
    const trav = fc.constantFrom('..', '%2e%2e', '%2E%2e', '.%2e', '%2e.', '%252e%252e', '..\\', '\\..', '%5c..', 'C:', 'c%3a', '\\\\srv', '%00', '\u0000', '.');
    fc.assert(fc.property(fc.array(seg, { minLength: 1, maxLength: 4 }), fc.nat(), trav, fc.constantFrom('/objects/', 'object://'), (segs, at, t, pre) => {
      const s = [...segs];
      s.splice(at % (s.length + 1), 0, t);
      expect(refused(pre + s.join('/'))).toBe(true);
    }), { numRuns: 2000 });
  });
});
