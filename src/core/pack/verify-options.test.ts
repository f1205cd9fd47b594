import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../bytes/source.ts';
import { openPack } from './read.ts';
import { verifyPack } from './verify.ts';

const demo = new Uint8Array(readFileSync('public/demo/demo-5kb.v2c.bin'));

describe('verifyPack signatureValid (the worker\'s header pass is not repeated)', () => {
  it('takes the given verdict instead of checking again, and reports it the same way', async () => {
    const r = await openPack(bytesSource(demo));
    const checked = await verifyPack(r);
    expect(checked.signature).toBe('valid');
    expect(await verifyPack(r, { signatureValid: true })).toEqual(checked);
    // Given false, the report says invalid with the usual issue — proof the check was not rerun.
    const given = await verifyPack(r, { signatureValid: false });
    expect(given.signature).toBe('invalid');
    expect(given.issues[0]).toMatchObject({ code: 'bad_signature' });
  });
});
