/**
 * Where a task hop goes on `temporal server start-dev`: the floors (a no-op
 * workflow; one workflow with one INSERT activity) at 1 in flight, one dev
 * server per setting, against one PostgreSQL, and the history of the last run
 * split into its hops. BENCH_SETTINGS=name,name picks settings; BENCH_COUNT sets runs per floor.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import {
  DefaultLogger,
  Runtime,
  Worker,
  bundleWorkflowCode,
  NativeConnection,
  type WorkerOptions,
} from '@temporalio/worker';
import { freePort } from '../cli/local/free-port.ts';
import { startTemporalDevServer } from '../cli/local/temporal-server.ts';
import { startEmbeddedDatabase } from '../db/embedded.ts';
import { createPool } from '../db/pool.ts';
import { failureConverterPath, quietBundlerLogger } from '../workers/bundle.ts';
import { createFloorActivities } from './floor-activities.ts';
import { benchInsertRow, benchNoop } from './floor-workflow.ts';
import { hops } from './hops.ts';
import { measure } from './stats.ts';

const dc = (kv: string) => ['--dynamic-config-value', kv];
const transfer = dc('history.transferProcessorMaxPollRPS=1000');
const eager = dc('system.enableActivityEagerExecution=true');
const onePartition = [...dc('matching.numTaskqueueReadPartitions=1'), ...dc('matching.numTaskqueueWritePartitions=1')];
const SETTINGS: Record<string, { tuning: string[]; worker?: Partial<WorkerOptions>; dbFile?: boolean }> = {
  baseline: { tuning: [] },
  'eager activities': { tuning: eager },
  'one partition': { tuning: onePartition },
  'sqlite file': { tuning: [], dbFile: true },
  'one poller each': { tuning: [], worker: { maxConcurrentWorkflowTaskPolls: 1, maxConcurrentActivityTaskPolls: 1 } },
  'no sticky cache': { tuning: [], worker: { maxCachedWorkflows: 0 } },
  'transfer 1000 rps': { tuning: transfer },
  'transfer + eager': { tuning: [...transfer, ...eager] },
  'transfer + eager + 1 part': { tuning: [...transfer, ...eager, ...onePartition] },
  'transfer + eager + file': { tuning: [...transfer, ...eager], dbFile: true },
  'transfer + eager + wal file': {
    tuning: [...transfer, ...eager, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal'],
    dbFile: true,
  },
  'all + 1 poller each': {
    tuning: [...transfer, ...eager],
    worker: { maxConcurrentWorkflowTaskPolls: 1, maxConcurrentActivityTaskPolls: 1 },
  },
};
const picked = process.env.BENCH_SETTINGS?.split(',') ?? Object.keys(SETTINGS);
const COUNT = Number(process.env.BENCH_COUNT ?? 40);

Runtime.install({ logger: new DefaultLogger('WARN') });
const workDir = await mkdtemp(join(tmpdir(), 'capstan-bench-dev-'));
await chmod(workDir, 0o755);
const database = await startEmbeddedDatabase({ dataDir: join(workDir, 'pg'), port: await freePort(), ephemeral: true });
const sql = createPool({ url: database.url, max: 10 });
await sql`create table if not exists bench_rows (id bigint generated always as identity primary key, label text not null)`;
const workflowBundle = await bundleWorkflowCode({
  workflowsPath: fileURLToPath(new URL('./floor-workflow.ts', import.meta.url)),
  failureConverterPath,
  logger: quietBundlerLogger,
});

try {
  for (const name of picked) {
    const setting = SETTINGS[name];
    if (!setting) throw new Error(`unknown setting ${name}: choose from ${Object.keys(SETTINGS).join(', ')}`);
    const server = await startTemporalDevServer({
      tuning: setting.tuning,
      ...(setting.dbFile && { dbFilename: join(workDir, `${randomUUID()}.sqlite`) }),
    });
    const connection = await NativeConnection.connect({ address: server.address });
    const worker = await Worker.create({
      connection,
      taskQueue: 'capstan-bench',
      workflowBundle,
      activities: createFloorActivities(sql),
      ...setting.worker,
    });
    const running = worker.run();
    const client = new Client({ connection });
    try {
      const noop = () => client.workflow.execute(benchNoop, { workflowId: randomUUID(), taskQueue: 'capstan-bench' });
      let lastId = '';
      const insert = (i: number) =>
        client.workflow.execute(benchInsertRow, {
          workflowId: (lastId = randomUUID()),
          taskQueue: 'capstan-bench',
          args: [`row-${i}`],
        });
      await measure('warm-up', 4, 20, insert);
      const a = await measure('no-op', 1, COUNT, noop);
      const b = await measure('insert', 1, COUNT, insert);
      const serial = await hops(client, lastId);
      const c = await measure('insert', 32, COUNT * 8, insert);
      console.log(
        `${name.padEnd(24)} no-op @1 p50 ${a.p50.toFixed(1).padStart(6)} ms | insert @1 p50 ${b.p50.toFixed(1).padStart(6)} ms` +
          ` | insert @32 ${c.perSecond.toFixed(1).padStart(6)}/s p50 ${c.p50.toFixed(0)} ms\n    last @1 run: ${serial}`,
      );
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
      await server.stop();
    }
  }
} finally {
  await sql.end();
  await database.stop();
  await rm(workDir, { recursive: true, force: true });
}

process.exit(0);
