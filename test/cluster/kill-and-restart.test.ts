import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Client, WorkflowHandle } from '@temporalio/client';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { postgresAccess, startTemporalCluster, type TemporalCluster } from '../../cli/local/temporal-cluster.ts';
import { keyringOf } from '../../config/payload-keys.ts';
import { workflows } from '../../contracts/workflows.ts';
import { actorSecret } from '../../db/installation.ts';
import { migrate } from '../../db/migrate.ts';
import { createPool, type Sql } from '../../db/pool.ts';
import { issueToken } from '../../db/tokens.ts';
import { EncryptionCodec } from '../../workers/codec.ts';
import { connectClient } from '../../workers/connect.ts';
import { startWorkflow } from '../../workers/start.ts';
import { startMailSandbox, type MailSandbox } from '../../sandbox/mail/serve.ts';
import { until } from '../support/receiver.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

/**
 * The production shape under failure: a Temporal server of this file's own (so it can be
 * restarted) on the run's PostgreSQL, two `capstan worker` processes per task queue, one of
 * them killed with SIGKILL mid-workload, the server itself killed and restarted once.
 */
const NAMESPACE = 'default';
const WAVE = 10;
let cluster: TemporalCluster;
let sql: Sql;
let client: Client;
let databaseUrl: string;
let mail: MailSandbox;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  const shared = inject('ownerDatabaseUrl');
  const suffix = randomUUID().slice(0, 8);
  const admin = postgres(shared, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database capstan_cluster_${suffix}`);
  await admin.end();
  await migrate(shared.replace(/\/capstan$/, `/capstan_cluster_${suffix}`));
  // The workers connect as the application does: the app role (enabled by the run's global setup).
  databaseUrl = inject('databaseUrl').replace(/\/capstan$/, `/capstan_cluster_${suffix}`);
  cluster = await startTemporalCluster({
    postgres: postgresAccess(shared),
    dir: join(tmpdir(), `capstan-cluster-${suffix}`),
    databasePrefix: `temporal_${suffix}`,
    namespaces: [NAMESPACE],
  });
  sql = createPool({ url: databaseUrl, max: 5, applicationName: 'capstan-cluster-test' });
  const access = {
    address: cluster.address,
    namespace: NAMESPACE,
    codec: new EncryptionCodec(keyringOf(inject('payloadKeys'))),
  };
  client = await connectClient(access, { actorSecret: await actorSecret(sql) });
  mail = await startMailSandbox();
  const env = { databaseUrl, temporalAddress: cluster.address, namespace: NAMESPACE, smtpUrl: mail.smtpUrl };
  // The deploy workers need Clever Cloud settings to start; this workload sends them nothing.
  const clever = {
    CLEVER_API_TOKEN: 'unused',
    CLEVER_API_URL: 'http://127.0.0.1:9',
    CLEVER_API_BRIDGE_URL: 'http://127.0.0.1:9',
  };
  for (const queue of ['core', 'core', 'deploy', 'deploy'])
    workers.push(await startWorkerProcess({ ...env, args: ['--queue', queue], extraEnv: clever }));
}, 300_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await client?.connection.close();
  await sql?.end({ timeout: 5 });
  await cluster?.stop();
  await mail?.close();
});

function provision(key: string): Promise<WorkflowHandle> {
  return startWorkflow(
    client,
    workflows.provisionAccount,
    { key },
    {
      idempotencyKey: key,
      name: `Cluster ${key}`,
      admin: { name: 'Ada', email: `${key}@example.test` },
      token: issueToken(),
      actor: { type: 'Operator', id: 'vitest' },
    },
  );
}

async function wave(label: string): Promise<Array<{ key: string; handle: WorkflowHandle }>> {
  const keys = Array.from({ length: WAVE }, (_, i) => `${label}-${i}-${randomUUID().slice(0, 6)}`);
  return Promise.all(keys.map(async (key) => ({ key, handle: await provision(key) })));
}

async function accounts(): Promise<number> {
  const [row] = await sql`select count(*)::int as n from accounts`;
  return row!.n;
}

describe('Capstan on a real Temporal cluster', () => {
  it('completes every workflow exactly once through a worker kill -9 and a server restart', async () => {
    const started = await wave('before-kill');
    await until('a few accounts before the kill', async () => (await accounts()) >= 3, 120_000);
    const [victim] = workers.splice(0, 1);
    await victim!.kill('SIGKILL');
    started.push(...(await wave('after-kill')));

    await cluster.restart({ hard: true });
    started.push(...(await wave('after-restart')));

    const results = await Promise.all(started.map(({ handle }) => handle.result()));
    for (const [i, { key }] of started.entries()) {
      const rows = await sql`select id from accounts where idempotency_key = ${key}`;
      expect(
        rows.map((r) => r.id),
        key,
      ).toEqual([results[i].account.id]);
      const admins = await sql`select user_id from account_users where account_id = ${results[i].account.id}`;
      expect(admins, key).toHaveLength(1);
    }
    expect(await accounts()).toBe(3 * WAVE);
    const statuses = await Promise.all(started.map(async ({ handle }) => (await handle.describe()).status.name));
    expect(new Set(statuses)).toEqual(new Set(['COMPLETED']));
  }, 600_000);
});
