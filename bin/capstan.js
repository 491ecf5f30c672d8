#!/usr/bin/env node
// The compiled CLI when `npm run build` made one (the production image), else the
// TypeScript sources through tsx, so there is no build step to forget in development.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
