/**
 * A token carries scopes (domain/scopes.ts). Tokens made before scopes get the whole set their role allowed
 * when they were scoped: the lists below are that moment's registry, frozen here, so a scope added later is
 * not granted to them. A token no role explains (its user left the account) gets none, unless its user is a
 * permanent super admin.
 */
const memberScopes = [
  'accounts:read',
  'tokens:own',
  'members:read',
  'invitations:accept',
  'inboxes:read',
  'conversations:read',
  'conversations:write',
  'break-glass:activate',
];
const administratorScopes = [
  'accounts:read',
  'members:read',
  'members:manage',
  'tokens:manage',
  'tokens:own',
  'invitations:accept',
  'inboxes:read',
  'inboxes:manage',
  'conversations:read',
  'conversations:write',
  'webhooks:manage',
  'audit:read',
  'break-glass:activate',
];
const platformScopes = [
  'platform:accounts',
  'platform:tokens',
  'platform:licence',
  'platform:deploys',
  'platform:assets',
  'platform:failures',
  'platform:schedules',
  'platform:admin',
  'platform:codec',
];

export async function up(sql) {
  await sql`alter table access_tokens add column scopes text[]`;
  await sql`update access_tokens set scopes = ${platformScopes} where owner_type = 'PlatformApp'`;
  await sql`
    update access_tokens t
       set scopes = case
             when r.role = 'administrator' or r.super_admin then ${administratorScopes}::text[]
             when r.role = 'agent' then ${memberScopes}::text[]
             else '{}'::text[] end
      from (select t2.id,
                   (select au.role from account_users au where au.account_id = t2.account_id and au.user_id = t2.owner_id) as role,
                   exists (select 1 from users u where u.id = t2.owner_id and u.type = 'SuperAdmin') as super_admin
              from access_tokens t2 where t2.owner_type = 'User') r
     where r.id = t.id`;
  // Every place that makes a token says which scopes it carries: a forgotten one fails loudly.
  await sql`alter table access_tokens alter column scopes set not null`;
}

export async function down(sql) {
  await sql`alter table access_tokens drop column if exists scopes`;
}
