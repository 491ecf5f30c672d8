import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { progressQuery } from '../../contracts/deploys.ts';
import { workflows } from '../../contracts/workflows.ts';
import { startWorkflow } from '../../workers/start.ts';
import { applicationFailureOf } from '../../api/write.ts';
import { newAccount, newInbox } from '../support/fixtures.ts';
import { clientWithoutCodec, storedText } from '../support/history.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ clever: true, http: true });

describe('what Temporal stores is encrypted', () => {
  it("a deploy's environment secret is nowhere in its history, while Capstan reads its result and progress", async () => {
    const secret = `S3CR3T-${randomUUID()}`;
    const appId = unique('app');
    stack.clever.state.addApp('orga_enc', appId, appId, 'aaaa1111');
    const key = { ownerId: 'orga_enc', appId };
    const handle = await startWorkflow(stack.temporal, workflows.deployApplication, key, {
      ...key,
      commit: 'bbbb2222',
      env: { DATABASE_PASSWORD: secret },
      pollIntervalMs: 100,
      deadlineMs: 20_000,
      actor: { type: 'Operator', id: 'vitest' },
    });

    expect(await handle.result()).toMatchObject({ status: 'succeeded', commit: 'bbbb2222' });
    expect((await handle.query(progressQuery)).phase).toBe('done');
    expect(stack.clever.state.find('orga_enc', appId)!.env.get('DATABASE_PASSWORD')).toBe(secret);

    const stored = await storedText(stack, handle.workflowId);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain('DATABASE_PASSWORD');
    expect(stored).not.toContain('bbbb2222');
    expect(stored).toContain(appId); // search attributes stay in clear: ids only
    expect(stored).toContain('binary/encrypted');
    await expect(clientWithoutCodec(stack).workflow.getHandle(handle.workflowId).result()).rejects.toThrow();
  });

  it("an inbound message's content and contact are nowhere in its history, while the API answers with them", async () => {
    const account = await newAccount(stack, 'enc');
    const inboxId = await newInbox(account);
    const email = `${unique('ana')}@example.test`;
    const content = `Please refund order ${randomUUID()}`;
    const sourceId = unique('wamid');
    const res = await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
      body: { contact: { email, name: 'Ana Confidential' }, content, source_id: sourceId },
    });
    expect(res.status).toBe(201);
    expect(res.body.content).toBe(content);

    const stored = await storedText(
      stack,
      workflows.ingestMessage.id({ accountId: account.accountId, inboxId, key: `source:${sourceId}` }),
    );
    for (const personal of [content, email, 'Ana Confidential']) expect(stored).not.toContain(personal);
    expect(stored).toContain(String(account.accountId));
  });

  it("an account's administrator is nowhere in its history, and a repeated request still finds its fingerprint in the memo", async () => {
    const key = unique('enc-key');
    const body = {
      name: 'Umbrella Support',
      admin: { name: 'Alice Abernathy', email: `${unique('alice')}@umbrella.test` },
    };
    const post = (b: unknown) =>
      call(stack.api.url, 'POST', '/v1/accounts', {
        token: stack.platformToken,
        body: b,
        headers: { 'idempotency-key': key },
      });
    expect((await post(body)).status).toBe(201);

    const stored = await storedText(stack, workflows.provisionAccount.id({ key }));
    for (const personal of [body.admin.email, body.admin.name, body.name]) expect(stored).not.toContain(personal);
    const again = await post(body);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await post({ ...body, name: 'Other' })).body.type).toBe('urn:capstan:problem:idempotency-key-reused');
  });

  it('failure messages are encrypted too, while Capstan still reads them and their type stays in clear', async () => {
    const account = await newAccount(stack, 'encfail');
    const key = { accountId: account.accountId, inboxId: 987654, key: unique('k') };
    const missing = await startWorkflow(stack.temporal, workflows.ingestMessage, key, {
      accountId: account.accountId,
      inboxId: 987654,
      contact: { identifier: 'x' },
      content: 'hi',
      actor: { type: 'Operator', id: 'vitest' },
    });
    const notFound = await missing.result().catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(WorkflowFailedError);
    expect(applicationFailureOf(notFound as WorkflowFailedError)).toMatchObject({
      type: 'NotFound',
      message: expect.stringMatching(/Inbox 987654 does not exist/),
    });
    const stored = await storedText(stack, missing.workflowId);
    expect(stored).not.toMatch(/does not exist/);
    expect(stored).toContain('Encoded failure');
    expect(stored).toContain('NotFound');

    const bad = await startWorkflow(stack.temporal, workflows.provisionAccount, { key: unique('bad') }, {
      name: '',
    } as never);
    const failure = await bad.result().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toMatch(/Invalid workflow input/);
    expect(await storedText(stack, bad.workflowId)).not.toMatch(/Invalid workflow input/);
  });
});
