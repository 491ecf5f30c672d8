import type { Logger } from '../config/logger.ts';
import type { LicenceSettings } from '../config/licence.ts';
import { licenceState } from '../db/licence-state.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import type {
  AccessTokenRecord,
  AddMemberInput,
  ChangeRoleInput,
  CreateAccessTokenInput,
  Member,
  RemoveMemberInput,
  RevokeAccessTokenInput,
} from '../contracts/members.ts';
import { actingApp, appMay, permit } from '../db/permissibles.ts';
import type { Role } from '../db/tokens.ts';
import type { UserScope } from '../domain/scopes.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { noteGrantEffect } from './grant-effects.ts';
import { audit } from './audit.ts';
import { takeSeat } from './membership.ts';
import { tokenScopes } from './token-scopes.ts';

type WithWorkflow<T> = T & { workflowId: string };

export function createMemberActivities({
  sql,
  logger,
  licence,
}: {
  sql: Sql;
  logger: Logger;
  licence: LicenceSettings;
}) {
  /** Locks the account's administrators, then refuses a change that would leave none. */
  async function guardLastAdministrator(tx: TransactionSql, accountId: number, userId: number): Promise<void> {
    const admins = await tx<{ user_id: number }[]>`
      select user_id from account_users where account_id = ${accountId} and role = 'administrator' order by id for update`;
    if (admins.length === 1 && admins[0]!.user_id === userId) {
      refuse(
        'Conflict',
        `User ${userId} is the last administrator of account ${accountId}; make another member administrator first.`,
      );
    }
  }

  /** A direct add, Chatwoot's platform API: for platform apps and operators. Administrators invite instead. */
  async function addMember(cmd: WithWorkflow<AddMemberInput>): Promise<Member> {
    if (cmd.actor.type === 'User') refuse('Forbidden', 'Users join an account through an invitation they accept.');
    // Read before the transaction: inside it, a second pooled connection could wait on a full pool.
    const seatState = await licenceState(sql, licence);
    return sql
      .begin(async (tx) => {
        const [account] = await tx`select id from accounts where id = ${cmd.accountId}`;
        if (!account) refuse('NotFound', `Account ${cmd.accountId} does not exist.`);
        const app = await actingApp(tx, cmd.actor);
        if (!(await appMay(tx, app, 'Account', cmd.accountId)))
          refuse('Forbidden', `This platform app did not make account ${cmd.accountId}.`);
        const [made] = await tx<{ id: number; name: string; email: string }[]>`
          insert into users (name, email) values (${cmd.name}, ${cmd.email})
          on conflict ((lower(email))) do nothing
          returning id, name, email`;
        if (made && app) await permit(tx, app.id, 'User', made.id);
        const [user] = made
          ? [made]
          : await tx<{ id: number; name: string; email: string }[]>`
              select id, name, email from users where lower(email) = ${cmd.email}`;
        // A user made elsewhere is linked only by the operator: an app acts on the users it made.
        if (!made && !(await appMay(tx, app, 'User', user!.id)))
          refuse('Forbidden', 'This platform app did not make the user with this email: invite them instead.');
        await takeSeat(tx, seatState, licence, user!.id);
        const [inserted] = await tx<{ role: Member['role'] }[]>`
          insert into account_users (account_id, user_id, role, inviter_id)
          values (${cmd.accountId}, ${user!.id}, ${cmd.role}, ${cmd.actor.type === 'User' ? Number(cmd.actor.id) : null})
          on conflict (account_id, user_id) do nothing
          returning role`;
        if (!inserted) {
          const [existing] = await tx<{ role: Member['role'] }[]>`
            select role from account_users where account_id = ${cmd.accountId} and user_id = ${user!.id}`;
          return { userId: user!.id, name: user!.name, email: user!.email, role: existing!.role, created: false };
        }
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'member.added',
          subject: 'User',
          subjectId: user!.id,
          details: { role: cmd.role },
          workflowId: cmd.workflowId,
        });
        logger.info({ accountId: cmd.accountId, userId: user!.id, role: cmd.role }, 'member added');
        return { userId: user!.id, name: user!.name, email: user!.email, role: inserted.role, created: true };
      })
      .catch(finalIfPermanent);
  }

  async function changeRole(cmd: WithWorkflow<ChangeRoleInput>): Promise<Member> {
    return sql
      .begin(async (tx) => {
        if (cmd.role === 'agent') await guardLastAdministrator(tx, cmd.accountId, cmd.userId);
        const [row] = await tx<{ id: number; name: string; email: string; previous: string }[]>`
          update account_users au set role = ${cmd.role}, updated_at = now()
            from users u, (select role as previous from account_users where account_id = ${cmd.accountId} and user_id = ${cmd.userId}) p
           where au.account_id = ${cmd.accountId} and au.user_id = ${cmd.userId} and u.id = au.user_id
          returning au.id, u.name, u.email, p.previous`;
        if (!row) refuse('NotFound', `User ${cmd.userId} is not a member of account ${cmd.accountId}.`);
        if (row.previous !== cmd.role) {
          const change = {
            kind: 'role',
            subjectId: row.id,
            accountId: cmd.accountId,
            previousRole: row.previous,
          } as const;
          await noteGrantEffect(tx, cmd.actor, change);
          await audit(tx, {
            accountId: cmd.accountId,
            actor: cmd.actor,
            action: 'member.role_changed',
            subject: 'User',
            subjectId: cmd.userId,
            details: { from: row.previous, to: cmd.role },
            workflowId: cmd.workflowId,
          });
        }
        return { userId: cmd.userId, name: row.name, email: row.email, role: cmd.role, created: false };
      })
      .catch(finalIfPermanent);
  }

  async function removeMember(cmd: WithWorkflow<RemoveMemberInput>): Promise<{ removed: boolean }> {
    return sql
      .begin(async (tx) => {
        await guardLastAdministrator(tx, cmd.accountId, cmd.userId);
        const deleted =
          await tx`delete from account_users where account_id = ${cmd.accountId} and user_id = ${cmd.userId} returning id`;
        // Their tokens for this account would open nothing now; revoked, they say so in every list and debug.
        await tx`update access_tokens set revoked_at = coalesce(revoked_at, now())
                  where owner_type = 'User' and owner_id = ${cmd.userId} and account_id = ${cmd.accountId}`;
        if (deleted.length) {
          await audit(tx, {
            accountId: cmd.accountId,
            actor: cmd.actor,
            action: 'member.removed',
            subject: 'User',
            subjectId: cmd.userId,
            workflowId: cmd.workflowId,
          });
        }
        return { removed: deleted.length > 0 };
      })
      .catch(finalIfPermanent);
  }

  /**
   * A token is made by the user it acts as, never for them: an administrator only lists and revokes a
   * person's tokens. The one exception is a bot the account owns, whose tokens its administrators make.
   */
  async function createAccessToken(cmd: WithWorkflow<CreateAccessTokenInput>): Promise<AccessTokenRecord> {
    if (cmd.actor.type !== 'User')
      refuse('Forbidden', 'A user makes tokens for themselves only, with their own token.');
    return sql
      .begin(async (tx) => {
        if (cmd.actor.id !== String(cmd.userId) && !(await botOfAdministrator(tx, cmd)))
          refuse('Forbidden', 'A user makes tokens for themselves only, with their own token.');
        const [member] = await tx<{ role: Role }[]>`
          select role from account_users where account_id = ${cmd.accountId} and user_id = ${cmd.userId}`;
        if (!member) refuse('NotFound', `User ${cmd.userId} is not a member of account ${cmd.accountId}.`);
        const scopes = tokenScopes(cmd, member.role);
        // Bound to this account: whatever else its user belongs to, the token acts here only.
        const [row] = await tx<{ id: number; expires_at: Date | null; scopes: UserScope[] }[]>`
          insert into access_tokens (owner_type, owner_id, account_id, token_sha256, prefix, name, expires_at, created_by, scopes)
          values ('User', ${cmd.userId}, ${cmd.accountId}, ${cmd.token.sha256}, ${cmd.token.prefix}, ${cmd.name}, ${cmd.expiresAt ?? null}, ${`${cmd.actor.type}:${cmd.actor.id}`}, ${scopes})
          on conflict (token_sha256) do update set name = access_tokens.name
          returning id, expires_at, scopes`;
        await noteGrantEffect(tx, cmd.actor, { kind: 'token', subjectId: row!.id, accountId: cmd.accountId });
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'access_token.created',
          subject: 'AccessToken',
          subjectId: row!.id,
          details: {
            userId: cmd.userId,
            prefix: cmd.token.prefix,
            expiresAt: cmd.expiresAt ?? null,
            scopes: row!.scopes,
          },
          workflowId: cmd.workflowId,
        });
        return {
          id: row!.id,
          userId: cmd.userId,
          name: cmd.name,
          prefix: cmd.token.prefix,
          revokedAt: null,
          expiresAt: row!.expires_at?.toISOString() ?? null,
          scopes: row!.scopes,
        };
      })
      .catch(finalIfPermanent);
  }

  /** Revocation takes effect on the next request: every request looks the token up. */
  async function revokeAccessToken(cmd: WithWorkflow<RevokeAccessTokenInput>): Promise<AccessTokenRecord> {
    return sql
      .begin(async (tx) => {
        const [row] = await tx<
          {
            id: number;
            owner_id: number;
            name: string;
            prefix: string;
            revoked_at: Date;
            expires_at: Date | null;
            scopes: UserScope[];
          }[]
        >`
          update access_tokens t set revoked_at = coalesce(t.revoked_at, now())
           where t.id = ${cmd.tokenId} and t.owner_type = 'User' and t.account_id = ${cmd.accountId}
          returning id, owner_id, name, prefix, revoked_at, expires_at, scopes`;
        if (!row) refuse('NotFound', `Token ${cmd.tokenId} was not made for account ${cmd.accountId}.`);
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'access_token.revoked',
          subject: 'AccessToken',
          subjectId: row.id,
          workflowId: cmd.workflowId,
        });
        return {
          id: row.id,
          userId: row.owner_id,
          name: row.name,
          prefix: row.prefix,
          revokedAt: row.revoked_at.toISOString(),
          expiresAt: row.expires_at?.toISOString() ?? null,
          scopes: row.scopes,
        };
      })
      .catch(finalIfPermanent);
  }

  return { addMember, changeRole, removeMember, createAccessToken, revokeAccessToken };
}

/** Whether the token is for a bot of this account and the actor administers the account. */
async function botOfAdministrator(tx: TransactionSql, cmd: CreateAccessTokenInput): Promise<boolean> {
  const [bot] = await tx`
    select 1 from users where id = ${cmd.userId} and type = 'Bot' and bot_account_id = ${cmd.accountId}`;
  if (!bot) return false;
  // A break-glass token acts as administrator of every account (noteGrantEffect then checks its grant is in force).
  if (cmd.actor.grantId !== undefined) return true;
  const [admin] = await tx`
    select 1 from account_users
     where account_id = ${cmd.accountId} and user_id = ${Number(cmd.actor.id)} and role = 'administrator'`;
  return admin !== undefined;
}
