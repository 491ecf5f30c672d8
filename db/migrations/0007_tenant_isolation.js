/**
 * Tokens belong to one account (platform tokens to none) and may expire;
 * members join through invitations; audit says who minted a token.
 */
export async function up(sql) {
  await sql`
    alter table access_tokens
      add column account_id bigint references accounts (id) on delete cascade,
      add column expires_at timestamptz,
      add column created_by text`;
  // A user token made before tokens were bound opened every account of its user: bind it when the
  // user has exactly one account, otherwise it cannot be bound safely and is revoked.
  await sql`
    update access_tokens t set account_id = (select min(au.account_id) from account_users au where au.user_id = t.owner_id)
     where t.owner_type = 'User' and (select count(*) from account_users au where au.user_id = t.owner_id) = 1`;
  await sql`update access_tokens set revoked_at = coalesce(revoked_at, now()) where owner_type = 'User' and account_id is null`;
  await sql`
    alter table access_tokens add constraint access_tokens_user_token_has_account
      check (owner_type = 'PlatformApp' or account_id is not null or revoked_at is not null)`;
  await sql`create index access_tokens_account on access_tokens (account_id, owner_id)`;
  await sql`
    create table invitations (
      id bigint generated always as identity primary key,
      account_id bigint not null references accounts (id) on delete cascade,
      email text not null,
      role text not null check (role in ('administrator', 'agent')),
      token_sha256 text not null unique,
      invited_by text not null,
      workflow_id text unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_user_id bigint references users (id) on delete set null,
      revoked_at timestamptz
    )`;
  await sql`
    create unique index invitations_one_pending_per_email on invitations (account_id, lower(email))
     where accepted_at is null and revoked_at is null`;
}

export async function down(sql) {
  await sql`drop table if exists invitations`;
  await sql`alter table access_tokens drop constraint if exists access_tokens_user_token_has_account`;
  await sql`drop index if exists access_tokens_account`;
  await sql`alter table access_tokens drop column if exists account_id, drop column if exists expires_at, drop column if exists created_by`;
}
