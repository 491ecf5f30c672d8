import { proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import { activityOptions } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import type { CoreActivities, Run, Vouched } from '../contracts/activities.ts';
import type { Actor } from '../contracts/common.ts';
import type { Outbox } from '../contracts/webhooks.ts';
import { workflows, type WorkflowEntry } from '../contracts/workflows.ts';
import { vouchedWrite } from './acting-for.ts';
import { startDeliveries } from './outbox.ts';
import { singleWrite } from './single-write.ts';
import { parseInput } from './validation.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

/** A single-transaction write whose transaction also wrote events: their deliveries start once it commits. */
function writeWithEvents<S extends z.ZodType<{ accountId: number; actor: Actor }>, R>(
  entry: WorkflowEntry<string, S, R, never>,
  activity: (cmd: Vouched<Run<z.output<S>>>) => Promise<{ result: R; outbox: Outbox }>,
): (input: z.input<S>) => Promise<R> {
  return async (input) => {
    const command = parseInput(entry.input, input);
    upsertSearchAttributes([{ key: searchAttributes.accountId, value: String(command.accountId) }]);
    const { result, outbox } = await vouchedWrite(input, command.actor, activity, {
      ...command,
      workflowId: workflowInfo().workflowId,
    });
    await startDeliveries(command.accountId, outbox);
    return result;
  };
}

export const createContact = writeWithEvents(workflows.createContact, a.createContact);
export const updateContact = writeWithEvents(workflows.updateContact, a.updateContact);
export const deleteContact = singleWrite(workflows.deleteContact, a.deleteContact);
export const mergeContacts = writeWithEvents(workflows.mergeContacts, a.mergeContacts);
