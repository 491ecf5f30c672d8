/**
 * The door's last five writes on the real stack: create conversation (contact by id or source id, the inbox's
 * lock_to_single_conversation, a first reply, retries), update conversation (priority), message update (status)
 * and delete (Chatwoot's soft delete), inbox update (the SSRF rule); their events, with Chatwoot's payloads, and
 * /v1's doors to the same workflows.
 */
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { join, newAccount, type AccountFixture } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

let account: AccountFixture;
let base: string;
let agent: { userId: number; token: string };
let inboxId: number;
let lockedId: number;
let contactId: number;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const door = (method: string, path: string, body?: unknown, token = account.adminToken) =>
  call(stack.api.url, method, `${base}${path}`, { headers: { api_access_token: token }, body });
const events = (name: string) =>
  receiver.received.map((r) => JSON.parse(r.body) as Record<string, any>).filter((e) => e.event === name);

beforeAll(async () => {
  receiver = await startReceiver();
  account = await newAccount(stack, 'cw-writes');
  base = `/api/v1/accounts/${account.accountId}`;
  agent = await join(stack, account, 'agent');
  const made = async (body: Record<string, unknown>) => {
    const inbox = await door('POST', '/inboxes', { channel: { type: 'api' }, ...body });
    expect(inbox.status, JSON.stringify(inbox.body)).toBe(200);
    return inbox.body.id as number;
  };
  inboxId = await made({ name: 'Open API' });
  lockedId = await made({ name: 'Locked API', lock_to_single_conversation: true });
  const contact = await door('POST', '/contacts', { name: 'Ana', identifier: unique('ana') });
  expect(contact.status, JSON.stringify(contact.body)).toBe(200);
  contactId = contact.body.payload.contact.id;
  const hook = await door('POST', '/webhooks', {
    url: receiver.url,
    subscriptions: ['conversation_created', 'conversation_updated', 'message_created', 'message_updated'],
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(200);
});
afterAll(() => receiver?.close());

describe("Chatwoot's create conversation", () => {
  it('starts a conversation with its status, assignee, attributes and a first reply, and sends their events', async () => {
    const made = await door('POST', '/conversations', {
      inbox_id: inboxId,
      contact_id: contactId,
      status: 'pending',
      assignee_id: agent.userId,
      custom_attributes: { order: 'A-1' },
      additional_attributes: { source: 'shop' },
      message: { content: 'We saw your order.' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body).toMatchObject({
      inbox_id: inboxId,
      status: 'pending',
      custom_attributes: { order: 'A-1' },
      additional_attributes: { source: 'shop' },
      meta: { sender: { id: contactId }, assignee: { id: agent.userId } },
    });
    const [reply] = (await door('GET', `/conversations/${made.body.id}/messages`)).body.payload;
    expect(reply).toMatchObject({ content: 'We saw your order.', message_type: 1, sender_type: 'User' });
    const created = await until('conversation_created', () =>
      events('conversation_created').find((e) => e.id === made.body.id),
    );
    expect(created).toMatchObject({ status: 'pending', custom_attributes: { order: 'A-1' } });
    await until('message_created', () => events('message_created').find((e) => e.id === reply.id));
  });

  it("answers the contact's latest conversation in a locked inbox, and a new one each time in an open inbox", async () => {
    const create = (inbox: number, extra = {}) =>
      door('POST', '/conversations', { inbox_id: inbox, contact_id: contactId, ...extra });
    const first = await create(lockedId);
    const again = await create(lockedId, { custom_attributes: { second: true } });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body.id).toBe(first.body.id);
    const one = await create(inboxId, { status: 'open' });
    const two = await create(inboxId, { status: 'resolved' });
    expect(two.body.id).not.toBe(one.body.id);
    expect(two.body.status).toBe('resolved');
  });

  it('finds the contact by its source id, and answers a retried request with the same conversation', async () => {
    const identifier = unique('src');
    const contact = await door('POST', '/contacts', { name: 'Bo', identifier });
    const body = { inbox_id: inboxId, source_id: identifier };
    const first = await door('POST', '/conversations', body);
    const retried = await door('POST', '/conversations', body);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.meta.sender.id).toBe(contact.body.payload.contact.id);
    expect(retried.body.id).toBe(first.body.id);
  });

  it('refuses what it cannot do, in Chatwoot’s error shape, and writes nothing', async () => {
    const before =
      await stack.sql`select count(*)::int as n from conversations where account_id = ${account.accountId}`;
    const other = await newAccount(stack, 'cw-writes-other');
    const foreign = await other.api(
      'POST',
      `/v1/accounts/${other.accountId}/inboxes/${(await other.api('POST', `/v1/accounts/${other.accountId}/inboxes`, { body: { name: 'B' } })).body.id}/messages`,
      {
        body: { contact: { identifier: unique('b') }, content: 'hi' },
      },
    );
    const cases: Array<[unknown, number]> = [
      [{ inbox_id: inboxId }, 422],
      [{ inbox_id: 999_999_999, contact_id: contactId }, 404],
      [{ inbox_id: inboxId, contact_id: foreign.body.contact_id }, 404],
      [{ inbox_id: inboxId, source_id: unique('nobody') }, 404],
      [{ inbox_id: inboxId, contact_id: contactId, assignee_id: other.adminId }, 422],
      [{ inbox_id: inboxId, contact_id: contactId, status: 'open', snoozed_until: 2_000_000_000 }, 422],
      [{ inbox_id: inboxId, contact_id: contactId, status: 'closed' }, 422],
    ];
    for (const [body, status] of cases) {
      const answer = await door('POST', '/conversations', body);
      expect(answer.status, `${JSON.stringify(body)} → ${JSON.stringify(answer.body)}`).toBe(status);
      expect(answer.body.error ?? answer.body.message).toEqual(expect.any(String));
    }
    const badTime = await door('POST', '/conversations', {
      inbox_id: inboxId,
      contact_id: contactId,
      status: 'snoozed',
      snoozed_until: 'tomorrow',
    });
    expect(badTime.status).toBe(422);
    expect(badTime.body.attributes).toEqual(['snoozed_until']);
    const after = await stack.sql`select count(*)::int as n from conversations where account_id = ${account.accountId}`;
    expect(after).toEqual(before);
  });

  it('arms the wake-up of a conversation created snoozed until a time', async () => {
    const made = await door('POST', '/conversations', {
      inbox_id: inboxId,
      contact_id: contactId,
      status: 'snoozed',
      snoozed_until: Math.floor(Date.now() / 1000) + 2,
    });
    expect(made.body.status, JSON.stringify(made.body)).toBe('snoozed');
    await until(
      'the timer to reopen it',
      async () => (await door('GET', `/conversations/${made.body.id}`)).body.status === 'open',
    );
  }, 40_000);
});

describe("Chatwoot's update conversation", () => {
  it('sets and clears the priority, with conversation_updated saying what changed', async () => {
    const made = await door('POST', '/conversations', { inbox_id: inboxId, contact_id: contactId });
    const path = `/conversations/${made.body.id}`;
    const high = await door('PATCH', path, { priority: 'high' });
    expect(high.status, JSON.stringify(high.body)).toBe(200);
    expect(high.body.priority).toBe('high');
    const changed = await until('conversation_updated', () =>
      events('conversation_updated').find((e) => e.id === made.body.id),
    );
    expect(changed).toMatchObject({
      priority: 'high',
      changed_attributes: [{ priority: { previous_value: null, current_value: 'high' } }],
    });
    expect((await door('PATCH', path, { priority: null })).body.priority).toBeNull();
    expect((await door('PATCH', path, { priority: 'whenever' })).status).toBe(422);
  });
});

describe("Chatwoot's message update and delete", () => {
  let displayId: number;
  let messageId: number;
  const message = async () =>
    ((await door('GET', `/conversations/${displayId}/messages`)).body.payload as Array<Record<string, any>>).find(
      (m) => m.id === messageId,
    )!;

  beforeAll(async () => {
    const made = await door('POST', '/conversations', {
      inbox_id: inboxId,
      contact_id: contactId,
      message: { content: 'Your parcel left.' },
    });
    displayId = made.body.id;
    messageId = (await door('GET', `/conversations/${displayId}/messages`)).body.payload[0].id;
  });

  it('records the status the API channel reports; a read message stays read; failed keeps its reason', async () => {
    const path = `/conversations/${displayId}/messages/${messageId}`;
    const read = await door('PATCH', path, { status: 'read' });
    expect(read.status, JSON.stringify(read.body)).toBe(200);
    expect(read.body).toMatchObject({ id: messageId, status: 'read' });
    expect((await door('PATCH', path, { status: 'delivered' })).body.status).toBe('read');
    const failed = await door('PATCH', path, { status: 'failed', external_error: 'phone unreachable' });
    expect(failed.body).toMatchObject({
      status: 'failed',
      content_attributes: { external_error: 'phone unreachable' },
    });
    const updates = await until('two message_updated', () => {
      const got = events('message_updated').filter((e) => e.id === messageId);
      return got.length >= 2 && got;
    });
    expect(updates.map((e) => e.conversation.messages[0]?.status ?? null)).toContain('read');
    expect((await door('PATCH', path, { status: 'sent' }, 'not-a-token')).status).toBe(401);
    expect((await door('PATCH', `/conversations/${displayId}/messages/999999999`, { status: 'read' })).status).toBe(
      404,
    );
  });

  it('deletes as Chatwoot does: the content says so, content_attributes.deleted, one message_updated', async () => {
    const path = `/conversations/${displayId}/messages/${messageId}`;
    const deleted = await door('DELETE', path);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body).toMatchObject({
      id: messageId,
      content: 'This message was deleted',
      content_attributes: { deleted: true },
    });
    expect(await message()).toMatchObject({
      content: 'This message was deleted',
      content_attributes: { deleted: true },
    });
    const event = await until('message_updated of the delete', () =>
      events('message_updated').find((e) => e.id === messageId && e.content_attributes?.deleted),
    );
    expect(event.content).toBe('This message was deleted');
    expect((await door('DELETE', path, undefined, agent.token)).status).toBe(200);
    expect(events('message_updated').filter((e) => e.id === messageId && e.content_attributes?.deleted)).toHaveLength(
      1,
    );
  });

  it('deletes through /v1 too, with the same workflow', async () => {
    const reply = await door('POST', `/conversations/${displayId}/messages`, { content: 'Oops, wrong customer.' });
    const v1 = `/v1/accounts/${account.accountId}/conversations/${displayId}/messages/${reply.body.id}`;
    const answer = await account.api('DELETE', v1, { headers: { 'idempotency-key': unique('del') } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(204);
    const listed = await account.api('GET', `/v1/accounts/${account.accountId}/conversations/${displayId}/messages`);
    expect(listed.body.payload.find((m: { id: number }) => m.id === reply.body.id)).toMatchObject({
      content: 'This message was deleted',
    });
    expect((await account.api('DELETE', `${v1}9`)).status).toBe(404);
  });
});

describe("Chatwoot's inbox update", () => {
  it('renames, sets and removes the callback, refusing an address the SSRF rule forbids', async () => {
    const path = `/inboxes/${inboxId}`;
    const renamed = await door('PATCH', path, { name: 'Shop API', channel: { webhook_url: receiver.url } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({
      name: 'Shop API',
      webhook_url: receiver.url,
      lock_to_single_conversation: false,
    });
    const inward = await door('PATCH', path, { channel: { webhook_url: 'http://169.254.169.254/latest' } });
    expect(inward.status, JSON.stringify(inward.body)).toBe(422);
    expect(inward.body.attributes).toContain('webhook_url');
    expect((await door('GET', path)).body.webhook_url).toBe(receiver.url);
    const cleared = await door('PATCH', path, { channel: { webhook_url: null }, lock_to_single_conversation: true });
    expect(cleared.body).toMatchObject({ webhook_url: null, lock_to_single_conversation: true, name: 'Shop API' });
    expect((await door('PATCH', path, { name: 'Mine' }, agent.token)).status).toBe(403);
  });
});

describe("/v1's inbox update", () => {
  it('runs the same workflow, with the same SSRF rule', async () => {
    const path = `/v1/accounts/${account.accountId}/inboxes/${lockedId}`;
    const renamed = await account.api('PATCH', path, { body: { name: 'Locked (v1)', webhook_url: receiver.url } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ id: lockedId, name: 'Locked (v1)', webhook_url: receiver.url });
    expect((await door('GET', `/inboxes/${lockedId}`)).body.name).toBe('Locked (v1)');
    const inward = await account.api('PATCH', path, { body: { webhook_url: 'http://10.0.0.1/hook' } });
    expect(inward.status, JSON.stringify(inward.body)).toBe(422);
    expect((await account.api('PATCH', path, { body: { webhook_url: null } })).body.webhook_url).toBeNull();
  });
});

describe("/v1's conversation create", () => {
  it('answers 201, then 200 with the same conversation for the same Idempotency-Key', async () => {
    const key = unique('conv');
    const contact = await door('POST', '/contacts', { name: 'Cy', identifier: unique('cy') });
    const cyId = contact.body.payload.contact.id;
    const create = () =>
      account.api('POST', `/v1/accounts/${account.accountId}/conversations`, {
        headers: { 'idempotency-key': key },
        body: { inbox_id: inboxId, contact_id: cyId, status: 'pending' },
      });
    const first = await create();
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending', meta: { sender: { id: cyId } } });
    const second = await create();
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const bad = await account.api('POST', `/v1/accounts/${account.accountId}/conversations`, {
      body: { inbox_id: inboxId },
    });
    expect(bad.status, JSON.stringify(bad.body)).toBe(422);
  });
});

describe("Chatwoot's incoming message names its conversation", () => {
  it('lands in the resolved conversation of the URL and reopens it, in an inbox without the lock', async () => {
    const inbox = await door('POST', '/inboxes', { channel: { type: 'api' }, name: 'Unlocked API' });
    expect(inbox.status, JSON.stringify(inbox.body)).toBe(200);
    // Two bodies: the door takes the same body again within its retry window for a retry of the first.
    const start = async (order: string) => {
      const made = await door('POST', '/conversations', {
        inbox_id: inbox.body.id,
        contact_id: contactId,
        custom_attributes: { order },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(200);
      return made.body.id as number;
    };
    const older = await start('A-7');
    expect((await door('POST', `/conversations/${older}/toggle_status`, { status: 'resolved' })).status).toBe(200);
    const newer = await start('A-8'); // the contact's latest, open: the inbox's rule alone would pick it
    expect(newer).not.toBe(older);
    const incoming = await door('POST', `/conversations/${older}/messages`, {
      content: 'About that older order',
      message_type: 'incoming',
    });
    expect(incoming.status, JSON.stringify(incoming.body)).toBe(200);
    expect(incoming.body.conversation_id).toBe(older);
    const status = async (id: number) => (await door('GET', `/conversations/${id}`)).body.status;
    expect(await status(older)).toBe('open');
    expect(await status(newer)).toBe('open');
    const newest = await door('GET', `/conversations/${newer}/messages`);
    expect(newest.body.payload.map((m: { content: string }) => m.content)).not.toContain('About that older order');
  });
});
