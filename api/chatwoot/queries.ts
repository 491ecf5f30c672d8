import { conversationColumns, conversationsFrom, type ConversationRow } from '../../db/conversations.ts';
import type { Sql } from '../../db/pool.ts';
import type { InboxRow, MemberRow, MessageRow } from './views.ts';

export function members(sql: Sql, accountId: number, userId?: number) {
  return sql<MemberRow[]>`
    select au.user_id, au.account_id, u.name, u.email, au.role from account_users au join users u on u.id = au.user_id
     where au.account_id = ${accountId} ${userId ? sql`and au.user_id = ${userId}` : sql``} order by au.id`;
}

export function inboxes(sql: Sql, accountId: number, inboxId?: number) {
  return sql<InboxRow[]>`
    select id, account_id, name, channel_type, webhook_url, lock_to_single_conversation from inboxes
     where account_id = ${accountId} ${inboxId ? sql`and id = ${inboxId}` : sql``} order by id`;
}

export interface ConversationFilter {
  accountId: number;
  /** `all`, or one status. */
  status: string;
  /** Chatwoot's `assignee_type`: `me` is the asking user's (`userId`; none for a token of no user). */
  assigneeType: 'me' | 'unassigned' | 'assigned' | 'all';
  userId?: number;
  inboxId?: number;
  page: number;
  perPage: number;
}

export interface AssigneeCounts {
  mine_count: number;
  unassigned_count: number;
  assigned_count: number;
  all_count: number;
}

/** A page of conversations, newest activity first, and how many match each assignee filter in all. */
export async function conversations(sql: Sql, f: ConversationFilter) {
  const where = sql`c.account_id = ${f.accountId}
    ${f.status === 'all' ? sql`` : sql`and c.status = ${f.status}`}
    ${f.inboxId ? sql`and c.inbox_id = ${f.inboxId}` : sql``}`;
  const me = f.userId ?? null;
  const assignee = {
    me: sql`and c.assignee_id = ${me}::bigint`,
    unassigned: sql`and c.assignee_id is null`,
    assigned: sql`and c.assignee_id is not null`,
    all: sql``,
  }[f.assigneeType];
  const rows = await sql<ConversationRow[]>`
    select ${conversationColumns(sql)} from ${conversationsFrom(sql)}
     where ${where} ${assignee} order by c.last_activity_at desc, c.display_id desc
     limit ${f.perPage} offset ${(f.page - 1) * f.perPage}`;
  const [counts] = await sql<AssigneeCounts[]>`
    select count(*) filter (where c.assignee_id = ${me}::bigint)::int as mine_count,
           count(*) filter (where c.assignee_id is null)::int as unassigned_count,
           count(*) filter (where c.assignee_id is not null)::int as assigned_count,
           count(*)::int as all_count
      from conversations c where ${where}`;
  return { rows, counts: counts! };
}

export async function conversation(sql: Sql, accountId: number, displayId: number) {
  const [row] = await sql<ConversationRow[]>`
    select ${conversationColumns(sql)} from ${conversationsFrom(sql)}
     where c.account_id = ${accountId} and c.display_id = ${displayId}`;
  return row;
}

/** Up to `limit` messages before a message id (newest when absent), oldest first, as Chatwoot pages them. */
export function messages(sql: Sql, q: { accountId: number; displayId: number; before?: number; limit: number }) {
  return sql<MessageRow[]>`
    select * from (
      select m.id, m.account_id, m.inbox_id, c.display_id, m.content, m.message_type, m.content_type, m.source_id,
             m.sender_type, m.sender_id, m.created_at, m.private, m.status, m.external_error, m.content_attributes, m.updated_at as message_updated_at,
             ct.id as contact_id, ct.name as contact_name, ct.email,
             ct.phone_number, ct.identifier, ct.created_at as contact_created_at
        from messages m join conversations c on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id
       where c.account_id = ${q.accountId} and c.display_id = ${q.displayId}
         ${q.before ? sql`and m.id < ${q.before}` : sql``}
       order by m.seq desc limit ${q.limit}) page
     order by id`;
}

export async function message(sql: Sql, accountId: number, messageId: number) {
  const [row] = await sql<MessageRow[]>`
    select m.id, m.account_id, m.inbox_id, c.display_id, m.content, m.message_type, m.content_type, m.source_id,
           m.sender_type, m.sender_id, m.created_at, m.private, m.status, m.external_error, m.content_attributes, m.updated_at as message_updated_at,
             ct.id as contact_id, ct.name as contact_name, ct.email,
           ct.phone_number, ct.identifier, ct.created_at as contact_created_at
      from messages m join conversations c on c.id = m.conversation_id join contacts ct on ct.id = c.contact_id
     where m.account_id = ${accountId} and m.id = ${messageId}`;
  return row;
}

/** A contact's conversations, newest activity first (Chatwoot answers them all, unpaged). */
export function conversationsOfContact(sql: Sql, accountId: number, contactId: number) {
  return sql<ConversationRow[]>`
    select ${conversationColumns(sql)} from ${conversationsFrom(sql)}
     where c.account_id = ${accountId} and c.contact_id = ${contactId}
     order by c.last_activity_at desc, c.display_id desc limit 100`;
}
