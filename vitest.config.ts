import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/*.fuzz.test.ts', 'node_modules/**'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
