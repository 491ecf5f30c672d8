import type { Logger } from '../config/logger.ts';
import type { Sql } from '../db/pool.ts';
import type { ProvisionAccountCommand, ProvisionAccountResult } from '../contracts/accounts.ts';
import { scopesFor } from '../domain/scopes.ts';
import { issueSignInSecret } from '../db/tokens.ts';
import { finalIfPermanent, refuse } from './failures.ts';

export interface AccountActivityDeps {
  sql: Sql;
  logger: Logger;
}

export function createAccountActivities({ sql, logger }: AccountActivityDeps) {
  /**
   * The administrator is always a new user: the sign-in link this makes is their first credential, never a
   * credential of someone who exists (a race with another insert of the email fails on its unique index).
   * The account's idempotency key makes a retried attempt (worker killed after
   * commit, before Temporal heard of it) find the account it already made
   * instead of making a second one.
   */
  async function createAccountWithAdmin(cmd: ProvisionAccountCommand): Promise<ProvisionAccountResult> {
    // A platform app may act on what it made from then on (its permissibles).
    const appId = cmd.actor.type === 'PlatformApp' && /^\d{1,18}$/.test(cmd.actor.id) ? cmd.actor.id : null;
    const issuedBy = `${cmd.actor.type}:${cmd.actor.id}`;
    // The administrator's first credential is a one-time sign-in link they redeem themselves; runs started
    // before that carried a token's hash instead and still complete as they began.
    const link = cmd.signInLink;
    const legacy = link ? undefined : cmd.token;
    // Since links are mailed the run carries no hash: the row gets one of a secret nobody has until the mail's.
    const unusable = issueSignInSecret();
    const linkHash = link && { sha256: link.sha256 ?? unusable.sha256, prefix: link.prefix ?? unusable.prefix };
    // One statement, so either every row lands or none; in a transaction of its own, where a vouched run
    // spends its proof first (activities/proofs.ts).
    const [row] = await sql
      .begin(
        (tx) => tx<CreatedRow[]>`
      with account as (
        insert into accounts (name, locale, idempotency_key)
        select ${cmd.name}, ${cmd.locale}, ${cmd.idempotencyKey}
         where not exists (select 1 from users where lower(email) = lower(${cmd.admin.email}))
        on conflict (idempotency_key) do nothing
        returning id, name
      ), admin as (
        insert into users (name, email)
        select ${cmd.admin.name}, ${cmd.admin.email} where exists (select 1 from account)
        returning id, email, name
      ), membership as (
        insert into account_users (account_id, user_id, role)
        select account.id, admin.id, 'administrator' from account, admin
      ), link as (
        insert into sign_in_links (user_id, account_id, token_sha256, prefix, reason, issued_by, workflow_id, expires_at)
        select admin.id, account.id, ${linkHash?.sha256 ?? null}::text, ${linkHash?.prefix ?? null}::text, 'account provisioned',
               ${issuedBy}, ${cmd.workflowId}, ${link?.expiresAt ?? null}::timestamptz
          from account, admin where ${link !== undefined}
        returning id
      ), token as (
        insert into access_tokens (owner_type, owner_id, account_id, token_sha256, prefix, name, created_by, scopes)
        select 'User', admin.id, account.id, ${legacy?.sha256 ?? null}::text, ${legacy?.prefix ?? null}::text, 'provisioning',
               ${issuedBy}, ${scopesFor('administrator')}::text[]
          from account, admin where ${legacy !== undefined}
      ), permit as (
        insert into platform_app_permissibles (platform_app_id, permissible_type, permissible_id)
        select app.id, made.type, made.id
          from platform_apps app, account, admin,
               lateral (values ('Account', account.id), ('User', admin.id)) as made (type, id)
         where app.id = ${appId}::bigint
      ), audit as (
        insert into audit_log (account_id, actor_type, actor_id, action, subject_type, subject_id, details, workflow_id)
        select account.id, ${cmd.actor.type}, ${cmd.actor.id}, 'account.provisioned', 'User', admin.id::text,
               ${sql.json(auditDetails(cmd))}, ${cmd.workflowId}
          from account, admin
      )
      select account.id as account_id, account.name as account_name, admin.id as admin_id, admin.email, admin.name as admin_name,
             (select id from link) as link_id
        from account, admin`,
      )
      .catch(finalIfPermanent);

    // No row: the key was already used, by an earlier attempt of this run (worker killed after commit) or by an
    // older run; or the email has a user, who is never given a token made by someone else.
    const found = row ?? (await existing(sql, cmd.idempotencyKey)) ?? refuse('Conflict', EMAIL_TAKEN);
    // A retry of this very run (worker killed after commit) finds the secret it stored: the caller may still hand it out.
    const [stored] = row
      ? [{ id: row.link_id }]
      : link?.sha256
        ? await sql<{ id: number }[]>`select id from sign_in_links where token_sha256 = ${link.sha256}`
        : link
          ? await sql<{ id: number }[]>`select id from sign_in_links where workflow_id = ${cmd.workflowId}`
          : await sql<{ id: number }[]>`select id from access_tokens where token_sha256 = ${legacy?.sha256 ?? ''}`;
    const result = toResult(found, row !== undefined, stored !== undefined);
    if (link && !link.sha256 && stored?.id) result.signInLinkId = stored.id;
    if (result.created)
      logger.info(
        { accountId: result.account.id, adminId: result.admin.id, workflowId: cmd.workflowId },
        'account provisioned',
      );
    return result;
  }

  return { createAccountWithAdmin };
}

interface CreatedRow {
  account_id: number;
  account_name: string;
  admin_id: number;
  email: string;
  admin_name: string;
  link_id?: number | null;
}

function auditDetails(cmd: ProvisionAccountCommand): Record<string, string | undefined> {
  const link = cmd.signInLink;
  if (!link) return { email: cmd.admin.email, tokenPrefix: cmd.token?.prefix };
  return { email: cmd.admin.email, ...(link.prefix && { signInLinkPrefix: link.prefix }), expiresAt: link.expiresAt };
}

function toResult(row: CreatedRow, created: boolean, tokenStored: boolean): ProvisionAccountResult {
  return {
    account: { id: row.account_id, name: row.account_name },
    admin: { id: row.admin_id, email: row.email, name: row.admin_name },
    created,
    tokenStored,
  };
}

const EMAIL_TAKEN =
  'This email already has a user: provision the account with a new administrator, then invite them (they accept with their own token).';

async function existing(sql: Sql, idempotencyKey: string): Promise<CreatedRow | undefined> {
  const [row] = await sql<CreatedRow[]>`
    select a.id as account_id, a.name as account_name, u.id as admin_id, u.email, u.name as admin_name
      from accounts a
      join account_users au on au.account_id = a.id and au.role = 'administrator'
      join users u on u.id = au.user_id
     where a.idempotency_key = ${idempotencyKey}
     order by au.id
     limit 1`;
  return row;
}
