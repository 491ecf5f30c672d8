import type { temporal } from '@temporalio/proto';
import { afterAll, describe, expect, it } from 'vitest';
import { mailedSignInToken, newAccount, newInbox } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { startReceiver } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

type Event = temporal.api.history.v1.IHistoryEvent;

/** The closed run's events, to see in which order it answered, started its children and ended. */
async function eventsOf(workflowId: string): Promise<Event[]> {
  const handle = stack.temporal.workflow.getHandle(workflowId);
  await handle.result().catch(() => undefined);
  return (await handle.fetchHistory()).events ?? [];
}
const idOf = (events: Event[], has: (e: Event) => unknown): number => {
  const found = events.find((e) => has(e));
  expect(found, 'the event is in the history').toBeDefined();
  return Number(found?.eventId);
};

/**
 * A write answers when its transaction commits, not when the work after it (the mail, the webhook deliveries) has
 * started: each child start is another round trip through the Temporal server, and they used to be in every answer.
 */
describe('a write answers once written (Update-with-Start)', () => {
  it('answers a provisioning from the written update, before the sign-in mail child starts, and the replay alike', async () => {
    const key = unique('early');
    const email = `${key}@early.test`;
    const provision = () =>
      call(stack.api.url, 'POST', '/v1/accounts', {
        token: stack.platformToken,
        body: { name: 'Early', admin: { name: 'E', email } },
        headers: { 'idempotency-key': key },
      });
    const made = await provision();
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const events = await eventsOf(`account:${key}`);
    const answered = idOf(events, (e) => e.workflowExecutionUpdateCompletedEventAttributes);
    const mailStarted = idOf(events, (e) => e.childWorkflowExecutionStartedEventAttributes);
    const closed = idOf(events, (e) => e.workflowExecutionCompletedEventAttributes);
    expect(answered).toBeLessThan(mailStarted);
    expect(mailStarted).toBeLessThan(closed);
    // The update's answer is the run's result, so a repeat of the key (read from the closed run) answers the same.
    const replay = await provision();
    expect(replay.status).toBe(200);
    expect({ ...replay.body, sign_in_expires_at: undefined }).toEqual({ ...made.body, sign_in_expires_at: undefined });
    await mailedSignInToken(stack, email);
    expect(stack.mail.mailbox.mails.filter((m) => m.to.includes(email))).toHaveLength(1);
  });

  it('answers a message before its webhook delivery starts', async () => {
    const account = await newAccount(stack, 'early-msg');
    const inboxId = await newInbox(account);
    const receiver = await startReceiver();
    afterAll(() => receiver.close());
    const hook = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks`, {
      body: { url: receiver.url, subscriptions: ['message_created'] },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const key = unique('msg');
    const sent = await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
      body: { contact: { email: `${key}@early.test` }, content: 'hello' },
      headers: { 'idempotency-key': key },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    const events = await eventsOf(`message:${account.accountId}:${inboxId}:${key}`);
    expect(idOf(events, (e) => e.workflowExecutionUpdateCompletedEventAttributes)).toBeLessThan(
      idOf(events, (e) => e.childWorkflowExecutionStartedEventAttributes),
    );
  });

  it('answers a run that fails in its write with the run’s failure, as a problem', async () => {
    const account = await newAccount(stack, 'early-fail');
    const key = unique('no-conversation');
    const refused = await account.api('POST', `/v1/accounts/${account.accountId}/conversations/999999/toggle_status`, {
      body: { status: 'resolved' },
      headers: { 'idempotency-key': key },
    });
    expect(refused.status, JSON.stringify(refused.body)).toBe(404);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const events = await eventsOf(`conversation-status:${account.accountId}:999999:${key}`);
    expect(events.some((e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success)).toBe(false);
    expect(events.some((e) => e.workflowExecutionFailedEventAttributes)).toBe(true);
  });
});
