import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { Outbox } from '../contracts/webhooks.ts';
import { workflows, type WorkflowFn } from '../contracts/workflows.ts';
import { childOptions } from './child.ts';

const delivery = workflows.deliverWebhook;

/**
 * Starts one `deliverWebhook` per delivery its transaction wrote. Children are
 * abandoned, not awaited: a message is stored when its row is, not when every
 * receiver has answered. An id already started (a replayed step) is fine.
 */
export async function startDeliveries(accountId: number, outbox: Outbox): Promise<void> {
  await Promise.all(
    outbox.deliveries.map(async (deliveryId) => {
      const input = { deliveryId, accountId, policy: outbox.policy };
      try {
        await startChild<WorkflowFn<typeof delivery>>(
          delivery.type,
          childOptions(delivery, delivery.id({ deliveryId }), input, { parentClosePolicy: ParentClosePolicy.ABANDON }),
        );
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }),
  );
}
