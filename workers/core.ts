import { Client } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.ts';
import { taskQueues } from '../config/catalogue.ts';
import { codecOf } from './connect.ts';
import { requestIdInActivities } from './request-id.ts';
import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { LicenceSettings } from '../config/licence.ts';
import type { AccountLimits } from '../config/limits.ts';
import type { Sql } from '../db/pool.ts';
import type { BreakerSettings } from '../config/breakers.ts';
import type { MailSettings } from '../config/mail.ts';

export interface CoreWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  sql: Sql;
  logger: Logger;
  webhooks: WebhookSettings;
  licence: LicenceSettings;
  limits: AccountLimits;
  breakers: BreakerSettings;
  /** Invitation links go out by mail, to the invited address only. */
  mail: MailSettings;
  workflowBundle: { code: string } | { codePath: string };
  /** The same converter as every client's (workers/connect.ts), or payloads cannot be read. */
  dataConverter: DataConverter;
  identity?: string;
}

/** The worker of `capstan-core`: database writes, webhooks, licence, admin. */
export function createCoreWorker(options: CoreWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: taskQueues.core,
    workflowBundle: options.workflowBundle,
    dataConverter: options.dataConverter,
    activities: createActivities({
      sql: options.sql,
      logger: options.logger,
      webhooks: options.webhooks,
      licence: options.licence,
      limits: options.limits,
      codec: codecOf(options.dataConverter),
      temporal: new Client({
        connection: options.connection,
        namespace: options.namespace,
        dataConverter: options.dataConverter,
      }),
      breakers: options.breakers,
      mail: options.mail,
    }),
    ...(options.identity && { identity: options.identity }),
    interceptors: { activity: [requestIdInActivities] },
    // An activity that ignores cancellation must not hold shutdown forever.
    shutdownGraceTime: '5 s',
    shutdownForceTime: '15 s',
  });
}
