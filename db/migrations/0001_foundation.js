/** Accounts, users, memberships, access tokens and the audit log (Chatwoot's shapes where they exist). */
export async function up(sql) {
  await sql`
    create table accounts (
      id bigint generated always as identity primary key,
      name text not null check (length(name) between 1 and 255),
      locale text not null default 'en',
      status text not null default 'active' check (status in ('active', 'suspended')),
      idempotency_key text unique,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`;
  await sql`
    create table users (
      id bigint generated always as identity primary key,
      name text not null,
      email text not null,
      type text check (type in ('SuperAdmin')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`;
  await sql`create unique index users_email_key on users (lower(email))`;
  await sql`
    create table account_users (
      id bigint generated always as identity primary key,
      account_id bigint not null references accounts (id) on delete cascade,
      user_id bigint not null references users (id) on delete cascade,
      role text not null check (role in ('administrator', 'agent')),
      inviter_id bigint references users (id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint uniq_user_id_per_account_id unique (account_id, user_id)
    )`;
  await sql`create index account_users_user_id on account_users (user_id)`;
  await sql`
    create table platform_apps (
      id bigint generated always as identity primary key,
      name text not null unique,
      created_at timestamptz not null default now()
    )`;
  await sql`
    create table access_tokens (
      id bigint generated always as identity primary key,
      owner_type text not null check (owner_type in ('User', 'PlatformApp')),
      owner_id bigint not null,
      token_sha256 text not null unique,
      prefix text not null,
      name text not null default 'default',
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    )`;
  await sql`create index access_tokens_owner on access_tokens (owner_type, owner_id)`;
  await sql`
    create table audit_log (
      id bigint generated always as identity primary key,
      account_id bigint references accounts (id) on delete set null,
      actor_type text not null,
      actor_id text,
      action text not null,
      subject_type text,
      subject_id text,
      details jsonb not null default '{}',
      workflow_id text,
      created_at timestamptz not null default now()
    )`;
  await sql`create index audit_log_account on audit_log (account_id, created_at desc)`;
}

export async function down(sql) {
  await sql`drop table if exists audit_log, access_tokens, platform_apps, account_users, users, accounts`;
}
