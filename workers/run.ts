import type { Worker } from '@temporalio/worker';
import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { LicenceSettings } from '../config/licence.ts';
import { accountLimits, type AccountLimits } from '../config/limits.ts';
import { loadEnv } from '../config/env.ts';
import type { Sql } from '../db/pool.ts';
import { bundleWorkflows } from './bundle.ts';
import { connectWorker, dataConverterOf, type TemporalAccess } from './connect.ts';
import { createCoreWorker } from './core.ts';
import { createDeployWorker } from './deploy.ts';
import { createAssetsWorker } from './assets.ts';
import type { AssetSettings } from '../config/assets.ts';
import type { CleverClientOptions } from '../config/clever.ts';
import { installRuntime } from './runtime.ts';
import { serveWorkerHealth } from './health.ts';

export interface RunningWorkers {
  /** Settles when every worker has stopped. */
  done: Promise<void>;
  /** The `/healthz` and `/readyz` server, when a health port was given. */
  healthUrl?: string;
  shutdown(): Promise<void>;
}

export interface StartWorkersOptions {
  temporal: TemporalAccess;
  sql: Sql;
  logger: Logger;
  webhooks: WebhookSettings;
  licence: LicenceSettings;
  /** Per-account caps; the defaults of the environment schema when not given. */
  limits?: AccountLimits;
  metricsPort?: number;
  /** Serve `/healthz` and `/readyz` here (WORKER_HEALTH_PORT; 0 picks a free port). */
  health?: { hostname: string; port: number };
  /** Clever Cloud access; without it this process runs no deploy worker. */
  clever?: CleverClientOptions;
  workflowBundle?: { code: string } | { codePath: string };
  /** Front-end asset settings; with them this process also runs the `capstan-assets` worker. */
  assets?: AssetSettings;
}

/** Starts the workers of this process (`capstan-core`, and `capstan-deploy`/`capstan-assets` when configured) on one connection and one bundle. */
export async function startWorkers(options: StartWorkersOptions): Promise<RunningWorkers> {
  const logger = options.logger.child({ component: 'worker' });
  installRuntime(options.logger, { metricsPort: options.metricsPort });
  const connection = await connectWorker(options.temporal);
  const workflowBundle = options.workflowBundle ?? (await bundleWorkflows());
  const shared = {
    connection,
    namespace: options.temporal.namespace,
    sql: options.sql,
    logger,
    workflowBundle,
    dataConverter: dataConverterOf(options.temporal.codec),
  };
  const workers: Worker[] = [
    await createCoreWorker({
      ...shared,
      webhooks: options.webhooks,
      licence: options.licence,
      limits: options.limits ?? accountLimits(loadEnv({})),
    }),
  ];
  if (options.clever) workers.push(await createDeployWorker({ ...shared, clever: options.clever }));
  if (options.assets) workers.push(await createAssetsWorker({ ...shared, assets: options.assets }));
  const done = Promise.all(workers.map((w) => w.run())).then(() => connection.close());
  // Started after run(), and closed only once the workers have stopped, so /readyz reports the drain.
  const health =
    options.health &&
    (await serveWorkerHealth({ workers, connection, ...options.health }).catch(async (err: unknown) => {
      for (const w of workers) w.shutdown();
      await done;
      throw err;
    }));
  logger.info({ taskQueues: workers.map((w) => w.options.taskQueue), health: health?.url }, 'workers running');
  return {
    done,
    healthUrl: health?.url,
    async shutdown() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      try {
        await done;
      } finally {
        await health?.close();
      }
    },
  };
}
