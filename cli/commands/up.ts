import { accountLimits, rateLimits } from '../../config/limits.ts';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createApp } from '../../api/app.ts';
import { serveApi } from '../../api/serve.ts';
import { apiMetrics } from '../../api/metrics/index.ts';
import { localCodecServer } from '../local/codec-server.ts';
import { loadEnv } from '../../config/env.ts';
import { createLogger } from '../../config/logger.ts';
import { webhookSettings } from '../../config/webhooks.ts';
import { cleverSettings } from '../../config/clever.ts';
import { SANDBOX_APP, startLocalCleverSandbox } from '../local/clever-sandbox.ts';
import { startLocalLicensing } from '../local/licensing-sandbox.ts';
import { localMail } from '../local/mail-sandbox.ts';
import { licenceSettings } from '../../config/licence.ts';
import { ensureSchedules, heartbeatInterval } from '../../workers/schedules.ts';
import { assetSettings, type AssetSettings } from '../../config/assets.ts';
import type { Logger } from '../../config/logger.ts';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { workflows } from '../../contracts/workflows.ts';
import { executeWorkflow } from '../../workers/start.ts';
import type { Env } from '../../config/env.ts';
import { startEmbeddedDatabase } from '../../db/embedded.ts';
import { APP_ROLE } from '../../db/app-role.ts';
import { migrateForApp } from '../../db/migrate.ts';
import { localAppRolePassword } from '../local/app-role-password.ts';
import { createPool, UP_APPLICATION_NAME } from '../../db/pool.ts';
import { ensurePlatformToken, issueToken } from '../../db/tokens.ts';
import { actorSecret } from '../../db/installation.ts';
import { eagerClient, temporalAccessOf } from '../../workers/connect.ts';
import { startWorkers } from '../../workers/run.ts';
import { workflowBundleForStart } from '../../workers/bundle.ts';
import { breakerSettings } from '../../config/breakers.ts';
import { startTemporalDevServer } from '../local/temporal-server.ts';
import { Shutdown } from '../shutdown.ts';

/** The whole local stack in one process; data survives restarts in CAPSTAN_DATA_DIR. */
export async function upCommand(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ level: env.LOG_LEVEL });
  const dataDir = resolve(env.CAPSTAN_DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const shutdown = new Shutdown(logger);

  const assets = assetSettings(env);
  const { api, temporalServer, database, platformToken, clever, licence, mail, consoleStatus } =
    await shutdown.starting(async () => {
      // PostgreSQL, the Temporal dev server and the workflow bundle need nothing from each other: they start
      // together (one after the other, `capstan up` took start-dev + 8 s). Both servers settle before a failure
      // is thrown, so the one that did start is registered and stopped.
      const bundling = workflowBundleForStart();
      void Promise.resolve(bundling).catch(() => {}); // awaited below; a start-up failure may come first
      const databaseStart = (
        env.DATABASE_URL
          ? Promise.resolve({ url: env.DATABASE_URL, dataDir: undefined, stop: async () => {} })
          : startEmbeddedDatabase({ dataDir: join(dataDir, 'postgres'), port: env.EMBEDDED_POSTGRES_PORT }).catch(
              advise('EMBEDDED_POSTGRES_PORT sets its port; DATABASE_URL uses another PostgreSQL instead'),
            )
      ).then((database) => {
        shutdown.add('postgres', () => database.stop());
        return database;
      });
      const codecUrl = `${localApiUrl(env)}/codec`;
      const temporalStart = (
        env.TEMPORAL_ADDRESS
          ? Promise.resolve({ address: env.TEMPORAL_ADDRESS, uiUrl: undefined, stop: async () => {} })
          : startTemporalDevServer({
              dbFilename: join(dataDir, 'temporal.sqlite'),
              port: env.TEMPORAL_PORT,
              uiPort: env.TEMPORAL_UI_PORT,
              namespace: env.TEMPORAL_NAMESPACE,
              uiCodecEndpoint: codecUrl,
            }).catch(
              advise(
                `stop what uses port ${env.TEMPORAL_PORT} or ${env.TEMPORAL_UI_PORT}, set TEMPORAL_PORT and TEMPORAL_UI_PORT, or set TEMPORAL_ADDRESS to use a running server`,
              ),
            )
      ).then((temporalServer) => {
        shutdown.add('temporal dev server', () => temporalServer.stop());
        return temporalServer;
      });
      const [started, startedTemporal] = await Promise.allSettled([databaseStart, temporalStart]);
      if (started.status === 'rejected') throw started.reason;
      if (startedTemporal.status === 'rejected') throw startedTemporal.reason;
      const database = started.value;
      const temporalServer = startedTemporal.value;

      // Migrations run as the owner (DATABASE_URL's account, or the embedded server's); the stack as capstan_app.
      const { applied, appUrl } = await migrateForApp(database.url, await localAppRolePassword(dataDir)).catch(
        advise(
          `check that ${env.DATABASE_URL ? 'the PostgreSQL at DATABASE_URL' : 'the embedded PostgreSQL'} is running and accepts writes${env.DATABASE_URL ? ', and that its account may create roles' : ''}`,
          'migrations failed',
        ),
      );
      if (applied.length) logger.info({ applied }, 'migrations applied');

      const sql = createPool({ url: appUrl, max: env.DATABASE_POOL_MAX, applicationName: UP_APPLICATION_NAME });
      shutdown.add('postgres pool', () => sql.end({ timeout: 5 }));
      const platformToken = env.CAPSTAN_BOOTSTRAP_TOKEN ?? (await localPlatformToken(dataDir));
      await ensurePlatformToken(sql, 'local-bootstrap', platformToken);

      const clever =
        cleverSettings(env) ??
        (await startLocalCleverSandbox(env.CLEVER_SANDBOX_PORT, shutdown).catch(portAdvice('CLEVER_SANDBOX_PORT')));
      const licence = env.LICENSING_SERVER_URL
        ? licenceSettings(env)
        : await startLocalLicensing(dataDir, env.LICENSING_SANDBOX_PORT, licenceSettings(env), shutdown).catch(
            portAdvice('LICENSING_SANDBOX_PORT'),
          );
      const mail = await localMail(env, localApiUrl(env), shutdown).catch(portAdvice('MAIL_SANDBOX_PORT'));
      // Payload keys: CAPSTAN_PAYLOAD_KEYS, else made once in the data directory. TLS is for a TEMPORAL_ADDRESS of one's own.
      const { access: configured } = await temporalAccessOf(env, temporalServer.address);
      const access = env.TEMPORAL_ADDRESS
        ? configured
        : { address: configured.address, namespace: configured.namespace, codec: configured.codec };
      const unreachable = `check that Temporal answers at ${temporalServer.address}${env.TEMPORAL_ADDRESS ? ' (TEMPORAL_ADDRESS)' : ''}`;
      const workers = await startWorkers({
        temporal: access,
        sql,
        logger,
        metrics: env.METRICS_PORT === undefined ? undefined : { hostname: env.HOST, port: env.METRICS_PORT },
        health: env.WORKER_HEALTH_PORT === undefined ? undefined : { hostname: env.HOST, port: env.WORKER_HEALTH_PORT },
        webhooks: localWebhookSettings(env),
        clever,
        licence,
        limits: accountLimits(env),
        breakers: breakerSettings(env),
        assets,
        mail: mail.settings,
        workflowBundle: await bundling,
      }).catch(advise(`${unreachable}${portsToFree(env)}`, 'workers did not start'));
      shutdown.add('workers', () => workers.shutdown());
      // API and workers share this process: the API starts workflows eagerly on these workers (closed with them).
      const temporal = eagerClient(workers.connection, access, { actorSecret: await actorSecret(sql) });
      await ensureSchedules(
        temporal,
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
      // The console builds on the assets worker while the API starts: neither waits for the other.
      const consoleBuild = buildConsole(temporal, assets, logger);
      const codecServer = localCodecServer(env, access.codec);
      const metrics = apiMetrics({ sql, licence, logger });
      const api = await serveApi(
        createApp({
          sql,
          temporal,
          logger,
          metrics,
          workflowWaitMs: env.API_WORKFLOW_WAIT_MS,
          webUiUrl: temporalServer.uiUrl,
          deployPollIntervalMs: env.DEPLOY_POLL_INTERVAL_MS,
          licence,
          codecServer,
          bodyLimitBytes: env.API_BODY_LIMIT_BYTES,
          rateLimits: rateLimits(env),
          assets,
        }),
        env.HOST,
        env.PORT,
      ).catch(portAdvice('PORT'));
      shutdown.add('http server', () => api.close());
      if (env.API_METRICS_PORT !== undefined) {
        const served = await serveApi(metrics.app, env.HOST, env.API_METRICS_PORT).catch(
          portAdvice('API_METRICS_PORT'),
        );
        shutdown.add('metrics server', () => served.close());
      }
      const consoleStatus = await consoleAnswer(api.url, await consoleBuild);
      return { api, temporalServer, database, platformToken, clever, licence, mail, consoleStatus };
    });

  console.log(
    [
      '',
      'Capstan is up.',
      `  API           ${api.url}   (OpenAPI: ${api.url}/openapi.json)`,
      `  Temporal      ${temporalServer.address}${temporalServer.uiUrl ? `   Web UI: ${temporalServer.uiUrl}` : ''}`,
      `  Console       ${consoleStatus ? `${api.url}/console   (${consoleStatus})` : 'not built (no web/src/main.tsx)'}`,
      `  Codec server  ${api.url}/codec   (history is encrypted; the Web UI decodes once you sign in to the console, with its Data Encoder including credentials)`,
      `  PostgreSQL    ${redactPassword(database.url)}   (API and workers connect as ${APP_ROLE})`,
      `  Clever Cloud  ${clever.apiUrl}${cleverSettings(env) ? '' : `   (sandbox; try: POST /v1/deploys {"owner_id":"${SANDBOX_APP.ownerId}","app_id":"${SANDBOX_APP.appId}"})`}`,
      `  Licensing     ${licence.licensingServerUrl}${env.LICENSING_SERVER_URL ? '' : '   (sandbox; issue a key: npx capstan sandbox licence issue --plan business --seats 10)'}`,
      `  Mail          ${mail.viewerUrl ? `${mail.viewerUrl}/messages   (sandbox; invitation links arrive here, ?to=<address>)` : redactPassword(mail.settings.smtpUrl)}`,
      `  Platform token (send as "Authorization: Bearer …"):`,
      `    ${platformToken}`,
      `  Data          ${dataDir}`,
      ...(database.dataDir && dirname(database.dataDir) !== dataDir
        ? [`  PG data       ${database.dataDir}   (the postgres user cannot enter ${dataDir})`]
        : []),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  await shutdown.untilSignal();
}

/** A platform token made once for this data directory and kept beside the data. */
export async function localPlatformToken(dataDir: string): Promise<string> {
  const file = join(dataDir, 'platform-token');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const token = issueToken().plaintext;
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** Where a browser on this machine reaches the API (the Web UI calls the codec server from the browser). */
function localApiUrl(env: Env): string {
  if (env.CAPSTAN_PUBLIC_URL) return env.CAPSTAN_PUBLIC_URL.replace(/\/$/, '');
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT}`;
}

function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** The local stack delivers to receivers on this machine unless told otherwise. */
function localWebhookSettings(env: Env) {
  const settings = webhookSettings(env);
  return env.WEBHOOK_ALLOWED_RANGES === undefined ? { ...settings, allowedRanges: ['loopback'] } : settings;
}

/** Start-up failures end in one line that says what to do; the original error stays as the cause (DEBUG=1). */
function advise(todo: string, what?: string) {
  return (err: unknown): never => {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${what ? `${what}: ` : ''}${message.split('\n')[0]}; ${todo}`, { cause: err });
  };
}

function portAdvice(variable: string) {
  return (err: unknown): never => {
    if ((err as NodeJS.ErrnoException)?.code !== 'EADDRINUSE') throw err;
    return advise(`stop what uses that port, or set ${variable} to a free one`)(err);
  };
}

/** Advice for ports the workers open: `, and that METRICS_PORT 9464 is free`. */
function portsToFree(env: ReturnType<typeof loadEnv>): string {
  const ports = { METRICS_PORT: env.METRICS_PORT, WORKER_HEALTH_PORT: env.WORKER_HEALTH_PORT };
  return Object.entries(ports)
    .filter(([, port]) => port !== undefined)
    .map(([name, port]) => `, and that ${name} ${port} is free`)
    .join('');
}

/** Ready means `/console` answers: the banner says so, or why not yet, from the API's own answer. */
async function consoleAnswer(apiUrl: string, built: string | undefined): Promise<string | undefined> {
  if (built === undefined) return undefined;
  const status = await fetch(`${apiUrl}/console`).then(
    (res) => {
      void res.body?.cancel();
      return res.status;
    },
    () => 0,
  );
  return status === 200 ? `${built}, serving` : `${built}; answers ${status || 'nothing'} until a build is live`;
}

/**
 * Builds the console through the same workflow as `capstan assets build`, when
 * its sources are here; unchanged sources reuse the cached build at once.
 */
async function buildConsole(temporal: Client, assets: AssetSettings, logger: Logger): Promise<string | undefined> {
  if (!existsSync(join(assets.sourceRoot, assets.consoleEntry))) return undefined;
  try {
    const built = await executeWorkflow(
      temporal,
      workflows.buildAssets,
      { key: `up-${randomUUID()}` },
      { root: assets.sourceRoot, entries: [assets.consoleEntry], actor: { type: 'Operator', id: 'capstan-up' } },
    );
    return built.reused ? `build ${built.buildId}, cached` : `build ${built.buildId}, ${built.files} files`;
  } catch (err) {
    logger.warn({ err }, 'the console did not build; the API runs without it');
    return 'build failed: see the log';
  }
}
