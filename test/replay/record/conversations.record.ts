import { describe, expect, it } from 'vitest';
import { join, newAccount, newInbox } from '../../support/fixtures.ts';
import { unique, useStack } from '../../support/stack.ts';
import { saveHistory, saveLatest } from '../histories.ts';

const stack = useStack({ http: true });
const ok = (res: { status: number; body: unknown }, status = 200) =>
  expect(res.status, JSON.stringify(res.body)).toBe(status);

describe('record the conversation lifecycle workflows', () => {
  it('assignment, labels, last seen, a snooze and its wake-up', async () => {
    const account = await newAccount(stack, 'replay-lifecycle');
    const base = `/v1/accounts/${account.accountId}`;
    const agent = await join(stack, account, 'agent');
    const inboxId = await newInbox(account);
    const posted = await account.api('POST', `${base}/inboxes/${inboxId}/messages`, {
      body: { contact: { identifier: unique('contact') }, content: 'recorded' },
    });
    ok(posted, 201);
    const conversation = `${base}/conversations/${posted.body.conversation_id}`;
    ok(await account.api('POST', `${conversation}/assignments`, { body: { assignee_id: agent.userId } }));
    ok(await account.api('POST', `${conversation}/labels`, { body: { labels: ['vip'] } }));
    ok(await account.api('POST', `${conversation}/update_last_seen`));
    ok(await account.api('POST', `${base}/contacts/${posted.body.contact_id}/labels`, { body: { labels: ['lead'] } }));
    const label = await account.api('POST', `${base}/labels`, { body: { title: 'billing' } });
    ok(label, 201);
    ok(await account.api('PATCH', `${base}/labels/${label.body.id}`, { body: { color: '#00ff00' } }));
    ok(await account.api('DELETE', `${base}/labels/${label.body.id}`), 204);
    const snoozed = await account.api('POST', `${conversation}/toggle_status`, {
      body: { status: 'snoozed', snoozed_until: new Date(Date.now() + 1_000).toISOString() },
    });
    ok(snoozed);
    const [row] = await stack.sql<{ id: number }[]>`
      select id from conversations where account_id = ${account.accountId} and display_id = ${posted.body.conversation_id}`;
    const wakeUp = `conversation-snooze:${account.accountId}:${row!.id}`;
    expect(await stack.temporal.workflow.getHandle(wakeUp).result()).toMatchObject({ outcome: 'reopened' });

    await saveLatest(stack, 'changeConversationStatus', 'snoozed');
    await saveHistory(stack, wakeUp, { type: 'wakeSnoozedConversation' });
    for (const type of [
      'assignConversation',
      'setConversationLabels',
      'markConversationSeen',
      'setContactLabels',
      'createLabel',
      'updateLabel',
      'deleteLabel',
    ])
      await saveLatest(stack, type);
  });
});
