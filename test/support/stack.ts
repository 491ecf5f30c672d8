import type { RateLimits } from '../../config/limits.ts';
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, inject } from 'vitest';
import { createApp, type CapstanApp } from '../../api/app.ts';
import { serveApi, type RunningApi } from '../../api/serve.ts';
import { apiMetrics } from '../../api/metrics/index.ts';
import { createLogger, type Logger } from '../../config/logger.ts';
import type { WebhookSettings } from '../../config/webhooks.ts';
import { actorSecret } from '../../db/installation.ts';
import postgres from 'postgres';
import { migrate } from '../../db/migrate.ts';
import { createPool, type Sql } from '../../db/pool.ts';
import { ensurePlatformToken, issueToken } from '../../db/tokens.ts';
import { connectClient, type TemporalAccess } from '../../workers/connect.ts';
import { EncryptionCodec } from '../../workers/codec.ts';
import { keyringOf } from '../../config/payload-keys.ts';
import { startWorkers, type RunningWorkers, type StartWorkersOptions } from '../../workers/run.ts';
import type { SandboxCredentials } from '../../sandbox/clever-cloud/auth.ts';
import { startCleverSandbox } from '../../sandbox/clever-cloud/serve.ts';
import { startLicensingSandbox } from '../../sandbox/licensing/serve.ts';
import type { LicenceSettings } from '../../config/licence.ts';
import type { SandboxState } from '../../sandbox/clever-cloud/state.ts';
import type { BreakerSettings } from '../../config/breakers.ts';
import type { MailSettings } from '../../config/mail.ts';
import { startMailSandbox, type MailSandbox } from '../../sandbox/mail/serve.ts';

/** Short retries and loopback receivers, so delivery tests take seconds. */
export const testWebhookSettings: WebhookSettings = {
  policy: { attemptTimeoutMs: 2_000, initialIntervalMs: 300, maxIntervalMs: 2_000, deadlineMs: 10_000 },
  allowedRanges: ['loopback'],
};

export interface TestStack {
  sql: Sql;
  temporal: Client;
  namespace: string;
  temporalAddress: string;
  /** Address, namespace and the run's payload codec: what every client and worker of the test uses. */
  access: TemporalAccess;
  /** CAPSTAN_PAYLOAD_KEYS for `capstan` processes a test starts. */
  payloadKeys: string;
  /** The application's connection (the app role, capstan_app): what `sql`, the API and every worker use. */
  databaseUrl: string;
  /** The schema owner's connection, for fixtures the application may not make (truncating a table). */
  ownerDatabaseUrl: string;
  ownerSql: Sql;
  workflowBundlePath: string;
  logger: Logger;
  app: CapstanApp;
  /** Set when the stack was asked for real HTTP. */
  api: RunningApi;
  /** The API's /metrics on a port of its own, set with `api`. */
  metrics: RunningApi;
  platformToken: string;
  clever: { url: string; state: SandboxState; credentials: SandboxCredentials };
  licensing: Awaited<ReturnType<typeof startLicensingSandbox>>;
  licence: LicenceSettings;
  /** The file's own mail sandbox: where invitation links arrive (`stack.mail.mailbox.waitFor(email)`). */
  mail: MailSandbox;
  mailSettings: MailSettings;
  logLines: string[];
}

/** Far above what any test sends, so only the rate-limit tests meet a limit. */
export const roomyRateLimits: RateLimits = { perToken: 1_000_000, perAddress: 1_000_000, windowSeconds: 60 };

export interface StackOptions {
  /** The API's request budgets (default: out of reach). */
  rateLimits?: RateLimits;
  /** Run the core worker in this process (default true). */
  worker?: boolean;
  /** Serve the API on a real port (default false: use `app.request`). */
  http?: boolean;
  /** Start a Clever Cloud sandbox and a deploy worker that talks to it with an API token. */
  clever?: boolean;
  /** Start a licensing sandbox whose vendor key the installation pins; heartbeat interval in ms. */
  licensing?: { heartbeatIntervalMs: number };
  /** Use the run's second database (installation-wide state: the licence). */
  isolatedDatabase?: boolean;
  /** A freshly migrated database of this file's own: installation-wide state no other file shares. */
  ownDatabase?: boolean;
  /**
   * Circuit breakers of the in-process workers. Off unless asked for: files
   * share one database but each has its own sandbox, so one file's outage
   * must not open the breaker another file's deploys go through.
   */
  breakers?: BreakerSettings;
  /** The in-process workers' webhook policy (default `testWebhookSettings`). */
  webhooks?: WebhookSettings;
  /** Keep every log line of this process in `stack.logLines`. */
  captureLogs?: boolean;
  /** The Temporal Web UI the API links workflows to. */
  webUiUrl?: string;
}

/** Workers in this process on the stack's Temporal, database and workflow bundle; `extra` adds or overrides options. */
export function startStackWorkers(stack: TestStack, extra: Partial<StartWorkersOptions> = {}): Promise<RunningWorkers> {
  return startWorkers({
    temporal: stack.access,
    sql: stack.sql,
    logger: stack.logger,
    workflowBundle: { codePath: stack.workflowBundlePath },
    webhooks: testWebhookSettings,
    licence: stack.licence,
    mail: stack.mailSettings,
    ...extra,
  });
}

/** This fork's own namespace, so its workers never take another file's tasks. */
export function testNamespace(): string {
  return `test-${process.env.VITEST_POOL_ID ?? '1'}`;
}

/**
 * Real PostgreSQL, a real Temporal server, the real worker and API, wired for
 * one test file. Returns an object filled in by `beforeAll`.
 */
export function useStack(options: StackOptions = {}): TestStack {
  const stack = {} as TestStack;
  let workers: RunningWorkers | undefined;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    stack.temporalAddress = inject('temporalAddress');
    stack.databaseUrl = options.ownDatabase
      ? await freshDatabase()
      : options.isolatedDatabase
        ? inject('isolatedDatabaseUrl')
        : inject('databaseUrl');
    stack.ownerDatabaseUrl = ownerOf(stack.databaseUrl);
    stack.ownerSql = createPool({ url: stack.ownerDatabaseUrl, max: 2, applicationName: 'capstan-test-owner' });
    stack.workflowBundlePath = inject('workflowBundlePath');
    stack.namespace = testNamespace();
    stack.payloadKeys = inject('payloadKeys');
    stack.access = {
      address: stack.temporalAddress,
      namespace: stack.namespace,
      codec: new EncryptionCodec(keyringOf(stack.payloadKeys)),
    };
    stack.logLines = [];
    stack.logger = options.captureLogs
      ? createLogger({ level: 'debug', destination: { write: (line: string) => void stack.logLines.push(line) } })
      : createLogger({ level: (process.env.TEST_LOG_LEVEL as 'info') ?? 'silent' });
    stack.sql = createPool({ url: stack.databaseUrl, max: 10, applicationName: 'capstan-test' });
    stack.temporal = await connectClient(stack.access, { actorSecret: await actorSecret(stack.sql) });
    if (options.clever) {
      const credentials: SandboxCredentials = {
        consumerKey: 'ck',
        consumerSecret: 'cs',
        userTokens: { tok: 'sec' },
        apiTokens: ['api_test_token'],
      };
      const sandbox = await startCleverSandbox(credentials);
      closers.push(() => sandbox.close());
      stack.clever = { url: sandbox.url, state: sandbox.state, credentials };
    }
    stack.licence = {
      publicKeys: [],
      issuer: 'https://licensing.capstan.example',
      licensingServerUrl: 'http://127.0.0.1:9',
      heartbeatIntervalMs: 3_600_000,
      allowSeatOverage: false,
    };
    if (options.licensing) {
      stack.licensing = await startLicensingSandbox();
      closers.push(() => stack.licensing.close());
      stack.licence = {
        ...stack.licence,
        publicKeys: stack.licensing.issuer.pinned(),
        issuer: stack.licensing.issuer.issuer,
        licensingServerUrl: stack.licensing.url,
        heartbeatIntervalMs: options.licensing.heartbeatIntervalMs,
      };
    }
    stack.mail = await startMailSandbox();
    closers.push(() => stack.mail.close());
    stack.mailSettings = {
      smtpUrl: stack.mail.smtpUrl,
      from: 'Capstan <no-reply@capstan.test>',
      publicUrl: 'http://capstan.test',
    };
    if (options.worker ?? true) {
      workers = await startStackWorkers(stack, {
        webhooks: options.webhooks ?? testWebhookSettings,
        breakers: options.breakers ?? { enabled: false },
        clever: stack.clever && {
          apiUrl: stack.clever.url,
          bridgeUrl: stack.clever.url,
          auth: { kind: 'token', token: 'api_test_token' },
          timeoutMs: 2_000,
        },
      });
    }
    stack.platformToken = issueToken().plaintext;
    await ensurePlatformToken(stack.sql, `test-${randomUUID()}`, stack.platformToken);
    const codecServer = {
      codec: stack.access.codec,
      allowedOrigins: ['http://localhost:8233', 'http://127.0.0.1:8233'],
    };
    // Every scrape reads afresh: a test scrapes right after the change it looks for.
    const metrics = apiMetrics({ sql: stack.sql, licence: stack.licence, logger: stack.logger, freshForMs: 0 });
    stack.app = createApp({
      sql: stack.sql,
      temporal: stack.temporal,
      logger: stack.logger,
      licence: stack.licence,
      codecServer,
      rateLimits: options.rateLimits ?? roomyRateLimits,
      webUiUrl: options.webUiUrl,
      metrics,
    });
    if (options.http) {
      stack.api = await serveApi(stack.app, '127.0.0.1', 0);
      stack.metrics = await serveApi(metrics.app, '127.0.0.1', 0);
    }
  });

  afterAll(async () => {
    await stack.api?.close();
    await stack.metrics?.close();
    await workers?.shutdown();
    await stack.temporal?.connection.close();
    await stack.sql?.end({ timeout: 5 });
    await stack.ownerSql?.end({ timeout: 5 });
    for (const close of closers) await close();
  });

  return stack;
}

/** A database of its own, migrated by the owner; the application's URL to it (the role is the cluster's, enabled once). */
async function freshDatabase(): Promise<string> {
  const name = `capstan_${randomUUID().slice(0, 8)}`;
  const admin = postgres(inject('ownerDatabaseUrl'), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  await migrate(inject('ownerDatabaseUrl').replace(/\/capstan$/, `/${name}`));
  return inject('databaseUrl').replace(/\/capstan$/, `/${name}`);
}

/** The owner's connection to the database an application URL of this run names. */
function ownerOf(appUrl: string): string {
  const database = new URL(appUrl).pathname;
  return inject('ownerDatabaseUrl').replace(/\/capstan$/, database);
}

/** A unique suffix for names and emails, so files sharing the database never collide. */
export function unique(label = 'x'): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}
