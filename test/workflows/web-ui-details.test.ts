import { describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import { startWorkflow, workflowHandle } from '../../workers/start.ts';
import { newAccount, newInbox } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true, clever: true });

interface WorkflowMetadata {
  currentDetails?: string;
}

describe('what the Web UI shows of a run without a query', () => {
  it('a write started by the API has a summary naming its business object and details naming who asked', async () => {
    const key = unique('acme');
    const res = await call(stack.api.url, 'POST', '/v1/accounts', {
      token: stack.platformToken,
      headers: { 'Idempotency-Key': key },
      body: { name: 'Acme support', admin: { name: 'Ada', email: `${key}@example.test` } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const described = await workflowHandle(stack.temporal, workflows.provisionAccount, { key }).describe();
    expect(await described.staticSummary()).toBe(`Provision account “Acme support” for ${key}@example.test`);
    const details = await described.staticDetails();
    expect(details).toContain('**Kind:** provisionAccount');
    expect(details).toMatch(/\*\*Requested by:\*\* PlatformApp \S+/);
  });

  it('a deploy keeps its current details up to date while it runs, and says when it has finished', async () => {
    stack.clever.state.faults = { ...defaultFaults, deployDurationMs: 4_000, notFoundMs: 0 };
    const appId = unique('app');
    stack.clever.state.addApp('orga_test', appId, appId, 'aaaa1111');
    const key = { ownerId: 'orga_test', appId };
    const handle = await startWorkflow(stack.temporal, workflows.deployApplication, key, {
      ...key,
      commit: 'bbbb2222',
      pollIntervalMs: 100,
      deadlineMs: 30_000,
      actor: { type: 'Operator', id: 'vitest' },
    });
    expect(await (await handle.describe()).staticSummary()).toBe(`Deploy bbbb2222 of ${appId} (orga_test)`);

    let during = '';
    for (let i = 0; i < 100 && !during.includes('Following'); i++) {
      during = (await handle.query<WorkflowMetadata>('__temporal_workflow_metadata')).currentDetails ?? '';
      if (!during.includes('Following')) await new Promise((r) => setTimeout(r, 50));
    }
    expect(during).toContain('**Following the deployment**');
    expect(during).toContain('Commit: `bbbb2222`');

    expect((await handle.result()).status).toBe('succeeded');
    const after = (await handle.query<WorkflowMetadata>('__temporal_workflow_metadata')).currentDetails;
    expect(after).toMatch(/^\*\*Finished\*\*/);
    expect(after).toContain('(OK)');
  });

  it('a child a workflow starts has its catalogue summary too: a webhook delivery', async () => {
    const account = await newAccount(stack, 'summaries');
    const inboxId = await newInbox(account);
    const rx = await startReceiver();
    try {
      const hook = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks`, {
        body: { url: rx.url, subscriptions: ['message_created'] },
      });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
        body: { contact: { email: `${unique('ana')}@example.test`, name: 'Ana' }, content: 'Hello' },
      });
      await until('the delivery', () => rx.received.length >= 1);
      const deliveryId = String(rx.received[0]!.headers['x-capstan-delivery']);
      const described = await workflowHandle(stack.temporal, workflows.deliverWebhook, { deliveryId }).describe();
      expect(await described.staticSummary()).toBe(
        `Deliver webhook event ${deliveryId} of account ${account.accountId}`,
      );
      expect(await described.staticDetails()).toContain(`**Account:** ${account.accountId}`);
    } finally {
      await rx.close();
    }
  });
});
