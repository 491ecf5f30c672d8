#!/usr/bin/env node
// Compiled JavaScript always: the production image's dist/ (from `npm run build`, no TypeScript beside it),
// or in a checkout the build of the sources as they are now (bin/build.js: made once per content hash, so a
// stale build is never run and there is no build step to forget). CAPSTAN_RUN_SOURCES=1 runs the sources
// through tsx instead, for a developer who wants TypeScript stack traces without source maps.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
const sources = new URL('../cli/main.ts', import.meta.url);
if (existsSync(compiled) && !existsSync(sources)) {
  await import(compiled.href);
} else if (process.env.CAPSTAN_RUN_SOURCES === '1') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
} else {
  const { ensureBuild } = await import('./build.js');
  const { pathToFileURL } = await import('node:url');
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(`${await ensureBuild()}/cli/main.js`).href);
}
