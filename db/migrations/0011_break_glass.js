/**
 * Break-glass super-admin grants (each held by one workflow that ends it at its
 * expiry) and the marker a forced credential reset leaves on a user: tokens made
 * before it are refused even if one escaped the reset's revocation.
 */
export async function up(sql) {
  await sql`
    create table super_admin_grants (
      id bigint generated always as identity primary key,
      user_id bigint not null references users (id) on delete cascade,
      reason text not null,
      granted_by text not null,
      granted_at timestamptz not null default now(),
      expires_at timestamptz not null,
      ended_at timestamptz,
      end_reason text check (end_reason in ('expired', 'revoked', 'force_reset')),
      ended_by text,
      workflow_id text not null unique
    )`;
  await sql`create unique index super_admin_grants_one_active on super_admin_grants (user_id) where ended_at is null`;
  await sql`alter table users add column credentials_reset_at timestamptz`;
}

export async function down(sql) {
  await sql`alter table users drop column if exists credentials_reset_at`;
  await sql`drop table if exists super_admin_grants`;
}
