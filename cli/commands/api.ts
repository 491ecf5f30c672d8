import { rateLimits } from '../../config/limits.ts';
import { createApp } from '../../api/app.ts';
import { serveApi } from '../../api/serve.ts';
import { apiMetrics } from '../../api/metrics/index.ts';
import { loadEnv } from '../../config/env.ts';
import { createLogger } from '../../config/logger.ts';
import { licenceSettings } from '../../config/licence.ts';
import { assetSettings } from '../../config/assets.ts';
import { actorSecret } from '../../db/installation.ts';
import { createPool } from '../../db/pool.ts';
import { connectClient, temporalAccessOf } from '../../workers/connect.ts';
import { codecCorsOrigins } from '../../config/temporal.ts';
import { checkLeastPrivilege } from '../least-privilege.ts';
import { requireSetting } from '../settings.ts';
import { Shutdown } from '../shutdown.ts';

export async function apiCommand(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ level: env.LOG_LEVEL });
  const shutdown = new Shutdown(logger);
  await shutdown.starting(async () => {
    const sql = createPool({
      url: requireSetting(env, 'DATABASE_URL'),
      max: env.DATABASE_POOL_MAX,
      applicationName: 'capstan-api',
    });
    shutdown.add('postgres pool', () => sql.end({ timeout: 5 }));
    await checkLeastPrivilege(sql, env, logger);
    const { access, localKeyFile } = await temporalAccessOf(env, requireSetting(env, 'TEMPORAL_ADDRESS'));
    if (localKeyFile)
      logger.warn(
        { file: localKeyFile },
        'payload keys from the local data directory; set CAPSTAN_PAYLOAD_KEYS to share them with the workers',
      );
    const temporal = await connectClient(access, { actorSecret: await actorSecret(sql) });
    shutdown.add('temporal client', () => temporal.connection.close());
    const codecServer = { codec: access.codec, allowedOrigins: codecCorsOrigins(env) };
    const licence = licenceSettings(env);
    const metrics = apiMetrics({ sql, licence, logger });
    const api = await serveApi(
      createApp({
        sql,
        temporal,
        logger,
        metrics,
        workflowWaitMs: env.API_WORKFLOW_WAIT_MS,
        webUiUrl: env.TEMPORAL_WEB_UI_URL,
        deployPollIntervalMs: env.DEPLOY_POLL_INTERVAL_MS,
        licence,
        assets: assetSettings(env),
        codecServer,
        bodyLimitBytes: env.API_BODY_LIMIT_BYTES,
        rateLimits: rateLimits(env),
      }),
      env.HOST,
      env.PORT,
    );
    shutdown.add('http server', () => api.close());
    logger.info({ url: api.url }, 'API listening');
    if (env.API_METRICS_PORT !== undefined) {
      const served = await serveApi(metrics.app, env.HOST, env.API_METRICS_PORT);
      shutdown.add('metrics server', () => served.close());
      logger.info({ url: `${served.url}/metrics` }, 'API metrics listening');
    }
  });
  await shutdown.untilSignal();
}
