import type { Worker } from '@temporalio/worker';
import type { CleverClientOptions } from '../config/clever.ts';
import { createCoreWorker, type CoreWorkerOptions } from './core.ts';
import { createDeployWorker } from './deploy.ts';
import { createAssetsWorker } from './assets.ts';
import type { AssetSettings } from '../config/assets.ts';
import type { MailSettings } from '../config/mail.ts';
import type { WorkerQueue } from './queue-names.ts';

/** What every queue's worker may draw on; each factory takes what it needs. */
export type QueueWorkerOptions = Omit<CoreWorkerOptions, 'mail'> & {
  mail?: MailSettings;
  clever?: CleverClientOptions;
  assets?: AssetSettings;
};

/**
 * One entry per task queue a `capstan worker` process can poll (`--queue`), so
 * compose and Kubernetes run and scale one worker per queue. A factory answers
 * undefined when this process lacks the settings its queue needs.
 */
export const workerQueues = {
  core: (o: QueueWorkerOptions) => (o.mail ? createCoreWorker({ ...o, mail: o.mail }) : undefined),
  deploy: (o: QueueWorkerOptions) => (o.clever ? createDeployWorker({ ...o, clever: o.clever }) : undefined),
  assets: (o: QueueWorkerOptions) => (o.assets ? createAssetsWorker({ ...o, assets: o.assets }) : undefined),
} satisfies Record<WorkerQueue, (o: QueueWorkerOptions) => Promise<Worker> | undefined>;

export type { WorkerQueue };

/** Parses `--queue core,deploy --queue assets` into known queue names; throws on an unknown one. */
export function parseQueues(values: readonly string[]): WorkerQueue[] {
  const names = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(n in workerQueues));
  if (unknown.length)
    throw new Error(`unknown task queue ${unknown.join(', ')}: choose from ${Object.keys(workerQueues).join(', ')}`);
  return [...new Set(names)] as WorkerQueue[];
}
