import { resolve, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { loadEnv } from '../../config/env.ts';
import { createLogger } from '../../config/logger.ts';
import { cleverSettings } from '../../config/clever.ts';
import { startEmbeddedDatabase } from '../../db/embedded.ts';
import { migrateForApp } from '../../db/migrate.ts';
import { localAppRolePassword } from '../local/app-role-password.ts';
import { createPool } from '../../db/pool.ts';
import { ensurePlatformToken } from '../../db/tokens.ts';
import { temporalAccessOf } from '../../workers/connect.ts';
import { postgresAccess, startTemporalCluster } from '../local/temporal-cluster.ts';
import { startCapstanProcess } from '../local/capstan-process.ts';
import { freePort } from '../local/free-port.ts';
import { Shutdown } from '../shutdown.ts';
import { localPlatformToken } from './up.ts';

/**
 * Capstan as compose runs it, on this machine: the real Temporal server on PostgreSQL
 * (built from the Go module proxy the first time), then migrations, and the API and one
 * worker per task queue as separate processes. Data stays in CAPSTAN_DATA_DIR/cluster,
 * so a restart picks up where the last run stopped.
 */
export async function clusterCommand(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ level: env.LOG_LEVEL });
  const dataDir = resolve(env.CAPSTAN_DATA_DIR);
  const clusterDir = join(dataDir, 'cluster');
  await mkdir(join(clusterDir, 'logs'), { recursive: true });
  const shutdown = new Shutdown(logger);
  const began = Date.now();

  const summary = await shutdown.starting(async () => {
    const database = env.DATABASE_URL
      ? { url: env.DATABASE_URL, stop: async () => {} }
      : await startEmbeddedDatabase({ dataDir: join(clusterDir, 'postgres'), port: env.EMBEDDED_POSTGRES_PORT });
    shutdown.add('postgres', () => database.stop());
    const temporal = await startTemporalCluster({
      postgres: postgresAccess(database.url),
      dir: join(clusterDir, 'temporal'),
      port: env.TEMPORAL_PORT,
      namespaces: [env.TEMPORAL_NAMESPACE],
      log: (line) => logger.info(line),
    });
    shutdown.add('temporal server', () => temporal.stop());
    const temporalReady = Date.now();
    // Migrations as the owner; the API and workers as capstan_app, with the password kept in the data directory.
    const { appUrl } = await migrateForApp(database.url, await localAppRolePassword(dataDir));

    // Made here once (payload keys, platform token), so the API and workers read the same ones.
    await temporalAccessOf(env, temporal.address);
    const platformToken = env.CAPSTAN_BOOTSTRAP_TOKEN ?? (await localPlatformToken(dataDir));
    const sql = createPool({ url: appUrl, max: 1, applicationName: 'capstan-cluster' });
    await ensurePlatformToken(sql, 'local-bootstrap', platformToken).finally(() => sql.end({ timeout: 5 }));

    const childEnv = {
      DATABASE_URL: appUrl,
      TEMPORAL_ADDRESS: temporal.address,
      CAPSTAN_DATA_DIR: dataDir,
    };
    const queues = ['core', ...(cleverSettings(env) ? ['deploy'] : [])];
    const processes = [
      { name: 'api', args: ['api'], healthPort: env.PORT, env: { PORT: String(env.PORT) } },
      ...(await Promise.all(
        queues.map(async (queue) => {
          const healthPort = await freePort();
          return {
            name: `worker-${queue}`,
            args: ['worker', '--queue', queue],
            healthPort,
            env: { WORKER_HEALTH_PORT: String(healthPort) },
          };
        }),
      )),
    ];
    const running = await Promise.all(
      processes.map((p) =>
        startCapstanProcess({
          ...p,
          env: { ...childEnv, ...p.env },
          logFile: join(clusterDir, 'logs', `${p.name}.log`),
        }),
      ),
    );
    for (const child of running) shutdown.add(child.name, () => child.stop());
    return { temporal, running, platformToken, temporalSeconds: (temporalReady - began) / 1000 };
  });

  const api = summary.running.find((p) => p.name === 'api')!;
  console.log(
    [
      '',
      `Capstan is up on a Temporal cluster (${((Date.now() - began) / 1000).toFixed(1)} s; Temporal serving after ${summary.temporalSeconds.toFixed(1)} s).`,
      `  API        ${api.url}`,
      `  Temporal   ${summary.temporal.address}   (temporal-server on PostgreSQL; no Web UI here: compose runs temporalio/ui)`,
      ...summary.running.map((p) => `  ${p.name.padEnd(10)} pid ${p.pid}, ${p.url}/readyz, log ${p.logFile}`),
      `  Platform token: ${summary.platformToken}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await shutdown.untilSignal();
}
