import { describe, expect, it } from 'vitest';
import { pureBackend, webCryptoBackend, type HashBackend } from './backend.ts';
import { chooseHashBackend } from './choose.ts';

/** A fake clock the candidates advance: each takes `cost` ms per call. */
function timed(name: string, cost: number, clock: { t: number }, inner: HashBackend = pureBackend): HashBackend {
  return { name, sha256Batch(...a) { clock.t += cost; return inner.sha256Batch(...a); } };
}

describe('chooseHashBackend (L-HASH-CHOICE)', () => {
  it('picks the fastest candidate by measured time', async () => {
    const clock = { t: 0 };
    const slow = timed('slow', 5, clock);
    const fast = timed('fast', 1, clock);
    const c = await chooseHashBackend([slow, fast], 4096, { now: () => clock.t, includePure: false });
    expect(c.backend.name).toBe('fast');
    expect(c.ms).toEqual({ slow: 5, fast: 1 });
    // By default the pure hasher competes too (here it costs no fake time, so it wins).
    const d = await chooseHashBackend([slow, fast], 4096, { now: () => clock.t });
    expect(d.backend.name).toBe('js');
    expect(d.ms).toEqual({ js: 0, slow: 5, fast: 1 });
  });

  it('never chooses a backend whose digests differ, or that throws', async () => {
    const clock = { t: 0 };
    const wrong: HashBackend = { name: 'wrong', sha256Batch(d, o, l, s, n, out, oo) { pureBackend.sha256Batch(d, o, l, s, n, out, oo); out[oo] ^= 1; } };
    const broken: HashBackend = { name: 'broken', sha256Batch() { throw new Error('no device'); } };
    const c = await chooseHashBackend([wrong, broken], 131, { now: () => clock.t });
    expect(c.backend).toBe(pureBackend);
    expect(c.excluded).toEqual({ wrong: 'digests differ from the pure hasher', broken: 'no device' });
    expect(Number.isNaN(c.ms.wrong)).toBe(true);
  });

  it('bounds the sample: 2 to 256 messages', async () => {
    expect((await chooseHashBackend([], 131)).sample).toEqual({ count: 256, length: 131 });
    expect((await chooseHashBackend([], 131_073)).sample).toEqual({ count: 2, length: 131_073 });
  });

  it('measures Web Crypto where the platform has it, and any choice gives the same digests', async () => {
    const wc = webCryptoBackend(0);
    expect(wc).not.toBeNull();
    const c = await chooseHashBackend([wc!], 65_536, { rounds: 2 });
    expect(Object.keys(c.ms).sort()).toEqual([wc!.name, 'js'].sort());
    const data = new Uint8Array(3 * 65_536).map((_, i) => i * 7);
    const a = new Uint8Array(96);
    const b = new Uint8Array(96);
    await c.backend.sha256Batch(data, 0, 65_536, 65_536, 3, a, 0);
    pureBackend.sha256Batch(data, 0, 65_536, 65_536, 3, b, 0);
    expect(a).toEqual(b);
  });
});
