/**
 * `asx serve DIR [--port N]` (issue 10; docs/laws.md O-STORE): the Object Server over HTTP on
 * 127.0.0.1, over an object folder (DIR/objects/<domain>/<name>.json descriptors,
 * DIR/blobs/sha256/<hex> payloads). Prints `{"url": "http://127.0.0.1:PORT/"}` on stdout and
 * serves until SIGINT or SIGTERM, then closes gracefully (exit 0).
 */
import { stat } from 'node:fs/promises';
import { AsxError } from '../core/errors.ts';
import { parseArgs, optNumber } from './args.ts';
import type { Io } from './main.ts';
import { SERVE_HELP } from './help.ts';

export { SERVE_HELP };

export async function serveCommand(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['--port'], ['-h', '--help']);
  if (p.opts.has('-h') || p.opts.has('--help')) { io.out(SERVE_HELP); return 0; }
  if (p.positional.length !== 1) throw new AsxError('usage', 'asx serve needs one DIR (try asx serve --help)');
  const dir = p.positional[0]!;
  const port = optNumber(p, '--port') ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AsxError('usage', `--port needs an integer 0-65535, got ${port}`);
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new AsxError('io_error', 'not a directory', { file: dir });
  // Payload hashing on node:crypto (OpenSSL): the first request for a 1 GiB blob hashes it whole.
  const [{ setHashBackend }, { nodeHashBackend }] = await Promise.all([import('../core/hash/backend.ts'), import('./node-hash.ts')]);
  setHashBackend(nodeHashBackend());
  const { createFolderStore } = await import('../server/folderStore.ts');
  const { startHttpServer } = await import('../server/http.ts');
  const store = createFolderStore(dir);
  let running;
  try {
    running = await startHttpServer({ store, port });
  } catch (e) {
    await store.close();
    throw new AsxError('io_error', `cannot listen on 127.0.0.1:${port}: ${(e as NodeJS.ErrnoException).code ?? 'failed'}`);
  }
  io.out(`${JSON.stringify({ url: running.url })}\n`);
  await new Promise<void>((done) => {
    const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); done(); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await running.close();
  await store.close();
  return 0;
}
