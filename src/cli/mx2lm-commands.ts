/**
 * `asx mx2lm build [--out DIR]` (issue 11; docs/laws.md MX2LM-OBJECTS): the MX2LM Brown object
 * set (src/core/mx2lm/build.ts) from the installed Brown corpus, written into the object folder
 * DIR (default `mx2lm-objects`; other objects in DIR are kept) with `auditable` added as the
 * served store does (src/server/brownStore.ts), so both hold the same descriptor bytes. Prints
 * one line per object (id, payload bytes, hash) and the n-gram brain's per-word perplexity on
 * the validation and test splits on stdout; progress on stderr.
 */
import { AsxError } from '../core/errors.ts';
import { parseArgs, optString } from './args.ts';
import type { Io } from './main.ts';
import { MX2LM_HELP } from './help.ts';

export { MX2LM_HELP };

export async function mx2lmCommand(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help') { io.out(MX2LM_HELP); return 0; }
  if (command !== 'build') throw new AsxError('usage', `unknown mx2lm command ${JSON.stringify(command)} (try asx mx2lm --help)`);
  const p = parseArgs(rest, ['--out', '-o', '--trained'], ['-h', '--help']);
  if (p.opts.has('-h') || p.opts.has('--help')) { io.out(MX2LM_HELP); return 0; }
  if (p.positional.length) throw new AsxError('usage', `asx mx2lm build takes no positional arguments (got ${JSON.stringify(p.positional[0])})`);
  const out = optString(p, '--out', '-o') ?? 'mx2lm-objects';

  const [{ loadBrownSplit, sentencesOf }, { buildBrownSet, servedDescriptor }, { perplexity }, { indexModel }, { writeObjectStore }] = await Promise.all([
    import('./brown.ts'), import('../core/mx2lm/build.ts'), import('../core/mx2lm/ngram-brain.ts'), import('../core/ngram/conservation.ts'), import('../server/storeWriter.ts'),
  ]);
  const t0 = performance.now();
  const secs = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  io.err('mx2lm: reading the Brown corpus\n');
  const split = loadBrownSplit();
  const trainedPath = optString(p, '--trained');
  const trainedWeights = trainedPath ? await io.readFile(trainedPath) : undefined;
  const set = await buildBrownSet(split, { trainedWeights, onStage: (s) => io.err(`mx2lm: ${s} (${secs()})\n`) });
  io.err(`mx2lm: writing ${set.objects.length} objects into ${out} (${secs()})\n`);
  const written = await writeObjectStore(out, set.objects.map((o) => ({ id: o.id, descriptor: servedDescriptor(o.descriptor), payload: o.payload })));
  const byId = new Map(written.map((w) => [w.id, w]));
  for (const o of set.objects) {
    const w = byId.get(o.id)!;
    io.out(`${w.id}  ${w.size} B  ${w.hash}\n`);
  }
  io.err(`mx2lm: perplexity of the n-gram brain (${secs()})\n`);
  const ix = indexModel(set.ngram);
  for (const name of ['validation', 'test'] as const) {
    const r = perplexity(ix, sentencesOf(split[name]));
    io.out(`ngram perplexity ${name}: ${r.perplexity.toFixed(4)} (${r.tokens} tokens, ${r.unk} <unk>)\n`);
  }
  io.err(`mx2lm: done (${secs()})\n`);
  return 0;
}
