import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.mjs'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // DuckDB work is CPU-bound and the machine has 2 cores.
    maxWorkers: 2,
    env: { TZ: 'UTC' },
  },
});
