import { describe, expect, it } from 'vitest';
import { newAccount } from '../../support/fixtures.ts';
import { call } from '../../support/http.ts';
import { unique, useStack } from '../../support/stack.ts';
import { saveLatest } from '../histories.ts';

const stack = useStack({ http: true });

describe("record the door's conversation, message and inbox writes", () => {
  it('create and update a conversation, update and delete a message, update an inbox', async () => {
    const account = await newAccount(stack, 'replay-door');
    const base = `/api/v1/accounts/${account.accountId}`;
    const door = async (method: string, path: string, body?: unknown) => {
      const res = await call(stack.api.url, method, `${base}${path}`, {
        headers: { api_access_token: account.adminToken },
        body,
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const inbox = await door('POST', '/inboxes', { name: 'Recorded API', channel: { type: 'api' } });
    const contact = await door('POST', '/contacts', { name: 'Ana', identifier: unique('recorded') });
    const conversation = await door('POST', '/conversations', {
      inbox_id: inbox.id,
      contact_id: contact.payload.contact.id,
      message: { content: 'recorded' },
    });
    const [reply] = (await door('GET', `/conversations/${conversation.id}/messages`)).payload;
    await door('PATCH', `/conversations/${conversation.id}`, { priority: 'high' });
    await door('PATCH', `/conversations/${conversation.id}/messages/${reply.id}`, { status: 'read' });
    await door('DELETE', `/conversations/${conversation.id}/messages/${reply.id}`);
    await door('PATCH', `/inboxes/${inbox.id}`, { name: 'Recorded API (renamed)' });
    for (const type of ['createConversation', 'updateConversation', 'updateMessage', 'deleteMessage', 'updateInbox'])
      await saveLatest(stack, type);
  });
});
