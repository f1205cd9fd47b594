import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.fuzz.test.ts', 'tests/**/*.fuzz.test.ts'],
    testTimeout: 3_600_000,
    pool: 'forks',
  },
});
