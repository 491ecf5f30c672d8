import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort } from '../../cli/local/free-port.ts';
import { loadEnv } from '../../config/env.ts';
import { startTemporalDevServer } from '../../cli/local/temporal-server.ts';
import { postgresAccess, startTemporalCluster } from '../../cli/local/temporal-cluster.ts';
import { startEmbeddedDatabase } from '../../db/embedded.ts';
import { migrate, migrateForApp } from '../../db/migrate.ts';
import { newAppRolePassword } from '../../db/app-role.ts';
import postgres from 'postgres';
import { bundleWorkflowsToFile } from '../../workers/bundle.ts';
import { generatePayloadKeys } from '../../config/payload-keys.ts';

/** Namespaces test-1…test-8: each fork (VITEST_POOL_ID) gets its own, so workers never steal each other's tasks. */
export const TEST_NAMESPACES = Array.from({ length: 8 }, (_, i) => `test-${i + 1}`);

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The application's connection: the app role (capstan_app), rows only, as API and workers connect in production. */
    databaseUrl: string;
    /** The schema owner's (a superuser here): migrations, new databases, fixtures the application could not make. */
    ownerDatabaseUrl: string;
    workflowBundlePath: string;
    /** A second database for the one file that changes installation-wide state (the licence). */
    isolatedDatabaseUrl: string;
    /** CAPSTAN_PAYLOAD_KEYS for every client, worker and `capstan` process of the run. */
    payloadKeys: string;
    /** `dev` (the dev server) or `cluster` (the real Temporal server on the run's PostgreSQL). */
    testTarget: 'dev' | 'cluster';
  }
}

/**
 * One Temporal and one PostgreSQL for the whole run; workflows bundled once. Temporal is the dev server
 * (in memory), or with CAPSTAN_TEST_TARGET=cluster the real server on the run's PostgreSQL.
 */
export default async function setup(project: TestProject) {
  const target = loadEnv().CAPSTAN_TEST_TARGET;
  const workDir = await mkdtemp(join(tmpdir(), 'capstan-test-'));
  await chmod(workDir, 0o755); // PostgreSQL runs as its own user and must reach its data directory
  const postgresStarted = freePort().then((port) =>
    startEmbeddedDatabase({ dataDir: join(workDir, 'postgres'), port, ephemeral: true }),
  );
  const started = await Promise.allSettled([
    target === 'cluster'
      ? postgresStarted.then(({ url }) =>
          startTemporalCluster({
            postgres: postgresAccess(url),
            dir: join(workDir, 'temporal'),
            namespaces: TEST_NAMESPACES,
          }),
        )
      : startTemporalDevServer({ extraNamespaces: TEST_NAMESPACES }),
    postgresStarted,
    bundleWorkflowsToFile(join(workDir, 'workflow-bundle.js')),
  ] as const);
  const teardown = async () => {
    await Promise.allSettled(
      started.flatMap((s) => (s.status === 'fulfilled' && typeof s.value === 'object' ? [s.value.stop()] : [])),
    );
    await rm(workDir, { recursive: true, force: true });
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await teardown();
    setupFailed(failed.reason);
  }
  const [temporal, database, workflowBundlePath] = started.map((s) => (s as PromiseFulfilledResult<unknown>).value) as [
    Awaited<ReturnType<typeof startTemporalDevServer>>,
    Awaited<ReturnType<typeof startEmbeddedDatabase>>,
    string,
  ];
  let databaseUrl = '';
  try {
    databaseUrl = (await migrateForApp(database.url, newAppRolePassword())).appUrl;
    const admin = postgres(database.url, { max: 1, onnotice: () => {} });
    await admin`create database capstan_isolated`;
    await admin.end();
    await migrate(database.url.replace(/\/capstan$/, '/capstan_isolated'));
  } catch (err) {
    await teardown();
    setupFailed(err);
  }

  project.provide('temporalAddress', temporal.address);
  project.provide('databaseUrl', databaseUrl);
  project.provide('ownerDatabaseUrl', database.url);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('isolatedDatabaseUrl', databaseUrl.replace(/\/capstan$/, '/capstan_isolated'));
  project.provide('payloadKeys', generatePayloadKeys('test-run'));
  project.provide('testTarget', target);

  return teardown;
}

/** Host, port and credentials of a postgres:// URL, for temporal-sql-tool and the server's config. */
/** One line that says what to do, not vitest's stack report of the setup (DEBUG=1 keeps that). */
function setupFailed(err: unknown): never {
  let debug = false;
  try {
    debug = loadEnv().DEBUG;
  } catch {
    // unreadable configuration: the short form then
  }
  if (debug) throw err;
  console.error(
    `Test setup failed: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}  (DEBUG=1 for details)`,
  );
  process.exit(1);
}
