import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { CleverClient } from '../activities/clever-cloud/client.ts';
import type { CleverClientOptions } from '../config/clever.ts';
import { createDeployActivities } from '../activities/deploys.ts';
import { createDeadLetterRecorder } from '../activities/index.ts';
import { codecOf } from './connect.ts';
import { taskQueues } from '../config/catalogue.ts';
import { requestIdInActivities } from './request-id.ts';
import type { Logger } from '../config/logger.ts';
import type { Sql } from '../db/pool.ts';
import type { BreakerSettings } from '../config/breakers.ts';
import { createBreakers } from '../activities/breaker.ts';

/** The worker of `capstan-deploy`: Clever Cloud deploys, scaled apart from the core queue. */
export function createDeployWorker(options: {
  connection: NativeConnection;
  namespace: string;
  sql: Sql;
  logger: Logger;
  clever: CleverClientOptions;
  breakers: BreakerSettings;
  workflowBundle: { code: string } | { codePath: string };
  /** The same converter as every client's (workers/connect.ts), or payloads cannot be read. */
  dataConverter: DataConverter;
}): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: taskQueues.deploy,
    workflowBundle: options.workflowBundle,
    dataConverter: options.dataConverter,
    activities: {
      ...createDeployActivities({
        sql: options.sql,
        logger: options.logger.child({ component: 'activities.deploys' }),
        client: new CleverClient(options.clever),
        breakers: createBreakers({
          sql: options.sql,
          logger: options.logger.child({ component: 'activities.breakers' }),
          settings: options.breakers,
        }),
        codec: codecOf(options.dataConverter),
      }),
      ...createDeadLetterRecorder({
        sql: options.sql,
        logger: options.logger.child({ component: 'activities.dead-letters' }),
        codec: codecOf(options.dataConverter),
      }),
    },
    interceptors: { activity: [requestIdInActivities] },
    shutdownGraceTime: '5 s',
    shutdownForceTime: '15 s',
  });
}
