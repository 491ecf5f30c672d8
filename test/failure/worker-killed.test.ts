import { afterAll, describe, expect, it } from 'vitest';
import { taskQueues } from '../../config/catalogue.ts';
import { issueToken } from '../../db/tokens.ts';
import type { provisionAccount } from '../../workflows/provision-account.ts';
import { unique, useStack } from '../support/stack.ts';
import { until } from '../support/receiver.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

const stack = useStack({ worker: false });
const children: WorkerProcess[] = [];
afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
});

describe('a worker killed in the middle of provisioning', () => {
  it('leaves exactly one account once a new worker takes over', async () => {
    const env = { databaseUrl: stack.databaseUrl, temporalAddress: stack.temporalAddress, namespace: stack.namespace };
    const first = await startWorkerProcess(env);
    children.push(first);

    // Hold the accounts table so the worker's transaction stops half-way, inside the activity.
    const lock = await stack.sql.reserve();
    await lock`begin`;
    await lock`lock table accounts in exclusive mode`;

    const key = unique('killed');
    const token = issueToken();
    const handle = await stack.temporal.workflow.start<typeof provisionAccount>('provisionAccount', {
      workflowId: `account:${key}`,
      taskQueue: taskQueues.core,
      args: [{ idempotencyKey: key, name: 'Survivor', admin: { name: 'Sam', email: `${key}@example.test` }, token, requestedBy: { type: 'Operator', id: 'vitest' } }],
    });

    await until('the activity to block on the lock', async () => {
      const [row] = await stack.sql`
        select count(*)::int as n from pg_stat_activity
         where application_name = 'capstan-worker' and wait_event_type = 'Lock'`;
      return row!.n > 0;
    });
    await first.kill('SIGKILL');
    await lock`rollback`;
    lock.release();

    const second = await startWorkerProcess(env);
    children.push(second);
    const result = await handle.result();

    const rows = await stack.sql`select id from accounts where idempotency_key = ${key}`;
    expect(rows.map((r) => r.id)).toEqual([result.account.id]);
    const admins = await stack.sql`select user_id from account_users where account_id = ${result.account.id}`;
    expect(admins).toHaveLength(1);

    // The history shows the retry: the attempt that completed was not the first.
    const history = await handle.fetchHistory();
    const started = history.events!.filter((e) => e.activityTaskStartedEventAttributes);
    expect(started.at(-1)!.activityTaskStartedEventAttributes!.attempt).toBeGreaterThan(1);
  });
});
