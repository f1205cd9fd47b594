/**
 * The whole pipeline over every icon of @mdi/svg (issue 4 "Real data"): import,
 * canonicalize (twice, identical), GPU map + inverse (identical), SCXQ2 encode, decode
 * (identical), verify, and one flipped byte per envelope detected. 100% must round-trip.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSvg, canonicalize } from './canonical.ts';
import { mapToBuffers, buffersToCanonical } from './webgpu.ts';
import { encodeScxq2, Scxq2Reader, verifyEnvelope } from '../scxq2/envelope.ts';
import { bytesSource } from '../bytes/source.ts';
import { bytesEqual } from '../bytes/hex.ts';

const DIR = join(process.cwd(), 'node_modules/@mdi/svg/svg');

describe('@mdi/svg: every icon through the whole pipeline', () => {
  it('imports, canonicalizes idempotently, maps and inverts, encodes, decodes, verifies and detects a flipped byte', async () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.svg')).sort();
    expect(files.length).toBeGreaterThan(7000);
    const c = { files: files.length, legalAsIs: 0, imported: 0, canonicalTwice: 0, mapInverse: 0, encoded: 0, decoded: 0, verified: 0, flipDetected: 0 };
    const failures: string[] = [];
    let inBytes = 0, canonBytes = 0, envBytes = 0;
    const t0 = performance.now();
    for (const [i, f] of files.entries()) {
      try {
        const raw = readFileSync(join(DIR, f));
        inBytes += raw.length;
        const imp = importSvg(raw);
        c.imported++;
        if (imp.violationsBefore.length === 0) c.legalAsIs++;
        canonBytes += imp.bytes.length;
        const again = canonicalize(imp.bytes);
        if (!bytesEqual(again.bytes, imp.bytes)) throw new Error('canonicalize(canonical) differs');
        c.canonicalTwice++;
        const inv = buffersToCanonical(mapToBuffers(imp.model));
        if (!bytesEqual(inv.bytes, imp.bytes)) throw new Error('map inverse differs');
        c.mapInverse++;
        const env = encodeScxq2(imp.model, imp.hash);
        envBytes += env.length;
        c.encoded++;
        const reader = await Scxq2Reader.fromBytes(env);
        for (const t of reader.meta.toc) await reader.lane(t.lane); // every lane decoder accepts it
        const dec = await reader.inflate();
        if (!bytesEqual(dec.bytes, imp.bytes)) throw new Error('decode differs');
        c.decoded++;
        const v = await verifyEnvelope(bytesSource(env));
        if (!v.ok) throw new Error(`verify failed: ${JSON.stringify(v.error)}`);
        c.verified++;
        // one flipped bit at a position that walks the whole envelope across the icon set
        const bad = env.slice();
        const pos = (i * 2654435761 + 97) % env.length;
        bad[pos] ^= 1 << (i % 8);
        const vb = await verifyEnvelope(bytesSource(bad));
        if (vb.ok) throw new Error(`flipped byte ${pos} not detected`);
        c.flipDetected++;
      } catch (e) {
        failures.push(`${f}: ${(e as Error).message}`);
      }
    }
    const ms = performance.now() - t0;
    console.log(`@mdi/svg pipeline counts: ${JSON.stringify(c)}`);
    console.log(`@mdi/svg bytes: input ${inBytes}, canonical ${canonBytes}, envelopes ${envBytes}; ${ms.toFixed(0)} ms`);
    if (failures.length) console.log(failures.slice(0, 20).join('\n'));
    expect(failures).toEqual([]);
    expect(c.flipDetected).toBe(files.length);
  }, 600_000);
});
