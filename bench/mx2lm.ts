/**
 * `npm run bench`'s MX2LM quality section: the Brown object set is built into a temp folder
 * (`asx mx2lm build`, ~10 s), then bench/mx2lm-quality.ts scores the base and the bundled
 * trained matrix path (data/mx2lm-brown.safetensors), the n-gram brain and their hybrid on the
 * first 30,000 predicted tokens of validation and test (the whole splits take several minutes
 * per model at this machine's ~1,000 tokens/s: run bench/mx2lm-quality.ts without --max-tokens
 * for them). Headings are moved one level down to sit under docs/bench.md's sections.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, nodeIo, type Io } from '../src/cli/main.ts';

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'asx-mx2lm-bench-'));
  try {
    const quiet: Io = { ...nodeIo, out: () => undefined, err: () => undefined };
    if (await main(['mx2lm', 'build', '--out', dir], quiet) !== 0) throw new Error('asx mx2lm build failed');
    const q = await import('./mx2lm-quality.ts');
    const md = await q.run(['--objects', dir, '--weights', 'data/mx2lm-brown.safetensors', '--max-tokens', '30000']);
    return md.replace(/^(#+) /gm, '#$1 ').replace(/^## MX2LM quality on real text \(Brown\)/m, '## MX2LM quality on real text (Brown)').replaceAll(dir, 'DIR').replace('Objects: `DIR` (`npx asx mx2lm build`)', 'Objects: `DIR`, a temp folder written by `npx asx mx2lm build --out DIR`');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
