/**
 * Super-admin power lives on a credential, not on a person: a grant is activated
 * once by its grantee, which makes one break-glass token (hashed like any token)
 * that opens nothing once the grant ends. What the grantee makes with it
 * (invitations, the memberships and tokens they lead to, tokens, webhooks, role changes) is listed
 * against the grant and ended with it unless an operator keeps it. Audit rows
 * written with a break-glass token carry its grant.
 */
export async function up(sql) {
  await sql`
    create table break_glass_tokens (
      id bigint generated always as identity primary key,
      grant_id bigint not null unique references super_admin_grants (id) on delete cascade,
      token_sha256 text not null unique,
      prefix text not null,
      activated_with bigint,
      reason text not null,
      workflow_id text not null unique,
      created_at timestamptz not null default now()
    )`;
  await sql`create index break_glass_tokens_prefix on break_glass_tokens (prefix)`;
  await sql`
    create table break_glass_effects (
      id bigint generated always as identity primary key,
      grant_id bigint not null references super_admin_grants (id) on delete cascade,
      kind text not null check (kind in ('invitation', 'membership', 'token', 'webhook', 'role')),
      subject_id bigint not null,
      previous_role text,
      account_id bigint not null,
      created_at timestamptz not null default now(),
      kept_at timestamptz,
      kept_by text,
      kept_reason text,
      ended_at timestamptz,
      unique (grant_id, kind, subject_id)
    )`;
  await sql`create index break_glass_effects_grant on break_glass_effects (grant_id)`;
  await sql`alter table audit_log add column grant_id bigint`;
  await sql`create index audit_log_grant on audit_log (grant_id) where grant_id is not null`;
}

export async function down(sql) {
  await sql`drop index if exists audit_log_grant`;
  await sql`alter table audit_log drop column if exists grant_id`;
  await sql`drop table if exists break_glass_effects`;
  await sql`drop table if exists break_glass_tokens`;
}
