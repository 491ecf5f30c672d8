import { afterAll, describe, expect, it } from 'vitest';
import { newAccount, newInbox } from '../support/fixtures.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const receivers: Array<{ close(): Promise<void> }> = [];
afterAll(() => Promise.all(receivers.map((r) => r.close())));

describe('merging contacts', () => {
  it('leaves one contact with both conversations and all messages, keeps its values, fills its blanks, audits and tells', async () => {
    const account = await newAccount(stack, 'merge');
    const contacts = `/v1/accounts/${account.accountId}/contacts`;
    const rx = await startReceiver();
    receivers.push(rx);
    const hook = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks`, {
      body: { url: rx.url, subscriptions: ['contact_updated', 'conversation_status_changed'] },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const [shop, chat] = [await newInbox(account, 'Shop'), await newInbox(account, 'Chat')];
    const post = (inboxId: number, contact: Record<string, string>, content: string) =>
      account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
        body: { contact, content },
      });

    const identifier = unique('base');
    const email = `${unique('mergee')}@example.test`;
    const base = await account.api('POST', contacts, {
      body: { name: 'Ana Lima', identifier, custom_attributes: { plan: 'gold', prefs: { lang: 'pt' } } },
    });
    const mergee = await account.api('POST', contacts, {
      body: {
        name: 'ana',
        email,
        phone_number: '+55 11 90000-0001',
        custom_attributes: { plan: 'free', prefs: { tz: 'BRT', lang: 'en' }, vip: true },
      },
    });
    expect([base.status, mergee.status]).toEqual([201, 201]);
    expect((await post(shop, { identifier }, 'from the base')).body.conversation_id).toBe(1);
    expect((await post(shop, { email }, 'from the mergee, same inbox')).body.conversation_id).toBe(2);
    expect((await post(chat, { email }, 'from the mergee, other inbox')).body.conversation_id).toBe(3);

    const key = unique('merge');
    const merge = () =>
      account.api('POST', `${contacts}/${base.body.id}/merge`, {
        body: { mergee_contact_id: mergee.body.id },
        headers: { 'idempotency-key': key },
      });
    const merged = await merge();
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({
      mergee_contact_id: mergee.body.id,
      moved_conversations: [2, 3],
      // An inbox holds several open conversations of one contact (docs/conversation-lifecycle.md): none is closed.
      resolved_conversations: [],
      moved_messages: 2,
      contact: {
        id: base.body.id,
        name: 'Ana Lima',
        identifier,
        email,
        phone_number: '+55 11 90000-0001',
        custom_attributes: { plan: 'gold', prefs: { tz: 'BRT', lang: 'pt' }, vip: true },
      },
    });
    expect((await merge()).body).toEqual(merged.body); // the same key answers the first merge

    expect((await account.api('GET', `${contacts}/${mergee.body.id}`)).status).toBe(404);
    const conversations = await account.api('GET', `${contacts}/${base.body.id}/conversations`);
    expect(conversations.body.payload.map((c: { id: number; status: string }) => [c.id, c.status])).toEqual([
      [3, 'open'],
      [2, 'open'],
      [1, 'open'],
    ]);
    const senders = await stack.sql`
      select distinct sender_id from messages where account_id = ${account.accountId} and sender_type = 'Contact'`;
    expect(senders.map((s) => s.sender_id)).toEqual([base.body.id]);
    const [audit] = await stack.sql`
      select actor_type, subject_id, details from audit_log where account_id = ${account.accountId} and action = 'contact.merged'`;
    expect(audit).toMatchObject({
      actor_type: 'User',
      subject_id: String(base.body.id),
      details: { mergeeContactId: mergee.body.id, movedConversations: [2, 3], movedMessages: 2 },
    });

    const events = await until(
      'the merge events',
      () => rx.received.length >= 1 && rx.received.map((r) => JSON.parse(r.body)),
    );
    const updated = events.find((e: { event: string }) => e.event === 'contact_updated');
    expect(updated).toMatchObject({ id: base.body.id, email, name: 'Ana Lima' });
    expect(updated.changed_attributes.map((c: object) => Object.keys(c)[0])).toEqual([
      'email',
      'phone_number',
      'custom_attributes',
    ]);
    expect(events.map((e: { event: string }) => e.event)).toEqual(['contact_updated']);

    // The mergee's address now finds the base, and the latest conversation of it in that inbox that is not resolved.
    expect((await post(shop, { email }, 'after the merge')).body).toMatchObject({
      contact_id: base.body.id,
      conversation_id: 2,
    });
  });

  it('refuses merging a contact into itself, and a mergee that is gone, changing nothing', async () => {
    const account = await newAccount(stack, 'merge-refused');
    const contacts = `/v1/accounts/${account.accountId}/contacts`;
    const one = await account.api('POST', contacts, { body: { name: 'One' } });
    const self = await account.api('POST', `${contacts}/${one.body.id}/merge`, {
      body: { mergee_contact_id: one.body.id },
    });
    expect(self.status).toBe(422);
    expect(self.body.errors).toEqual([{ field: 'mergee_contact_id', message: 'must name another contact' }]);
    const gone = await account.api('POST', `${contacts}/${one.body.id}/merge`, {
      body: { mergee_contact_id: 2_147_483_000 },
      headers: { 'idempotency-key': unique('gone') },
    });
    expect(gone.status).toBe(404);
    expect(gone.body.detail).toContain('2147483000');
    expect((await account.api('GET', `${contacts}/${one.body.id}`)).body.name).toBe('One');
  });
});
