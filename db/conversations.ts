import type { Sql, TransactionSql } from './pool.ts';

/** Chatwoot counts at most the last 10 unread incoming messages. */
export const UNREAD_CAP = 10;

/**
 * Chatwoot's `unread_count`: incoming messages after the agent last saw the conversation (all of them
 * before any agent did), at most UNREAD_CAP. A fragment for a query whose conversation is aliased `c`.
 */
export function unreadCount(sql: Sql | TransactionSql) {
  return sql`(select count(*)::int from (select 1 from messages um
                where um.conversation_id = c.id and um.message_type = 'incoming'
                  and (c.agent_last_seen_at is null or um.created_at > c.agent_last_seen_at)
                limit ${UNREAD_CAP}) unread)`;
}

/**
 * Whether an agent's reply can reach the contact. Capstan's only channel is Chatwoot's API channel, which
 * has no messaging window (Chatwoot: `Channel::Api` always can reply); a channel Capstan cannot send
 * through answers false rather than a promise nothing keeps.
 */
export const canReply = (channelType: string): boolean => channelType === 'Channel::Api';

/** A conversation as both doors read it (`conversationColumns` from `conversationsFrom`). */
export interface ConversationRow {
  id: number;
  display_id: number;
  account_id: number;
  inbox_id: number;
  uuid: string;
  status: string;
  created_at: Date;
  updated_at: Date;
  last_activity_at: Date;
  messages_count: number;
  snoozed_until: Date | null;
  agent_last_seen_at: Date | null;
  label_list: string[];
  unread_count: number;
  priority: string | null;
  additional_attributes: Record<string, unknown>;
  custom_attributes: Record<string, unknown>;
  channel_type: string;
  contact_id: number;
  contact_name: string;
  email: string | null;
  phone_number: string | null;
  identifier: string | null;
  contact_created_at: Date;
  assignee_id: number | null;
  assignee_name: string | null;
  assignee_email: string | null;
}

/** The one column list of a conversation read, Capstan's door and Chatwoot's; the tables are `conversationsFrom`'s. */
export const conversationColumns = (sql: Sql) => sql`
  c.id, c.display_id, c.account_id, c.inbox_id, c.uuid, c.status, c.created_at, c.updated_at, c.last_activity_at,
  c.last_message_seq as messages_count, c.snoozed_until, c.agent_last_seen_at, c.label_list,
  ${unreadCount(sql)} as unread_count, c.priority, c.additional_attributes, c.custom_attributes, i.channel_type,
  ct.id as contact_id, ct.name as contact_name, ct.email, ct.phone_number, ct.identifier,
  ct.created_at as contact_created_at, c.assignee_id, u.name as assignee_name, u.email as assignee_email`;

// The assignee per row of the page (offset 0 keeps the planner from turning it into a join over every user).
export const conversationsFrom = (sql: Sql) => sql`
  conversations c join contacts ct on ct.id = c.contact_id join inboxes i on i.id = c.inbox_id
  left join lateral (select name, email from users where id = c.assignee_id offset 0) u on true`;
