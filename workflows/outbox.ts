import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import { searchAttributes } from '../config/search-attributes.ts';
import type { Run, Vouched } from '../contracts/activities.ts';
import type { Actor } from '../contracts/common.ts';
import type { Outbox } from '../contracts/webhooks.ts';
import { workflows, type WorkflowEntry } from '../contracts/workflows.ts';
import { vouchedWrite } from './acting-for.ts';
import { startAbandoned } from './child.ts';
import { parseInput } from './validation.ts';
import { answerWhenWritten } from './written.ts';

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

/**
 * A single-transaction write whose transaction also wrote events: the caller has its answer once the write
 * commits (answerWhenWritten), then the deliveries start.
 */
export function writeWithEvents<S extends z.ZodType<{ accountId: number; actor: Actor }>, R>(
  entry: WorkflowEntry<string, S, R, never>,
  activity: (cmd: Vouched<Run<z.output<S>>>) => Promise<{ result: R; outbox: Outbox }>,
): (input: z.input<S>) => Promise<R> {
  return async (input) => {
    const answer = answerWhenWritten<R>();
    const command = parseInput(entry.input, input);
    upsertSearchAttributes([{ key: searchAttributes.accountId, value: String(command.accountId) }]);
    const { result, outbox } = await vouchedWrite(input, command.actor, activity, {
      ...command,
      workflowId: workflowInfo().workflowId,
    });
    answer(result);
    await startDeliveries(command.accountId, outbox);
    return result;
  };
}
