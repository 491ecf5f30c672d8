import postgres from 'postgres';
import type { Logger } from '../config/logger.ts';
import type { WebhookSettings } from '../config/webhooks.ts';
import { contactByKeysQuery } from '../db/contacts.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import type { ChangeStatusInput, IngestMessageInput, IngestedMessage, StatusChange } from '../contracts/messages.ts';
import type { Outbox } from '../contracts/webhooks.ts';
import { deliveriesOf, writeDeliveries } from './deliveries.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { statusEvents, type EventSubject } from './webhook-payloads.ts';

type Ingest = IngestMessageInput & { workflowId: string };

export function createMessageActivities({
  sql,
  logger,
  webhooks,
}: {
  sql: Sql;
  logger: Logger;
  webhooks: WebhookSettings;
}) {
  /**
   * One transaction: find or create the contact and its open conversation, then
   * append the message. The sequence number comes from the conversation row,
   * incremented under its row lock: concurrent appends queue on that lock, so
   * numbers are distinct and, since a rolled-back increment is undone, gap-free.
   */
  async function appendInboundMessage(cmd: Ingest): Promise<{ result: IngestedMessage; outbox: Outbox }> {
    try {
      return await sql.begin((tx) => append(tx, cmd));
    } catch (err) {
      // Stored meanwhile by an overlapping attempt of this run (ingest key) or under the same source_id:
      // answer with that message, and with this run's deliveries so their workflows still start.
      const duplicate = ['messages_ingest_key_key', 'messages_source_id_per_inbox'];
      if (err instanceof postgres.PostgresError && duplicate.includes(err.constraint_name ?? '')) {
        const existing = await findExisting(sql, cmd);
        if (existing)
          return {
            result: existing,
            outbox: { deliveries: await deliveriesOf(sql, cmd.workflowId), policy: webhooks.policy },
          };
      }
      return finalIfPermanent(err);
    }
  }

  async function append(tx: TransactionSql, cmd: Ingest): Promise<{ result: IngestedMessage; outbox: Outbox }> {
    const [inbox] = await tx`select id from inboxes where id = ${cmd.inboxId} and account_id = ${cmd.accountId}`;
    if (!inbox) refuse('NotFound', `Inbox ${cmd.inboxId} does not exist in account ${cmd.accountId}.`);
    // Already stored, by an earlier attempt of this run (its deliveries too) or under the same source_id.
    const existing = await findExisting(tx, cmd);
    if (existing)
      return {
        result: existing,
        outbox: { deliveries: await deliveriesOf(tx, cmd.workflowId), policy: webhooks.policy },
      };
    const contact = await findOrCreateContact(tx, cmd);
    const conversation = cmd.conversationDisplayId
      ? await namedConversation(tx, cmd, cmd.conversationDisplayId, contact.id)
      : await findOrOpenConversation(tx, cmd.accountId, cmd.inboxId, contact.id);
    const [{ seq } = { seq: 0 }] = await tx<{ seq: number }[]>`
      update conversations set last_message_seq = last_message_seq + 1, last_activity_at = now(), updated_at = now()
       where id = ${conversation.id} returning last_message_seq as seq`;
    const [message] = await tx<{ id: number; created_at: Date }[]>`
      insert into messages (account_id, inbox_id, conversation_id, seq, content, message_type, source_id, ingest_key, sender_type, sender_id)
      values (${cmd.accountId}, ${cmd.inboxId}, ${conversation.id}, ${seq}, ${cmd.content}, 'incoming', ${cmd.sourceId ?? null}, ${cmd.workflowId}, 'Contact', ${contact.id})
      returning id, created_at`;
    logger.debug({ accountId: cmd.accountId, conversationId: conversation.id, seq }, 'message appended');

    const events: EventSubject[] = [];
    if (contact.created) events.push({ event: 'contact_created', conversationId: conversation.id });
    if (conversation.created) events.push({ event: 'conversation_created', conversationId: conversation.id });
    events.push({ event: 'message_created', conversationId: conversation.id, messageId: message!.id });
    events.push(...conversation.events);
    const deliveries = await writeDeliveries(tx, { accountId: cmd.accountId, sourceKey: cmd.workflowId, events });
    return {
      result: {
        message: {
          id: message!.id,
          seq,
          content: cmd.content,
          sourceId: cmd.sourceId ?? null,
          createdAt: message!.created_at.toISOString(),
        },
        conversation: { id: conversation.id, displayId: conversation.display_id, created: conversation.created },
        contact,
        created: true,
      },
      outbox: { deliveries, policy: webhooks.policy },
    };
  }

  async function changeConversationStatus(
    cmd: ChangeStatusInput & { workflowId: string },
  ): Promise<{ result: StatusChange; outbox: Outbox }> {
    if (cmd.snoozedUntil && cmd.status !== 'snoozed')
      refuse('ValidationError', '`snoozed_until` goes only with the status `snoozed`.', {
        details: [{ snoozed_until: ['goes only with the status snoozed'] }],
      });
    const snoozedUntil = cmd.status === 'snoozed' && cmd.snoozedUntil ? new Date(cmd.snoozedUntil).toISOString() : null;
    return sql
      .begin(async (tx) => {
        const [row] = await tx<{ id: number; status: string; snoozed_until: Date | null }[]>`
          select id, status, snoozed_until from conversations
           where account_id = ${cmd.accountId} and display_id = ${cmd.displayId} for update`;
        if (!row) refuse('NotFound', `Conversation ${cmd.displayId} does not exist in account ${cmd.accountId}.`);
        // A retry after commit answers what this run did, from its audit row.
        const [done] = await tx<{ details: { from: string; to: string; snoozed_until?: string | null } }[]>`
          select details from audit_log where workflow_id = ${cmd.workflowId} and action = 'conversation.status_changed'`;
        const outboxSoFar = async () => ({
          deliveries: await deliveriesOf(tx, cmd.workflowId),
          policy: webhooks.policy,
        });
        if (done) {
          const change = {
            conversationId: row.id,
            displayId: cmd.displayId,
            previousStatus: done.details.from,
            status: done.details.to,
            changed: true,
            snoozedUntil: done.details.snoozed_until ?? null,
          };
          return { result: change, outbox: await outboxSoFar() };
        }
        const before = { status: row.status, snoozedUntil: row.snoozed_until?.toISOString() ?? null };
        const after = { status: cmd.status, snoozedUntil };
        const events = statusEvents(row.id, before, after);
        const change = {
          conversationId: row.id,
          displayId: cmd.displayId,
          previousStatus: row.status,
          status: cmd.status,
          changed: events.length > 0,
          snoozedUntil,
        };
        if (!change.changed) return { result: change, outbox: await outboxSoFar() };
        await tx`
          update conversations set status = ${cmd.status}, snoozed_until = ${snoozedUntil}, updated_at = now()
           where id = ${row.id}`;
        await tx`
          insert into audit_log (account_id, actor_type, actor_id, action, subject_type, subject_id, details, workflow_id)
          values (${cmd.accountId}, ${cmd.actor.type}, ${cmd.actor.id}, 'conversation.status_changed', 'Conversation', ${String(cmd.displayId)},
                  ${tx.json({ from: row.status, to: cmd.status, snoozed_until: snoozedUntil })}, ${cmd.workflowId})`;
        const deliveries = await writeDeliveries(tx, { accountId: cmd.accountId, sourceKey: cmd.workflowId, events });
        return { result: change, outbox: { deliveries, policy: webhooks.policy } };
      })
      .catch(finalIfPermanent);
  }

  return { appendInboundMessage, changeConversationStatus };
}

async function findExisting(sql: Sql | TransactionSql, cmd: Ingest): Promise<IngestedMessage | undefined> {
  const [m] = await sql<
    {
      id: number;
      seq: number;
      content: string;
      source_id: string | null;
      created_at: Date;
      conversation_id: number;
      display_id: number;
      contact_id: number;
    }[]
  >`
    select m.id, m.seq, m.content, m.source_id, m.created_at, c.id as conversation_id, c.display_id, c.contact_id
      from messages m join conversations c on c.id = m.conversation_id
     where m.ingest_key = ${cmd.workflowId} or (m.inbox_id = ${cmd.inboxId} and m.source_id = ${cmd.sourceId ?? null})
     limit 1`;
  if (!m) return undefined;
  return {
    message: { id: m.id, seq: m.seq, content: m.content, sourceId: m.source_id, createdAt: m.created_at.toISOString() },
    conversation: { id: m.conversation_id, displayId: m.display_id, created: false },
    contact: { id: m.contact_id, created: false },
    created: false,
  };
}

async function findOrCreateContact(
  tx: TransactionSql,
  cmd: IngestMessageInput,
): Promise<{ id: number; created: boolean }> {
  const { identifier, email, phone_number: phone, name } = cmd.contact;
  const find = async () => {
    const [found] = await contactByKeysQuery(tx, cmd.accountId, cmd.contact);
    return found;
  };
  const found = await find();
  if (found) return { id: found.id, created: false };
  // Two first messages from one new contact may race here: the unique indexes pick one winner,
  // and the loser, rolled back to the savepoint, finds the winner's row.
  try {
    const [created] = await tx.savepoint(
      (sp) => sp<{ id: number }[]>`
      insert into contacts (account_id, name, email, phone_number, identifier)
      values (${cmd.accountId}, ${name ?? email ?? phone ?? identifier ?? ''}, ${email ?? null}, ${phone ?? null}, ${identifier ?? null})
      returning id`,
    );
    return { id: created!.id, created: true };
  } catch (err) {
    if (!(err instanceof postgres.PostgresError && err.code === '23505')) throw err;
    const winner = await find();
    if (!winner) throw err;
    return { id: winner.id, created: false };
  }
}

interface JoinedConversation {
  id: number;
  display_id: number;
  status: string;
  snoozed_until: Date | null;
}

/** Chatwoot's `reopen_conversation`: a snoozed or resolved conversation opens again, a pending one stays pending. */
async function reopened(tx: TransactionSql, existing: JoinedConversation) {
  const events =
    existing.status === 'snoozed' || existing.status === 'resolved'
      ? statusEvents(
          existing.id,
          { status: existing.status, snoozedUntil: existing.snoozed_until?.toISOString() ?? null },
          { status: 'open', snoozedUntil: null },
        )
      : [];
  if (events.length)
    await tx`update conversations set status = 'open', snoozed_until = null, updated_at = now() where id = ${existing.id}`;
  return { id: existing.id, display_id: existing.display_id, created: false, events };
}

/** The conversation the caller named: the contact's, in this inbox, whatever its status; then reopened by the rule. */
async function namedConversation(tx: TransactionSql, cmd: Ingest, displayId: number, contactId: number) {
  const [row] = await tx<JoinedConversation[]>`
    select id, display_id, status, snoozed_until from conversations
     where account_id = ${cmd.accountId} and display_id = ${displayId}
       and inbox_id = ${cmd.inboxId} and contact_id = ${contactId}
     for update`;
  if (!row)
    refuse(
      'NotFound',
      `Conversation ${displayId} of account ${cmd.accountId} is not this contact's conversation in inbox ${cmd.inboxId}.`,
    );
  return reopened(tx, row);
}

/**
 * The conversation an incoming message joins, by Chatwoot's rules: with the inbox's
 * `lock_to_single_conversation`, the contact's latest conversation whatever its status; without it, the
 * latest one not resolved; else a new one. Then Chatwoot's `reopen_conversation`: a snoozed or resolved
 * conversation opens again, a pending one stays pending (a bot is handling it).
 */
async function findOrOpenConversation(tx: TransactionSql, accountId: number, inboxId: number, contactId: number) {
  const [inbox] = await tx<{ lock: boolean }[]>`
    select lock_to_single_conversation as lock from inboxes where id = ${inboxId}`;
  const latest = async () => {
    const [row] = await tx<JoinedConversation[]>`
      select id, display_id, status, snoozed_until from conversations
       where inbox_id = ${inboxId} and contact_id = ${contactId} ${inbox?.lock ? tx`` : tx`and status <> 'resolved'`}
       order by id desc limit 1 for update`;
    return row;
  };
  // The account row lock serialises openings within the account; whoever waited finds the winner's conversation.
  // NO KEY UPDATE, not UPDATE: the foreign-key checks of concurrent inserts hold KEY SHARE on this row,
  // and FOR UPDATE would wait on them while they wait on us (a deadlock seen under load).
  let existing = await latest();
  if (!existing) {
    await tx`select 1 from accounts where id = ${accountId} for no key update`;
    existing = await latest();
  }
  if (existing) return reopened(tx, existing);
  const [{ display_id } = { display_id: 0 }] = await tx<{ display_id: number }[]>`
    update accounts set last_conversation_display_id = last_conversation_display_id + 1
     where id = ${accountId} returning last_conversation_display_id as display_id`;
  const [row] = await tx<{ id: number; display_id: number }[]>`
    insert into conversations (account_id, inbox_id, contact_id, display_id)
    values (${accountId}, ${inboxId}, ${contactId}, ${display_id}) returning id, display_id`;
  return { ...row!, created: true, events: [] as EventSubject[] };
}
