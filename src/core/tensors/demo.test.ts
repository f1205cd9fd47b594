import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { bytesSource } from '../bytes/source.ts';
import { sniffHead } from '../sniff.ts';
import { demoSafetensors } from './demo.ts';
import { openSafetensors } from './safetensors.ts';

describe('bundled demo safetensors', () => {
  const files = demoSafetensors();
  it('rebuild byte-identically and match public/demo (npm run demo)', () => {
    const again = demoSafetensors();
    for (const [i, f] of files.entries()) {
      expect(Buffer.from(again[i].bytes).equals(Buffer.from(f.bytes))).toBe(true);
      const p = new URL(`../../../public/demo/${f.file}`, import.meta.url);
      expect(existsSync(p), `${f.file} is committed (npm run demo)`).toBe(true);
      expect(Buffer.from(readFileSync(p)).equals(Buffer.from(f.bytes)), `${f.file} equals what the code builds`).toBe(true);
    }
  });
  it('open, sniff as safetensors, and differ as the diff demo says', async () => {
    const [a, b] = await Promise.all(files.map((f) => openSafetensors(bytesSource(f.bytes, f.file))));
    for (const f of files) expect(sniffHead(f.bytes.subarray(0, 4096), f.bytes.length)).toBe('safetensors');
    expect(a.header.metadata).toEqual({ format: 'pt', asx_demo: 'a' });
    const na = new Set(a.header.tensors.map((t) => t.name));
    const nb = new Set(b.header.tensors.map((t) => t.name));
    expect([...na].filter((n) => !nb.has(n))).toEqual(['model.layers.0.old_adapter.weight']);
    expect([...nb].filter((n) => !na.has(n))).toEqual(['model.layers.0.new_adapter.weight']);
    expect(b.info('lm_head.weight').shape).toEqual([20, 48]);
    expect(b.info('model.layers.0.mlp.up_proj.bias').dtype).toBe('F32');
    expect(await b.view('model.layers.0.mlp.up_proj.bias')).toEqual(await a.view('model.layers.0.mlp.up_proj.bias'));
  });
});
