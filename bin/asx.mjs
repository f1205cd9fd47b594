#!/usr/bin/env node
// `asx`: runs the compiled CLI in dist-cli/ (built by `npm install` → `prepare`, or
// `npm run build:cli`) when it is up to date, else the TypeScript sources through tsx.
// Up to date: dist-cli/stamp.json (written last by the build) lists every file the bundle
// was built from with its mtime and size, and each still has them (a stat per file, under
// a millisecond). Any edit, checkout or missing file → tsx, which is always correct.
// ASX_CLI=tsx forces the sources; ASX_CLI=bundle forces the bundle (no staleness check);
// ASX_CLI_DIR=DIR reads the bundle from DIR instead of dist-cli/ (tests).
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const mode = process.env.ASX_CLI ?? '';
const dir = process.env.ASX_CLI_DIR || join(root, 'dist-cli');

function bundleIsFresh() {
  let stamp;
  try { stamp = JSON.parse(readFileSync(join(dir, 'stamp.json'), 'utf8')); } catch { return false; }
  if (!Array.isArray(stamp?.inputs) || stamp.inputs.length === 0) return false;
  for (const [file, mtimeMs, size] of stamp.inputs) {
    const st = statSync(join(root, file), { throwIfNoEntry: false });
    if (!st || st.mtimeMs !== mtimeMs || st.size !== size) return false;
  }
  return true;
}

// `asx … | head`: a reader that stops early is not an error (no stack trace, exit 0).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
}

let main;
if (mode === 'bundle' || (mode !== 'tsx' && bundleIsFresh())) {
  ({ main } = await import(pathToFileURL(join(dir, 'main.mjs')).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
