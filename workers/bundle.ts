import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
/** Workflow code and workers must agree on it (workers/connect.ts passes the same path). */
/**
 * Passes the request id on from workflows to their activities and children (workflows/interceptors.ts);
 * records every run that fails for good as a dead letter (workflows/dead-letter-interceptor.ts).
 */
export const workflowInterceptorModules = [
  fileURLToPath(new URL('../workflows/interceptors.ts', import.meta.url)),
  fileURLToPath(new URL('../workflows/dead-letter-interceptor.ts', import.meta.url)),
];
export const failureConverterPath = fileURLToPath(new URL('../workflows/failure-converter.ts', import.meta.url));

/** Bundles the workflow code once; every Worker of the process shares the result. */
export async function bundleWorkflows(): Promise<{ code: string }> {
  return bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules,
    failureConverterPath,
    logger: quietBundlerLogger,
  });
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
