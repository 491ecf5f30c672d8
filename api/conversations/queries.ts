import { workflows } from '../../contracts/workflows.ts';
import type { Sql } from '../../db/pool.ts';
import { canReply, conversationColumns, conversationsFrom, type ConversationRow } from '../../db/conversations.ts';

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

/** Chatwoot's conversation JSON: `id` is the display id; times are Unix seconds. */
function view(r: ConversationRow) {
  return {
    id: r.display_id,
    inbox_id: r.inbox_id,
    status: r.status,
    messages_count: r.messages_count,
    created_at: unix(r.created_at),
    last_activity_at: unix(r.last_activity_at),
    snoozed_until: r.snoozed_until?.toISOString() ?? null,
    agent_last_seen_at: r.agent_last_seen_at ? unix(r.agent_last_seen_at) : 0,
    unread_count: r.unread_count,
    can_reply: canReply(r.channel_type),
    labels: r.label_list,
    priority: r.priority,
    additional_attributes: r.additional_attributes,
    custom_attributes: r.custom_attributes,
    assignee_id: r.assignee_id,
    meta: {
      sender: {
        id: r.contact_id,
        name: r.contact_name,
        email: r.email,
        phone_number: r.phone_number,
        identifier: r.identifier,
        type: 'contact',
      },
      assignee:
        r.assignee_id === null
          ? null
          : { id: r.assignee_id, name: r.assignee_name, email: r.assignee_email, type: 'user' },
      assignee_type: r.assignee_id === null ? null : 'User',
    },
  };
}

export interface ConversationFilter {
  accountId: number;
  status?: string;
  inboxId?: number;
  contactId?: number;
  /** A user id, or `none` for unassigned conversations. */
  assigneeId?: number | 'none';
  label?: string;
  before?: number;
  limit: number;
}

/** The list's query, unawaited: the route runs it, test/api/query-plans.test.ts explains it. */
export function conversationsQuery(sql: Sql, q: ConversationFilter) {
  return sql<ConversationRow[]>`
    select ${conversationColumns(sql)} from ${conversationsFrom(sql)}
     where c.account_id = ${q.accountId}
       ${q.status ? sql`and c.status = ${q.status}` : sql``}
       ${q.inboxId ? sql`and c.inbox_id = ${q.inboxId}` : sql``}
       ${q.contactId ? sql`and c.contact_id = ${q.contactId}` : sql``}
       ${q.assigneeId === 'none' ? sql`and c.assignee_id is null` : q.assigneeId ? sql`and c.assignee_id = ${q.assigneeId}` : sql``}
       ${q.label ? sql`and ${q.label} = any(c.label_list)` : sql``}
       ${q.before ? sql`and c.display_id < ${q.before}::bigint` : sql``}
     order by c.display_id desc limit ${q.limit}`;
}

export async function listConversations(sql: Sql, q: ConversationFilter) {
  return (await conversationsQuery(sql, q)).map(view);
}

export async function findConversation(sql: Sql, accountId: number, displayId: number) {
  const [row] = await sql<ConversationRow[]>`
    select ${conversationColumns(sql)} from ${conversationsFrom(sql)} where c.account_id = ${accountId} and c.display_id = ${displayId}`;
  return row ? view(row) : undefined;
}

export interface MessagePage {
  conversationId: number;
  after: number;
  limit: number;
  order?: 'asc' | 'desc';
}

export const conversationByDisplayId = (sql: Sql, accountId: number, displayId: number) =>
  sql<{ id: number; inbox_id: number }[]>`
    select id, inbox_id from conversations where account_id = ${accountId} and display_id = ${displayId}`;

/** One page of a conversation's messages, unawaited (test/api/query-plans.test.ts explains it). */
export function messagesQuery(sql: Sql, q: MessagePage) {
  return sql<
    {
      id: number;
      seq: number;
      content: string;
      message_type: 'incoming' | 'outgoing' | 'activity' | 'template';
      content_type: string;
      private: boolean;
      status: 'sent' | 'delivered' | 'read' | 'failed';
      external_error: string | null;
      source_id: string | null;
      sender_type: string;
      sender_id: number | null;
      created_at: Date;
      ingest_key: string | null;
    }[]
  >`
    select id, seq, content, message_type, content_type, private, status, external_error, source_id, sender_type, sender_id, created_at, ingest_key
      from messages where conversation_id = ${q.conversationId}
       ${q.order === 'desc' ? sql`${q.after ? sql`and seq < ${q.after}::bigint` : sql``} order by seq desc` : sql`and seq > ${q.after}::bigint order by seq`}
     limit ${q.limit}`;
}

/**
 * Messages past a sequence number: after it in order, or before it newest first (`desc`, 0 = from the newest);
 * undefined when the conversation does not exist.
 */
export async function listMessages(
  sql: Sql,
  q: { accountId: number; displayId: number; after: number; limit: number; order?: 'asc' | 'desc' },
) {
  const [conversation] = await conversationByDisplayId(sql, q.accountId, q.displayId);
  if (!conversation) return undefined;
  const rows = await messagesQuery(sql, {
    conversationId: conversation.id,
    after: q.after,
    limit: q.limit,
    order: q.order,
  });
  // A message with a source id was stored by the run that key names; one without, by a run keyed at random.
  const workflowIdOf = (sourceId: string | null) =>
    sourceId === null
      ? null
      : workflows.ingestMessage.id({
          accountId: q.accountId,
          inboxId: conversation.inbox_id,
          key: `source:${sourceId}`,
        });
  return rows.map(({ ingest_key, ...m }) => ({
    ...m,
    conversation_id: q.displayId,
    created_at: unix(m.created_at),
    // A reply's run is named by its ingest key.
    workflow_id: m.message_type === 'outgoing' ? ingest_key : workflowIdOf(m.source_id),
  }));
}
