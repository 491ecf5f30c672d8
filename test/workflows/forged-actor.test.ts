import { Client, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { actorSecret } from '../../db/installation.ts';
import { issueToken } from '../../db/tokens.ts';
import { signActor } from '../../domain/actor-proof.ts';
import { executeWorkflow, startOptions } from '../../workers/start.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack();

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
      actor: { type: 'Operator', id: 'vitest' },
    },
  );
}

/** Someone who reaches Temporal directly (even with the payload keys), without the installation's actor secret. */
const outsider = () =>
  new Client({
    connection: stack.temporal.connection,
    namespace: stack.namespace,
    dataConverter: stack.temporal.options.dataConverter,
  });

async function failureOf(run: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  let cause = (err as WorkflowFailedError).cause;
  while (cause && !(cause instanceof ApplicationFailure)) cause = cause.cause as Error | undefined;
  return cause as ApplicationFailure;
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

    const failure = await failureOf(outsider().workflow.execute(workflows.addMember.type, options));

    expect(failure).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    const rows = await stack.sql`select 1 from users where email = ${email}`;
    expect(rows).toHaveLength(0);
  });

  it('cannot reuse a proof made for another run', async () => {
    const { account: target } = await account();
    const actor = { type: 'Operator' as const, id: 'vitest' };
    const genuine = workflows.createInbox.id({ accountId: target.id, key: unique('k') });
    const proof = signActor(await actorSecret(stack.sql), genuine, actor);

    const other = startOptions(
      workflows.createInbox,
      { accountId: target.id, key: unique('k') },
      { accountId: target.id, name: 'Copied', actor: { ...actor, proof } },
    );
    const failure = await failureOf(outsider().workflow.execute(workflows.createInbox.type, other));

    expect(failure).toMatchObject({ type: 'Forbidden' });
    expect(await stack.sql`select 1 from inboxes where account_id = ${target.id} and name = 'Copied'`).toHaveLength(0);
  });

  it('acts when the proof was made for this run', async () => {
    const { account: target } = await account();
    const key = { accountId: target.id, key: unique('k') };
    const actor = { type: 'Operator' as const, id: 'vitest' };
    const proof = signActor(await actorSecret(stack.sql), workflows.createInbox.id(key), actor);

    const inbox = await outsider().workflow.execute(
      workflows.createInbox.type,
      startOptions(workflows.createInbox, key, { accountId: target.id, name: 'Signed', actor: { ...actor, proof } }),
    );

    expect(inbox).toMatchObject({ accountId: target.id, name: 'Signed' });
  });
});
