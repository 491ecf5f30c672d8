import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { Run } from '../contracts/activities.ts';
import type {
  ConversationCreated,
  ConversationUpdated,
  CreateConversationInput,
  UpdateConversationInput,
} from '../contracts/conversations.ts';
import type { Outbox } from '../contracts/webhooks.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import { audit } from './audit.ts';
import { requireAgent } from './conversations.ts';
import { deliveriesOf, writeDeliveries } from './deliveries.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { insertReply, senderOf } from './outgoing.ts';
import type { EventSubject } from './webhook-payloads.ts';

type Written<R> = { result: R; outbox: Outbox };

/**
 * Chatwoot's create and update conversation, each one transaction keyed by its run: the audit row holds what
 * the run answered, so a retried attempt answers the same and writes its events once.
 */
export function createConversationWrites({
  sql,
  logger,
  webhooks,
}: {
  sql: Sql;
  logger: Logger;
  webhooks: WebhookSettings;
}) {
  const outboxOf = async (tx: TransactionSql, workflowId: string) => ({
    deliveries: await deliveriesOf(tx, workflowId),
    policy: webhooks.policy,
  });

  async function createConversation(cmd: Run<CreateConversationInput>): Promise<Written<ConversationCreated>> {
    return sql
      .begin(async (tx) => {
        const [done] = await tx<{ details: ConversationCreated }[]>`
          select details from audit_log where workflow_id = ${cmd.workflowId} and action = 'conversation.created'`;
        if (done) return { result: done.details, outbox: await outboxOf(tx, cmd.workflowId) };
        const [inbox] = await tx<{ id: number; lock: boolean }[]>`
          select id, lock_to_single_conversation as lock from inboxes where id = ${cmd.inboxId} and account_id = ${cmd.accountId}`;
        if (!inbox) refuse('NotFound', `Inbox ${cmd.inboxId} does not exist in account ${cmd.accountId}.`);
        const contactId = await contactOf(tx, cmd);
        if (cmd.assigneeId !== undefined) await requireAgent(tx, cmd.accountId, cmd.assigneeId);
        const sender = cmd.message ? await senderOf(tx, cmd) : undefined;
        // Serialises creates in the account, so two creates in a locked inbox find one conversation.
        await tx`select 1 from accounts where id = ${cmd.accountId} for no key update`;
        const existing = inbox.lock ? await latestOf(tx, inbox.id, contactId) : undefined;
        const conversation = existing ?? (await insertConversation(tx, cmd, contactId));
        const events: EventSubject[] = existing
          ? []
          : [{ event: 'conversation_created', conversationId: conversation.id }];
        let messageId: number | null = null;
        if (cmd.message && sender) {
          messageId = await insertReply(tx, {
            accountId: cmd.accountId,
            conversation: { id: conversation.id, inbox_id: inbox.id },
            content: cmd.message.content,
            sender,
            ingestKey: cmd.workflowId,
          });
          events.push({ event: 'message_created', conversationId: conversation.id, messageId });
        }
        const result: ConversationCreated = {
          conversationId: conversation.id,
          displayId: conversation.display_id,
          created: !existing,
          status: conversation.status,
          snoozedUntil: conversation.snoozed_until?.toISOString() ?? null,
          messageId,
        };
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'conversation.created',
          subject: 'Conversation',
          subjectId: conversation.display_id,
          details: result,
          workflowId: cmd.workflowId,
        });
        const deliveries = await writeDeliveries(tx, { accountId: cmd.accountId, sourceKey: cmd.workflowId, events });
        logger.info(
          { accountId: cmd.accountId, displayId: conversation.display_id, created: !existing },
          'conversation',
        );
        return { result, outbox: { deliveries, policy: webhooks.policy } };
      })
      .catch(finalIfPermanent);
  }

  async function updateConversation(cmd: Run<UpdateConversationInput>): Promise<Written<ConversationUpdated>> {
    return sql
      .begin(async (tx) => {
        const [row] = await tx<{ id: number; priority: string | null }[]>`
          select id, priority from conversations
           where account_id = ${cmd.accountId} and display_id = ${cmd.displayId} for update`;
        if (!row) refuse('NotFound', `Conversation ${cmd.displayId} does not exist in account ${cmd.accountId}.`);
        const answer = (changed: boolean, priority: string | null) => ({
          conversationId: row.id,
          displayId: cmd.displayId,
          changed,
          priority,
        });
        const [done] = await tx`
          select 1 from audit_log where workflow_id = ${cmd.workflowId} and action = 'conversation.priority_changed'`;
        if (done || cmd.priority === undefined || cmd.priority === row.priority)
          return { result: answer(Boolean(done), row.priority), outbox: await outboxOf(tx, cmd.workflowId) };
        await tx`update conversations set priority = ${cmd.priority}, updated_at = now() where id = ${row.id}`;
        const changed = [{ priority: { previous_value: row.priority, current_value: cmd.priority } }];
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'conversation.priority_changed',
          subject: 'Conversation',
          subjectId: cmd.displayId,
          details: { changed },
          workflowId: cmd.workflowId,
        });
        const deliveries = await writeDeliveries(tx, {
          accountId: cmd.accountId,
          sourceKey: cmd.workflowId,
          events: [{ event: 'conversation_updated', conversationId: row.id, changed }],
        });
        return { result: answer(true, cmd.priority), outbox: { deliveries, policy: webhooks.policy } };
      })
      .catch(finalIfPermanent);
  }

  return { createConversation, updateConversation };
}

/** The contact by id, or by the source id Capstan shows for it in an inbox: its identifier, else its id. */
async function contactOf(tx: TransactionSql, cmd: CreateConversationInput): Promise<number> {
  const [row] =
    cmd.contactId !== undefined
      ? await tx<
          { id: number }[]
        >`select id from contacts where id = ${cmd.contactId} and account_id = ${cmd.accountId}`
      : await tx<{ id: number }[]>`
          select id from contacts where account_id = ${cmd.accountId}
             and (identifier = ${cmd.sourceId!} or id::text = ${cmd.sourceId!})
           order by identifier = ${cmd.sourceId!} desc nulls last limit 1`;
  if (!row)
    refuse(
      'NotFound',
      cmd.contactId !== undefined
        ? `Contact ${cmd.contactId} does not exist in account ${cmd.accountId}.`
        : `No contact of account ${cmd.accountId} has the source id ${cmd.sourceId}.`,
    );
  return row.id;
}

interface Opened {
  id: number;
  display_id: number;
  status: string;
  snoozed_until: Date | null;
}

/** The contact's latest conversation in the inbox, whatever its status: Chatwoot's lock_to_single_conversation. */
async function latestOf(tx: TransactionSql, inboxId: number, contactId: number): Promise<Opened | undefined> {
  const [row] = await tx<Opened[]>`
    select id, display_id, status, snoozed_until from conversations
     where inbox_id = ${inboxId} and contact_id = ${contactId} order by id desc limit 1 for update`;
  return row;
}

async function insertConversation(tx: TransactionSql, cmd: CreateConversationInput, contactId: number) {
  const [{ display_id } = { display_id: 0 }] = await tx<{ display_id: number }[]>`
    update accounts set last_conversation_display_id = last_conversation_display_id + 1
     where id = ${cmd.accountId} returning last_conversation_display_id as display_id`;
  const [row] = await tx<Opened[]>`
    insert into conversations (account_id, inbox_id, contact_id, display_id, status, assignee_id, snoozed_until,
                               additional_attributes, custom_attributes)
    values (${cmd.accountId}, ${cmd.inboxId}, ${contactId}, ${display_id}, ${cmd.status ?? 'open'},
            ${cmd.assigneeId ?? null}, ${cmd.snoozedUntil ?? null},
            ${tx.json((cmd.additionalAttributes ?? {}) as never)}, ${tx.json((cmd.customAttributes ?? {}) as never)})
    returning id, display_id, status, snoozed_until`;
  return row!;
}
