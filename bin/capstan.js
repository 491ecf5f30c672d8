#!/usr/bin/env node
// The compiled CLI in the production image (dist/ from `npm run build`, no TypeScript
// sources beside it); in a checkout, the sources through tsx, so a stale dist/ left by
// a local build is never run by mistake and there is no build step to forget.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const sources = new URL('../cli/main.ts', import.meta.url);
if (existsSync(compiled) && !existsSync(sources)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
