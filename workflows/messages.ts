import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.ts';
import { activityPresets } from '../config/catalogue.ts';
import { changeStatusInput, ingestMessageInput, type ChangeStatusInput, type IngestMessageInput, type IngestedMessage, type StatusChange } from './messages.types.ts';
import { startDeliveries } from './outbox.ts';
import { parseInput } from './validation.ts';

const { appendInboundMessage, changeConversationStatus: changeStatus } = proxyActivities<Activities>(activityPresets.databaseWrite);

/**
 * An inbound message: one transaction stores contact, conversation, message and
 * the outbox of its events; then one delivery workflow per event and webhook.
 * Ordering and gap-free numbering come from the conversation's row lock (see the
 * activity), idempotency from the workflow id and the message's ingest key.
 */
export async function ingestMessage(input: IngestMessageInput): Promise<IngestedMessage> {
  const command = parseInput(ingestMessageInput, input);
  const { result, outbox } = await appendInboundMessage({ ...command, workflowId: workflowInfo().workflowId });
  await startDeliveries(command.accountId, outbox);
  return result;
}

export async function changeConversationStatus(input: ChangeStatusInput): Promise<StatusChange> {
  const command = parseInput(changeStatusInput, input);
  const { result, outbox } = await changeStatus({ ...command, workflowId: workflowInfo().workflowId });
  await startDeliveries(command.accountId, outbox);
  return result;
}
