import type { Sql, TransactionSql } from '../db/pool.ts';
import { contactPayload, type ContactEventSubject } from './contact-payloads.ts';

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
  };
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

function conversationData(r: Row, lastMessage?: MessageRow) {
  const c = r.conversation;
  return {
    additional_attributes: {},
    can_reply: true,
    channel: r.inbox.channel_type,
    id: c.display_id,
    inbox_id: r.inbox.id,
    messages: lastMessage ? [messagePush(r, lastMessage)] : [],
    labels: [],
    meta: { sender: contactPush(r), assignee: null, assignee_type: null, team: null, hmac_verified: false },
    status: c.status,
    custom_attributes: {},
    snoozed_until: null,
    unread_count: lastMessage ? 1 : 0,
    first_reply_created_at: null,
    priority: null,
    waiting_since: unix(c.created_at),
    agent_last_seen_at: 0,
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
  created_at: Date;
}

const messageTypeCodes: Record<string, number> = { incoming: 0, outgoing: 1, activity: 2, template: 3 };

function messagePush(r: Row, m: MessageRow) {
  return {
    id: m.id,
    content: m.content,
    account_id: r.account.id,
    inbox_id: r.inbox.id,
    conversation_id: r.conversation.display_id,
    message_type: messageTypeCodes[m.message_type] ?? 0,
    content_type: m.content_type,
    status: 'sent',
    private: false,
    source_id: m.source_id,
    created_at: unix(m.created_at),
    updated_at: m.created_at.toISOString(),
    sender_type: 'Contact',
    sender_id: r.contact.id,
    content_attributes: {},
    additional_attributes: {},
    sender: contactPush(r),
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
    })[]
  >`
    select c.id, c.display_id, c.status, c.created_at, c.updated_at, c.last_activity_at,
           a.id as account_id, a.name as account_name, i.id as inbox_id, i.name as inbox_name, i.channel_type,
           ct.id as contact_id, ct.name as contact_name, ct.email, ct.phone_number, ct.identifier
      from conversations c join accounts a on a.id = c.account_id join inboxes i on i.id = c.inbox_id
      join contacts ct on ct.id = c.contact_id
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
    },
  };
}

export type EventSubject =
  | { event: 'contact_created'; conversationId: number }
  | { event: 'conversation_created'; conversationId: number }
  | { event: 'conversation_status_changed'; conversationId: number; previousStatus: string }
  | { event: 'message_created'; conversationId: number; messageId: number }
  | ContactEventSubject;

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
    case 'message_created': {
      const [m] = await sql<MessageRow[]>`
        select id, seq, content, content_type, message_type, source_id, created_at from messages where id = ${subject.messageId}`;
      if (!m) throw new Error(`message ${subject.messageId} not found`);
      return {
        event: subject.event,
        account: row.account,
        additional_attributes: {},
        content_attributes: {},
        content_type: m.content_type,
        content: m.content,
        conversation: conversationData(row, m),
        created_at: m.created_at.toISOString(),
        id: m.id,
        inbox: { id: row.inbox.id, name: row.inbox.name },
        message_type: m.message_type,
        private: false,
        sender: contactData(row),
        source_id: m.source_id,
      };
    }
    default: {
      const never: never = subject;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}
