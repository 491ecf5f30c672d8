import { configDefaults, defineConfig } from 'vitest/config';
import { loadEnv } from './config/env.ts';

// test/cluster/ restarts a real Temporal server of its own: it runs with CAPSTAN_TEST_TARGET=cluster (npm run test:cluster).
const cluster = loadEnv().CAPSTAN_TEST_TARGET === 'cluster';

export default defineConfig({
  test: {
    // Temporal's native bridge crashes under worker threads (sdk-typescript#876): one fork per file.
    pool: 'forks',
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'test/chaos/**', ...(cluster ? [] : ['test/cluster/**'])],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
