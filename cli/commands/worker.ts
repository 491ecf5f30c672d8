import { accountLimits } from '../../config/limits.ts';
import { loadEnv } from '../../config/env.ts';
import { createLogger } from '../../config/logger.ts';
import { webhookSettings } from '../../config/webhooks.ts';
import { cleverSettings } from '../../config/clever.ts';
import { licenceSettings } from '../../config/licence.ts';
import { assetSettings } from '../../config/assets.ts';
import { connectClient, temporalAccessOf } from '../../workers/connect.ts';
import { ensureLicenceSchedule, heartbeatInterval } from '../../workers/schedules.ts';
import { createPool } from '../../db/pool.ts';
import { startWorkers } from '../../workers/run.ts';
import { requireSetting } from '../settings.ts';
import { Shutdown } from '../shutdown.ts';

export async function workerCommand(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ level: env.LOG_LEVEL });
  const shutdown = new Shutdown(logger);
  const licence = licenceSettings(env);
  await shutdown.starting(async () => {
    const sql = createPool({
      url: requireSetting(env, 'DATABASE_URL'),
      max: env.DATABASE_POOL_MAX,
      applicationName: 'capstan-worker',
    });
    shutdown.add('postgres pool', () => sql.end({ timeout: 5 }));
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
      metricsPort: env.METRICS_PORT,
      health: env.WORKER_HEALTH_PORT === undefined ? undefined : { hostname: env.HOST, port: env.WORKER_HEALTH_PORT },
      webhooks: webhookSettings(env),
      clever: cleverSettings(env),
      licence,
      limits: accountLimits(env),
      assets: assetSettings(env),
    });
    shutdown.add('workers', () => workers.shutdown());
    const client = await connectClient(access);
    shutdown.add('temporal client', () => client.connection.close());
    logger.info(
      { schedule: await ensureLicenceSchedule(client, await heartbeatInterval(sql, licence)) },
      'licence heartbeat schedule',
    );
  });
  await shutdown.untilSignal();
}
