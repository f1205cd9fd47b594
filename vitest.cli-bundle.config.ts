/**
 * `npm run test:cli-bundle`: the in-process CLI tests (src/cli/*.test.ts) run against the
 * compiled bundle instead of the TypeScript sources. Imports of the bundle's entries
 * (src/cli/main.ts, the command groups, src/core/errors.ts) made by those test files resolve
 * to dist-cli/<name>.mjs (or $ASX_CLI_DIR/<name>.mjs); everything else stays as it is.
 */
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BUNDLE_ENTRIES } from './vite.cli.config.ts';

const ROOT = import.meta.dirname;
const DIR = resolve(process.env.ASX_CLI_DIR || join(ROOT, 'dist-cli'));
const toBundle = new Map(Object.entries(BUNDLE_ENTRIES).map(([name, src]) => [resolve(ROOT, src), join(DIR, `${name}.mjs`)]));

export default defineConfig({
  plugins: [{
    name: 'asx-cli-bundle-under-test',
    enforce: 'pre',
    async resolveId(source, importer, opts) {
      if (!importer || !/[\\/]src[\\/]cli[\\/][^\\/]+\.test\.ts$/.test(importer)) return null;
      const r = await this.resolve(source, importer, { ...opts, skipSelf: true });
      return (r && toBundle.get(r.id)) ?? null;
    },
  }],
  test: {
    include: ['src/cli/*.test.ts'],
    exclude: ['src/cli/bundle.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
