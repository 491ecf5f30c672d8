import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import type { Run } from '../contracts/activities.ts';
import type { OutgoingMessage, PostOutgoingMessageInput } from '../contracts/outgoing.ts';
import type { Outbox } from '../contracts/webhooks.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import { deliveriesOf, writeDeliveries } from './deliveries.ts';
import { finalIfPermanent, refuse } from './failures.ts';

type Sender = { type: 'User' | 'AgentBot'; id: number };

interface Stored {
  id: number;
  seq: number;
  content: string;
  private: boolean;
  status: OutgoingMessage['message']['status'];
  sender_type: Sender['type'];
  sender_id: number;
  created_at: Date;
  conversation_id: number;
  display_id: number;
  to_callback: boolean;
}

const toResult = (m: Stored): OutgoingMessage => ({
  message: {
    id: m.id,
    seq: m.seq,
    content: m.content,
    private: m.private,
    status: m.status,
    senderType: m.sender_type,
    senderId: m.sender_id,
    createdAt: m.created_at.toISOString(),
  },
  conversation: { id: m.conversation_id, displayId: m.display_id },
  toCallback: m.to_callback,
});

export function createOutgoingActivities({
  sql,
  logger,
  webhooks,
}: {
  sql: Sql;
  logger: Logger;
  webhooks: WebhookSettings;
}) {
  /**
   * One transaction, as for an incoming message: the conversation's row lock numbers the reply in the same
   * sequence, and the outbox (account webhooks; the inbox's callback for a public reply) commits with it.
   * The run's id is the message's ingest key, so a retried attempt answers with what the first one stored.
   */
  async function appendOutgoingMessage(
    cmd: Run<PostOutgoingMessageInput>,
  ): Promise<{ result: OutgoingMessage; outbox: Outbox }> {
    return sql
      .begin(async (tx) => {
        const earlier = await stored(tx, cmd.workflowId);
        if (earlier)
          return {
            result: toResult(earlier),
            outbox: { deliveries: await deliveriesOf(tx, cmd.workflowId), policy: webhooks.policy },
          };
        const [conversation] = await tx<{ id: number; inbox_id: number }[]>`
          select id, inbox_id from conversations
           where account_id = ${cmd.accountId} and display_id = ${cmd.displayId} for update`;
        if (!conversation)
          refuse('NotFound', `Conversation ${cmd.displayId} does not exist in account ${cmd.accountId}.`);
        const sender = await senderOf(tx, cmd);
        const messageId = await insertReply(tx, { ...cmd, conversation, sender, ingestKey: cmd.workflowId });
        const deliveries = await writeDeliveries(tx, {
          accountId: cmd.accountId,
          sourceKey: cmd.workflowId,
          events: [{ event: 'message_created', conversationId: conversation.id, messageId }],
        });
        logger.debug({ accountId: cmd.accountId, conversationId: conversation.id }, 'reply appended');
        const mine = await stored(tx, cmd.workflowId);
        return { result: toResult(mine!), outbox: { deliveries, policy: webhooks.policy } };
      })
      .catch(finalIfPermanent);
  }

  return { appendOutgoingMessage };
}

/**
 * Numbers a reply in its conversation's sequence (the caller holds the conversation's row lock) and stores it
 * under its ingest key; the caller writes its `message_created` with the rest of its outbox.
 */
export async function insertReply(
  tx: TransactionSql,
  r: {
    accountId: number;
    conversation: { id: number; inbox_id: number };
    content: string;
    private?: boolean;
    sender: Sender;
    ingestKey: string;
  },
): Promise<number> {
  const [{ seq } = { seq: 0 }] = await tx<{ seq: number }[]>`
    update conversations set last_message_seq = last_message_seq + 1, last_activity_at = now(), updated_at = now()
     where id = ${r.conversation.id} returning last_message_seq as seq`;
  const [message] = await tx<{ id: number }[]>`
    insert into messages (account_id, inbox_id, conversation_id, seq, content, message_type, private, ingest_key, sender_type, sender_id)
    values (${r.accountId}, ${r.conversation.inbox_id}, ${r.conversation.id}, ${seq}, ${r.content}, 'outgoing',
            ${r.private ?? false}, ${r.ingestKey}, ${r.sender.type}, ${r.sender.id})
    returning id`;
  return message!.id;
}

/**
 * Who replies: a user of the account (an agent, or a bot, which Chatwoot calls an AgentBot), or a break-glass
 * holder acting in it. A platform token speaks for no one a customer could be answered by.
 */
export async function senderOf(
  tx: TransactionSql,
  cmd: { accountId: number; actor: PostOutgoingMessageInput['actor'] },
): Promise<Sender> {
  if (cmd.actor.type !== 'User')
    refuse('Forbidden', 'A reply is written by a user or bot of the account; use their token.');
  const userId = Number(cmd.actor.id);
  const [user] = await tx<{ type: string | null; member: boolean }[]>`
    select u.type, exists (select 1 from account_users m where m.account_id = ${cmd.accountId} and m.user_id = u.id) as member
      from users u where u.id = ${userId}`;
  if (!user || (!user.member && cmd.actor.grantId === undefined))
    refuse('Forbidden', `User ${userId} is not a member of account ${cmd.accountId}.`);
  return { type: user.type === 'Bot' ? 'AgentBot' : 'User', id: userId };
}

async function stored(tx: TransactionSql, ingestKey: string): Promise<Stored | undefined> {
  const [m] = await tx<Stored[]>`
    select m.id, m.seq, m.content, m.private, m.status, m.sender_type, m.sender_id, m.created_at,
           c.id as conversation_id, c.display_id,
           exists (select 1 from webhook_deliveries d where d.message_id = m.id and d.inbox_id is not null) as to_callback
      from messages m join conversations c on c.id = m.conversation_id
     where m.ingest_key = ${ingestKey}`;
  return m;
}
