import { afterAll, describe, expect, it } from 'vitest';
import { newAccount } from '../../support/fixtures.ts';
import { startReceiver, until } from '../../support/receiver.ts';
import { unique, useStack } from '../../support/stack.ts';
import { saveLatest } from '../histories.ts';

const stack = useStack({ http: true });
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

describe('record the outgoing-message workflows', () => {
  it("a reply delivered to an API inbox's callback, and a rotated inbox secret", async () => {
    const rx = await startReceiver();
    closers.push(rx.close);
    const account = await newAccount(stack, 'replay-reply');
    const base = `/v1/accounts/${account.accountId}`;
    const inbox = await account.api('POST', `${base}/inboxes`, { body: { name: 'Shop API', webhook_url: rx.url } });
    expect(inbox.status, JSON.stringify(inbox.body)).toBe(201);
    const incoming = await account.api('POST', `${base}/inboxes/${inbox.body.id}/messages`, {
      body: { contact: { identifier: unique('contact') }, content: 'recorded' },
    });
    expect(incoming.status).toBe(201);
    const reply = await account.api('POST', `${base}/conversations/${incoming.body.conversation_id}/messages`, {
      body: { content: 'recorded reply' },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    await until('the callback', () => rx.received.length >= 1);
    const rotated = await account.api('POST', `${base}/inboxes/${inbox.body.id}/rotate_secret`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    for (const type of ['postOutgoingMessage', 'rotateInboxSecret']) await saveLatest(stack, type);
  });
});
