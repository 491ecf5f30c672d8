import { afterAll, describe, expect, it } from 'vitest';
import { newAccount, newInbox } from '../support/fixtures.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true, captureLogs: true });
const receivers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

interface Line {
  requestId?: string;
  component?: string;
  msg?: string;
}

function linesOf(requestId: string): Line[] {
  return stack.logLines
    .filter((line) => line.includes(requestId))
    .map((line) => JSON.parse(line) as Line)
    .filter((line) => line.requestId === requestId);
}

/** Posts a message to a fresh account with a webhook, waits for its delivery; answers the request id the API used. */
async function messageWithDelivery(headers: Record<string, string>): Promise<string> {
  const account = await newAccount(stack, 'reqid');
  const inboxId = await newInbox(account);
  const rx = await startReceiver();
  receivers.push(rx);
  const hook = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks`, {
    body: { url: rx.url, subscriptions: ['message_created'] },
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);

  const res = await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
    headers,
    body: { contact: { email: `${unique('ana')}@example.test`, name: 'Ana' }, content: 'Hello' },
  });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  await until('the delivery', () => rx.received.length >= 1);
  const requestId = res.headers.get('x-request-id')!;
  // The activity logs its line after the receiver has answered.
  await until('the delivery log line', () => linesOf(requestId).some((l) => l.msg === 'webhook delivered'));
  return requestId;
}

function expectFollowed(requestId: string) {
  const lines = linesOf(requestId);
  expect(lines.filter((l) => l.component === 'api' && l.msg === 'request')).toHaveLength(1);
  expect(lines.some((l) => l.component === 'activities.messages')).toBe(true);
  expect(lines.some((l) => l.component === 'activities.deliveries' && l.msg === 'webhook delivered')).toBe(true);
}

describe('one request followed from HTTP to the last activity', () => {
  it('carries the caller’s X-Request-Id into the message write and the webhook delivery it causes', async () => {
    const requestId = `test-${unique('req')}`;
    expect(await messageWithDelivery({ 'X-Request-Id': requestId })).toBe(requestId);
    expectFollowed(requestId);
  });

  it('does the same with the id the API generates when the caller sends none', async () => {
    const requestId = await messageWithDelivery({});
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expectFollowed(requestId);
  });
});
