import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { LicenceSettings } from '../config/licence.ts';
import type { MailSettings } from '../config/mail.ts';
import { accountLimits, type AccountLimits } from '../config/limits.ts';
import { loadEnv } from '../config/env.ts';
import type { Sql } from '../db/pool.ts';
import { prebuiltWorkflowBundle, workflowBundleForStart } from './bundle.ts';
import { connectWorker, dataConverterOf, type TemporalAccess } from './connect.ts';
import type { AssetSettings } from '../config/assets.ts';
import type { CleverClientOptions } from '../config/clever.ts';
import { installRuntime } from './runtime.ts';
import { defaultBreakerSettings, type BreakerSettings } from '../config/breakers.ts';
import { serveWorkerHealth } from './health.ts';
import { workerQueues, type WorkerQueue } from './queues.ts';

export interface RunningWorkers {
  /** Settles when every worker has stopped. */
  done: Promise<void>;
  /** The `/healthz` and `/readyz` server, when a health port was given. */
  healthUrl?: string;
  /** The workers' connection: a Client on it may start workflows eagerly on these workers (`capstan up`). */
  connection: NativeConnection;
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
  /** The Temporal SDK's Prometheus exporter (METRICS_PORT, on HOST). */
  metrics?: { hostname: string; port: number };
  /** Serve `/healthz` and `/readyz` here (WORKER_HEALTH_PORT; 0 picks a free port). */
  health?: { hostname: string; port: number };
  /** Clever Cloud access; without it this process runs no deploy worker. */
  clever?: CleverClientOptions;
  /** Circuit breakers' switch and threshold overrides (default: on, the catalogue's thresholds). */
  breakers?: BreakerSettings;
  workflowBundle?: { code: string } | { codePath: string };
  /** The task queues this process polls (default: every queue it has the settings for). */
  queues?: readonly WorkerQueue[];
  /** SMTP for invitation mail; the core worker does not start without it. */
  mail?: MailSettings;
  /** Front-end asset settings; with them this process can run the `capstan-assets` worker. */
  assets?: AssetSettings;
}

/** Starts one worker per selected task queue, all on one connection and one bundle. */
export async function startWorkers(options: StartWorkersOptions): Promise<RunningWorkers> {
  const logger = options.logger.child({ component: 'worker' });
  installRuntime(options.logger, { metrics: options.metrics });
  const connection = await connectWorker(options.temporal);
  const prebuilt = options.workflowBundle ? undefined : prebuiltWorkflowBundle();
  const workflowBundle = options.workflowBundle ?? (await workflowBundleForStart());
  const shared = {
    connection,
    namespace: options.temporal.namespace,
    sql: options.sql,
    logger,
    workflowBundle,
    dataConverter: dataConverterOf(options.temporal.codec),
    breakers: options.breakers ?? defaultBreakerSettings,
  };
  const selected = options.queues ?? (Object.keys(workerQueues) as WorkerQueue[]);
  const workers: Worker[] = [];
  for (const queue of selected) {
    const worker = await workerQueues[queue]({
      ...shared,
      webhooks: options.webhooks,
      licence: options.licence,
      limits: options.limits ?? accountLimits(loadEnv({})),
      clever: options.clever,
      assets: options.assets,
      mail: options.mail,
    });
    if (worker) workers.push(worker);
    else if (queue === 'core')
      throw new Error('the core worker needs mail settings (SMTP_URL): invitations are mailed');
    else if (options.queues) throw new Error(`the ${queue} worker needs settings this process lacks (${queue} queue)`);
  }
  if (!workers.length) throw new Error('no worker to run: select at least one task queue');
  const done = Promise.all(workers.map((w) => w.run())).then(() => connection.close());
  // Started after run(), and closed only once the workers have stopped, so /readyz reports the drain.
  const health =
    options.health &&
    (await serveWorkerHealth({ workers, connection, ...options.health }).catch(async (err: unknown) => {
      for (const w of workers) w.shutdown();
      await done;
      throw err;
    }));
  logger.info(
    {
      taskQueues: workers.map((w) => w.options.taskQueue),
      health: health?.url,
      workflowBundle: options.workflowBundle ? 'given' : prebuilt ? 'prebuilt' : 'bundled at start',
    },
    'workers running',
  );
  return {
    done,
    healthUrl: health?.url,
    connection,
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
