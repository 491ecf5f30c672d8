/**
 * The conversation lifecycle (docs/conversation-lifecycle.md): an assignee, a snooze time, when an agent
 * last read it, its labels; and the inbox's `lock_to_single_conversation` (Chatwoot's), which now says
 * which conversation an incoming message joins. The one-open-conversation index goes: a snoozed or
 * resolved conversation reopening, or a second conversation made on purpose, may stand beside an open
 * one. Incoming messages still meet in one conversation: they choose it under the account's row lock
 * (activities/messages.ts).
 */
export async function up(sql) {
  await sql`
    alter table conversations
      add column assignee_id bigint references users (id) on delete set null,
      add column snoozed_until timestamptz,
      add column agent_last_seen_at timestamptz,
      add column label_list text[] not null default '{}',
      add constraint conversations_snooze_only_when_snoozed check (snoozed_until is null or status = 'snoozed')`;
  await sql`create index conversations_assignee on conversations (account_id, assignee_id) where assignee_id is not null`;
  await sql`alter table inboxes add column lock_to_single_conversation boolean not null default false`;
  await sql`drop index if exists one_open_conversation`;
  await sql`create index conversations_of_contact on conversations (inbox_id, contact_id, id desc)`;
}

/** Fails loudly if a contact has two open conversations in one inbox: which to close is not a migration's call. */
export async function down(sql) {
  await sql`drop index if exists conversations_of_contact`;
  await sql`create unique index one_open_conversation on conversations (inbox_id, contact_id) where status = 'open'`;
  await sql`alter table inboxes drop column if exists lock_to_single_conversation`;
  await sql`drop index if exists conversations_assignee`;
  await sql`
    alter table conversations
      drop constraint if exists conversations_snooze_only_when_snoozed,
      drop column if exists label_list,
      drop column if exists agent_last_seen_at,
      drop column if exists snoozed_until,
      drop column if exists assignee_id`;
}
