import { describe, expect, it } from 'vitest';
import { newAccount, newInbox } from '../../support/fixtures.ts';
import { startReceiver } from '../../support/receiver.ts';
import { unique, useStack } from '../../support/stack.ts';
import { saveLatest } from '../histories.ts';

const stack = useStack({ http: true, ownDatabase: true });

describe('record the contact workflows', () => {
  it('create, update, merge, delete', async () => {
    const account = await newAccount(stack, 'replay-contacts');
    const contacts = `/v1/accounts/${account.accountId}/contacts`;
    const inboxId = await newInbox(account);
    // Subscribed, so the runs that emit events also start their deliveries (child workflows) in the history.
    const receiver = await startReceiver();
    const hook = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks`, {
      body: { url: receiver.url, subscriptions: ['contact_created', 'contact_updated'] },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const base = await account.api('POST', contacts, { body: { name: 'Ana', identifier: unique('base') } });
    expect(base.status, JSON.stringify(base.body)).toBe(201);
    const updated = await account.api('PATCH', `${contacts}/${base.body.id}`, {
      body: { custom_attributes: { a: 1 } },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    const email = `${unique('mergee')}@example.test`;
    const posted = await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
      body: { contact: { email }, content: 'hello' },
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const merged = await account.api('POST', `${contacts}/${base.body.id}/merge`, {
      body: { mergee_contact_id: posted.body.contact_id },
    });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    const deleted = await account.api('DELETE', `${contacts}/${base.body.id}`);
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    for (const type of ['createContact', 'updateContact', 'mergeContacts', 'deleteContact'])
      await saveLatest(stack, type);
    await receiver.close();
  });
});
