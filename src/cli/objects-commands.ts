/**
 * `asx objects …` (issue 10; docs/laws.md O-COMPLIANCE):
 *
 *   asx objects compliance URL|DIR [--json] [--timeout MS]
 *       the §15.14 suite (src/core/objects/compliance-suite.ts) over HTTP against a running
 *       Object Server at URL, or against `asx serve DIR` started here on an ephemeral
 *       127.0.0.1 port and stopped afterwards; exit 0 iff the level reached is Full
 *   asx objects fixture DIR
 *       writes the compliance fixture set (object://compliance/…) into an object folder
 *   asx objects list URL|DIR
 *       the ids the server (GET /objects) or the folder holds
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsxError } from '../core/errors.ts';
import { parseArgs, optNumber } from './args.ts';
import type { Io } from './main.ts';
import { OBJECTS_HELP } from './help.ts';

export { OBJECTS_HELP };

const isUrl = (s: string) => /^https?:\/\//i.test(s);

async function requireDir(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new AsxError('io_error', 'not a directory', { file: dir });
}

/** Start `asx serve DIR` in this process on 127.0.0.1:0; returns its URL and a stop function. */
async function serveDir(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  await requireDir(dir);
  const { createFolderStore } = await import('../server/folderStore.ts');
  const { startHttpServer } = await import('../server/http.ts');
  const [{ setHashBackend }, { nodeHashBackend }] = await Promise.all([import('../core/hash/backend.ts'), import('./node-hash.ts')]);
  setHashBackend(nodeHashBackend()); // as asx serve: payloads hashed by node:crypto
  const store = createFolderStore(dir);
  let running;
  try {
    running = await startHttpServer({ store, port: 0 });
  } catch (e) {
    await store.close();
    throw new AsxError('io_error', `cannot listen on 127.0.0.1: ${(e as NodeJS.ErrnoException).code ?? 'failed'}`);
  }
  const r = running;
  return { url: r.url, stop: async () => { await r.close(); await store.close(); } };
}

export async function writeComplianceFixtures(dir: string): Promise<{ objects: number; blobs: number }> {
  const { complianceFixtures } = await import('../core/objects/compliance-fixtures.ts');
  const f = await complianceFixtures();
  for (const [id, bytes] of f.descriptors) {
    const segs = id.slice('object://'.length).split('/');
    const file = join(dir, 'objects', ...segs) + '.json';
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, bytes);
  }
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
  for (const [hash, bytes] of f.blobs) await writeFile(join(dir, 'blobs', 'sha256', hash.slice('sha256:'.length)), bytes);
  return { objects: f.descriptors.size, blobs: f.blobs.size };
}

async function compliance(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, ['--timeout'], ['--json']);
  if (p.positional.length !== 1) throw new AsxError('usage', 'asx objects compliance needs one URL or DIR (try asx objects --help)');
  const target = p.positional[0]!;
  const timeoutMs = optNumber(p, '--timeout') ?? 10_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 600_000) throw new AsxError('usage', `--timeout needs milliseconds 100-600000, got ${timeoutMs}`);
  const { runComplianceSuite, complianceTable } = await import('../core/objects/compliance-suite.ts');
  let url = target;
  let stop: (() => Promise<void>) | null = null;
  if (!isUrl(target)) {
    await requireDir(target);
    const probe = await stat(join(target, 'objects', 'compliance', 'counter.json')).catch(() => null);
    if (!probe?.isFile()) throw new AsxError('io_error', 'the folder holds no compliance fixture set (write it with: asx objects fixture DIR)', { file: target });
    ({ url, stop } = await serveDir(target));
  }
  let report;
  try {
    report = await runComplianceSuite({ base: url, fetch: globalThis.fetch as unknown as Parameters<typeof runComplianceSuite>[0]['fetch'], timeoutMs });
  } finally {
    if (stop) await stop();
  }
  if (!isUrl(target)) report = { ...report, server: `asx serve ${target} (${report.server}, stopped)` };
  io.out(p.opts.has('--json') ? `${JSON.stringify(report, null, 2)}\n` : complianceTable(report));
  return report.level === 'Full' ? 0 : 1;
}

async function fixture(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, [], []);
  if (p.positional.length !== 1) throw new AsxError('usage', 'asx objects fixture needs one DIR');
  const dir = p.positional[0]!;
  try {
    await mkdir(dir, { recursive: true });
    const n = await writeComplianceFixtures(dir);
    io.out(`${JSON.stringify({ dir, ...n, ids: 'object://compliance/…' })}\n`);
  } catch (e) {
    if (e instanceof AsxError) throw e;
    throw new AsxError('io_error', `cannot write: ${(e as NodeJS.ErrnoException).code ?? 'failed'}`, { file: dir });
  }
  return 0;
}

async function list(argv: string[], io: Io): Promise<number> {
  const p = parseArgs(argv, [], []);
  if (p.positional.length !== 1) throw new AsxError('usage', 'asx objects list needs one URL or DIR');
  const target = p.positional[0]!;
  let ids: string[];
  if (isUrl(target)) {
    let body: unknown;
    try {
      const r = await fetch(target.replace(/\/+$/, '') + '/objects', { signal: AbortSignal.timeout(10_000) });
      if (r.status !== 200) throw new AsxError('io_error', `GET /objects answered ${r.status}`, { file: target });
      body = await r.json();
    } catch (e) {
      if (e instanceof AsxError) throw e;
      throw new AsxError('io_error', 'GET /objects failed or is not JSON', { file: target });
    }
    const o = (body as { objects?: unknown })?.objects;
    if (!Array.isArray(o) || !o.every((x) => typeof x === 'string')) throw new AsxError('io_error', 'GET /objects is not {"objects": [ids]}', { file: target });
    ids = o as string[];
  } else {
    await requireDir(target);
    const { createFolderStore } = await import('../server/folderStore.ts');
    const store = createFolderStore(target);
    try { ids = await store.list(); } finally { await store.close(); }
  }
  io.out(`${JSON.stringify({ objects: ids })}\n`);
  return 0;
}

export async function objectsCommand(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || rest.includes('-h') || rest.includes('--help')) { io.out(OBJECTS_HELP); return 0; }
  if (cmd === 'compliance') return compliance(rest, io);
  if (cmd === 'fixture') return fixture(rest, io);
  if (cmd === 'list') return list(rest, io);
  throw new AsxError('usage', `unknown objects command ${JSON.stringify(cmd)} (try asx objects --help)`);
}
