import { describe, expect, it } from 'vitest';
import { lineCol, locatePath, parsePath } from './jsonPath';

const doc = '{\n  "streams": {\n    "policy": [0.5, 1e9, -2],\n    "a b": [1]\n  },\n  "config": { "amp": { "policy@t*": 3 }, "windows": 99 }\n}';
const at = (path: string) => {
  const r = locatePath(doc, path);
  return r ? doc.slice(r.start, r.end) : null;
};

describe('JSON paths in text', () => {
  it('parses the core path syntax', () => {
    expect(parsePath('$.streams.policy[3]')).toEqual(['streams', 'policy', 3]);
    expect(parsePath('$.config.amp["policy@t*"]')).toEqual(['config', 'amp', 'policy@t*']);
    expect(parsePath('$')).toEqual([]);
    expect(parsePath('streams')).toBeNull();
  });

  it('finds values by path', () => {
    expect(at('$.streams.policy[1]')).toBe('1e9');
    expect(at('$.config.windows')).toBe('99');
    expect(at('$.config.amp["policy@t*"]')).toBe('3');
    expect(at('$.streams["a b"]')).toBe('[1]');
  });

  it('falls back to the deepest value that exists', () => {
    expect(at('$.streams.policy[7]')).toBe('[0.5, 1e9, -2]');
    expect(at('$.config.nope')).toMatch(/^\{ "amp"/);
    expect(locatePath('{"streams": [1,', '$.streams[5]')).not.toBeNull();
  });

  it('gives 1-based line and column', () => {
    const r = locatePath(doc, '$.streams.policy[1]')!;
    expect(lineCol(doc, r.start)).toEqual({ line: 3, column: 21 });
  });
});
