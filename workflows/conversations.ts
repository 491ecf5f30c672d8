import { proxyLocalActivities, sleep, workflowInfo } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { WakeConversationInput, Wakened } from '../contracts/conversations.ts';
import { workflows } from '../contracts/workflows.ts';
import { startDeliveries, writeWithEvents } from './outbox.ts';
import { singleWrite } from './single-write.ts';
import { parseInput } from './validation.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

export const assignConversation = writeWithEvents(workflows.assignConversation, a.assignConversation);
export const setConversationLabels = writeWithEvents(workflows.setConversationLabels, a.setConversationLabels);
export const setContactLabels = singleWrite(workflows.setContactLabels, a.setContactLabels);
export const markConversationSeen = singleWrite(workflows.markConversationSeen, a.markConversationSeen);
export const createLabel = singleWrite(workflows.createLabel, a.createLabel);
export const updateLabel = singleWrite(workflows.updateLabel, a.updateLabel);
export const deleteLabel = singleWrite(workflows.deleteLabel, a.deleteLabel);

/**
 * A snooze's durable timer: sleeps until the snooze time, whichever worker is alive then, and asks the
 * activity to reopen. The activity reopens only a conversation still snoozed until that very time, so a
 * status changed first (or a newer snooze) makes the wake-up a no-op. Its writes are keyed by this run:
 * a conversation snoozed again gets a new run under the same workflow id.
 */
export async function wakeSnoozedConversation(input: WakeConversationInput): Promise<Wakened> {
  const command = parseInput(workflows.wakeSnoozedConversation.input, input);
  await sleep(Math.max(Date.parse(command.snoozedUntil) - Date.now(), 1));
  const { workflowId, runId } = workflowInfo();
  const { result, outbox } = await a.wakeSnoozedConversation({ ...command, workflowId: `${workflowId}:${runId}` });
  await startDeliveries(command.accountId, outbox);
  return result;
}
