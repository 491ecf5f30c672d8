import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import type { CleverClientOptions } from '../config/clever.ts';
import type { AssetSettings } from '../config/assets.ts';
import { startCapstanProcess } from '../cli/local/capstan-process.ts';
import { freePort } from '../cli/local/free-port.ts';
import { startTemporalDevServer } from '../cli/local/temporal-server.ts';
import { postgresAccess, startTemporalCluster } from '../cli/local/temporal-cluster.ts';
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { webhookSettings } from '../config/webhooks.ts';
import { licenceSettings } from '../config/licence.ts';
import { startEmbeddedDatabase } from '../db/embedded.ts';
import { newAppRolePassword } from '../db/app-role.ts';
import { migrateForApp } from '../db/migrate.ts';
import { createPool } from '../db/pool.ts';
import { ensurePlatformToken, issueToken } from '../db/tokens.ts';
import { failureConverterPath, quietBundlerLogger } from '../workers/bundle.ts';
import { connectClient, connectWorker, dataConverterOf } from '../workers/connect.ts';
import { EncryptionCodec } from '../workers/codec.ts';
import { generatePayloadKeys, keyringOf } from '../config/payload-keys.ts';
import { actorSecret } from '../db/installation.ts';
import { startWorkers } from '../workers/run.ts';
import { startApiProcess } from './api-process.ts';
import { createFloorActivities } from './floor-activities.ts';
import { startMailSandbox } from '../sandbox/mail/serve.ts';

/**
 * Everything a benchmark compares against, deployed as in production: the API
 * as its own process (`capstan api`), the workers (Capstan's and the floor's)
 * in this one, which is also the load generator for both sides.
 */
export async function startBenchStack(
  options: {
    clever?: CleverClientOptions;
    target?: 'dev' | 'cluster';
    assets?: AssetSettings;
    /** Capstan's workers as `capstan worker --queue <q>` processes, one per entry, instead of in this process. */
    workerProcesses?: string[];
  } = {},
) {
  const workDir = await mkdtemp(join(tmpdir(), 'capstan-bench-'));
  await chmod(workDir, 0o755);
  const startDatabase = () =>
    process.env.DATABASE_URL
      ? { url: process.env.DATABASE_URL, stop: async () => {} }
      : freePort().then((port) => startEmbeddedDatabase({ dataDir: join(workDir, 'pg'), port, ephemeral: true }));
  // The cluster keeps its history in the same PostgreSQL as Capstan, as `capstan cluster` does.
  const [temporalServer, database] =
    options.target === 'cluster'
      ? await (async () => {
          const database = await startDatabase();
          const cluster = await startTemporalCluster({
            postgres: postgresAccess(database.url),
            dir: join(workDir, 'temporal'),
            namespaces: ['default'],
          });
          return [cluster, database] as const;
        })()
      : await Promise.all([
          process.env.TEMPORAL_ADDRESS
            ? { address: process.env.TEMPORAL_ADDRESS, stop: async () => {} }
            : startTemporalDevServer(),
          startDatabase(),
        ]);
  // The API and workers connect as the application role, as in production; the owner migrates and makes the
  // floor's table (the role gets rights on it by the migrations' default privileges).
  const { appUrl } = await migrateForApp(database.url, newAppRolePassword());
  const owner = createPool({ url: database.url, max: 1 });
  await owner`create table if not exists bench_rows (id bigint generated always as identity primary key, label text not null)`;
  await owner.end({ timeout: 5 });
  const sql = createPool({ url: appUrl, max: 40 });
  const platformToken = issueToken().plaintext;
  await ensurePlatformToken(sql, `bench-${randomUUID()}`, platformToken);

  const logger = createLogger({ level: 'warn' });
  // Both sides pay for encryption, as in production: the ratios stay Capstan's overhead alone.
  const payloadKeys = process.env.CAPSTAN_PAYLOAD_KEYS ?? generatePayloadKeys('bench');
  const access = {
    address: temporalServer.address,
    namespace: 'default',
    codec: new EncryptionCodec(keyringOf(payloadKeys)),
  };
  const mail = await startMailSandbox();
  const workers = options.workerProcesses
    ? undefined
    : await startWorkers({
        temporal: access,
        sql,
        logger,
        // The webhook benchmark's receiver listens on loopback.
        webhooks: { ...webhookSettings(loadEnv({})), allowedRanges: ['loopback'] },
        licence: licenceSettings(loadEnv({})),
        clever: options.clever,
        assets: options.assets,
        mail: { smtpUrl: mail.smtpUrl, from: 'Capstan <no-reply@bench.test>', publicUrl: 'http://bench.test' },
      });
  const workerProcesses = await Promise.all(
    (options.workerProcesses ?? []).map(async (queue, i) => {
      const [healthPort, metricsPort] = [await freePort(), await freePort()];
      const child = await startCapstanProcess({
        name: `worker-${queue}-${i + 1}`,
        args: ['worker', '--queue', queue],
        healthPort,
        logFile: join(workDir, `worker-${queue}-${i + 1}.log`),
        env: {
          DATABASE_URL: appUrl,
          TEMPORAL_ADDRESS: temporalServer.address,
          CAPSTAN_PAYLOAD_KEYS: payloadKeys,
          CAPSTAN_DATA_DIR: workDir,
          WORKER_HEALTH_PORT: String(healthPort),
          METRICS_PORT: String(metricsPort),
          WEBHOOK_ALLOWED_RANGES: 'loopback',
          SMTP_URL: mail.smtpUrl,
          LOG_LEVEL: 'warn',
        },
      });
      return { ...child, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
    }),
  );
  const floorWorker = await Worker.create({
    connection: await connectWorker(access),
    taskQueue: 'capstan-bench',
    dataConverter: dataConverterOf(access.codec),
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./floor-workflow.ts', import.meta.url)),
      failureConverterPath,
      logger: quietBundlerLogger,
    }),
    activities: createFloorActivities(sql),
  });
  const floorRun = floorWorker.run();
  const temporal = await connectClient(access, { actorSecret: await actorSecret(sql) });
  const api = await startApiProcess({
    databaseUrl: appUrl,
    temporalAddress: temporalServer.address,
    payloadKeys,
  });

  return {
    sql,
    temporal,
    api,
    platformToken,
    temporalAddress: temporalServer.address,
    databaseUrl: appUrl,
    /** The schema owner's URL: for fills and ANALYZE, which the application role may not do. */
    ownerDatabaseUrl: database.url,
    payloadKeys,
    access,
    workers,
    workerProcesses,
    /** Where sign-in links go: a bench's administrator reads theirs from it. */
    mail,
    async stop() {
      await api.close();
      floorWorker.shutdown();
      await floorRun;
      await workers?.shutdown();
      await Promise.all(workerProcesses.map((w) => w.stop()));
      await temporal.connection.close();
      await sql.end();
      await temporalServer.stop().catch(() => {});
      await database.stop();
      await mail.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

export type BenchStack = Awaited<ReturnType<typeof startBenchStack>>;
