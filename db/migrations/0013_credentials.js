/**
 * A credential belongs to its holder. The operator's platform app (the bootstrap token's) is marked; every
 * other platform app acts only on the accounts and users it made (Chatwoot's permissibles); and a one-time
 * sign-in link, which only the operator issues, is how a user gets a token without anyone else holding it.
 */
export async function up(sql) {
  await sql`alter table platform_apps add column operator boolean not null default false`;
  await sql`
    create table platform_app_permissibles (
      platform_app_id bigint not null references platform_apps (id) on delete cascade,
      permissible_type text not null check (permissible_type in ('Account', 'User')),
      permissible_id bigint not null,
      created_at timestamptz not null default now(),
      primary key (platform_app_id, permissible_type, permissible_id)
    )`;
  // What platform apps made before this migration stays theirs: the audit log names who provisioned and added.
  await sql`
    insert into platform_app_permissibles (platform_app_id, permissible_type, permissible_id)
    select distinct a.actor_id::bigint, 'Account', a.account_id from audit_log a
     where a.actor_type = 'PlatformApp' and a.action = 'account.provisioned' and a.account_id is not null
       and exists (select 1 from platform_apps p where p.id::text = a.actor_id)
    union
    select distinct a.actor_id::bigint, 'User', a.subject_id::bigint from audit_log a
     where a.actor_type = 'PlatformApp' and a.action in ('account.provisioned', 'member.added') and a.subject_type = 'User'
       and exists (select 1 from platform_apps p where p.id::text = a.actor_id)
    on conflict do nothing`;
  await sql`
    create table sign_in_links (
      id bigint generated always as identity primary key,
      user_id bigint not null references users (id) on delete cascade,
      account_id bigint not null references accounts (id) on delete cascade,
      token_sha256 text not null unique,
      prefix text not null,
      reason text not null,
      issued_by text not null,
      workflow_id text not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      redeemed_at timestamptz,
      access_token_id bigint references access_tokens (id) on delete set null
    )`;
  // Integration identities (bots) an account owns: users with no email of their own and no invitation,
  // whose tokens that account's administrators make.
  await sql`alter table users drop constraint if exists users_type_check`;
  await sql`alter table users add constraint users_type_check check (type in ('SuperAdmin', 'Bot'))`;
  await sql`alter table users add column bot_account_id bigint references accounts (id) on delete cascade`;
  await sql`alter table users add constraint users_bot_has_account check ((type is not distinct from 'Bot') = (bot_account_id is not null))`;
}

export async function down(sql) {
  await sql`delete from users where type = 'Bot'`;
  await sql`alter table users drop constraint if exists users_bot_has_account`;
  await sql`alter table users drop column if exists bot_account_id`;
  await sql`alter table users drop constraint if exists users_type_check`;
  await sql`alter table users add constraint users_type_check check (type in ('SuperAdmin'))`;
  await sql`drop table if exists sign_in_links`;
  await sql`drop table if exists platform_app_permissibles`;
  await sql`alter table platform_apps drop column if exists operator`;
}
