import { defineConfig } from 'vitest/config';

// The chaos run (docs/chaos.md) owns its whole stack: no global setup, one file, one fork.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 1,
    include: ['test/chaos/**/*.test.ts'],
    testTimeout: 2_400_000,
    hookTimeout: 1_200_000,
    teardownTimeout: 120_000,
  },
});
