import { canReply, unreadCount } from '../db/conversations.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import { contactPayload, type ContactEventSubject } from './contact-payloads.ts';
import { chatwootUserPush } from '../domain/chatwoot-user.ts';

type Db = Sql | TransactionSql;

/**
 * Chatwoot-shaped webhook bodies (its `webhook_data` and `push_event_data`),
 * so a receiver written for Chatwoot reads Capstan's events unchanged.
 * Mixed time formats are Chatwoot's own: ISO for messages, Unix seconds for conversations.
 */
interface Row {
  account: { id: number; name: string };
  inbox: { id: number; name: string; channel_type: string };
  contact: { id: number; name: string; email: string | null; phone_number: string | null; identifier: string | null };
  conversation: {
    id: number;
    display_id: number;
    status: string;
    created_at: Date;
    updated_at: Date;
    last_activity_at: Date;
    snoozed_until: Date | null;
    agent_last_seen_at: Date | null;
    label_list: string[];
    unread_count: number;
    priority: string | null;
    additional_attributes: Record<string, unknown>;
    custom_attributes: Record<string, unknown>;
  };
  assignee: { id: number; name: string; email: string } | null;
}

const unix = (d: Date) => Math.floor(d.getTime() / 1000);

function contactData(r: Row) {
  const { id, name, email, phone_number, identifier } = r.contact;
  return {
    account: r.account,
    additional_attributes: {},
    avatar: '',
    custom_attributes: {},
    email,
    id,
    identifier,
    name,
    phone_number,
    thumbnail: '',
    blocked: false,
  };
}

function contactPush(r: Row) {
  const { account: _account, avatar: _avatar, ...rest } = contactData(r);
  return { ...rest, type: 'contact' };
}

function conversationData(r: Row, lastMessage?: { message: MessageRow; sender: Sender }) {
  const c = r.conversation;
  return {
    additional_attributes: c.additional_attributes,
    can_reply: canReply(r.inbox.channel_type),
    channel: r.inbox.channel_type,
    id: c.display_id,
    inbox_id: r.inbox.id,
    messages:
      lastMessage && !lastMessage.message.private ? [messagePush(r, lastMessage.message, lastMessage.sender)] : [],
    labels: c.label_list,
    meta: {
      sender: contactPush(r),
      assignee: r.assignee && chatwootUserPush(r.assignee.id, r.assignee.name),
      assignee_type: r.assignee ? 'User' : null,
      team: null,
      hmac_verified: false,
    },
    status: c.status,
    custom_attributes: c.custom_attributes,
    snoozed_until: c.snoozed_until?.toISOString() ?? null,
    unread_count: c.unread_count,
    first_reply_created_at: null,
    priority: c.priority,
    waiting_since: unix(c.created_at),
    agent_last_seen_at: c.agent_last_seen_at ? unix(c.agent_last_seen_at) : 0,
    contact_last_seen_at: 0,
    last_activity_at: unix(c.last_activity_at),
    timestamp: unix(c.last_activity_at),
    created_at: unix(c.created_at),
    updated_at: c.updated_at.getTime() / 1000,
  };
}

interface MessageRow {
  id: number;
  seq: number;
  content: string;
  content_type: string;
  message_type: string;
  source_id: string | null;
  private: boolean;
  status: string;
  external_error: string | null;
  content_attributes: Record<string, unknown>;
  sender_type: string;
  sender_id: number | null;
  created_at: Date;
  updated_at: Date | null;
}

/** Chatwoot's `content_attributes`: what Capstan stores (`deleted`), and a failed delivery's `external_error`. */
const contentAttributes = (m: MessageRow) => ({
  ...m.content_attributes,
  ...(m.external_error ? { external_error: m.external_error } : {}),
});

/** A message's sender in both of Chatwoot's forms: `webhook_data` (message events) and `push_event_data` (nested). */
interface Sender {
  webhook: Record<string, unknown> | null;
  push: Record<string, unknown> | null;
}

async function senderOf(sql: Db, r: Row, m: MessageRow): Promise<Sender> {
  if (m.sender_type === 'Contact') return { webhook: contactData(r), push: contactPush(r) };
  const [user] = await sql<{ id: number; name: string; email: string }[]>`
    select id, name, email from users where id = ${m.sender_id}`;
  if (!user) return { webhook: null, push: null };
  if (m.sender_type === 'AgentBot') {
    const bot = { id: user.id, name: user.name, type: 'agent_bot' };
    return { webhook: bot, push: { ...bot, avatar_url: '' } };
  }
  return {
    webhook: { id: user.id, name: user.name, email: user.email, type: 'user' },
    push: {
      id: user.id,
      name: user.name,
      available_name: user.name,
      avatar_url: '',
      type: 'user',
      availability_status: 'online',
      thumbnail: '',
    },
  };
}

const messageTypeCodes: Record<string, number> = { incoming: 0, outgoing: 1, activity: 2, template: 3 };

function messagePush(r: Row, m: MessageRow, sender: Sender) {
  return {
    id: m.id,
    content: m.content,
    account_id: r.account.id,
    inbox_id: r.inbox.id,
    conversation_id: r.conversation.display_id,
    message_type: messageTypeCodes[m.message_type] ?? 0,
    content_type: m.content_type,
    status: m.status,
    private: m.private,
    source_id: m.source_id,
    created_at: unix(m.created_at),
    updated_at: (m.updated_at ?? m.created_at).toISOString(),
    sender_type: m.sender_type,
    sender_id: m.sender_id,
    content_attributes: contentAttributes(m),
    additional_attributes: {},
    sender: sender.push,
    conversation: {
      assignee_id: r.assignee?.id ?? null,
      unread_count: r.conversation.unread_count,
      last_activity_at: unix(r.conversation.last_activity_at),
    },
  };
}

async function loadConversation(sql: Db, conversationId: number): Promise<Row> {
  const [row] = await sql<
    (Row['conversation'] & {
      account_id: number;
      account_name: string;
      inbox_id: number;
      inbox_name: string;
      channel_type: string;
      contact_id: number;
      contact_name: string;
      email: string | null;
      phone_number: string | null;
      identifier: string | null;
      assignee_id: number | null;
      assignee_name: string | null;
      assignee_email: string | null;
    })[]
  >`
    select c.id, c.display_id, c.status, c.created_at, c.updated_at, c.last_activity_at, c.snoozed_until,
           c.agent_last_seen_at, c.label_list, ${unreadCount(sql)} as unread_count,
           c.priority, c.additional_attributes, c.custom_attributes,
           a.id as account_id, a.name as account_name, i.id as inbox_id, i.name as inbox_name, i.channel_type,
           ct.id as contact_id, ct.name as contact_name, ct.email, ct.phone_number, ct.identifier,
           u.id as assignee_id, u.name as assignee_name, u.email as assignee_email
      from conversations c join accounts a on a.id = c.account_id join inboxes i on i.id = c.inbox_id
      join contacts ct on ct.id = c.contact_id left join users u on u.id = c.assignee_id
     where c.id = ${conversationId}`;
  if (!row) throw new Error(`conversation ${conversationId} not found`);
  return {
    account: { id: row.account_id, name: row.account_name },
    inbox: { id: row.inbox_id, name: row.inbox_name, channel_type: row.channel_type },
    contact: {
      id: row.contact_id,
      name: row.contact_name,
      email: row.email,
      phone_number: row.phone_number,
      identifier: row.identifier,
    },
    conversation: {
      id: row.id,
      display_id: row.display_id,
      status: row.status,
      created_at: row.created_at,
      updated_at: row.updated_at,
      last_activity_at: row.last_activity_at,
      snoozed_until: row.snoozed_until,
      agent_last_seen_at: row.agent_last_seen_at,
      label_list: row.label_list,
      unread_count: row.unread_count,
      priority: row.priority,
      additional_attributes: row.additional_attributes,
      custom_attributes: row.custom_attributes,
    },
    assignee:
      row.assignee_id === null ? null : { id: row.assignee_id, name: row.assignee_name!, email: row.assignee_email! },
  };
}

/** Chatwoot's `changed_attributes`: one-key objects of previous and current values, or null when empty. */
export type ChangedAttributes = Record<string, { previous_value: unknown; current_value: unknown }>[] | null;

export type EventSubject =
  | { event: 'contact_created'; conversationId: number }
  | { event: 'conversation_created'; conversationId: number }
  | { event: 'conversation_status_changed'; conversationId: number; previousStatus: string }
  | { event: 'conversation_updated'; conversationId: number; changed: ChangedAttributes }
  | { event: 'conversation_opened' | 'conversation_resolved'; conversationId: number }
  | { event: 'message_created' | 'message_updated'; conversationId: number; messageId: number }
  | ContactEventSubject;

/**
 * The events a status change sends, as Chatwoot's Conversation model does: `conversation_status_changed`,
 * `conversation_updated` with what changed, and `conversation_opened` or `conversation_resolved`.
 */
export function statusEvents(
  conversationId: number,
  from: { status: string; snoozedUntil: string | null },
  to: { status: string; snoozedUntil: string | null },
): EventSubject[] {
  const changed: NonNullable<ChangedAttributes> = [];
  if (from.status !== to.status) changed.push({ status: { previous_value: from.status, current_value: to.status } });
  if (from.snoozedUntil !== to.snoozedUntil)
    changed.push({ snoozed_until: { previous_value: from.snoozedUntil, current_value: to.snoozedUntil } });
  if (!changed.length) return [];
  const events: EventSubject[] = [];
  if (from.status !== to.status)
    events.push({ event: 'conversation_status_changed', conversationId, previousStatus: from.status });
  events.push({ event: 'conversation_updated', conversationId, changed });
  if (from.status !== to.status && to.status === 'open') events.push({ event: 'conversation_opened', conversationId });
  if (from.status !== to.status && to.status === 'resolved')
    events.push({ event: 'conversation_resolved', conversationId });
  return events;
}

/** The body of one event, built from the rows as they are now. */
export async function buildPayload(sql: Db, subject: EventSubject): Promise<Record<string, unknown>> {
  if ('contactId' in subject) return contactPayload(sql, subject);
  const row = await loadConversation(sql, subject.conversationId);
  switch (subject.event) {
    case 'contact_created':
      return { event: subject.event, ...contactData(row) };
    case 'conversation_created':
      return { event: subject.event, ...conversationData(row) };
    case 'conversation_status_changed':
      return {
        event: subject.event,
        ...conversationData(row),
        changed_attributes: [
          { status: { previous_value: subject.previousStatus, current_value: row.conversation.status } },
        ],
      };
    case 'conversation_updated':
      return { event: subject.event, ...conversationData(row), changed_attributes: subject.changed };
    case 'conversation_opened':
    case 'conversation_resolved':
      return { event: subject.event, ...conversationData(row) };
    case 'message_created':
    case 'message_updated': {
      const [m] = await sql<MessageRow[]>`
        select id, seq, content, content_type, message_type, source_id, private, status, external_error,
               content_attributes, sender_type, sender_id, created_at, updated_at
          from messages where id = ${subject.messageId}`;
      if (!m) throw new Error(`message ${subject.messageId} not found`);
      const sender = await senderOf(sql, row, m);
      return {
        event: subject.event,
        account: row.account,
        additional_attributes: {},
        content_attributes: contentAttributes(m),
        content_type: m.content_type,
        content: m.content,
        conversation: conversationData(row, { message: m, sender }),
        created_at: m.created_at.toISOString(),
        id: m.id,
        inbox: { id: row.inbox.id, name: row.inbox.name },
        message_type: m.message_type,
        private: m.private,
        sender: sender.webhook,
        source_id: m.source_id,
      };
    }
    default: {
      const never: never = subject;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}
