// `npm run build`: compiled JavaScript in dist/ and the workflow bundle made once,
// so the production image starts the CLI, API and workers without compiling TypeScript.
import { execFileSync } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowsToFile } from '../workers/bundle.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

await rm(dist, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
// ley loads migrations from db/migrations beside the compiled db/migrate.js.
await cp(`${root}db/migrations`, `${dist}/db/migrations`, { recursive: true });
// The workflow bundle's `zod` (workers/bundle.ts), should a worker of dist/ ever bundle again.
await cp(`${root}workflows/zod-on-demand.cjs`, `${dist}/workflows/zod-on-demand.cjs`);
// `capstan up` and `capstan cluster` build Temporal from these pinned Go modules.
for (const module of ['temporal-dev', 'temporal-cluster'])
  for (const file of ['go.mod', 'go.sum'])
    await cp(`${root}deploy/${module}/${file}`, `${dist}/deploy/${module}/${file}`);
await bundleWorkflowsToFile(`${dist}/workers/workflow-bundle.js`);
console.log(`built ${dist}`);
