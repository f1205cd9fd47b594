/** L-DET: the fdlibm ports are bit-identical to V8's Math on V8, and fixed everywhere. */
import { describe, expect, it } from 'vitest';
import { dsin, dcos, dtan, datan, datan2, dhypot, degToRad } from './detmath.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s + 0x6d2b79f5) | 0; let t = Math.imul(s ^ (s >>> 15), 1 | s); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

describe('L-DET fdlibm ports', () => {
  it('fixed vectors', () => {
    expect(dsin(1)).toBe(0.8414709848078965);
    expect(dcos(1)).toBe(0.5403023058681398);
    expect(datan2(1, 2)).toBe(0.4636476090008061);
    expect(datan(1e300)).toBe(1.5707963267948966);
    expect(dcos(degToRad(90))).toBe(6.123233995736766e-17);
    expect(degToRad(450)).toBe(degToRad(90));
    expect(dtan(0.25)).toBe(dsin(0.25) / dcos(0.25));
    expect(dhypot(3, 4)).toBe(5);
    expect(Number.isNaN(dsin(Infinity))).toBe(true);
    expect(() => dsin(1e7)).toThrow(RangeError);
  });
  it('on V8 they equal Math.sin/cos/atan/atan2 bit for bit (200,000 arguments each)', () => {
    const r = rng(42);
    let bad = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = (r() - 0.5) * 2 * 4 * Math.PI;
      const y = (r() - 0.5) * 10 ** (r() * 8 - 4);
      const z = (r() - 0.5) * 10 ** (r() * 8 - 4);
      if (dsin(x) !== Math.sin(x) || dcos(x) !== Math.cos(x) || datan(y) !== Math.atan(y) || datan2(y, z) !== Math.atan2(y, z)) bad++;
    }
    expect(bad).toBe(0);
    for (const [y, x] of [[0, 1], [0, -1], [-0, -1], [1, 0], [-1, 0], [-0, -0], [1e-300, 1e300], [1e300, -1e-300], [Infinity, Infinity], [-Infinity, -Infinity], [1, -Infinity]]) {
      expect(Object.is(datan2(y, x), Math.atan2(y, x))).toBe(true);
    }
  });
});
