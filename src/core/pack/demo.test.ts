import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { demoFiles } from './demo.ts';
import { openPack } from './read.ts';
import { verifyPack } from './verify.ts';
import { bytesSource } from '../bytes/source.ts';
import { toHex } from '../bytes/hex.ts';

describe('bundled demo packs', () => {
  const files = demoFiles();
  it('rebuild byte-identically from the demo streams (determinism) and match public/demo', () => {
    const again = demoFiles();
    for (let i = 0; i < files.length; i++) expect(toHex(again[i].bytes)).toBe(toHex(files[i].bytes));
    for (const f of files) {
      const p = new URL(`../../../public/demo/${f.file}`, import.meta.url);
      expect(existsSync(p), `${f.file} is committed (npm run demo)`).toBe(true);
      expect(toHex(new Uint8Array(readFileSync(p)))).toBe(toHex(f.bytes));
    }
  });
  it('verify, and the 5 KB demos are within budget', async () => {
    for (const f of files) {
      const r = await openPack(bytesSource(f.bytes, f.file));
      expect((await verifyPack(r)).ok).toBe(true);
      if (f.file.includes('5kb')) {
        expect(f.bytes.length).toBeLessThanOrEqual(5120);
        expect((await verifyPack(r)).signature).toBe('valid');
      }
    }
  });
});
