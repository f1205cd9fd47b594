import { describe, expect, it } from 'vitest';
import { formatHash, parseHash } from './hash';

describe('URL hash', () => {
  it('round-trips panel and lane id', () => {
    const h = formatHash({ panel: 'lanes', lane: 'policy@t0__x__attention@t1' });
    expect(parseHash(h)).toEqual({ panel: 'lanes', lane: 'policy@t0__x__attention@t1' });
  });
  it('keeps a bundled demo name, never a path', () => {
    expect(parseHash(formatHash({ panel: 'overview', demo: 'demo-wide.v2c.bin', lane: 'x' }))).toEqual({ panel: 'overview', demo: 'demo-wide.v2c.bin', lane: 'x' });
    expect(parseHash('#demo=../secret')).toEqual({});
  });

  it('ignores unknown panels and empty hashes', () => {
    expect(parseHash('#panel=nope&lane=')).toEqual({});
    expect(parseHash('')).toEqual({});
    expect(formatHash({})).toBe('');
  });
});
