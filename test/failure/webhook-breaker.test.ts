import { afterAll, describe, expect, it } from 'vitest';
import { breakerNames } from '../../config/breakers.ts';
import { breakerStates } from '../../db/breakers.ts';
import { newAccount, newInbox } from '../support/fixtures.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { testWebhookSettings, unique, useStack } from '../support/stack.ts';

// Webhook breakers are named by the receiver's port, unique to this file: the shared database is safe.
const stack = useStack({
  http: true,
  // A deadline far past the outage: this test is about the breaker, not about deliveries dying.
  webhooks: { ...testWebhookSettings, policy: { ...testWebhookSettings.policy, deadlineMs: 120_000 } },
  breakers: { enabled: true, override: { failureThreshold: 3, windowMs: 30_000, openMs: 5_000, trialLeaseMs: 5_000 } },
});
const receivers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const r of receivers) await r.close();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a webhook host breaker', () => {
  it(
    'stops posting to a failing host while open, then one trial closes it and every delivery arrives',
    { timeout: 240_000 },
    async () => {
      let down = true;
      const rx = await startReceiver(() => (down ? 503 : 200));
      receivers.push(rx);
      const name = breakerNames.webhook(rx.url);
      const account = await newAccount(stack, 'hostbreaker');
      const inboxId = await newInbox(account);
      const hook = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks`, {
        body: { url: rx.url, subscriptions: ['message_created'] },
      });
      expect(hook.status).toBe(201);

      await Promise.all(
        [0, 1, 2, 3].map((i) =>
          account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
            body: { contact: { identifier: unique('c') }, content: `message ${i}` },
          }),
        ),
      );
      const opened = await until('the host breaker to open', async () => {
        const [b] = await breakerStates(stack.sql, name);
        return b?.state === 'open' && b;
      });
      down = false; // the host is back: the trial will succeed
      await sleep(1_000); // posts admitted just before it opened have landed by now
      const whileOpen = rx.received.length;
      await sleep(Math.max(0, opened!.halfOpenAt!.getTime() - Date.now() - 100));
      expect(rx.received.length, 'no post reaches the host while its breaker is open').toBe(whileOpen);

      const deliveries = await until(
        'all four deliveries to arrive',
        async () => {
          const rows = await stack.sql<{ status: string }[]>`
            select status from webhook_deliveries where webhook_id = ${hook.body.id}`;
          return rows.length === 4 && rows.every((r) => r.status === 'delivered') && rows;
        },
        90_000,
      );
      expect(deliveries).toHaveLength(4);
      const [after] = await breakerStates(stack.sql, name);
      expect(after).toMatchObject({ state: 'closed', openedTotal: 1, trialsTotal: 1 });
      expect(after!.refusedTotal).toBeGreaterThan(0);
    },
  );
});
