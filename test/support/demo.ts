import { seedDemo, type SeedResult } from '../../cli/seed/demo.ts';
import { until } from './receiver.ts';
import type { TestStack } from './stack.ts';

/**
 * The demo data set of `capstan seed demo`, through the stack's API and workflows. The stack needs `http` and
 * `licensing` (its sandbox vendor signs the demo licence); webhooks deliver to `webhookUrl`.
 */
export function seedDemoData(stack: TestStack, webhookUrl: string): Promise<SeedResult> {
  return seedDemo({
    baseUrl: stack.api.url,
    platformToken: stack.platformToken,
    webhookUrl,
    licenceKey: ({ installationId, customer, plan, seats }) =>
      stack.licensing.issuer.issue({ aud: installationId, sub: customer, plan, seats, expiresIn: 365 * 86_400 }),
  });
}

/** Every row the demo makes, counted, with the ids of the rows a second run would most likely duplicate. */
export async function demoSnapshot(stack: TestStack) {
  const [counts] = await stack.sql`
    select (select count(*) from accounts) as accounts,
           (select count(*) from users) as users,
           (select count(*) from account_users) as memberships,
           (select count(*) from invitations) as invitations,
           (select count(*) from inboxes) as inboxes,
           (select count(*) from contacts) as contacts,
           (select count(*) from conversations) as conversations,
           (select count(*) from messages) as messages,
           (select count(*) from webhooks) as webhooks,
           (select count(*) from webhook_deliveries) as deliveries,
           (select count(*) from licences) as licences,
           (select array_agg(id order by id) from accounts) as account_ids,
           (select array_agg(id order by id) from messages) as message_ids,
           (select array_agg(id order by id) from contacts) as contact_ids`;
  return counts!;
}

/** Deliveries follow the messages: wait until there are some and every one has ended. */
export async function settledDeliveries(stack: TestStack): Promise<void> {
  await until(
    'every demo delivery to end',
    async () => {
      const [row] = await stack.sql`
        select count(*)::int as all, count(*) filter (where finished_at is null)::int as open from webhook_deliveries`;
      return row!.all > 0 && row!.open === 0;
    },
    60_000,
  );
}
