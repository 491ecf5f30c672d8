import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Worker as Thread } from 'node:worker_threads';

// Compiled into dist/ (npm run build) this module is .js, and so are the workflow files beside it.
const ext = import.meta.url.endsWith('.js') ? 'js' : 'ts';
export const workflowsPath = fileURLToPath(new URL(`../workflows/index.${ext}`, import.meta.url));
/** Workflow code and workers must agree on it (workers/connect.ts passes the same path). */
/**
 * Passes the request id on from workflows to their activities and children (workflows/interceptors.ts);
 * records every run that fails for good as a dead letter (workflows/dead-letter-interceptor.ts).
 */
export const workflowInterceptorModules = [
  fileURLToPath(new URL(`../workflows/interceptors.${ext}`, import.meta.url)),
  fileURLToPath(new URL(`../workflows/dead-letter-interceptor.${ext}`, import.meta.url)),
];
export const failureConverterPath = fileURLToPath(new URL(`../workflows/failure-converter.${ext}`, import.meta.url));
/** Evaluated once per workflow thread and shared by every run (workflows/preload.ts says what and why). */
const preloadModules = [fileURLToPath(new URL(`../workflows/preload.${ext}`, import.meta.url))];
/** What `zod` is in the workflow bundle (workflows/zod-on-demand.cjs says why). */
const zodOnDemand = fileURLToPath(new URL('../workflows/zod-on-demand.cjs', import.meta.url));

/**
 * Bundles the workflow code (production's, or a test's `path`) once; every Worker of the process shares the
 * result. Webpack runs in a thread of its own: the ~150 MB it allocates go with the thread instead of staying in
 * the worker's heap for its lifetime (bench/suite.bench.ts measures a `capstan worker` at rest).
 */
export function bundleWorkflows(path = workflowsPath): Promise<{ code: string }> {
  const options = { workflowsPath: path, workflowInterceptorModules, failureConverterPath, preloadModules };
  const sdk = createRequire(import.meta.url).resolve('@temporalio/worker');
  const thread = new Thread(bundlerThread, { eval: true, workerData: { sdk, options, zodOnDemand } });
  return new Promise((resolve, reject) => {
    thread.once('message', (code: string) => resolve({ code }));
    thread.once('error', reject);
    thread.once('exit', (exitCode) => reject(new Error(`the workflow bundler thread exited with ${exitCode}`)));
  });
}

const bundlerThread = `
const { parentPort, workerData } = require('node:worker_threads');
const noop = () => {};
const logger = { trace: noop, debug: noop, info: noop, log: noop, warn: console.warn, error: console.error };
// A map of lines, without the sources' text: stack traces still name file and line, and each worker thread
// holds a map a fraction of the size (a full one cost every Worker of a process tens of MB at rest).
const webpackConfigHook = (config) => ({
  ...config,
  devtool: 'inline-nosources-cheap-module-source-map',
  resolve: { ...config.resolve, alias: { ...config.resolve?.alias, zod$: workerData.zodOnDemand } },
});
require(workerData.sdk)
  .bundleWorkflowCode({ ...workerData.options, logger, webpackConfigHook })
  .then(({ code }) => parentPort.postMessage(code));
`;

/**
 * The bundle beside the compiled worker: made by `npm run build` (dist/workers/), or by the first worker that
 * started from a checkout's build (.capstan/build/<hash>/workers/, bin/build.js), whose hash covers the workflows.
 */
const prebuiltBundlePath = fileURLToPath(new URL('./workflow-bundle.js', import.meta.url));

export function prebuiltWorkflowBundle(): { codePath: string } | undefined {
  return existsSync(prebuiltBundlePath) ? { codePath: prebuiltBundlePath } : undefined;
}

/**
 * The prebuilt bundle, or a new one; from compiled code the new one is kept for the next start of the same
 * build (sources run through tsx change under it, so they bundle every time).
 */
export async function workflowBundleForStart(): Promise<{ code: string } | { codePath: string }> {
  const prebuilt = prebuiltWorkflowBundle();
  if (prebuilt) return prebuilt;
  const bundle = await bundleWorkflows();
  if (ext === 'js') {
    const tmp = `${prebuiltBundlePath}.${process.pid}`;
    // A read-only image, or another process keeping its own copy first: either way this start has its bundle.
    await writeFile(tmp, bundle.code)
      .then(() => rename(tmp, prebuiltBundlePath))
      .catch(() => rm(tmp, { force: true }));
  }
  return bundle;
}

/** Bundles once into a file, so test processes reuse one bundle per run. */
export async function bundleWorkflowsToFile(path: string): Promise<string> {
  const { code } = await bundleWorkflows();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, code);
  return path;
}

const noop = () => {};
export const quietBundlerLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: console.warn,
  error: console.error,
  log: noop,
};
