/**
 * Build of the `asx` command line (`npm run build:cli`, run by `npm install` through the
 * `prepare` script): src/cli/main.ts and everything it imports (src/core, src/gpu, @noble),
 * bundled by Vite's SSR build (rolldown) into plain ES modules for Node 20 in dist-cli/.
 * bin/asx.mjs runs that bundle instead of transpiling TypeScript with tsx on every start.
 *
 * - `dist-cli/main.mjs` (exports `main`, `nodeIo`, `HELP`) is what bin/asx.mjs imports; each
 *   command group is its own file, imported by main only when it runs (`import()`), so
 *   `asx --help` loads one small file. The command groups and errors.ts are entries too (their
 *   exports kept), so `npm run test:cli-bundle` can run the in-process CLI tests against them.
 * - Only `webgpu` (Dawn, a native addon, loaded by `asx gccp … --gpu`) stays external.
 * - WGSL: src/gpu/wgsl-node.ts reads shaders/ relative to its own file, which the bundle
 *   does not sit next to; in the bundle it is replaced by a module that inlines the shaders
 *   with Vite's `?raw` (same text, same registry).
 * - `dist-cli/stamp.json`, written after every other file, lists each input file (repo-relative)
 *   with the mtime and size it had when the build read it. bin/asx.mjs runs the bundle only if
 *   every listed file still has that mtime and size; otherwise it falls back to tsx.
 */
import { statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** dist-cli/<name>.mjs ← source. */
export const BUNDLE_ENTRIES: Record<string, string> = {
  main: 'src/cli/main.ts',
  'pack-commands': 'src/cli/pack-commands.ts',
  'svg-commands': 'src/cli/svg-commands.ts',
  'gccp-commands': 'src/cli/gccp-commands.ts',
  'key-commands': 'src/cli/key-commands.ts',
  errors: 'src/core/errors.ts',
};

const ROOT = dirname(fileURLToPath(import.meta.url));
const WGSL_NODE = resolve(ROOT, 'src/gpu/wgsl-node.ts');
const INLINE_WGSL = '\0asx-cli:wgsl-node';

/** In the bundle, `loadWgslFromDisk()` registers shaders inlined at build time. */
function inlineWgsl(): Plugin {
  return {
    name: 'asx-cli-inline-wgsl',
    enforce: 'pre',
    async resolveId(source, importer, opts) {
      if (!importer || !source.endsWith('wgsl-node.ts')) return null;
      const r = await this.resolve(source, importer, { ...opts, skipSelf: true });
      return r && r.id === WGSL_NODE ? INLINE_WGSL : null;
    },
    load(id) {
      if (id !== INLINE_WGSL) return null;
      const q = (p: string) => JSON.stringify(resolve(ROOT, p));
      return [
        `import gccp from ${q('shaders/gccp.wgsl?raw')};`,
        `import svgTraverse from ${q('shaders/svg_traverse.wgsl?raw')};`,
        `import { registerWgsl } from ${q('src/gpu/wgsl.ts')};`,
        `export function loadWgslFromDisk() { registerWgsl('gccp', gccp); registerWgsl('svg_traverse', svgTraverse); }`,
      ].join('\n');
    },
  };
}

/** Records every file the build reads (stat taken before the read), then writes stamp.json last. */
function stamp(): Plugin {
  const inputs = new Map<string, [number, number]>();
  let outDir = '';
  return {
    name: 'asx-cli-stamp',
    enforce: 'pre',
    configResolved(c) { outDir = resolve(c.root, c.build.outDir); },
    buildStart() { inputs.clear(); },
    load(id) {
      if (id.startsWith('\0')) return null;
      const file = id.replace(/[?#].*$/, '');
      const st = statSync(file, { throwIfNoEntry: false });
      if (st?.isFile()) inputs.set(file, [st.mtimeMs, st.size]);
      return null;
    },
    writeBundle() {
      const list = [...inputs].map(([f, [m, s]]) => [relative(ROOT, f).split('\\').join('/'), m, s] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      writeFileSync(join(outDir, 'stamp.json'), JSON.stringify({ schema: 'asx.cli.stamp.v1', node: process.version, inputs: list }) + '\n');
    },
  };
}

export default defineConfig({
  root: ROOT,
  publicDir: false,
  logLevel: 'warn',
  plugins: [inlineWgsl(), stamp()],
  ssr: { target: 'node', noExternal: true, external: ['webgpu'] },
  build: {
    ssr: true,
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    reportCompressedSize: false,
    rolldownOptions: {
      input: Object.fromEntries(Object.entries(BUNDLE_ENTRIES).map(([name, src]) => [name, resolve(ROOT, src)])),
      output: { format: 'esm', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
    },
  },
});
