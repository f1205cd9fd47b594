/**
 * `asx infer --objects DIR|URL --prompt "…" [--profile ID] [--swap FILE]… [--trace OUT.json]` (issue 12;
 * docs/laws.md MX2LM-INFER): the exact inference engine (src/core/infer) over an object folder
 * (createFolderStore) or an object server (the browser's HttpObjectStore, so the CLI resolves,
 * loads and verifies the objects itself, as the page does). Prints the reply bytes (the
 * ai.agent.reply payload, UTF-8 JSON) and a newline on stdout: the same bytes the engine gives in
 * a browser or a worker. `--trace` writes the §20.12 events (`{"events": [...]}`). Without
 * `--profile`, the store's only ai.inference.profile object is used. `--swap FILE` (repeatable)
 * replaces the object whose role the file's bytes fill, as a file dropped on the Inference tab.
 */
import { AsxError } from '../core/errors.ts';
import type { ObjectStore } from '../core/objects/server.ts';
import { parseArgs, optString } from './args.ts';
import type { Io } from './main.ts';
import { INFER_HELP } from './help.ts';

export { INFER_HELP };

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/** The only ai.inference.profile of a store (usage error when there is none or several). */
async function onlyProfile(store: ObjectStore): Promise<string> {
  const [{ parseDescriptor }, { aiTypeOf }] = await Promise.all([import('../core/objects/descriptor.ts'), import('../core/objects/ai/schemas.ts')]);
  const found: string[] = [];
  for (const id of store.list ? await store.list() : []) {
    const got = await store.descriptor(id).catch(() => null);
    if (!got) continue;
    try {
      const d = parseDescriptor(got instanceof Uint8Array ? got : await got.read(0, got.size), id);
      if (aiTypeOf(d) === 'ai.inference.profile') found.push(id);
    } catch { /* not a descriptor: not a profile */ }
  }
  if (found.length !== 1) throw new AsxError('usage', found.length ? `the objects hold ${found.length} inference profiles (${found.sort().join(', ')}); name one with --profile` : 'the objects hold no ai.inference.profile; name one with --profile');
  return found[0];
}

export async function inferCommand(argv: string[], io: Io): Promise<number> {
  // --swap FILE may repeat (one file per object to replace); the parser keeps one value per option.
  const swapFiles: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--swap') { const v = argv[++i]; if (v === undefined) throw new AsxError('usage', '--swap needs a file'); swapFiles.push(v); }
    else if (argv[i].startsWith('--swap=')) swapFiles.push(argv[i].slice('--swap='.length));
    else rest.push(argv[i]);
  }
  const p = parseArgs(rest, ['--objects', '--prompt', '--profile', '--trace'], ['-h', '--help']);
  if (p.opts.has('-h') || p.opts.has('--help')) { io.out(INFER_HELP); return 0; }
  if (p.positional.length) throw new AsxError('usage', `asx infer takes no positional arguments (got ${JSON.stringify(p.positional[0])})`);
  const src = optString(p, '--objects');
  const prompt = optString(p, '--prompt');
  if (!src || prompt === undefined) throw new AsxError('usage', 'asx infer needs --objects DIR|URL and --prompt TEXT');
  const [{ loadInference, runInference }, { traceJson }, { setHashBackend }, { nodeHashBackend }] = await Promise.all([
    import('../core/infer/engine.ts'), import('../core/infer/trace.ts'), import('../core/hash/backend.ts'), import('./node-hash.ts'),
  ]);
  setHashBackend(nodeHashBackend()); // payload hashes by node:crypto (the same SHA-256)
  let store: ObjectStore & { close?: () => Promise<void> };
  if (isUrl(src)) {
    const { HttpObjectStore } = await import('../ui/objects/httpStore.ts');
    store = new HttpObjectStore(src.endsWith('/') ? src : `${src}/`);
  } else {
    const { stat } = await import('node:fs/promises');
    if (!(await stat(src).catch(() => null))?.isDirectory()) throw new AsxError('io_error', 'not a directory', { file: src });
    const { createFolderStore } = await import('../server/folderStore.ts');
    store = createFolderStore(src);
  }
  try {
    const profile = optString(p, '--profile') ?? (await onlyProfile(store));
    let graph: ObjectStore = store;
    if (swapFiles.length) {
      // The Inference tab's swap (src/core/infer/swap.ts): each file replaces the object of the role its bytes fill.
      const { swapRoleOf, swapEntry, swapStore, currentDescriptorOf } = await import('../core/infer/swap.ts');
      const entries = [];
      for (const f of swapFiles) {
        const bytes = await io.readFile(f);
        const role = swapRoleOf(bytes, f);
        const cur = await currentDescriptorOf(store, profile, role);
        const e = swapEntry(role, cur.id, cur.json, bytes, f);
        entries.push(e);
        io.err(`swap: ${role} ${cur.id} ${String(cur.json.hash)} → ${e.hash} (${f})\n`);
      }
      graph = swapStore(store, entries);
    }
    const model = await loadInference(graph, profile);
    const tracePath = optString(p, '--trace');
    const events: unknown[] = [];
    const reply = await runInference(model, { '@request': 'ai.inference', prompt, profile, projection: 'agent.reply' }, tracePath ? { onTrace: (e) => events.push(e) } : {});
    if (tracePath) await io.writeFile(tracePath, traceJson(events as Parameters<typeof traceJson>[0]));
    io.out(`${new TextDecoder().decode(reply.bytes)}\n`);
    return 0;
  } finally {
    await store.close?.();
  }
}
