import { afterAll, describe, expect, it } from 'vitest';
import { join, newAccount, type AccountFixture } from '../support/fixtures.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const receivers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function inbox(account: AccountFixture, lock: boolean): Promise<number> {
  const res = await account.api('POST', `/v1/accounts/${account.accountId}/inboxes`, {
    body: { name: 'Shop API', lock_to_single_conversation: lock },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.lock_to_single_conversation).toBe(lock);
  return res.body.id;
}

/** An account with an inbox and one contact's first message: conversation 1. */
async function conversation(label: string, lock = true) {
  const account = await newAccount(stack, label);
  const inboxId = await inbox(account, lock);
  const contact = { identifier: unique(label), name: 'Ana Lima' };
  const base = `/v1/accounts/${account.accountId}`;
  const post = async (content: string) => {
    const res = await account.api('POST', `${base}/inboxes/${inboxId}/messages`, { body: { contact, content } });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body as { conversation_id: number; contact_id: number };
  };
  const first = await post('hello');
  const status = (body: Record<string, unknown>) =>
    account.api('POST', `${base}/conversations/${first.conversation_id}/toggle_status`, { body });
  const read = async () => (await account.api('GET', `${base}/conversations/${first.conversation_id}`)).body;
  return { account, base, inboxId, post, status, read, displayId: first.conversation_id, contactId: first.contact_id };
}

const wakeUpRun = async (accountId: number, displayId: number) => {
  const [row] = await stack.sql<{ id: number }[]>`
    select id from conversations where account_id = ${accountId} and display_id = ${displayId}`;
  return stack.temporal.workflow.getHandle(`conversation-snooze:${accountId}:${row!.id}`);
};

describe('snoozes', () => {
  it('refuses a snooze time the database would store and no reader could parse again (1 BC by its offset)', async () => {
    const c = await conversation('snooze-bc');
    const refused = await c.status({ status: 'snoozed', snoozed_until: '0001-01-01T00:00:00+01:00' });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(JSON.stringify(refused.body)).toContain('snoozed_until');
    expect(await c.read()).toMatchObject({ status: 'open', snoozed_until: null });
  });

  it('a snooze a few seconds ahead is reopened by its timer', async () => {
    const c = await conversation('snooze');
    const until_ = new Date(Date.now() + 3_000).toISOString();
    const snoozed = await c.status({ status: 'snoozed', snoozed_until: until_ });
    expect(snoozed.status, JSON.stringify(snoozed.body)).toBe(200);
    expect(snoozed.body).toMatchObject({ status: 'snoozed', previous_status: 'open', snoozed_until: until_ });
    expect(await c.read()).toMatchObject({ status: 'snoozed', snoozed_until: until_ });

    const reopened = await until('the timer reopens it', async () => (await c.read()).status === 'open', 60_000);
    expect(reopened).toBe(true);
    expect((await c.read()).snoozed_until).toBeNull();
    expect(await (await wakeUpRun(c.account.accountId, c.displayId)).result()).toEqual({
      outcome: 'reopened',
      status: 'open',
    });
  });

  it('a conversation resolved before its snooze time stays resolved', async () => {
    const c = await conversation('snooze-resolve');
    await c.status({ status: 'snoozed', snoozed_until: new Date(Date.now() + 2_000).toISOString() });
    expect((await c.status({ status: 'resolved' })).body).toMatchObject({ status: 'resolved', snoozed_until: null });

    const run = await wakeUpRun(c.account.accountId, c.displayId);
    expect(await run.result()).toEqual({ outcome: 'stale', status: 'resolved' });
    expect(await c.read()).toMatchObject({ status: 'resolved', snoozed_until: null });
  });

  it('a second snooze replaces the first timer', async () => {
    const c = await conversation('snooze-twice');
    await c.status({ status: 'snoozed', snoozed_until: new Date(Date.now() + 60 * 60_000).toISOString() });
    const first = await (await wakeUpRun(c.account.accountId, c.displayId)).describe();
    const later = new Date(Date.now() + 2_000).toISOString();
    await c.status({ status: 'snoozed', snoozed_until: later });

    const run = await wakeUpRun(c.account.accountId, c.displayId);
    expect(await run.result()).toEqual({ outcome: 'reopened', status: 'open' });
    const replaced = await stack.temporal.workflow.getHandle(first.workflowId, first.runId).describe();
    expect(replaced.status.name).toBe('TERMINATED');
  });

  it('a snooze without a time lasts until the next incoming message', async () => {
    const c = await conversation('snooze-reply');
    expect((await c.status({ status: 'snoozed' })).body).toMatchObject({ status: 'snoozed', snoozed_until: null });
    const again = await c.post('anyone there?');
    expect(again.conversation_id).toBe(c.displayId);
    expect(await c.read()).toMatchObject({ status: 'open' });
  });

  it('refuses snoozed_until with another status, and a malformed time', async () => {
    const c = await conversation('snooze-bad');
    const wrong = await c.status({ status: 'resolved', snoozed_until: new Date().toISOString() });
    expect(wrong.status).toBe(422);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect((await c.status({ status: 'snoozed', snoozed_until: 'tomorrow' })).status).toBe(422);
    expect(await c.read()).toMatchObject({ status: 'open' });
  });
});

describe("incoming messages follow Chatwoot's reopen rule", () => {
  it('reopen a resolved conversation when the inbox is locked to one conversation', async () => {
    const c = await conversation('reopen', true);
    await c.status({ status: 'resolved' });
    const again = await c.post('it broke again');
    expect(again.conversation_id).toBe(c.displayId);
    expect(await c.read()).toMatchObject({ status: 'open', messages_count: 2 });
  });

  it('start a new conversation after a resolved one when the inbox is not locked', async () => {
    const c = await conversation('unlocked', false);
    await c.status({ status: 'resolved' });
    const again = await c.post('new question');
    expect(again.conversation_id).toBe(c.displayId + 1);
    expect(await c.read()).toMatchObject({ status: 'resolved' });
  });

  it('concurrent first messages of a new contact meet in one conversation when the inbox is locked', async () => {
    const account = await newAccount(stack, 'locked-race');
    const inboxId = await inbox(account, true);
    const contact = { identifier: unique('racer') };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
          body: { contact, content: `first ${i}` },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.body.conversation_id))).toEqual(new Set([1]));
    const rows = await stack.sql`select 1 from conversations where account_id = ${account.accountId}`;
    expect(rows).toHaveLength(1);
  });

  it('leave a pending conversation pending', async () => {
    for (const lock of [true, false]) {
      const c = await conversation(`pending-${lock}`, lock);
      await c.status({ status: 'pending' });
      const again = await c.post('still waiting');
      expect(again.conversation_id).toBe(c.displayId);
      expect(await c.read()).toMatchObject({ status: 'pending', messages_count: 2 });
    }
  });

  it('reopening a conversation beside another open one of its contact is not refused', async () => {
    const c = await conversation('beside', false);
    await c.status({ status: 'resolved' });
    await c.post('second conversation'); // conversation 2 is open
    const reopened = await c.status({ status: 'open' });
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    const open = await c.account.api('GET', `${c.base}/conversations?status=open`);
    expect(open.body.payload.map((r: { id: number }) => r.id).sort()).toEqual([c.displayId, c.displayId + 1]);
  });
});

describe('assignment', () => {
  it('assigns a member, refuses anyone else, and unassigns', async () => {
    const c = await conversation('assign');
    const agent = await join(stack, c.account, 'agent');
    const stranger = await newAccount(stack, 'stranger');
    const path = `${c.base}/conversations/${c.displayId}/assignments`;

    const refused = await c.account.api('POST', path, { body: { assignee_id: stranger.adminId } });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('is not an agent of account');
    expect(refused.body.errors).toEqual([{ field: 'assignee_id', message: expect.stringContaining('agent') }]);
    expect((await c.read()).assignee_id).toBeNull();

    const assigned = await c.account.api('POST', path, { body: { assignee_id: agent.userId } });
    expect(assigned.body).toEqual({ id: c.displayId, assignee_id: agent.userId });
    expect(await c.read()).toMatchObject({
      assignee_id: agent.userId,
      meta: { assignee: { id: agent.userId, type: 'user' }, assignee_type: 'User' },
    });
    const mine = await c.account.api('GET', `${c.base}/conversations?assignee_id=${agent.userId}`);
    expect(mine.body.payload.map((r: { id: number }) => r.id)).toEqual([c.displayId]);

    expect((await c.account.api('POST', path, { body: { assignee_id: null } })).body.assignee_id).toBeNull();
    const none = await c.account.api('GET', `${c.base}/conversations?assignee_id=none`);
    expect(none.body.payload.map((r: { id: number }) => r.id)).toEqual([c.displayId]);
  });
});

describe('labels', () => {
  it('account labels are created, listed, changed and deleted; a taken title is a conflict', async () => {
    const account = await newAccount(stack, 'labels');
    const path = `/v1/accounts/${account.accountId}/labels`;
    const made = await account.api('POST', path, {
      body: { title: 'Billing', description: 'Money', color: '#ff0000' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({
      title: 'billing',
      description: 'Money',
      color: '#ff0000',
      show_on_sidebar: true,
    });
    expect((await account.api('POST', path, { body: { title: 'billing' } })).status).toBe(409);
    expect((await account.api('POST', path, { body: { title: 'two words' } })).status).toBe(422);

    const changed = await account.api('PATCH', `${path}/${made.body.id}`, { body: { show_on_sidebar: false } });
    expect(changed.body).toMatchObject({ title: 'billing', show_on_sidebar: false });
    expect((await account.api('GET', path)).body.payload).toEqual([changed.body]);
    expect((await account.api('DELETE', `${path}/${made.body.id}`)).status).toBe(204);
    expect((await account.api('GET', path)).body.payload).toEqual([]);
  });

  it("a conversation's and a contact's labels round-trip, the list replacing what was there", async () => {
    const c = await conversation('tagging');
    const conv = `${c.base}/conversations/${c.displayId}/labels`;
    const set = await c.account.api('POST', conv, { body: { labels: ['VIP', 'billing', 'vip'] } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.payload).toEqual(['vip', 'billing']);
    expect((await c.account.api('POST', conv, { body: { labels: ['refund'] } })).body.payload).toEqual(['refund']);
    expect((await c.account.api('GET', conv)).body.payload).toEqual(['refund']);
    expect((await c.read()).labels).toEqual(['refund']);
    const tagged = await c.account.api('GET', `${c.base}/conversations?label=refund`);
    expect(tagged.body.payload.map((r: { id: number }) => r.id)).toEqual([c.displayId]);

    const contact = `${c.base}/contacts/${c.contactId}/labels`;
    expect((await c.account.api('POST', contact, { body: { labels: ['lead'] } })).body.payload).toEqual(['lead']);
    expect((await c.account.api('GET', contact)).body.payload).toEqual(['lead']);
    const other = await newAccount(stack, 'other-tags');
    const foreign = await other.api('GET', `/v1/accounts/${other.accountId}/contacts/${c.contactId}/labels`);
    expect(foreign.status).toBe(404);
  });
});

describe('event payloads carry computed fields', () => {
  it('assignee, labels, unread count, snoozed_until and can_reply are the conversation’s own', async () => {
    const c = await conversation('payloads');
    const rx = await startReceiver();
    receivers.push(rx);
    const hook = await c.account.api('POST', `${c.base}/webhooks`, {
      body: {
        url: rx.url,
        subscriptions: [
          'conversation_updated',
          'conversation_status_changed',
          'conversation_resolved',
          'message_created',
        ],
      },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const agent = await join(stack, c.account, 'agent');
    await c.post('second');
    await c.post('third');
    await c.account.api('POST', `${c.base}/conversations/${c.displayId}/assignments`, {
      body: { assignee_id: agent.userId },
    });
    await c.account.api('POST', `${c.base}/conversations/${c.displayId}/labels`, { body: { labels: ['vip'] } });
    await c.account.api('POST', `${c.base}/conversations/${c.displayId}/update_last_seen`);
    await c.post('fourth');
    await c.status({ status: 'resolved' });

    // Each write stores its events' deliveries in its own transaction: they are all there once it answered.
    const events = await stack.sql<{ event: string; payload: Record<string, any> }[]>`
      select event, payload from webhook_deliveries where account_id = ${c.account.accountId} order by seq`;
    expect(events.map((e) => e.event)).toEqual([
      'message_created',
      'message_created',
      'conversation_updated',
      'conversation_updated',
      'message_created',
      'conversation_status_changed',
      'conversation_updated',
      'conversation_resolved',
    ]);
    const [m2, m3, assigned, labelled, m4, statusChanged, updated, resolved] = events.map((e) => e.payload);
    expect(m2!.conversation.unread_count).toBe(2);
    expect(m3!.conversation.unread_count).toBe(3);
    expect(m3!.conversation.can_reply).toBe(true);
    expect(assigned).toMatchObject({
      changed_attributes: [{ assignee_id: { previous_value: null, current_value: agent.userId } }],
      meta: { assignee: { id: agent.userId, type: 'user' }, assignee_type: 'User' },
      labels: [],
    });
    expect(labelled).toMatchObject({
      changed_attributes: [{ label_list: { previous_value: [], current_value: ['vip'] } }],
      labels: ['vip'],
    });
    // Read after the third message: only the fourth is unread.
    expect(m4!.conversation).toMatchObject({
      unread_count: 1,
      labels: ['vip'],
      meta: { assignee: { id: agent.userId } },
    });
    expect(m4!.conversation.agent_last_seen_at).toBeGreaterThan(0);
    expect(statusChanged).toMatchObject({
      status: 'resolved',
      changed_attributes: [{ status: { previous_value: 'open', current_value: 'resolved' } }],
    });
    expect(updated).toMatchObject({ changed_attributes: [{ status: { current_value: 'resolved' } }] });
    expect(resolved).toMatchObject({ status: 'resolved', snoozed_until: null, labels: ['vip'] });
  });
});
