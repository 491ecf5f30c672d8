/**
 * What Chatwoot's conversation create, conversation update and message delete store (docs/chatwoot-api.md):
 * a conversation's `priority` and its `additional_attributes` / `custom_attributes`, a message's
 * `content_attributes` (where a deleted message says `deleted: true`) and when it last changed.
 */
export async function up(sql) {
  await sql`
    alter table conversations
      add column priority text check (priority in ('urgent', 'high', 'medium', 'low')),
      add column additional_attributes jsonb not null default '{}',
      add column custom_attributes jsonb not null default '{}'`;
  await sql`
    alter table messages
      add column content_attributes jsonb not null default '{}',
      add column updated_at timestamptz`;
}

export async function down(sql) {
  await sql`alter table messages drop column if exists updated_at, drop column if exists content_attributes`;
  await sql`
    alter table conversations
      drop column if exists custom_attributes,
      drop column if exists additional_attributes,
      drop column if exists priority`;
}
