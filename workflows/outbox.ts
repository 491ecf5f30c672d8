import type { Outbox } from '../contracts/webhooks.ts';
import { workflows } from '../contracts/workflows.ts';
import { startAbandoned } from './child.ts';

const delivery = workflows.deliverWebhook;

/**
 * Starts one `deliverWebhook` per delivery its transaction wrote. Children are
 * abandoned, not awaited: a message is stored when its row is, not when every
 * receiver has answered. An id already started (a replayed step) is fine.
 */
export async function startDeliveries(accountId: number, outbox: Outbox): Promise<void> {
  await Promise.all(
    outbox.deliveries.map((deliveryId) =>
      startAbandoned(delivery, delivery.id({ deliveryId }), { deliveryId, accountId, policy: outbox.policy }),
    ),
  );
}
