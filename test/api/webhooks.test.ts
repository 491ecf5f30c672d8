import { afterAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../activities/webhook-signature.ts';
import { newAccount, newInbox, type AccountFixture, join } from '../support/fixtures.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { testWebhookSettings, unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const receivers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function subscribe(
  account: AccountFixture,
  url: string,
  subscriptions = ['message_created', 'conversation_created', 'contact_created', 'conversation_status_changed'],
) {
  const res = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks`, { body: { url, subscriptions } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: number; secret: string; url: string };
}

async function receiver(answer?: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(answer);
  receivers.push(r);
  return r;
}

describe('account webhooks', () => {
  it('delivers Chatwoot-shaped events that verify with the documented recipe', async () => {
    const account = await newAccount(stack, 'hooks');
    const inboxId = await newInbox(account);
    const rx = await receiver();
    const hook = await subscribe(account, rx.url);
    expect(hook.secret).toMatch(/^[\w-]{43}$/);

    await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
      body: { contact: { email: `${unique('ana')}@example.test`, name: 'Ana' }, content: 'Where is my order?' },
    });
    await until('three events', () => rx.received.length >= 3);

    const events = rx.received.map((r) => JSON.parse(r.body).event).sort();
    expect(events).toEqual(['contact_created', 'conversation_created', 'message_created']);
    for (const r of rx.received) {
      const headers = {
        signature: String(r.headers['x-capstan-signature']),
        timestamp: String(r.headers['x-capstan-timestamp']),
      };
      expect(verifyWebhook(hook.secret, headers, r.body)).toBe(true);
      expect(verifyWebhook('another-secret', headers, r.body)).toBe(false);
      expect(verifyWebhook(hook.secret, headers, r.body.replace('Ana', 'Eve'))).toBe(false);
      expect(r.headers['x-capstan-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    }
    const message = JSON.parse(rx.received.find((r) => r.body.includes('"message_created"'))!.body);
    expect(message).toMatchObject({
      event: 'message_created',
      content: 'Where is my order?',
      message_type: 'incoming',
      content_type: 'text',
      private: false,
      account: { id: account.accountId },
      inbox: { id: inboxId },
      sender: { name: 'Ana' },
      conversation: {
        id: 1,
        inbox_id: inboxId,
        status: 'open',
        channel: 'Channel::Api',
        meta: { sender: { type: 'contact' } },
      },
    });
    expect(message.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(message.conversation.messages[0]).toMatchObject({ message_type: 0, conversation_id: 1 });
  });

  it('retries a failing receiver with the same delivery id and growing gaps, and logs every attempt', async () => {
    const account = await newAccount(stack, 'retry');
    const inboxId = await newInbox(account);
    const rx = await receiver((_, i) => (i < 3 ? 503 : 200));
    const hook = await subscribe(account, rx.url, ['message_created']);

    await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
      body: { contact: { identifier: unique('c') }, content: 'retry me' },
    });
    await until('the fourth attempt', () => rx.received.length >= 4, 30_000);

    const ids = new Set(rx.received.map((r) => r.headers['x-capstan-delivery']));
    expect(ids.size).toBe(1);
    // Each gap is at least its backoff step less the 20 % jitter (dispatch latency only adds to it):
    // 240, 480, 960 ms from a 300 ms start. A fixed interval would fail the later bounds.
    const gaps = rx.received.slice(1).map((r, i) => r.at - rx.received[i]!.at);
    const initial = testWebhookSettings.policy.initialIntervalMs;
    gaps.forEach((gap, i) =>
      expect(gap, `gap ${i + 1} of ${gaps.join(', ')} ms`).toBeGreaterThanOrEqual(0.8 * initial * 2 ** i),
    );

    const [deliveryId] = [...ids];
    const detail = await until('the delivery to be recorded as delivered', async () => {
      const res = await account.api(
        'GET',
        `/v1/accounts/${account.accountId}/webhooks/${hook.id}/deliveries/${deliveryId}`,
      );
      return res.body.status === 'delivered' && res.body;
    });
    expect(detail.attempts).toBe(4);
    expect(detail.attempts_log.map((a: { status_code: number }) => a.status_code)).toEqual([503, 503, 503, 200]);
    const list = await account.api('GET', `/v1/accounts/${account.accountId}/webhooks/${hook.id}/deliveries`);
    expect(list.body.payload[0]).toMatchObject({ id: deliveryId, status: 'delivered', attempts: 4 });
  });

  it('a receiver answering 410 disables the subscription, and no later event is sent to it', async () => {
    const account = await newAccount(stack, 'gone');
    const inboxId = await newInbox(account);
    const rx = await receiver(() => 410);
    const hook = await subscribe(account, rx.url, ['message_created']);
    const post = (content: string) =>
      account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
        body: { contact: { identifier: 'gone' }, content },
      });

    await post('first');
    const disabled = await until('the webhook to be disabled', async () => {
      const res = await account.api('GET', `/v1/accounts/${account.accountId}/webhooks/${hook.id}`);
      return res.body.status === 'disabled' && res.body;
    });
    expect(disabled.disabled_reason).toMatch(/410/);
    await post('second');
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.received).toHaveLength(1);
  });

  it("emits conversation_status_changed with Chatwoot's changed_attributes", async () => {
    const account = await newAccount(stack, 'status');
    const inboxId = await newInbox(account);
    const rx = await receiver();
    await subscribe(account, rx.url, ['conversation_status_changed']);
    await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
      body: { contact: { identifier: 'st' }, content: 'hi' },
    });

    const res = await account.api('POST', `/v1/accounts/${account.accountId}/conversations/1/toggle_status`, {
      body: { status: 'resolved' },
    });
    expect(res.body).toEqual({ id: 1, status: 'resolved', previous_status: 'open', snoozed_until: null });
    await until('the status event', () => rx.received.length >= 1);
    expect(JSON.parse(rx.received[0]!.body)).toMatchObject({
      event: 'conversation_status_changed',
      id: 1,
      status: 'resolved',
      changed_attributes: [{ status: { previous_value: 'open', current_value: 'resolved' } }],
    });
  });

  it('refuses webhook URLs that resolve to private or link-local addresses, and bad events', async () => {
    const account = await newAccount(stack, 'ssrf');
    const path = `/v1/accounts/${account.accountId}/webhooks`;
    for (const url of [
      'http://10.0.0.8/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[fd00::1]/x',
      'ftp://example.test/x',
    ]) {
      const res = await account.api('POST', path, { body: { url, subscriptions: ['message_created'] } });
      expect(res.status, url).toBe(422);
    }
    expect(
      (await account.api('POST', path, { body: { url: 'http://127.0.0.1:9/x', subscriptions: ['typing_on'] } })).status,
    ).toBe(422);
    const rows = await stack.sql`select id from webhooks where account_id = ${account.accountId}`;
    expect(rows).toHaveLength(0);
  });

  it('an agent cannot manage webhooks', async () => {
    const account = await newAccount(stack, 'agenthooks');
    const path = `/v1/accounts/${account.accountId}`;
    const agent = await join(stack, account);
    const res = await account.api('GET', `${path}/webhooks`, { token: agent.token });
    expect(res.status).toBe(403);
  });
});

describe('dead letters', () => {
  it('a delivery that exhausts its retries is marked dead, keeping its payload and every attempt', async () => {
    const account = await newAccount(stack, 'dead');
    const inboxId = await newInbox(account);
    const rx = await receiver(() => 500);
    const hook = await subscribe(account, rx.url, ['message_created']);
    await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
      body: { contact: { identifier: 'dead' }, content: 'never arrives' },
    });

    const dead = await until(
      'the delivery to die',
      async () => {
        const res = await account.api(
          'GET',
          `/v1/accounts/${account.accountId}/webhooks/${hook.id}/deliveries?status=dead`,
        );
        return res.body.payload[0];
      },
      30_000,
    );
    const detail = await account.api(
      'GET',
      `/v1/accounts/${account.accountId}/webhooks/${hook.id}/deliveries/${dead.id}`,
    );
    expect(detail.body.payload).toMatchObject({ event: 'message_created', content: 'never arrives' });
    expect(detail.body.last_error).toMatch(/500/);
    expect(detail.body.attempts_log.length).toBe(rx.received.length);
    expect(rx.received.length).toBeGreaterThanOrEqual(3);
  });
});
