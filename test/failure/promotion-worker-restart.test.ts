import { afterAll, describe, expect, it } from 'vitest';
import { activeGrant } from '../support/break-glass.ts';
import { join, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

const stack = useStack({ worker: false, http: true });
const children: WorkerProcess[] = [];
afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
});

describe('a break-glass grant across a worker restart', () => {
  it('ends at its TTL though the only worker was killed -9 while it was held', async () => {
    const env = {
      databaseUrl: stack.databaseUrl,
      temporalAddress: stack.temporalAddress,
      namespace: stack.namespace,
      smtpUrl: stack.mail.smtpUrl,
    };
    const first = await startWorkerProcess(env);
    children.push(first);

    const home = await newAccount(stack, 'glass');
    const other = await newAccount(stack, 'elsewhere');
    const email = `${unique('oncall')}@example.test`;
    const { token } = await join(stack, home, 'agent', email);
    const adminOnly = `/v1/accounts/${other.accountId}/access_tokens`;
    const active = await activeGrant(stack, { email, token }, { reason: 'restart drill', ttl: '10s' });
    const probe = async () => (await call(stack.api.url, 'GET', adminOnly, { token: active.breakGlassToken })).status;
    expect(await probe()).toBe(200);

    await first.kill('SIGKILL');
    const grant = async () =>
      (
        await stack.sql<{ ended_at: Date | null; end_reason: string | null; expires_at: Date }[]>`
          select ended_at, end_reason, expires_at from super_admin_grants where id = ${active.grantId}`
      )[0]!;

    // No worker at all past the TTL: the break-glass token is refused at once (its lookup ignores a grant past
    // its expiry), and the row waits for the holder's timer to be handled by a worker.
    await until('the TTL to pass', () => Date.now() > Date.parse(active.expiresAt) + 1_000, 30_000);
    expect(await probe()).toBe(401);
    expect((await grant()).ended_at).toBeNull();

    const second = await startWorkerProcess(env);
    children.push(second);
    const restartedAt = Date.now();
    const ended = await until(
      'the new worker to end the grant',
      async () => {
        const g = await grant();
        return g.ended_at ? g : undefined;
      },
      90_000,
    );
    expect(ended.end_reason).toBe('expired');
    console.info(
      `grant ended ${ended.ended_at!.getTime() - restartedAt} ms after the new worker was up ` +
        `(${ended.ended_at!.getTime() - ended.expires_at.getTime()} ms past its TTL, no worker alive at the TTL)`,
    );
    expect(ended.ended_at!.getTime()).toBeGreaterThanOrEqual(ended.expires_at.getTime());
    expect(await probe()).toBe(401);

    const [row] = await stack.sql<{ actor_type: string; actor_id: string }[]>`
      select actor_type, actor_id from audit_log where action = 'admin.promotion_expired' and subject_id = ${String(active.grantId)}`;
    expect(row).toEqual({ actor_type: 'System', actor_id: 'break-glass-timer' });

    const holder = stack.temporal.workflow.getHandle(active.workflowId);
    expect(await holder.result()).toMatchObject({ endReason: 'expired', grantId: active.grantId });
    expect((await holder.describe()).status.name).toBe('COMPLETED');
  }, 240_000);
});
