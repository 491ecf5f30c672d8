import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { taskQueues } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import type { deliverWebhook } from './deliver-webhook.ts';
import type { Outbox } from './webhooks.types.ts';

/**
 * Starts one `deliverWebhook` per delivery its transaction wrote. Children are
 * abandoned, not awaited: a message is stored when its row is, not when every
 * receiver has answered. An id already started (a replayed step) is fine.
 */
export async function startDeliveries(accountId: number, outbox: Outbox): Promise<void> {
  await Promise.all(
    outbox.deliveries.map(async (deliveryId) => {
      try {
        await startChild<typeof deliverWebhook>('deliverWebhook', {
          workflowId: `delivery:${deliveryId}`,
          taskQueue: taskQueues.core,
          args: [{ deliveryId, policy: outbox.policy }],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          typedSearchAttributes: [
            { key: searchAttributes.kind, value: 'deliverWebhook' },
            { key: searchAttributes.accountId, value: String(accountId) },
          ],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }),
  );
}
