/**
 * POST /v1/accounts (HTTP → auth → workflow → one transaction) against the floor
 * (a bare workflow whose one activity inserts one row), against the same
 * Temporal and PostgreSQL, at 1 and 32 in flight. Deployed as in production:
 * the API is its own process (`capstan api`); this process holds the workers
 * and the load generator for both runs.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { startApiProcess } from './api-process.ts';
import { freePort } from '../cli/local/free-port.ts';
import { startTemporalDevServer } from '../cli/local/temporal-server.ts';
import { loadEnv } from '../config/env.ts';
import { createLogger } from '../config/logger.ts';
import { webhookSettings } from '../config/webhooks.ts';
import { startEmbeddedDatabase } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';
import { createPool } from '../db/pool.ts';
import { ensurePlatformToken, issueToken } from '../db/tokens.ts';
import { connectClient, connectWorker } from '../workers/connect.ts';
import { quietBundlerLogger } from '../workers/bundle.ts';
import { startWorkers } from '../workers/run.ts';
import { createFloorActivities } from './floor-activities.ts';
import { printReport } from './report.ts';
import { measure, type RunStats } from './stats.ts';

const SIZES = { 1: Number(process.env.BENCH_COUNT_SERIAL ?? 60), 32: Number(process.env.BENCH_COUNT_CONCURRENT ?? 480) };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const logger = createLogger({ level: 'warn' });

const workDir = await mkdtemp(join(tmpdir(), 'capstan-bench-'));
await chmod(workDir, 0o755);
const [temporalServer, database] = await Promise.all([
  process.env.TEMPORAL_ADDRESS ? { address: process.env.TEMPORAL_ADDRESS, stop: async () => {} } : startTemporalDevServer(),
  process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => {} }
    : freePort().then((port) => startEmbeddedDatabase({ dataDir: join(workDir, 'pg'), port, ephemeral: true })),
]);

try {
  await migrate(database.url);
  const sql = createPool({ url: database.url, max: 40 });
  await sql`create table if not exists bench_rows (id bigint generated always as identity primary key, label text not null)`;
  const platformToken = issueToken().plaintext;
  await ensurePlatformToken(sql, `bench-${randomUUID()}`, platformToken);

  const workers = await startWorkers({ address: temporalServer.address, namespace: 'default', sql, logger, webhooks: webhookSettings(loadEnv({})) });
  const floorWorker = await Worker.create({
    connection: await connectWorker(temporalServer.address),
    taskQueue: 'capstan-bench',
    workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./floor-workflow.ts', import.meta.url)), logger: quietBundlerLogger }),
    activities: createFloorActivities(sql),
  });
  const floorRun = floorWorker.run();
  const temporal = await connectClient(temporalServer.address, 'default');
  const api = await startApiProcess({ databaseUrl: database.url, temporalAddress: temporalServer.address });

  const floor = (i: number) =>
    temporal.workflow.execute('benchInsertRow', { workflowId: `bench:${randomUUID()}`, taskQueue: 'capstan-bench', args: [`row-${i}`] });
  const provision = async () => {
    const key = randomUUID();
    const res = await fetch(`${api.url}/v1/accounts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${platformToken}`, 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ name: 'Bench', admin: { name: 'Bench', email: `${key}@bench.test` } }),
    });
    if (res.status !== 201) throw new Error(`POST /v1/accounts answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  };

  await measure('warm-up floor', 8, 40, floor);
  await measure('warm-up api', 8, 40, provision);

  // Alternate (a) and (b) over several rounds so drift on a shared 2-core machine hits both alike.
  const results: Array<{ concurrency: number; a: RunStats; b: RunStats }> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const concurrency of [1, 32] as const) {
      const a = await measure('(a) bare workflow + 1 insert', concurrency, SIZES[concurrency], floor);
      const b = await measure('(b) POST /v1/accounts', concurrency, SIZES[concurrency], provision);
      results.push({ concurrency, a, b });
      console.log(`round ${round} @${concurrency}: (a) ${a.perSecond.toFixed(1)}/s p50 ${a.p50.toFixed(1)} ms | (b) ${b.perSecond.toFixed(1)}/s p50 ${b.p50.toFixed(1)} ms`);
    }
  }
  printReport(results);

  await api.close();
  floorWorker.shutdown();
  await floorRun;
  await workers.shutdown();
  await temporal.connection.close();
  await sql.end();
} finally {
  await Promise.allSettled([temporalServer.stop(), database.stop()]);
  await rm(workDir, { recursive: true, force: true });
}
process.exit(0);
