import { afterAll, describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { issueToken } from '../../db/tokens.ts';
import { startWorkflow } from '../../workers/start.ts';
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
    const env = {
      databaseUrl: stack.databaseUrl,
      temporalAddress: stack.temporalAddress,
      namespace: stack.namespace,
      smtpUrl: stack.mail.smtpUrl,
    };
    const first = await startWorkerProcess(env);
    children.push(first);

    // An uncommitted row with the same idempotency key makes the worker's INSERT wait inside its
    // transaction, inside the local activity, and blocks nothing else (other test files share the database).
    const key = unique('killed');
    const lock = await stack.sql.reserve();
    await lock`begin`;
    await lock`insert into accounts (name, idempotency_key) values ('placeholder', ${key})`;
    const [{ pid: lockPid }] = (await lock`select pg_backend_pid() as pid`) as unknown as [{ pid: number }];

    const token = issueToken();
    const handle = await startWorkflow(
      stack.temporal,
      workflows.provisionAccount,
      { key },
      {
        idempotencyKey: key,
        name: 'Survivor',
        admin: { name: 'Sam', email: `${key}@example.test` },
        token,
        actor: { type: 'Operator', id: 'vitest' },
      },
    );

    await until('the activity to wait on our row', async () => {
      const [row] =
        await stack.sql`select count(*)::int as n from pg_stat_activity where ${lockPid}::int = any(pg_blocking_pids(pid))`;
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

    // The history shows the take-over: the killed worker's task timed out, and the write (a local
    // activity, recorded as one marker) completed once, in the new worker's task.
    const history = await handle.fetchHistory();
    expect(history.events!.filter((e) => e.workflowTaskTimedOutEventAttributes).length).toBeGreaterThan(0);
    const writes = history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    expect(writes).toHaveLength(1); // the write, which checked the actor's proof and spent its nonce itself
  }, 180_000); // two worker starts and a workflow task timeout; slow on a loaded machine
});
