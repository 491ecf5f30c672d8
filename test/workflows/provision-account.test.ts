import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { executeWorkflow } from '../../workers/start.ts';
import { searchAttributes } from '../../config/search-attributes.ts';
import { issueToken } from '../../db/tokens.ts';
import type { ProvisionAccountInput } from '../../contracts/accounts.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack();

function input(): ProvisionAccountInput {
  const token = issueToken();
  return {
    idempotencyKey: unique('wf'),
    name: 'Initech',
    admin: { name: 'Peter', email: `${unique('peter')}@initech.test` },
    token: { sha256: token.sha256, prefix: token.prefix },
    actor: { type: 'Operator', id: 'vitest' },
  };
}

describe('provisionAccount on a real Temporal server', () => {
  it('creates the account and tags the run with its account and user ids', async () => {
    const args = input();
    const workflowId = `account:${args.idempotencyKey}`;
    const result = await executeWorkflow(
      stack.temporal,
      workflows.provisionAccount,
      { key: args.idempotencyKey },
      args,
    );

    expect(result).toMatchObject({ account: { name: 'Initech' }, admin: { email: args.admin.email }, created: true });
    const [row] = await stack.sql`select name from accounts where id = ${result.account.id}`;
    expect(row?.name).toBe('Initech');

    const description = await stack.temporal.workflow.getHandle(workflowId).describe();
    expect(description.typedSearchAttributes.get(searchAttributes.kind)).toBe('provisionAccount');
    expect(description.typedSearchAttributes.get(searchAttributes.accountId)).toBe(String(result.account.id));
    expect(description.typedSearchAttributes.get(searchAttributes.userId)).toBe(String(result.admin.id));
  });

  it('fails at once, without retrying, on input that breaks the schema', async () => {
    const bad = { ...input(), admin: { name: '', email: 'not-an-email' } };
    const failure = await stack.temporal.workflow
      .execute(workflows.provisionAccount.type, {
        workflowId: unique('account:bad'),
        taskQueue: workflows.provisionAccount.taskQueue,
        args: [bad],
      })
      .catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: 'ValidationError', nonRetryable: true });
    expect((cause as ApplicationFailure).message).toMatch(/admin\.email/);
    expect((cause as ApplicationFailure).details?.[0]).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'admin.name' }),
        expect.objectContaining({ field: 'admin.email' }),
      ]),
    );
  });
});
