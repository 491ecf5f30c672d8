import { proxyLocalActivities, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import { searchAttributes } from '../config/search-attributes.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { ConversationCreated, CreateConversationInput } from '../contracts/conversations.ts';
import { workflows } from '../contracts/workflows.ts';
import { vouchedWrite } from './acting-for.ts';
import { startDeliveries, writeWithEvents } from './outbox.ts';
import { parseInput } from './validation.ts';
import { answerWhenWritten } from './written.ts';

const a = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

/**
 * Chatwoot's create conversation: one transaction writes the conversation (or, in an inbox locked to one
 * conversation, finds the contact's), its first reply and their events; then the deliveries start, and a
 * conversation created snoozed until a time gets its wake-up, as a snooze by toggle_status does.
 */
export async function createConversation(input: CreateConversationInput): Promise<ConversationCreated> {
  const answer = answerWhenWritten<ConversationCreated>();
  const command = parseInput(workflows.createConversation.input, input);
  upsertSearchAttributes([{ key: searchAttributes.accountId, value: String(command.accountId) }]);
  const { result, outbox } = await vouchedWrite(input, command.actor, a.createConversation, {
    ...command,
    workflowId: workflowInfo().workflowId,
  });
  answer(result);
  await startDeliveries(command.accountId, outbox);
  if (result.created && result.status === 'snoozed' && result.snoozedUntil)
    await a.armSnoozeWakeUp({
      accountId: command.accountId,
      conversationId: result.conversationId,
      displayId: result.displayId,
      snoozedUntil: result.snoozedUntil,
    });
  return result;
}

export const updateConversation = writeWithEvents(workflows.updateConversation, a.updateConversation);
export const updateMessage = writeWithEvents(workflows.updateMessage, a.updateMessage);
export const deleteMessage = writeWithEvents(workflows.deleteMessage, a.deleteMessage);
