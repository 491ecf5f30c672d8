import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.ts';

/** `npm run histories:record`: runs every workflow type on the real stack and saves its history (test/histories/). */
export default defineConfig({
  test: { ...base.test, include: ['test/replay/record/*.record.ts'], exclude: [], testTimeout: 180_000 },
});
