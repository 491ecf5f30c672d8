/** Inboxes, contacts, conversations, messages, and account webhooks with their deliveries. */
export async function up(sql) {
  await sql`alter table accounts add column last_conversation_display_id integer not null default 0`;
  await sql`
    create table inboxes (
      id bigint generated always as identity primary key,
      account_id bigint not null references accounts (id) on delete cascade,
      name text not null check (length(name) between 1 and 255),
      channel_type text not null default 'Channel::Api',
      webhook_url text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`;
  await sql`create index inboxes_account on inboxes (account_id)`;
  await sql`
    create table contacts (
      id bigint generated always as identity primary key,
      account_id bigint not null references accounts (id) on delete cascade,
      name text not null default '',
      email text,
      phone_number text,
      identifier text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`;
  await sql`create unique index uniq_email_per_account_contact on contacts (account_id, lower(email)) where email is not null`;
  await sql`create unique index uniq_phone_per_account_contact on contacts (account_id, phone_number) where phone_number is not null`;
  await sql`create unique index uniq_identifier_per_account_contact on contacts (account_id, identifier) where identifier is not null`;
  await sql`
    create table conversations (
      id bigint generated always as identity primary key,
      account_id bigint not null references accounts (id) on delete cascade,
      inbox_id bigint not null references inboxes (id) on delete cascade,
      contact_id bigint not null references contacts (id) on delete cascade,
      display_id integer not null,
      uuid uuid not null unique default gen_random_uuid(),
      status text not null default 'open' check (status in ('open', 'resolved', 'pending', 'snoozed')),
      last_message_seq integer not null default 0,
      last_activity_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (account_id, display_id)
    )`;
  // At most one open conversation per contact and inbox: concurrent first messages meet here.
  await sql`create unique index one_open_conversation on conversations (inbox_id, contact_id) where status = 'open'`;
  await sql`
    create table messages (
      id bigint generated always as identity primary key,
      account_id bigint not null references accounts (id) on delete cascade,
      inbox_id bigint not null references inboxes (id) on delete cascade,
      conversation_id bigint not null references conversations (id) on delete cascade,
      seq integer not null,
      content text not null check (length(content) <= 150000),
      message_type text not null default 'incoming' check (message_type in ('incoming', 'outgoing', 'activity', 'template')),
      content_type text not null default 'text',
      source_id text,
      ingest_key text unique,
      sender_type text not null,
      sender_id bigint,
      created_at timestamptz not null default now(),
      unique (conversation_id, seq)
    )`;
  await sql`create unique index messages_source_id_per_inbox on messages (inbox_id, source_id) where source_id is not null`;
  await sql`
    create table webhooks (
      id bigint generated always as identity primary key,
      account_id bigint not null references accounts (id) on delete cascade,
      name text,
      url text not null,
      subscriptions text[] not null,
      secret text not null,
      status text not null default 'enabled' check (status in ('enabled', 'disabled')),
      disabled_reason text,
      workflow_id text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (account_id, url)
    )`;
  await sql`
    create table webhook_deliveries (
      id uuid primary key,
      seq bigint generated always as identity unique,
      webhook_id bigint not null references webhooks (id) on delete cascade,
      account_id bigint not null references accounts (id) on delete cascade,
      event text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'dead', 'skipped')),
      attempts integer not null default 0,
      last_error text,
      workflow_id text not null,
      source_key text not null,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    )`;
  await sql`create index webhook_deliveries_source on webhook_deliveries (source_key)`;
  await sql`create index webhook_deliveries_webhook on webhook_deliveries (webhook_id, created_at desc)`;
  await sql`create index webhook_deliveries_dead on webhook_deliveries (account_id) where status = 'dead'`;
  await sql`
    create table webhook_attempts (
      id bigint generated always as identity primary key,
      delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
      attempt integer not null,
      status_code integer,
      duration_ms integer not null,
      error text,
      started_at timestamptz not null
    )`;
  await sql`create index webhook_attempts_delivery on webhook_attempts (delivery_id, attempt)`;
}

export async function down(sql) {
  await sql`drop table if exists webhook_attempts, webhook_deliveries, webhooks, messages, conversations, contacts, inboxes`;
  await sql`alter table accounts drop column if exists last_conversation_display_id`;
}
