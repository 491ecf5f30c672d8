import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api/app.ts';
import { serveApi, type RunningApi } from '../../api/serve.ts';
import { freePort } from '../../cli/local/free-port.ts';
import { postgresAccess, startTemporalCluster } from '../../cli/local/temporal-cluster.ts';
import { startTemporalDevServer } from '../../cli/local/temporal-server.ts';
import type { AssetSettings } from '../../config/assets.ts';
import { createLogger } from '../../config/logger.ts';
import { generatePayloadKeys, keyringOf } from '../../config/payload-keys.ts';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../db/embedded.ts';
import { actorSecret } from '../../db/installation.ts';
import { migrateForApp } from '../../db/migrate.ts';
import { newAppRolePassword } from '../../db/app-role.ts';
import { createPool, type Sql } from '../../db/pool.ts';
import { ensurePlatformToken, issueToken } from '../../db/tokens.ts';
import { startCleverSandbox } from '../../sandbox/clever-cloud/serve.ts';
import type { SandboxState } from '../../sandbox/clever-cloud/state.ts';
import { startLicensingSandbox } from '../../sandbox/licensing/serve.ts';
import { startMailSandbox, type MailSandbox } from '../../sandbox/mail/serve.ts';
import { EncryptionCodec } from '../../workers/codec.ts';
import { connectClient } from '../../workers/connect.ts';
import { assetEnv, assetSource, testAssetSettings } from '../support/assets.ts';
import { startReceiver } from '../support/receiver.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';
import type { Rng } from './rng.ts';

export type TemporalKind = 'cluster' | 'dev';
export type Queue = 'core' | 'deploy' | 'assets';
const NAMESPACE = 'default';

export interface RestartableTemporal {
  address: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A worker slot: its queue and the process in it now (replaced after a kill). */
export interface WorkerSlot {
  queue: Queue;
  process: WorkerProcess;
  /** Exits the chaos run did not cause (a worker that died on its own). */
  unexpectedExits: number;
}

export interface ChaosStack {
  workDir: string;
  databaseUrl: string;
  sql: Sql;
  temporal: RestartableTemporal;
  client: Client;
  api: RunningApi;
  platformToken: string;
  clever: { url: string; state: SandboxState };
  licensing: Awaited<ReturnType<typeof startLicensingSandbox>>;
  receiver: Awaited<ReturnType<typeof startReceiver>> & { failing: boolean };
  /** Where sign-in links and invitations go: the workload reads administrators' links from it. */
  mail: MailSandbox;
  assets: AssetSettings;
  workers: WorkerSlot[];
  stopDatabase(): Promise<void>;
  startDatabase(): Promise<void>;
  startWorker(queue: Queue): Promise<WorkerProcess>;
  close(): Promise<void>;
}

/**
 * Everything the chaos run breaks, owned by it alone: its PostgreSQL (stopped and started
 * again on the same data and port), its Temporal (a cluster on a PostgreSQL of its own, or
 * the dev server on a SQLite file), `capstan worker` processes, sandboxes and a receiver.
 */
export async function startChaosStack(options: {
  temporal: TemporalKind;
  rng: Rng;
  coreWorkers: number;
}): Promise<ChaosStack> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    return await build(options, closers, close);
  } catch (err) {
    await close();
    throw err;
  }
}

async function build(
  options: { temporal: TemporalKind; rng: Rng; coreWorkers: number },
  closers: Array<() => Promise<unknown>>,
  close: () => Promise<void>,
): Promise<ChaosStack> {
  const workDir = await mkdtemp(join(tmpdir(), 'capstan-chaos-'));
  await chmod(workDir, 0o755); // PostgreSQL runs as its own user and must reach its data directory
  closers.push(() => rm(workDir, { recursive: true, force: true }));

  const pgPort = await freePort();
  const pgOptions = { dataDir: join(workDir, 'postgres'), port: pgPort };
  let database: EmbeddedDatabase | undefined = await startEmbeddedDatabase(pgOptions);
  closers.push(() => database?.stop() ?? Promise.resolve());
  // API and workers connect as the application role, as in production; only the migration is the owner's.
  const databaseUrl = (await migrateForApp(database.url, newAppRolePassword())).appUrl;

  const temporal = await startTemporal(options.temporal, workDir, closers);
  const payloadKeys = generatePayloadKeys('chaos');
  const sql = createPool({ url: databaseUrl, max: 10, applicationName: 'capstan-chaos' });
  closers.push(() => sql.end({ timeout: 5 }));
  const access = {
    address: temporal.address,
    namespace: NAMESPACE,
    codec: new EncryptionCodec(keyringOf(payloadKeys)),
  };
  const client = await connectClient(access, { actorSecret: await actorSecret(sql) });
  closers.push(() => client.connection.close());

  const cleverSandbox = await startCleverSandbox({
    consumerKey: 'ck',
    consumerSecret: 'cs',
    userTokens: {},
    apiTokens: ['api_chaos_token'],
  });
  closers.push(() => cleverSandbox.close());
  const licensing = await startLicensingSandbox();
  closers.push(() => licensing.close());
  const mail = await startMailSandbox();
  closers.push(() => mail.close());
  const flaky = { failing: true };
  // A flaky receiver: about one delivery in five answers 500 while `failing` is on.
  const receiver = Object.assign(
    await startReceiver(() => (flaky.failing && options.rng.next() < 0.2 ? 500 : 200)),
    flaky,
  );
  closers.push(() => receiver.close());

  const source = await assetSource();
  closers.push(() => source.remove());
  const assets = await testAssetSettings('fs', source.root);
  closers.push(() => assets.close());

  const licence = {
    publicKeys: licensing.issuer.pinned(),
    issuer: licensing.issuer.issuer,
    licensingServerUrl: licensing.url,
    heartbeatIntervalMs: 3_600_000,
    allowSeatOverage: false,
  };
  const platformToken = issueToken().plaintext;
  await ensurePlatformToken(sql, 'chaos', platformToken);
  const app = createApp({
    sql,
    temporal: client,
    logger: createLogger({ level: 'silent' }),
    licence,
    rateLimits: { perToken: 1_000_000, perAddress: 1_000_000, windowSeconds: 60 },
    assets: assets.settings,
    deployPollIntervalMs: 250,
    workflowWaitMs: 20_000,
  });
  const api = await serveApi(app, '127.0.0.1', 0);
  closers.push(() => api.close());

  const workerEnv = {
    CLEVER_API_URL: cleverSandbox.url,
    CLEVER_API_BRIDGE_URL: cleverSandbox.url,
    CLEVER_API_TOKEN: 'api_chaos_token',
    ...assetEnv(assets.settings),
    ASSETS_SOURCE_ROOT: source.root,
    LICENCE_PUBLIC_KEYS: JSON.stringify(licence.publicKeys),
    LICENCE_ISSUER: licence.issuer,
    LICENSING_SERVER_URL: licensing.url,
    SMTP_URL: mail.smtpUrl,
    WEBHOOK_ALLOWED_RANGES: 'loopback',
    WEBHOOK_ATTEMPT_TIMEOUT_MS: '3000',
    WEBHOOK_RETRY_INITIAL_MS: '300',
    WEBHOOK_RETRY_MAX_INTERVAL_MS: '3000',
    WEBHOOK_RETRY_DEADLINE_MS: String(30 * 60_000),
    BREAKER_OPEN_MS: '2000',
    LOG_LEVEL: 'info', // startWorkerProcess waits for the "workers running" line
  };
  const startWorker = (queue: Queue) =>
    startWorkerProcess({
      databaseUrl,
      temporalAddress: temporal.address,
      namespace: NAMESPACE,
      smtpUrl: mail.smtpUrl,
      payloadKeys,
      args: ['--queue', queue],
      extraEnv: workerEnv,
      startTimeoutMs: 180_000,
    });
  const queues: Queue[] = [...Array<Queue>(options.coreWorkers).fill('core'), 'deploy', 'assets'];
  const workers: WorkerSlot[] = [];
  closers.push(() => Promise.all(workers.map((w) => w.process.kill())));
  // One at a time: each bundles the workflows, and two cores are all there is.
  for (const queue of queues) workers.push({ queue, process: await startWorker(queue), unexpectedExits: 0 });

  return {
    workDir,
    databaseUrl,
    sql,
    temporal,
    client,
    api,
    platformToken,
    clever: { url: cleverSandbox.url, state: cleverSandbox.state },
    licensing,
    receiver,
    mail,
    assets: assets.settings,
    workers,
    async stopDatabase() {
      await database?.stop();
      database = undefined;
    },
    async startDatabase() {
      database = await startEmbeddedDatabase(pgOptions);
    },
    startWorker,
    close,
  };
}

async function startTemporal(
  kind: TemporalKind,
  workDir: string,
  closers: Array<() => Promise<unknown>>,
): Promise<RestartableTemporal> {
  if (kind === 'cluster') {
    // Its own PostgreSQL, so stopping Capstan's is a Capstan outage and not also Temporal's.
    const store = await startEmbeddedDatabase({ dataDir: join(workDir, 'temporal-postgres'), port: await freePort() });
    closers.push(() => store.stop());
    const cluster = await startTemporalCluster({
      postgres: postgresAccess(store.url),
      dir: join(workDir, 'temporal'),
      namespaces: [NAMESPACE],
    });
    closers.push(() => cluster.stop());
    return { address: cluster.address, restart: () => cluster.restart({ hard: true }), stop: () => cluster.stop() };
  }
  const port = await freePort();
  const dbFilename = join(workDir, 'temporal.sqlite');
  let server = await startTemporalDevServer({ port, dbFilename });
  closers.push(() => server.stop());
  return {
    address: server.address,
    async restart() {
      await server.stop();
      server = await startTemporalDevServer({ port, dbFilename });
    },
    stop: () => server.stop(),
  };
}
