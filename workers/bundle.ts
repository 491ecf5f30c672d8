import { existsSync } from 'node:fs';
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

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

/** Bundles the workflow code once; every Worker of the process shares the result. */
export async function bundleWorkflows(): Promise<{ code: string }> {
  return bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules,
    failureConverterPath,
    logger: quietBundlerLogger,
  });
}

/** The bundle `npm run build` made beside the compiled worker (dist/workers/), so the image starts without bundling. */
export const prebuiltBundlePath = fileURLToPath(new URL('./workflow-bundle.js', import.meta.url));

export function prebuiltWorkflowBundle(): { codePath: string } | undefined {
  return existsSync(prebuiltBundlePath) ? { codePath: prebuiltBundlePath } : undefined;
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
