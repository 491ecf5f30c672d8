/**
 * The other side of spending a nonce: a write whose attempt committed but whose worker died before
 * Temporal heard of it is attempted again by the same run (same run id), and must pass; the same proof
 * shown by any other run is refused. The write is the real setAccountStatus activity, vouched as workers
 * build it, on the real PostgreSQL; Temporal's part (the run's identity) is the activity's info.
 */
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createPlatformActivities } from '../../activities/platform.ts';
import { createProofs } from '../../activities/proofs.ts';
import { workflows } from '../../contracts/workflows.ts';
import { actorSecret } from '../../db/installation.ts';
import { signCommand } from '../../domain/actor-proof.ts';
import { newAccount } from '../support/fixtures.ts';
import { useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

describe('the proof of a write, shown again', () => {
  it('passes for a retried attempt of the run that spent it, and is refused for another run', async () => {
    const proofs = createProofs({ sql: stack.sql });
    const { setAccountStatus } = proofs.vouchAll(createPlatformActivities({ sql: proofs.sql, logger: stack.logger }));
    const account = await newAccount(stack, 'retried');
    const workflowId = workflows.setAccountStatus.id({ accountId: account.accountId, key: randomUUID() });
    const input = {
      accountId: account.accountId,
      status: 'suspended' as const,
      actor: { type: 'PlatformApp', id: '1' },
    };
    const proof = signCommand(await actorSecret(stack.sql), {
      type: workflows.setAccountStatus.type,
      workflowId,
      input,
    });
    const started = { ...input, actor: { ...input.actor, proof } };
    const cmd = { ...started, workflowId, vouch: { input: started } };
    const attempt = (runId: string, n: number) =>
      new MockActivityEnvironment({
        workflowType: workflows.setAccountStatus.type,
        workflowExecution: { workflowId, runId },
        attempt: n,
        isLocal: true,
      }).run(setAccountStatus, cmd as never);
    const runId = randomUUID();

    expect(await attempt(runId, 1)).toMatchObject({ status: 'suspended', changed: true });
    expect(await attempt(runId, 2)).toMatchObject({ status: 'suspended' });
    const spent = await stack.sql`select run_id from proof_nonces where workflow_id = ${workflowId}`;
    expect(spent).toEqual([{ run_id: runId }]);

    await stack.sql`update accounts set status = 'active' where id = ${account.accountId}`;
    await expect(attempt(randomUUID(), 1)).rejects.toMatchObject({ type: 'Forbidden', nonRetryable: true });
    const [row] = await stack.sql`select status from accounts where id = ${account.accountId}`;
    expect(row).toMatchObject({ status: 'active' });
  });
});
