import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { Run } from '../contracts/activities.ts';
import type {
  AssignConversationInput,
  ContactLabels,
  ConversationChange,
  MarkSeenInput,
  SetContactLabelsInput,
  SetConversationLabelsInput,
  WakeConversationInput,
  Wakened,
} from '../contracts/conversations.ts';
import type { Outbox } from '../contracts/webhooks.ts';
import { searchAttributesOf, summaryOf, workflows } from '../contracts/workflows.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import { deliveriesOf, writeDeliveries } from './deliveries.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { audit } from './audit.ts';
import { statusEvents, type ChangedAttributes, type EventSubject } from './webhook-payloads.ts';

interface ConversationRow {
  id: number;
  display_id: number;
  assignee_id: number | null;
  label_list: string[];
}

/** An assignee must be an agent or administrator of the account: a bot or an outsider is refused (422). */
export async function requireAgent(tx: TransactionSql, accountId: number, userId: number): Promise<void> {
  const [member] = await tx`
    select 1 from account_users au join users u on u.id = au.user_id
     where au.account_id = ${accountId} and au.user_id = ${userId} and u.type is distinct from 'Bot'`;
  if (!member)
    refuse('ValidationError', `User ${userId} is not an agent of account ${accountId}.`, {
      details: [[{ field: 'assignee_id', message: 'must be an agent or administrator of this account' }]],
    });
}

/** Each title once, in the order first given (Chatwoot's tag list). */
const distinct = (labels: string[]) => [...new Set(labels)];
const same = (a: string[], b: string[]) => a.length === b.length && a.every((l, i) => l === b[i]);

/**
 * Assignment, labels, last-seen and snooze wake-ups of a conversation, and labels of a contact. Each write
 * is one transaction keyed by its run (an audit row per run and action), so a retried attempt answers
 * what the first did and writes its events once.
 */
export function createConversationActivities({
  sql,
  logger,
  webhooks,
  temporal,
}: {
  sql: Sql;
  logger: Logger;
  webhooks: WebhookSettings;
  temporal: Client;
}) {
  const outboxOf = async (tx: TransactionSql, workflowId: string) => ({
    deliveries: await deliveriesOf(tx, workflowId),
    policy: webhooks.policy,
  });

  async function lockConversation(tx: TransactionSql, accountId: number, displayId: number) {
    const [row] = await tx<ConversationRow[]>`
      select id, display_id, assignee_id, label_list from conversations
       where account_id = ${accountId} and display_id = ${displayId} for update`;
    if (!row) refuse('NotFound', `Conversation ${displayId} does not exist in account ${accountId}.`);
    return row;
  }

  /** One conversation change: the row, its audit row and its `conversation_updated`, or nothing when it is already so. */
  async function changeConversation(
    cmd: Run<{ accountId: number; displayId: number; actor: AssignConversationInput['actor'] }>,
    action: string,
    apply: (tx: TransactionSql, row: ConversationRow) => Promise<ChangedAttributes>,
  ): Promise<{ result: ConversationChange; outbox: Outbox }> {
    return sql
      .begin(async (tx) => {
        const row = await lockConversation(tx, cmd.accountId, cmd.displayId);
        const [done] = await tx`select 1 from audit_log where workflow_id = ${cmd.workflowId} and action = ${action}`;
        const changed = done ? null : await apply(tx, row);
        const events: EventSubject[] = changed
          ? [{ event: 'conversation_updated', conversationId: row.id, changed }]
          : [];
        let outbox = await outboxOf(tx, cmd.workflowId);
        if (changed) {
          await audit(tx, {
            accountId: cmd.accountId,
            actor: cmd.actor,
            action,
            subject: 'Conversation',
            subjectId: cmd.displayId,
            details: { changed },
            workflowId: cmd.workflowId,
          });
          const deliveries = await writeDeliveries(tx, { accountId: cmd.accountId, sourceKey: cmd.workflowId, events });
          outbox = { deliveries, policy: webhooks.policy };
        }
        const [now] = await tx<
          ConversationRow[]
        >`select id, display_id, assignee_id, label_list from conversations where id = ${row.id}`;
        const result = {
          conversationId: row.id,
          displayId: row.display_id,
          changed: Boolean(done ?? changed),
          assigneeId: now!.assignee_id,
          labels: now!.label_list,
        };
        return { result, outbox };
      })
      .catch(finalIfPermanent);
  }

  async function assignConversation(cmd: Run<AssignConversationInput>) {
    return changeConversation(cmd, 'conversation.assigned', async (tx, row) => {
      if (cmd.assigneeId !== null) await requireAgent(tx, cmd.accountId, cmd.assigneeId);
      if (row.assignee_id === cmd.assigneeId) return null;
      await tx`update conversations set assignee_id = ${cmd.assigneeId}, updated_at = now() where id = ${row.id}`;
      logger.info({ accountId: cmd.accountId, displayId: cmd.displayId, assigneeId: cmd.assigneeId }, 'assigned');
      return [{ assignee_id: { previous_value: row.assignee_id, current_value: cmd.assigneeId } }];
    });
  }

  async function setConversationLabels(cmd: Run<SetConversationLabelsInput>) {
    const labels = distinct(cmd.labels);
    return changeConversation(cmd, 'conversation.labelled', async (tx, row) => {
      if (same(row.label_list, labels)) return null;
      await tx`update conversations set label_list = ${labels}, updated_at = now() where id = ${row.id}`;
      return [{ label_list: { previous_value: row.label_list, current_value: labels } }];
    });
  }

  /** Contacts' labels send no event: Chatwoot's tagging of a contact changes none of its attributes. */
  async function setContactLabels(cmd: Run<SetContactLabelsInput>): Promise<ContactLabels> {
    const labels = distinct(cmd.labels);
    return sql
      .begin(async (tx) => {
        const [row] = await tx<{ label_list: string[] }[]>`
          select label_list from contacts where id = ${cmd.contactId} and account_id = ${cmd.accountId} for update`;
        if (!row) refuse('NotFound', `Contact ${cmd.contactId} does not exist in account ${cmd.accountId}.`);
        const [done] =
          await tx`select 1 from audit_log where workflow_id = ${cmd.workflowId} and action = 'contact.labelled'`;
        if (done || same(row.label_list, labels)) return { contactId: cmd.contactId, labels: row.label_list };
        await tx`update contacts set label_list = ${labels}, updated_at = now() where id = ${cmd.contactId}`;
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'contact.labelled',
          subject: 'Contact',
          subjectId: cmd.contactId,
          details: { from: row.label_list, to: labels },
          workflowId: cmd.workflowId,
        });
        return { contactId: cmd.contactId, labels };
      })
      .catch(finalIfPermanent);
  }

  /** The agent has read the conversation up to now: its unread count starts again from here. */
  async function markConversationSeen(cmd: Run<MarkSeenInput>): Promise<{ agentLastSeenAt: string }> {
    return sql
      .begin(async (tx) => {
        const [row] = await tx<{ agent_last_seen_at: Date }[]>`
          update conversations set agent_last_seen_at = now()
           where account_id = ${cmd.accountId} and display_id = ${cmd.displayId} returning agent_last_seen_at`;
        if (!row) refuse('NotFound', `Conversation ${cmd.displayId} does not exist in account ${cmd.accountId}.`);
        return { agentLastSeenAt: row.agent_last_seen_at.toISOString() };
      })
      .catch(finalIfPermanent);
  }

  /**
   * Starts the conversation's wake-up run, replacing the one a previous snooze started (same id, the
   * running one terminated): the conversation has one timer, for its latest snooze time.
   */
  async function armSnoozeWakeUp(input: WakeConversationInput): Promise<void> {
    const entry = workflows.wakeSnoozedConversation;
    await temporal.workflow.start(entry.type, {
      workflowId: entry.id(input),
      taskQueue: entry.taskQueue,
      args: [input],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.TERMINATE_EXISTING,
      typedSearchAttributes: searchAttributesOf(entry, input),
      staticSummary: summaryOf(entry, input),
    });
  }

  /** The timer fired: reopen, unless the conversation changed meanwhile (another status or snooze time). */
  async function wakeSnoozedConversation(input: WakeConversationInput & { workflowId: string }) {
    return sql
      .begin(async (tx): Promise<{ result: Wakened; outbox: Outbox }> => {
        const [row] = await tx<{ status: string; snoozed_until: Date | null }[]>`
          select status, snoozed_until from conversations where id = ${input.conversationId} for update`;
        const until = new Date(input.snoozedUntil).toISOString();
        if (!row || row.status !== 'snoozed' || row.snoozed_until?.toISOString() !== until) {
          const reopened =
            await tx`select 1 from audit_log where workflow_id = ${input.workflowId} and action = 'conversation.woken'`;
          return {
            result: { outcome: reopened.length ? 'reopened' : 'stale', status: row?.status ?? 'deleted' },
            outbox: await outboxOf(tx, input.workflowId),
          };
        }
        await tx`update conversations set status = 'open', snoozed_until = null, updated_at = now() where id = ${input.conversationId}`;
        await audit(tx, {
          accountId: input.accountId,
          actor: { type: 'System', id: 'snooze' },
          action: 'conversation.woken',
          subject: 'Conversation',
          subjectId: input.displayId,
          details: { snoozed_until: until },
          workflowId: input.workflowId,
        });
        const events = statusEvents(
          input.conversationId,
          { status: 'snoozed', snoozedUntil: until },
          { status: 'open', snoozedUntil: null },
        );
        const deliveries = await writeDeliveries(tx, {
          accountId: input.accountId,
          sourceKey: input.workflowId,
          events,
        });
        logger.info({ accountId: input.accountId, displayId: input.displayId }, 'snoozed conversation reopened');
        return { result: { outcome: 'reopened', status: 'open' }, outbox: { deliveries, policy: webhooks.policy } };
      })
      .catch(finalIfPermanent);
  }

  return {
    assignConversation,
    setConversationLabels,
    setContactLabels,
    markConversationSeen,
    armSnoozeWakeUp,
    wakeSnoozedConversation,
  };
}
