/**
 * The buildAssets workflow end to end (hash, bundle, manifest, precompress,
 * upload to the filesystem origin, switch, record) against esbuild alone with
 * the same options on the same tree, and the reuse path (unchanged sources).
 * The tree is the test fixture plus BENCH_MODULES generated modules.
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bundleOptions } from '../activities/assets/stage.ts';
import type { AssetSettings } from '../config/assets.ts';
import type { AssetBuildResult } from '../contracts/assets.ts';
import { workflows } from '../contracts/workflows.ts';
import { executeWorkflow } from '../workers/start.ts';
import { startBenchStack } from './stack.ts';
import { median } from './report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MODULES = Number(process.env.BENCH_MODULES ?? 300);
const ENTRY = 'web/src/main.tsx';

const work = await mkdtemp(join(tmpdir(), 'capstan-assets-bench-'));
const root = join(work, 'src');
await cp(fileURLToPath(new URL('../test/fixtures/asset-source', import.meta.url)), root, { recursive: true });
await mkdir(join(root, 'web/src/generated'), { recursive: true });
for (let i = 0; i < MODULES; i++) {
  await writeFile(
    join(root, `web/src/generated/m${i}.ts`),
    `export const table${i} = Array.from({ length: 64 }, (_, n) => ({ id: n * ${i + 1}, label: 'row ' + n + ' of module ${i}' }));\n` +
      `export function render${i}(el: HTMLElement): void { for (const r of table${i}) el.append(String(r.id) + r.label); }\n`,
  );
}
await writeFile(
  join(root, 'web/src/generated/index.ts'),
  Array.from({ length: MODULES }, (_, i) => `export { render${i} } from './m${i}.ts';`).join('\n') + '\n',
);
const setVersion = async (v: string) => {
  await writeFile(join(root, 'web/src/version.ts'), `export const version = '${v}';\n`);
  await writeFile(
    join(root, 'web/src/main-extra.ts'),
    `import * as all from './generated/index.ts';\nexport default all;\n`,
  );
};
// The entry pulls the generated modules in through a dynamic import: one more chunk, as a real console has.
await writeFile(
  join(root, 'web/src/main.tsx'),
  (await readFile(join(root, ENTRY), 'utf8')) + `void import('./main-extra.ts');\n`,
);

const settings: AssetSettings = {
  origin: { kind: 'fs', dir: join(work, 'origin') },
  stagingDir: join(work, 'staging'),
  stagingRetentionMs: 24 * 3_600_000,
  retention: { keepPrevious: 2, keepYoungerThanMs: 3_600_000 },
  gcIntervalMs: 3_600_000,
  cdnHost: '',
  consoleEntry: ENTRY,
  sourceRoot: root,
};
const stack = await startBenchStack({ assets: settings });
const actor = { type: 'Operator' as const, id: 'bench' };

try {
  const esbuildMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await setVersion(`esbuild-${i}`);
    const out = join(work, `esbuild-${i}`);
    const t = performance.now();
    await esbuild.build(bundleOptions(root, [ENTRY], join(out, 'assets')));
    esbuildMs.push(performance.now() - t);
  }

  const buildMs: number[] = [];
  let last: AssetBuildResult | undefined;
  let phases: Record<string, number> = {};
  for (let i = 0; i < RUNS; i++) {
    await setVersion(`workflow-${i}`);
    const t = performance.now();
    const result = await executeWorkflow(
      stack.temporal,
      workflows.buildAssets,
      { key: randomUUID() },
      {
        root,
        entries: [ENTRY],
        actor,
      },
    );
    buildMs.push(performance.now() - t);
    phases = result.phaseMs;
    last = result;
    if (result.reused) throw new Error('a changed tree was reused');
  }

  const reuseMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const result = await executeWorkflow(
      stack.temporal,
      workflows.buildAssets,
      { key: randomUUID() },
      {
        root,
        entries: [ENTRY],
        actor,
      },
    );
    reuseMs.push(performance.now() - t);
    if (!result.reused) throw new Error('unchanged sources were rebuilt');
  }

  const e = median(esbuildMs);
  const b = median(buildMs);
  const r = median(reuseMs);
  console.log(`tree: fixture + ${MODULES} modules; ${RUNS} runs each; medians`);
  console.log(`esbuild alone (same options)        ${e.toFixed(0).padStart(7)} ms`);
  console.log(`buildAssets workflow, new sources   ${b.toFixed(0).padStart(7)} ms   ratio ${(b / e).toFixed(2)}×`);
  console.log(`buildAssets workflow, reused        ${r.toFixed(0).padStart(7)} ms   ratio ${(r / e).toFixed(2)}×`);
  console.log(
    `last build: ${JSON.stringify(phases)} · ${last!.files} files, ${(last!.totalBytes / 1024).toFixed(0)} KiB`,
  );
} finally {
  await stack.stop();
  await rm(work, { recursive: true, force: true });
}
process.exit(0);
