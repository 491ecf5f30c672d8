import type { ContactRecord } from '../../contracts/contacts.ts';
import { canReply, type ConversationRow } from '../../db/conversations.ts';
import { chatwootUserPush } from '../../domain/chatwoot-user.ts';
/** Capstan's rows as Chatwoot's JSON (test/fixtures/chatwoot/shapes.ts lists each shape's properties). */
const unix = (d: Date) => Math.floor(d.getTime() / 1000);

export interface MemberRow {
  user_id: number;
  account_id: number;
  name: string;
  email: string;
  role: 'administrator' | 'agent';
}

/** Capstan tracks no presence: every agent reads `offline`, as Chatwoot shows one never seen online. */
export const agentView = (m: MemberRow) => ({
  id: m.user_id,
  account_id: m.account_id,
  availability_status: 'offline',
  auto_offline: true,
  confirmed: true,
  email: m.email,
  available_name: m.name,
  name: m.name,
  role: m.role,
  thumbnail: '',
  custom_role_id: null,
});

export interface InboxRow {
  id: number;
  account_id: number;
  name: string;
  channel_type: string;
  webhook_url: string | null;
  lock_to_single_conversation: boolean;
}

/** An API-channel inbox: the web-widget, SMS and e-mail fields are null, as Chatwoot answers for one. */
export const inboxView = (i: InboxRow) => ({
  id: i.id,
  account_id: i.account_id,
  name: i.name,
  channel_type: i.channel_type,
  channel_id: i.id,
  avatar_url: '',
  website_url: null,
  widget_color: null,
  website_token: null,
  web_widget_script: null,
  welcome_title: null,
  welcome_tagline: null,
  enable_auto_assignment: false,
  greeting_enabled: false,
  greeting_message: null,
  working_hours_enabled: false,
  working_hours: [],
  enable_email_collect: false,
  csat_survey_enabled: false,
  auto_assignment_config: {},
  out_of_office_message: null,
  timezone: 'UTC',
  callback_webhook_url: i.webhook_url,
  webhook_url: i.webhook_url,
  allow_messages_after_resolved: true,
  lock_to_single_conversation: i.lock_to_single_conversation,
  sender_name_type: 'friendly',
  business_name: null,
  hmac_mandatory: false,
  selected_feature_flags: null,
  reply_time: null,
  messaging_service_sid: null,
  phone_number: null,
  medium: null,
  provider: null,
});

export interface ContactRow {
  contact_id: number;
  contact_name: string;
  email: string | null;
  phone_number: string | null;
  identifier: string | null;
  contact_created_at: Date;
}

/** A contact's push data: the conversation's `meta.sender`, and an incoming message's `sender`. */
export const senderView = (r: ContactRow) => ({
  additional_attributes: {},
  availability_status: 'offline',
  email: r.email,
  id: r.contact_id,
  name: r.contact_name,
  phone_number: r.phone_number,
  blocked: false,
  identifier: r.identifier,
  thumbnail: '',
  custom_attributes: {},
  last_activity_at: null,
  created_at: unix(r.contact_created_at),
  type: 'contact',
});

/** Capstan has no teams: those stay empty. */
export const conversationView = (r: ConversationRow) => ({
  id: r.display_id,
  account_id: r.account_id,
  uuid: r.uuid,
  inbox_id: r.inbox_id,
  status: r.status,
  messages: [],
  additional_attributes: r.additional_attributes,
  custom_attributes: r.custom_attributes,
  agent_last_seen_at: r.agent_last_seen_at ? unix(r.agent_last_seen_at) : 0,
  assignee_last_seen_at: 0,
  contact_last_seen_at: 0,
  can_reply: canReply(r.channel_type),
  labels: r.label_list,
  muted: false,
  snoozed_until: r.snoozed_until ? unix(r.snoozed_until) : null,
  created_at: unix(r.created_at),
  updated_at: r.updated_at.getTime() / 1000,
  timestamp: unix(r.last_activity_at),
  first_reply_created_at: null,
  unread_count: r.unread_count,
  last_non_activity_message: null,
  last_activity_at: unix(r.last_activity_at),
  priority: r.priority,
  waiting_since: null,
  meta: {
    sender: senderView(r),
    channel: r.channel_type,
    assignee: r.assignee_id === null ? null : chatwootUserPush(r.assignee_id, r.assignee_name ?? ''),
    assignee_type: r.assignee_id === null ? null : 'User',
    team: null,
    hmac_verified: false,
  },
});

export interface MessageRow extends ContactRow {
  id: number;
  account_id: number;
  inbox_id: number;
  display_id: number;
  content: string;
  message_type: string;
  content_type: string;
  source_id: string | null;
  sender_type: string;
  sender_id: number | null;
  created_at: Date;
  private: boolean;
  status: string;
  external_error: string | null;
  content_attributes: Record<string, unknown>;
  message_updated_at: Date | null;
}

const messageTypes: Record<string, number> = { incoming: 0, outgoing: 1, activity: 2, template: 3 };

/** What a message create answers (`models/_message.json.jbuilder`). */
export const createdMessageView = (m: MessageRow) => ({
  id: m.id,
  content: m.content,
  inbox_id: m.inbox_id,
  conversation_id: m.display_id,
  message_type: messageTypes[m.message_type] ?? 0,
  content_type: m.content_type,
  status: m.status,
  content_attributes: {
    ...m.content_attributes,
    ...(m.external_error === null ? {} : { external_error: m.external_error }),
  },
  created_at: unix(m.created_at),
  private: m.private,
  source_id: m.source_id,
  sender: m.sender_type === 'Contact' ? senderView(m) : null,
});

/** A message as the messages list answers it (`Message#push_event_data`). */
export const messageView = (m: MessageRow) => ({
  ...createdMessageView(m),
  account_id: m.account_id,
  updated_at: (m.message_updated_at ?? m.created_at).toISOString(),
  sender_type: m.sender_type,
  sender_id: m.sender_id,
  external_source_ids: {},
  additional_attributes: {},
  processed_message_content: m.content,
  sentiment: {},
  conversation: { assignee_id: null, unread_count: 0, contact_inbox: { source_id: null } },
});

export interface WebhookRow {
  id: number;
  account_id: number;
  name: string | null;
  url: string;
  subscriptions: string[];
  secret: string;
}

/** `webhooks/_webhook.json.jbuilder`, with the signing `secret` Chatwoot's 2026 answers carry too. */
export const webhookView = (w: WebhookRow) => ({
  id: w.id,
  name: w.name,
  url: w.url,
  account_id: w.account_id,
  subscriptions: w.subscriptions,
  secret: w.secret,
});

export interface ContactInboxRow {
  contact_id: number | string;
  inbox_id: number;
  name: string;
  channel_type: string;
}

export const contactInboxView = (c: ContactRecord, i: ContactInboxRow) => ({
  source_id: c.identifier ?? String(c.id),
  inbox: {
    id: i.inbox_id,
    avatar_url: '',
    channel_id: i.inbox_id,
    name: i.name,
    channel_type: i.channel_type,
    provider: null,
  },
});

/** `contacts/_contact.json.jbuilder` with its `contact_inboxes` (Capstan keeps no source id per inbox: the contact id). */
export const contactView = (c: ContactRecord, inboxes: ContactInboxRow[]) => ({
  additional_attributes: c.additionalAttributes,
  availability_status: 'offline',
  email: c.email,
  id: c.id,
  name: c.name,
  phone_number: c.phoneNumber,
  blocked: c.blocked,
  identifier: c.identifier,
  thumbnail: c.avatarUrl ?? '',
  custom_attributes: c.customAttributes,
  last_activity_at: c.lastActivityAt === null ? null : unix(new Date(c.lastActivityAt)),
  created_at: unix(new Date(c.createdAt)),
  contact_inboxes: inboxes.map((i) => contactInboxView(c, i)),
});
