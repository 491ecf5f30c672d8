import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { createAssetActivities } from '../activities/assets/index.ts';
import type { AssetSettings } from '../config/assets.ts';
import { taskQueues } from '../config/catalogue.ts';
import type { Logger } from '../config/logger.ts';
import { createOrigin } from '../db/asset-origins.ts';
import type { Sql } from '../db/pool.ts';
import { requestIdInActivities } from './request-id.ts';

/** The worker of `capstan-assets`: front-end builds, the live switch and garbage collection. */
export async function createAssetsWorker(options: {
  connection: NativeConnection;
  namespace: string;
  sql: Sql;
  logger: Logger;
  assets: AssetSettings;
  workflowBundle: { code: string } | { codePath: string };
  /** The same converter as every client's (workers/connect.ts), or payloads cannot be read. */
  dataConverter: DataConverter;
}): Promise<Worker> {
  const origin = createOrigin(options.assets.origin);
  const worker = await Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: taskQueues.assets,
    workflowBundle: options.workflowBundle,
    dataConverter: options.dataConverter,
    activities: createAssetActivities({
      sql: options.sql,
      logger: options.logger.child({ component: 'activities.assets' }),
      settings: options.assets,
      origin,
    }),
    interceptors: { activity: [requestIdInActivities] },
    // Bundling is CPU-bound: a few at a time keeps the heartbeats of the others on time.
    maxConcurrentActivityTaskExecutions: 4,
    shutdownGraceTime: '5 s',
    shutdownForceTime: '15 s',
  });
  return worker;
}
