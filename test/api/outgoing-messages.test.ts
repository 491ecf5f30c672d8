import { afterAll, describe, expect, it } from 'vitest';
import { installationUsage } from '../../activities/licence.ts';
import { verifyWebhook } from '../../activities/webhook-signature.ts';
import { join, newAccount, type AccountFixture } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { startReceiver, until, type Received } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });

/** A receiver that answers 503 while `down`; `accepted` lists what it took once up. */
async function receiver(down = false) {
  const state = { down };
  const accepted: Received[] = [];
  const rx = await startReceiver((req) => {
    if (state.down) return 503;
    accepted.push(req);
    return 200;
  });
  closers.push(rx.close);
  return { ...rx, accepted, up: () => void (state.down = false) };
}

const signedBy = (secret: string, r: Received) =>
  verifyWebhook(
    secret,
    { signature: String(r.headers['x-capstan-signature']), timestamp: String(r.headers['x-capstan-timestamp']) },
    r.body,
  );

/** An API inbox whose callback is `url`, and a conversation a customer opened in it. */
async function conversationIn(account: AccountFixture, url: string) {
  const base = `/v1/accounts/${account.accountId}`;
  const inbox = await account.api('POST', `${base}/inboxes`, { body: { name: 'Shop API', webhook_url: url } });
  expect(inbox.status, JSON.stringify(inbox.body)).toBe(201);
  const incoming = await account.api('POST', `${base}/inboxes/${inbox.body.id}/messages`, {
    body: { contact: { identifier: unique('cust') }, content: 'Where is my order?' },
  });
  expect(incoming.status, JSON.stringify(incoming.body)).toBe(201);
  const displayId = incoming.body.conversation_id as number;
  return {
    inbox: inbox.body as { id: number; webhook_secret: string },
    displayId,
    reply: (content: string, options: { private?: boolean; token?: string } = {}) =>
      call(stack.api.url, 'POST', `${base}/conversations/${displayId}/messages`, {
        token: options.token ?? account.adminToken,
        body: { content, ...(options.private !== undefined && { private: options.private }) },
      }),
    messages: async () =>
      (await account.api('GET', `${base}/conversations/${displayId}/messages`)).body.payload as Array<
        Record<string, unknown>
      >,
  };
}

describe('outgoing messages and the API channel callback', () => {
  it("an agent's reply reaches the callback signed with the inbox's secret; a private note never does", async () => {
    const account = await newAccount(stack, 'reply');
    const agent = await join(stack, account, 'agent');
    const rx = await receiver();
    const hookRx = await receiver();
    const hook = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks`, {
      body: { url: hookRx.url, subscriptions: ['message_created'] },
    });
    expect(hook.status).toBe(201);
    const c = await conversationIn(account, rx.url);
    expect(c.inbox.webhook_secret).toMatch(/^[\w-]{40,}$/);
    const listed = await account.api('GET', `/v1/accounts/${account.accountId}/inboxes`);
    expect(JSON.stringify(listed.body)).not.toContain(c.inbox.webhook_secret); // shown once, at creation

    const before = await installationUsage(stack.sql);
    const reply = await c.reply('It ships today.', { token: agent.token });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({
      seq: 2, // after the customer's message, in the same sequence
      message_type: 'outgoing',
      private: false,
      status: 'sent',
      sender_type: 'User',
      sender_id: agent.userId,
      conversation_id: c.displayId,
      to_callback: true,
    });
    const note = await c.reply('Customer is a VIP', { private: true });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect(note.body).toMatchObject({ seq: 3, private: true, to_callback: false });

    // The licence heartbeat's usage counts real rows: the reply and the note (Chatwoot's Message.outgoing has both).
    const after = await installationUsage(stack.sql);
    expect(after.outgoing_messages_count).toBeGreaterThanOrEqual(before.outgoing_messages_count! + 2);

    const [delivered] = await until('the callback', () => rx.accepted.length > 0 && rx.accepted);
    expect(signedBy(c.inbox.webhook_secret, delivered!)).toBe(true);
    const body = JSON.parse(delivered!.body);
    expect(body).toMatchObject({
      event: 'message_created',
      id: reply.body.id,
      content: 'It ships today.',
      message_type: 'outgoing',
      private: false,
      sender: { id: agent.userId, type: 'user' },
      conversation: { id: c.displayId, channel: 'Channel::Api' },
    });

    // The account webhook gets both, the note marked private, as Chatwoot's account webhooks do.
    await until('both account events', () => hookRx.accepted.length >= 3);
    const events = hookRx.accepted.map((r) => JSON.parse(r.body)).filter((e) => e.message_type === 'outgoing');
    expect(events.map((e) => [e.content, e.private])).toEqual([
      ['It ships today.', false],
      ['Customer is a VIP', true],
    ]);
    // Given the callback's delivery time to bring the note too: it never comes.
    const [row] = await stack.sql<{ n: number }[]>`
      select count(*)::int as n from webhook_deliveries where inbox_id = ${c.inbox.id}`;
    expect(row!.n).toBe(1);
    expect(rx.received.map((r) => JSON.parse(r.body).id)).toEqual([reply.body.id]);

    const messages = await c.messages();
    expect(messages.map((m) => [m.seq, m.message_type, m.private, m.status])).toEqual([
      [1, 'incoming', false, 'sent'],
      [2, 'outgoing', false, 'sent'],
      [3, 'outgoing', true, 'sent'],
    ]);
  });

  it('a callback down past the policy marks the reply failed with its reason; retrying the letter delivers it once and marks it sent', async () => {
    const account = await newAccount(stack, 'reply-down');
    const rx = await receiver(true);
    const c = await conversationIn(account, rx.url);
    const reply = await c.reply('Your refund is on its way.');
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);

    const failed = await until(
      'the reply to fail',
      async () => (await c.messages()).find((m) => m.id === reply.body.id && m.status === 'failed'),
      45_000,
    );
    expect(failed.external_error).toMatch(/503/);
    const letter = await until(
      'the dead letter',
      async () => (await platform('GET', `/v1/dead-letters?accountId=${account.accountId}`)).body.payload?.[0],
      30_000,
    );
    expect(letter).toMatchObject({
      kind: 'deliverWebhook',
      business_ids: { inboxId: c.inbox.id, messageId: reply.body.id },
    });

    rx.up();
    const retried = await platform('POST', `/v1/dead-letters/${letter.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    const sent = await until('the reply to be sent', async () =>
      (await c.messages()).find((m) => m.id === reply.body.id && m.status === 'sent'),
    );
    expect(sent.external_error).toBeNull();
    expect(rx.accepted).toHaveLength(1);
    expect(JSON.parse(rx.accepted[0]!.body)).toMatchObject({ id: reply.body.id, message_type: 'outgoing' });
    expect(signedBy(c.inbox.webhook_secret, rx.accepted[0]!)).toBe(true);
  });

  it('refuses a webhook_url the SSRF rules forbid, or that is no http(s) URL, with a 422 problem; nothing is made', async () => {
    const account = await newAccount(stack, 'reply-ssrf');
    const path = `/v1/accounts/${account.accountId}/inboxes`;
    for (const url of ['http://10.0.0.7/hooks', 'http://169.254.169.254/latest/meta-data', 'ftp://example.com/x']) {
      const res = await account.api('POST', path, { body: { name: 'Inward', webhook_url: url } });
      expect(res.status, url).toBe(422);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).toContain('webhook_url');
    }
    const [row] = await stack.sql<{ n: number }[]>`
      select count(*)::int as n from inboxes where account_id = ${account.accountId}`;
    expect(row!.n).toBe(0);
  });

  it('a rotated secret signs the next callback; the old one no longer verifies', async () => {
    const account = await newAccount(stack, 'reply-rotate');
    const rx = await receiver();
    const c = await conversationIn(account, rx.url);
    const rotated = await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${c.inbox.id}/rotate_secret`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect(rotated.body.webhook_secret).not.toBe(c.inbox.webhook_secret);
    expect((await c.reply('After rotation')).status).toBe(201);
    const [got] = await until('the callback', () => rx.accepted.length > 0 && rx.accepted);
    expect(signedBy(rotated.body.webhook_secret, got!)).toBe(true);
    expect(signedBy(c.inbox.webhook_secret, got!)).toBe(false);
    const audits = await stack.sql`
      select 1 from audit_log where action = 'inbox.secret_rotated' and subject_id = ${String(c.inbox.id)}`;
    expect(audits).toHaveLength(1);
  });

  it('a platform token cannot reply (no one to sign it); an unknown conversation is 404; blank content 422', async () => {
    const account = await newAccount(stack, 'reply-refused');
    const rx = await receiver();
    const c = await conversationIn(account, rx.url);
    const byPlatform = await c.reply('from nowhere', { token: stack.platformToken });
    expect(byPlatform.status, JSON.stringify(byPlatform.body)).toBe(403);
    const missing = await account.api('POST', `/v1/accounts/${account.accountId}/conversations/999/messages`, {
      body: { content: 'hello' },
    });
    expect(missing.status).toBe(404);
    expect((await c.reply('   ')).status).toBe(422);
    expect((await c.messages()).map((m) => m.message_type)).toEqual(['incoming']);
  });
});
