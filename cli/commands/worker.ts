import { accountLimits } from '../../config/limits.ts';
import { loadEnv } from '../../config/env.ts';
import { createLogger } from '../../config/logger.ts';
import { webhookSettings } from '../../config/webhooks.ts';
import { cleverSettings } from '../../config/clever.ts';
import { licenceSettings } from '../../config/licence.ts';
import { breakerSettings } from '../../config/breakers.ts';
import { assetSettings } from '../../config/assets.ts';
import { mailSettings } from '../../config/mail.ts';
import { connectClient, temporalAccessOf } from '../../workers/connect.ts';
import { ensureSchedules, heartbeatInterval } from '../../workers/schedules.ts';
import { createPool, waitForDatabase, WORKER_APPLICATION_NAME } from '../../db/pool.ts';
import { actorSecret } from '../../db/installation.ts';
import { startWorkers } from '../../workers/run.ts';
import { parseQueues } from '../../workers/queues.ts';
import { checkLeastPrivilege } from '../least-privilege.ts';
import { requireSetting } from '../settings.ts';
import { Shutdown } from '../shutdown.ts';

export async function workerCommand(options: { queue?: string[] } = {}): Promise<void> {
  const env = loadEnv();
  const queues = options.queue?.length ? parseQueues(options.queue) : undefined;
  const logger = createLogger({ level: env.LOG_LEVEL });
  const shutdown = new Shutdown(logger);
  const licence = licenceSettings(env);
  // Checked before anything starts: a core worker without SMTP would take invitations it cannot deliver.
  const mail = !queues || queues.includes('core') ? mailSettings(env, `http://127.0.0.1:${env.PORT}`) : undefined;
  await shutdown.starting(async () => {
    const sql = createPool({
      url: requireSetting(env, 'DATABASE_URL'),
      max: env.DATABASE_POOL_MAX,
      applicationName: WORKER_APPLICATION_NAME,
    });
    shutdown.add('postgres pool', () => sql.end({ timeout: 5 }));
    await waitForDatabase(sql, { onWait: (ms) => logger.warn({ waitedMs: ms }, 'waiting for PostgreSQL') });
    await checkLeastPrivilege(sql, env, logger);
    const { access, localKeyFile } = await temporalAccessOf(env, requireSetting(env, 'TEMPORAL_ADDRESS'));
    if (localKeyFile)
      logger.warn(
        { file: localKeyFile },
        'payload keys from the local data directory; set CAPSTAN_PAYLOAD_KEYS to share them with the API',
      );
    const workers = await startWorkers({
      temporal: access,
      sql,
      logger,
      metrics: env.METRICS_PORT === undefined ? undefined : { hostname: env.HOST, port: env.METRICS_PORT },
      health: env.WORKER_HEALTH_PORT === undefined ? undefined : { hostname: env.HOST, port: env.WORKER_HEALTH_PORT },
      webhooks: webhookSettings(env),
      clever: cleverSettings(env),
      licence,
      limits: accountLimits(env),
      breakers: breakerSettings(env),
      queues,
      assets: assetSettings(env),
      mail,
    });
    shutdown.add('workers', () => workers.shutdown());
    const client = await connectClient(access);
    shutdown.add('temporal client', () => client.connection.close());
    const schedules = await ensureSchedules(
      client,
      {
        heartbeatIntervalMs: await heartbeatInterval(sql, licence),
        deadLetterRetentionDays: env.DEAD_LETTER_RETENTION_DAYS,
        webhookDeliveryRetentionDays: env.WEBHOOK_DELIVERY_RETENTION_DAYS,
        auditLogRetentionDays: env.AUDIT_LOG_RETENTION_DAYS ?? null,
        licenceHeartbeatRetentionDays: env.LICENCE_HEARTBEAT_RETENTION_DAYS,
        assetGcIntervalMs: env.ASSETS_GC_INTERVAL_MS,
      },
      await actorSecret(sql),
    );
    logger.info({ schedule: schedules['licence-heartbeat'] }, 'licence heartbeat schedule');
    logger.info({ schedules }, 'schedules');
  });
  await shutdown.untilSignal();
}
