import { describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { actorSecret } from '../../db/installation.ts';
import { issueToken } from '../../db/tokens.ts';
import { signCommand } from '../../domain/actor-proof.ts';
import { executeWorkflow, startOptions } from '../../workers/start.ts';
import { failureOf, outsider, startedInputOf } from '../support/outsider.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack();
const operator = { type: 'Operator' as const, id: 'vitest' };

async function account() {
  const token = issueToken();
  const key = unique('forge');
  return executeWorkflow(
    stack.temporal,
    workflows.provisionAccount,
    { key },
    {
      idempotencyKey: key,
      name: 'Forge target',
      admin: { name: 'Ada', email: `${key}@example.test` },
      token: { sha256: token.sha256, prefix: token.prefix },
      actor: operator,
    },
  );
}

describe('a workflow started outside the API for someone else', () => {
  it('is refused before it writes, whatever actor it claims', async () => {
    const { account: target } = await account();
    const email = `${unique('intruder')}@example.test`;
    const forged = {
      accountId: target.id,
      name: 'Intruder',
      email,
      role: 'administrator' as const,
      actor: { type: 'PlatformApp' as const, id: '1' },
    };
    const options = startOptions(workflows.addMember, { accountId: target.id, key: unique('k') }, forged);

    const failure = await failureOf(outsider(stack).workflow.execute(workflows.addMember.type, options));

    expect(failure).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    const rows = await stack.sql`select 1 from users where email = ${email}`;
    expect(rows).toHaveLength(0);
  });

  it('cannot run a closed run again under its own id with its original sealed input', async () => {
    const { account: target } = await account();
    const key = { accountId: target.id, key: unique('k') };
    const first = await stack.temporal.workflow.start(
      workflows.createInbox.type,
      startOptions(workflows.createInbox, key, { accountId: target.id, name: 'Once', actor: operator }),
    );
    await first.result();
    const sealed = await startedInputOf(stack, first.workflowId, first.firstExecutionRunId);

    const again = startOptions(workflows.createInbox, key, sealed as never);
    const failure = await failureOf(outsider(stack).workflow.execute(workflows.createInbox.type, again));

    expect(failure).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    expect(failure.message).toMatch(/already spent by another run/);
    expect(await stack.sql`select 1 from inboxes where account_id = ${target.id}`).toHaveLength(1);
  });

  it('acts when the proof was made for this type, id and input', async () => {
    const { account: target } = await account();
    const key = { accountId: target.id, key: unique('k') };
    const input = { accountId: target.id, name: 'Signed', actor: operator };
    const proof = signCommand(await actorSecret(stack.sql), {
      type: workflows.createInbox.type,
      workflowId: workflows.createInbox.id(key),
      input,
    });

    const inbox = await outsider(stack).workflow.execute(
      workflows.createInbox.type,
      startOptions(workflows.createInbox, key, { ...input, actor: { ...operator, proof } }),
    );

    expect(inbox).toMatchObject({ accountId: target.id, name: 'Signed' });
  });
});
