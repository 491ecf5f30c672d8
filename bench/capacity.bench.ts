/**
 * `npm run bench:capacity`: the per-unit figures docs/capacity.md sizes from. Capstan's core worker and the API run
 * as their own processes, so each process's CPU seconds are its own; three phases run BENCH_COUNT times each —
 * POST /v1/accounts, a message into an account without webhooks, a message whose webhook is delivered and
 * verified — and for each it prints CPU seconds per run by process, PostgreSQL rows, bytes, WAL and commits per
 * run, and Temporal history events and bytes per workflow. BENCH_TARGET=cluster runs the real Temporal server on
 * PostgreSQL (its persistence is then part of PostgreSQL's figures, as in a one-database deployment).
 */
import { randomUUID } from 'node:crypto';
import protos from '@temporalio/proto';
import { cpuDuring } from './cpu.ts';
import { apiCaller, provisionRequest } from './calls.ts';
import { startBenchStack, type BenchStack } from './stack.ts';
import { measure } from './stats.ts';
import { startVerifyingReceiver } from './webhook-receiver.ts';

const COUNT = Number(process.env.BENCH_COUNT ?? 200);
const CONCURRENCY = 8;
const TABLES = [
  'accounts',
  'users',
  'account_users',
  'access_tokens',
  'platform_app_permissibles',
  'audit_log',
  'contacts',
  'conversations',
  'messages',
  'webhook_deliveries',
  'webhook_attempts',
  'proof_nonces',
  'dead_letters',
];
const target = process.env.BENCH_TARGET === 'cluster' ? 'cluster' : 'dev';

const stack = await startBenchStack({ target, workerProcesses: ['core'] });
const receiver = await startVerifyingReceiver();
try {
  const call = apiCaller(stack);
  const account = async (withHook: boolean) => {
    const { account } = await call('POST', '/v1/accounts', {
      name: 'Capacity',
      admin: { name: 'C', email: `${randomUUID()}@bench.test` },
    });
    const inbox = await call('POST', `/v1/accounts/${account.id}/inboxes`, { name: 'Capacity' });
    if (withHook) {
      const hook = await call('POST', `/v1/accounts/${account.id}/webhooks`, {
        url: receiver.url,
        subscriptions: ['message_created'],
      });
      receiver.setSecret(hook.secret);
    }
    return `/v1/accounts/${account.id}/inboxes/${inbox.id}/messages`;
  };
  const quiet = await account(false);
  const hooked = await account(true);
  // 20 contacts, so conversations are reused as in real traffic and each message is one more in a conversation.
  const message = (path: string, delivered: boolean) => async (i: number) => {
    const content = `capacity-${randomUUID()}`;
    const arrived = delivered ? receiver.delivered(content, 300_000) : undefined;
    await call('POST', path, { contact: { identifier: `c-${i % 20}` }, content, source_id: randomUUID() });
    await arrived;
  };
  const phases = [
    { name: 'provisionAccount', run: provisionRequest(stack) },
    { name: 'message, no webhook', run: message(quiet, false) },
    { name: 'message + webhook delivered', run: message(hooked, true) },
  ];
  for (const p of phases) await measure(`warm-up ${p.name}`, CONCURRENCY, 20, p.run);

  console.log(`\n${COUNT} runs per phase, ${CONCURRENCY} in flight, Temporal: ${target}`);
  for (const p of phases) {
    const before = await database(stack);
    const { result, cpu } = await cpuDuring(() => measure(p.name, CONCURRENCY, COUNT, p.run));
    const after = await database(stack);
    console.log(`\n## ${p.name}: ${result.perSecond.toFixed(1)}/s, p50 ${result.p50.toFixed(1)} ms`);
    console.log(
      'CPU ms per run: ' +
        Object.entries(cpu)
          .map(([k, v]) => `${k} ${((v * 1000) / COUNT).toFixed(2)}`)
          .join(' | '),
    );
    console.log(
      `PostgreSQL per run: ${((after.commits - before.commits) / COUNT).toFixed(1)} commits, ` +
        `${((after.walBytes - before.walBytes) / COUNT / 1024).toFixed(1)} KiB WAL, ` +
        `${((after.bytes - before.bytes) / COUNT / 1024).toFixed(1)} KiB on disk (tables and indexes, all databases)`,
    );
    for (const [table, rows] of Object.entries(after.rows)) {
      const added = rows - (before.rows[table] ?? 0);
      if (added <= 0) continue;
      const bytes = (after.tableBytes[table] ?? 0) - (before.tableBytes[table] ?? 0);
      console.log(`  ${table.padEnd(28)} ${(added / COUNT).toFixed(2)} rows/run, ${(bytes / added).toFixed(0)} B/row`);
    }
  }
  console.log('\nTemporal history per workflow (latest runs of each type):');
  for await (const row of histories(stack)) console.log(`  ${row}`);
  if (receiver.refused) throw new Error(`${receiver.refused} deliveries failed their signature check`);
} finally {
  await receiver.close();
  await stack.stop();
}
process.exit(0);

/** Rows and size per table of Capstan's database, with the cluster's WAL position and commits. */
async function database(stack: BenchStack) {
  const rows: Record<string, number> = {};
  const tableBytes: Record<string, number> = {};
  for (const table of TABLES) {
    const [t] = await stack.sql<{ rows: number; bytes: string }[]>`
      select (select count(*)::int from ${stack.sql(table)}) as rows, pg_total_relation_size(${table})::text as bytes`;
    rows[table] = t!.rows;
    tableBytes[table] = Number(t!.bytes);
  }
  const [totals] = await stack.sql<{ wal: string; commits: string; bytes: string }[]>`
    select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as wal,
           (select sum(xact_commit) from pg_stat_database)::text as commits,
           (select sum(pg_database_size(datname)) from pg_database)::text as bytes`;
  return {
    rows,
    tableBytes,
    walBytes: Number(totals!.wal),
    commits: Number(totals!.commits),
    bytes: Number(totals!.bytes),
  };
}

async function* histories(stack: BenchStack) {
  for (const type of ['provisionAccount', 'ingestMessage', 'deliverWebhook']) {
    const ids: string[] = [];
    for await (const w of stack.temporal.workflow.list({ query: `WorkflowType = '${type}'`, pageSize: 20 })) {
      ids.push(w.workflowId);
      if (ids.length === 20) break;
    }
    let events = 0;
    let bytes = 0;
    for (const id of ids) {
      const history = await stack.temporal.workflow.getHandle(id).fetchHistory();
      events += history.events?.length ?? 0;
      bytes += protos.temporal.api.history.v1.History.encode(history).finish().length;
    }
    const n = Math.max(ids.length, 1);
    yield `${type.padEnd(18)} ${(events / n).toFixed(1)} events, ${(bytes / n / 1024).toFixed(1)} KiB (encrypted payloads), over ${ids.length} runs`;
  }
}
