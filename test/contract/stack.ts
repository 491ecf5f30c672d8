import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../api/app.ts';
import { serveApi } from '../../api/serve.ts';
import { freePort } from '../../cli/local/free-port.ts';
import { startTemporalDevServer } from '../../cli/local/temporal-server.ts';
import { assetSettings } from '../../config/assets.ts';
import { loadEnv } from '../../config/env.ts';
import { fileURLToPath } from 'node:url';
import { licenceSettings, type LicenceSettings } from '../../config/licence.ts';
import { createLogger } from '../../config/logger.ts';
import { actorSecret } from '../../db/installation.ts';
import { startEmbeddedDatabase } from '../../db/embedded.ts';
import { migrateForApp } from '../../db/migrate.ts';
import { newAppRolePassword } from '../../db/app-role.ts';
import { createPool } from '../../db/pool.ts';
import { ensurePlatformToken, issueToken } from '../../db/tokens.ts';
import { startCleverSandbox } from '../../sandbox/clever-cloud/serve.ts';
import { startMailSandbox, type MailSandbox } from '../../sandbox/mail/serve.ts';
import { generatePayloadKeys, keyringOf } from '../../config/payload-keys.ts';
import { EncryptionCodec } from '../../workers/codec.ts';
import { connectClient, type TemporalAccess } from '../../workers/connect.ts';
import { startWorkers } from '../../workers/run.ts';

export interface ContractStack {
  url: string;
  platformToken: string;
  /** Where sign-in links go: the run reads its administrators' links from it. */
  mail: MailSandbox;
  stop(): Promise<void>;
}

/**
 * A throwaway installation for schemathesis: in-memory Temporal, ephemeral
 * PostgreSQL, the core and deploy workers (against the Clever Cloud sandbox)
 * and the API on a free port, all in this process.
 */
export async function startContractStack(log: (line: string) => void = console.error): Promise<ContractStack> {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err) => log(`stop: ${String(err)}`));
  };
  try {
    const workDir = await mkdtemp(join(tmpdir(), 'capstan-contract-'));
    await chmod(workDir, 0o755); // PostgreSQL runs as its own user and must reach its data directory
    stops.push(() => rm(workDir, { recursive: true, force: true }));
    const [temporal, database] = await Promise.all([
      startTemporalDevServer({ log }),
      freePort().then((port) => startEmbeddedDatabase({ dataDir: join(workDir, 'pg'), port, ephemeral: true })),
    ]);
    stops.push(
      () => temporal.stop(),
      () => database.stop(),
    );
    // API and workers connect as the application role, as in production; only the migration is the owner's.
    const databaseUrl = (await migrateForApp(database.url, newAppRolePassword())).appUrl;
    const sql = createPool({ url: databaseUrl, max: 10, applicationName: 'capstan-contract' });
    stops.push(() => sql.end({ timeout: 5 }));
    const platformToken = issueToken().plaintext;
    await ensurePlatformToken(sql, `contract-${randomUUID()}`, platformToken);

    const logger = createLogger({ level: (process.env.TEST_LOG_LEVEL as 'info') ?? 'error' });
    const clever = await startCleverSandbox({
      consumerKey: 'ck',
      consumerSecret: 'cs',
      userTokens: {},
      apiTokens: ['contract-token'],
    });
    stops.push(() => clever.close());
    const mail = await startMailSandbox();
    stops.push(() => mail.close());
    // No licensing server: heartbeats fail fast and the installation stays on the community plan.
    const licence: LicenceSettings = {
      ...licenceSettings(loadEnv({})),
      publicKeys: [],
      licensingServerUrl: 'http://127.0.0.1:9',
    };
    const access: TemporalAccess = {
      address: temporal.address,
      namespace: 'default',
      codec: new EncryptionCodec(keyringOf(generatePayloadKeys('contract'))),
    };
    // The console's real sources, built into this run's own origin: the asset routes act on them.
    const assets = assetSettings(
      loadEnv({ CAPSTAN_DATA_DIR: workDir, ASSETS_SOURCE_ROOT: fileURLToPath(new URL('../..', import.meta.url)) }),
    );
    const workers = await startWorkers({
      assets,
      mail: { smtpUrl: mail.smtpUrl, from: 'Capstan <no-reply@contract.test>', publicUrl: 'http://contract.test' },
      temporal: access,
      sql,
      logger,
      licence,
      webhooks: {
        policy: { attemptTimeoutMs: 2_000, initialIntervalMs: 500, maxIntervalMs: 2_000, deadlineMs: 10_000 },
        allowedRanges: ['loopback'],
      }, // as `capstan up`
      clever: {
        apiUrl: clever.url,
        bridgeUrl: clever.url,
        auth: { kind: 'token', token: 'contract-token' },
        timeoutMs: 2_000,
      },
    });
    stops.push(() => workers.shutdown());
    const client = await connectClient(access, { actorSecret: await actorSecret(sql) });
    stops.push(() => client.connection.close());

    const app = createApp({
      sql,
      temporal: client,
      logger,
      licence,
      // Below schemathesis' 10 s read timeout: a write still running answers 202, as documented.
      workflowWaitMs: 5_000,
      assets,
      deployPollIntervalMs: 250,
      rateLimits: { perToken: 1_000_000, perAddress: 1_000_000, windowSeconds: 60 },
    });
    const api = await serveApi(app, '127.0.0.1', 0);
    stops.push(() => api.close());
    return { url: api.url, platformToken, mail, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
