import { patched, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { activityOptions } from '../config/catalogue.ts';
import type { CoreActivities } from '../contracts/activities.ts';
import type { ChangeStatusInput, IngestedMessage, IngestMessageInput, StatusChange } from '../contracts/messages.ts';
import type { OutgoingMessage, PostOutgoingMessageInput } from '../contracts/outgoing.ts';
import { workflows } from '../contracts/workflows.ts';
import { startDeliveries } from './outbox.ts';
import { vouchedWrite } from './acting-for.ts';
import { parseInput } from './validation.ts';
import { answerWhenWritten } from './written.ts';

const {
  appendInboundMessage,
  appendOutgoingMessage,
  changeConversationStatus: changeStatus,
  armSnoozeWakeUp,
} = proxyLocalActivities<CoreActivities>(activityOptions.databaseWrite);

/** Runs recorded before snoozes had a timer never armed one (docs/upgrading-workflows.md). */
export const SNOOZE_TIMER_PATCH = 'snooze-arms-timer';

/**
 * An inbound message: one transaction stores contact, conversation, message and
 * the outbox of its events; then one delivery workflow per event and webhook.
 * Ordering and gap-free numbering come from the conversation's row lock (see the
 * activity), idempotency from the workflow id and the message's ingest key.
 */
export async function ingestMessage(input: IngestMessageInput): Promise<IngestedMessage> {
  const answer = answerWhenWritten<IngestedMessage>();
  const command = parseInput(workflows.ingestMessage.input, input);
  const { result, outbox } = await vouchedWrite(input, command.actor, appendInboundMessage, {
    ...command,
    workflowId: workflowInfo().workflowId,
  });
  answer(result);
  await startDeliveries(command.accountId, outbox);
  return result;
}

/**
 * A status change; a snooze with a time also arms the conversation's wake-up run, after the row is
 * committed, so the timer never reads a snooze that is not there yet (a stale timer is harmless: see
 * wakeSnoozedConversation).
 */
export async function changeConversationStatus(input: ChangeStatusInput): Promise<StatusChange> {
  const answer = answerWhenWritten<StatusChange>();
  const command = parseInput(workflows.changeConversationStatus.input, input);
  const { result, outbox } = await vouchedWrite(input, command.actor, changeStatus, {
    ...command,
    workflowId: workflowInfo().workflowId,
  });
  answer(result);
  await startDeliveries(command.accountId, outbox);
  if (result.status === 'snoozed' && result.snoozedUntil && patched(SNOOZE_TIMER_PATCH))
    await armSnoozeWakeUp({
      accountId: command.accountId,
      conversationId: result.conversationId,
      displayId: result.displayId,
      snoozedUntil: result.snoozedUntil,
    });
  return result;
}

/**
 * A reply or a private note: one transaction numbers it in the conversation's sequence and writes its
 * outbox (account webhooks, and the API channel's callback for a public reply); then the deliveries start.
 */
export async function postOutgoingMessage(input: PostOutgoingMessageInput): Promise<OutgoingMessage> {
  const answer = answerWhenWritten<OutgoingMessage>();
  const command = parseInput(workflows.postOutgoingMessage.input, input);
  const { result, outbox } = await vouchedWrite(input, command.actor, appendOutgoingMessage, {
    ...command,
    workflowId: workflowInfo().workflowId,
  });
  answer(result);
  await startDeliveries(command.accountId, outbox);
  return result;
}
