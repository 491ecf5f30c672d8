/**
 * An integrator's day through Chatwoot's paths only (the dead-letter retry aside: an operator's action on /v1):
 * an API inbox with a callback, a contact, a conversation made by Chatwoot's create conversation, a reply that
 * reaches the callback signed, a callback down until its letter is retried, a snooze the timer ends, a resolved
 * conversation an incoming message reopens, and two contacts merged.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../activities/webhook-signature.ts';
import { newAccount, type AccountFixture } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { startReceiver, until, type Received } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

const signedBy = (secret: string, r: Received) =>
  verifyWebhook(
    secret,
    { signature: String(r.headers['x-capstan-signature']), timestamp: String(r.headers['x-capstan-timestamp']) },
    r.body,
  );

describe("an integrator's day on Chatwoot's Application API", () => {
  let account: AccountFixture;
  let base: string;
  let inbox: { id: number; secret: string };
  const state = { down: false };
  const accepted: Received[] = [];
  const door = (method: string, path: string, body?: unknown) =>
    call(stack.api.url, method, `${base}${path}`, { headers: { api_access_token: account.adminToken }, body });
  /** Chatwoot's create conversation, for a contact by `contact_id` or by `source_id`. */
  const newConversation = async (contact: { contact_id: number } | { source_id: string }) => {
    const made = await door('POST', '/conversations', { inbox_id: inbox.id, ...contact });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body).toMatchObject({ inbox_id: inbox.id, status: 'open', messages: [] });
    return made.body.id as number;
  };
  const messagesOf = async (displayId: number) =>
    (await door('GET', `/conversations/${displayId}/messages`)).body.payload as Array<Record<string, any>>;
  const statusOf = async (displayId: number) => (await door('GET', `/conversations/${displayId}`)).body.status;

  let identifier: string;
  let contactId: number;
  let displayId: number;

  it('makes an API inbox with a callback, a contact and its conversation', async () => {
    const rx = await startReceiver((req) => {
      if (state.down) return 503;
      accepted.push(req);
      return 200;
    });
    closers.push(rx.close);
    account = await newAccount(stack, 'cw-day');
    base = `/api/v1/accounts/${account.accountId}`;
    const made = await door('POST', '/inboxes', {
      name: 'Shop API',
      lock_to_single_conversation: true,
      channel: { type: 'api', webhook_url: rx.url },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body).toMatchObject({ webhook_url: rx.url, lock_to_single_conversation: true });
    inbox = { id: made.body.id, secret: made.body.secret };

    identifier = unique('cust');
    const contact = await door('POST', '/contacts', { name: 'Ana', identifier, inbox_id: inbox.id });
    expect(contact.status, JSON.stringify(contact.body)).toBe(200);
    contactId = contact.body.payload.contact.id;

    displayId = await newConversation({ contact_id: contactId });
    expect((await door('GET', `/conversations/${displayId}`)).body.meta.sender).toMatchObject({ id: contactId });
    const incoming = await door('POST', `/conversations/${displayId}/messages`, {
      content: 'It was due yesterday.',
      message_type: 'incoming',
    });
    expect(incoming.status, JSON.stringify(incoming.body)).toBe(200);
    expect(incoming.body).toMatchObject({ message_type: 0, sender: { id: contactId } });
  });

  it("sends an agent's reply to the callback, signed with the inbox's secret", async () => {
    const reply = await door('POST', `/conversations/${displayId}/messages`, {
      content: 'It ships today.',
      message_type: 'outgoing',
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const [got] = await until('the callback', () => accepted.length > 0 && accepted);
    expect(JSON.parse(got!.body)).toMatchObject({ id: reply.body.id, message_type: 'outgoing' });
    expect(signedBy(inbox.secret, got!)).toBe(true);
  });

  it('marks a reply failed while the callback is down, and delivers it once when its dead letter is retried', async () => {
    state.down = true;
    accepted.length = 0;
    const reply = await door('POST', `/conversations/${displayId}/messages`, { content: 'Tracking: 42' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    const failed = await until(
      'the reply to fail',
      async () => (await messagesOf(displayId)).find((m) => m.id === reply.body.id && m.status === 'failed'),
      45_000,
    );
    expect(failed.content_attributes.external_error).toMatch(/503/);
    const letter = await until(
      'the dead letter',
      async () =>
        (
          await call(stack.api.url, 'GET', `/v1/dead-letters?accountId=${account.accountId}`, {
            token: stack.platformToken,
          })
        ).body.payload?.[0],
      30_000,
    );
    expect(letter).toMatchObject({ kind: 'deliverWebhook', business_ids: { messageId: reply.body.id } });

    state.down = false;
    const retried = await call(stack.api.url, 'POST', `/v1/dead-letters/${letter.id}/retry`, {
      token: stack.platformToken,
    });
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    await until('the reply to be sent', async () =>
      (await messagesOf(displayId)).find((m) => m.id === reply.body.id && m.status === 'sent'),
    );
    expect(accepted).toHaveLength(1);
    expect(JSON.parse(accepted[0]!.body)).toMatchObject({ id: reply.body.id });
    expect(signedBy(inbox.secret, accepted[0]!)).toBe(true);
  }, 90_000);

  it('snoozes until a time (Unix seconds, as Chatwoot sends) and the timer reopens it', async () => {
    const snoozed = await door('POST', `/conversations/${displayId}/toggle_status`, {
      status: 'snoozed',
      snoozed_until: Math.floor(Date.now() / 1000) + 3,
    });
    expect(snoozed.status, JSON.stringify(snoozed.body)).toBe(200);
    expect(snoozed.body.payload.current_status).toBe('snoozed');
    await until('the timer to reopen it', async () => (await statusOf(displayId)) === 'open', 30_000);
  }, 40_000);

  it('reopens a resolved conversation on a new incoming message (the inbox is locked to one conversation)', async () => {
    const resolved = await door('POST', `/conversations/${displayId}/toggle_status`, { status: 'resolved' });
    expect(resolved.body.payload.current_status, JSON.stringify(resolved.body)).toBe('resolved');
    const incoming = await door('POST', `/conversations/${displayId}/messages`, {
      content: 'One more thing',
      message_type: 'incoming',
    });
    expect(incoming.status, JSON.stringify(incoming.body)).toBe(200);
    expect(incoming.body.conversation_id).toBe(displayId);
    expect(await statusOf(displayId)).toBe('open');
  });

  it('merges two contacts into one that has both conversations', async () => {
    const other = unique('dup');
    const dup = await door('POST', '/contacts', { name: 'Ana (work)', identifier: other });
    expect(dup.status, JSON.stringify(dup.body)).toBe(200);
    const mergeeId = dup.body.payload.contact.id as number;
    const second = await newConversation({ source_id: other });

    const merged = await door('POST', '/actions/contact_merge', {
      base_contact_id: contactId,
      mergee_contact_id: mergeeId,
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.id).toBe(contactId);
    const conversations = await door('GET', `/contacts/${contactId}/conversations`);
    expect(conversations.body.payload.map((c: { id: number }) => c.id).sort()).toEqual([displayId, second].sort());
    expect((await door('GET', `/contacts/${mergeeId}`)).status).toBe(404);
  });
});
