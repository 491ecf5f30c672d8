import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { Run } from '../contracts/activities.ts';
import type { DeleteMessageInput, MessageEdited, UpdateMessageInput } from '../contracts/messages.ts';
import type { Outbox } from '../contracts/webhooks.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import { audit } from './audit.ts';
import { deliveriesOf, writeDeliveries } from './deliveries.ts';
import { finalIfPermanent, refuse } from './failures.ts';

/** What Chatwoot writes in a deleted message (`conversations.messages.deleted`). */
export const DELETED_CONTENT = 'This message was deleted';

interface Row {
  id: number;
  conversation_id: number;
  status: string;
  external_error: string | null;
  deleted: boolean;
  channel_type: string;
}
type Edit = (tx: TransactionSql, row: Row) => Promise<Record<string, unknown> | null>;

/**
 * Chatwoot's message update (a delivery status the API channel reports) and delete (content replaced,
 * `content_attributes.deleted`). Each is one transaction keyed by its run and sends `message_updated`.
 */
export function createMessageEdits({ sql, logger, webhooks }: { sql: Sql; logger: Logger; webhooks: WebhookSettings }) {
  function edit(
    cmd: Run<UpdateMessageInput | DeleteMessageInput>,
    action: string,
    apply: Edit,
  ): Promise<{ result: MessageEdited; outbox: Outbox }> {
    return sql
      .begin(async (tx) => {
        const row = await lockMessage(tx, cmd);
        const [done] = await tx`select 1 from audit_log where workflow_id = ${cmd.workflowId} and action = ${action}`;
        const details = done ? null : await apply(tx, row);
        let deliveries = await deliveriesOf(tx, cmd.workflowId);
        if (details) {
          await audit(tx, {
            accountId: cmd.accountId,
            actor: cmd.actor,
            action,
            subject: 'Message',
            subjectId: row.id,
            details,
            workflowId: cmd.workflowId,
          });
          deliveries = await writeDeliveries(tx, {
            accountId: cmd.accountId,
            sourceKey: cmd.workflowId,
            events: [{ event: 'message_updated', conversationId: row.conversation_id, messageId: row.id }],
          });
          logger.info({ accountId: cmd.accountId, messageId: row.id, action }, 'message edited');
        }
        const now = await lockMessage(tx, cmd);
        const result = {
          messageId: row.id,
          displayId: cmd.displayId,
          changed: Boolean(done ?? details),
          status: now.status,
          deleted: now.deleted,
        };
        return { result, outbox: { deliveries, policy: webhooks.policy } };
      })
      .catch(finalIfPermanent);
  }

  async function updateMessage(cmd: Run<UpdateMessageInput>) {
    return edit(cmd, 'message.status_changed', async (tx, row) => {
      if (row.channel_type !== 'Channel::Api')
        refuse('Forbidden', 'Message status update is only allowed for API inboxes.');
      // Chatwoot's Messages::StatusUpdateService: a read message is not delivered again.
      if (row.status === 'read' && cmd.status === 'delivered') return null;
      const externalError = cmd.status === 'failed' ? (cmd.externalError ?? null) : null;
      if (row.status === cmd.status && row.external_error === externalError) return null;
      await tx`
        update messages set status = ${cmd.status}, external_error = ${externalError}, updated_at = now()
         where id = ${row.id}`;
      return { from: row.status, to: cmd.status };
    });
  }

  async function deleteMessage(cmd: Run<DeleteMessageInput>) {
    return edit(cmd, 'message.deleted', async (tx, row) => {
      if (row.deleted) return null;
      await tx`
        update messages set content = ${DELETED_CONTENT}, content_type = 'text', external_error = null,
                            content_attributes = '{"deleted": true}', updated_at = now()
         where id = ${row.id}`;
      return {};
    });
  }

  return { updateMessage, deleteMessage };
}

async function lockMessage(tx: TransactionSql, cmd: Run<DeleteMessageInput>): Promise<Row> {
  const [row] = await tx<Row[]>`
    select m.id, m.conversation_id, m.status, m.external_error, i.channel_type,
           coalesce((m.content_attributes ->> 'deleted')::boolean, false) as deleted
      from messages m join conversations c on c.id = m.conversation_id join inboxes i on i.id = m.inbox_id
     where c.account_id = ${cmd.accountId} and c.display_id = ${cmd.displayId} and m.id = ${cmd.messageId}
       for update of m`;
  if (!row)
    refuse(
      'NotFound',
      `Message ${cmd.messageId} does not exist in conversation ${cmd.displayId} of account ${cmd.accountId}.`,
    );
  return row;
}
