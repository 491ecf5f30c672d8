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
