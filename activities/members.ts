import type { Logger } from '../config/logger.ts';
import type { LicenceSettings } from '../config/licence.ts';
import { licenceState, type LicenceState } from '../db/licence-state.ts';
import { seatsUsed } from '../db/licence.ts';
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
import { finalIfPermanent, refuse } from './failures.ts';

type WithWorkflow<T> = T & { workflowId: string };

const SEAT_LOCK = 0x5345415453; // "SEATS"

export function createMemberActivities({ sql, logger, licence }: { sql: Sql; logger: Logger; licence: LicenceSettings }) {
  async function audit(tx: TransactionSql, entry: { accountId: number; actor: { type: string; id: string }; action: string; subject: string; subjectId: number; details?: object; workflowId: string }) {
    await tx`
      insert into audit_log (account_id, actor_type, actor_id, action, subject_type, subject_id, details, workflow_id)
      values (${entry.accountId}, ${entry.actor.type}, ${entry.actor.id}, ${entry.action}, ${entry.subject}, ${String(entry.subjectId)},
              ${tx.json((entry.details ?? {}) as never)}, ${entry.workflowId})
      on conflict (workflow_id, action) where workflow_id is not null do nothing`;
  }

  /** Locks the account's administrators, then refuses a change that would leave none. */
  async function guardLastAdministrator(tx: TransactionSql, accountId: number, userId: number): Promise<void> {
    const admins = await tx<{ user_id: number }[]>`
      select user_id from account_users where account_id = ${accountId} and role = 'administrator' order by id for update`;
    if (admins.length === 1 && admins[0]!.user_id === userId) {
      refuse('Conflict', `User ${userId} is the last administrator of account ${accountId}; make another member administrator first.`);
    }
  }

  /**
   * A user who holds no seat yet takes one. With a licence in force, going past
   * its seats is refused (402) unless overage is allowed, which the heartbeat reports.
   */
  async function guardSeats(tx: TransactionSql, state: LicenceState, userId: number): Promise<void> {
    if (!state.claims || (state.status !== 'VALID' && state.status !== 'GRACE') || licence.allowSeatOverage) return;
    const [seated] = await tx`select 1 from account_users where user_id = ${userId} limit 1`;
    if (seated) return;
    await tx`select pg_advisory_xact_lock(${SEAT_LOCK})`; // seats are counted and taken one at a time
    if ((await seatsUsed(tx)) >= state.claims.seats) {
      refuse('PaymentRequired', `All ${state.claims.seats} seats of the licence are taken; add seats to the licence or remove a member.`);
    }
  }

  async function addMember(cmd: WithWorkflow<AddMemberInput>): Promise<Member> {
    // Read before the transaction: inside it, a second pooled connection could wait on a full pool.
    const seatState = await licenceState(sql, licence);
    return sql
      .begin(async (tx) => {
        const [account] = await tx`select id from accounts where id = ${cmd.accountId}`;
        if (!account) refuse('NotFound', `Account ${cmd.accountId} does not exist.`);
        const [user] = await tx<{ id: number; name: string; email: string }[]>`
          insert into users (name, email) values (${cmd.name}, ${cmd.email})
          on conflict ((lower(email))) do update set updated_at = users.updated_at
          returning id, name, email`;
        await guardSeats(tx, seatState, user!.id);
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
        await audit(tx, { accountId: cmd.accountId, actor: cmd.actor, action: 'member.added', subject: 'User', subjectId: user!.id, details: { role: cmd.role }, workflowId: cmd.workflowId });
        logger.info({ accountId: cmd.accountId, userId: user!.id, role: cmd.role }, 'member added');
        return { userId: user!.id, name: user!.name, email: user!.email, role: inserted.role, created: true };
      })
      .catch(finalIfPermanent);
  }

  async function changeRole(cmd: WithWorkflow<ChangeRoleInput>): Promise<Member> {
    return sql
      .begin(async (tx) => {
        if (cmd.role === 'agent') await guardLastAdministrator(tx, cmd.accountId, cmd.userId);
        const [row] = await tx<{ name: string; email: string; previous: string }[]>`
          update account_users au set role = ${cmd.role}, updated_at = now()
            from users u, (select role as previous from account_users where account_id = ${cmd.accountId} and user_id = ${cmd.userId}) p
           where au.account_id = ${cmd.accountId} and au.user_id = ${cmd.userId} and u.id = au.user_id
          returning u.name, u.email, p.previous`;
        if (!row) refuse('NotFound', `User ${cmd.userId} is not a member of account ${cmd.accountId}.`);
        if (row.previous !== cmd.role) {
          await audit(tx, { accountId: cmd.accountId, actor: cmd.actor, action: 'member.role_changed', subject: 'User', subjectId: cmd.userId, details: { from: row.previous, to: cmd.role }, workflowId: cmd.workflowId });
        }
        return { userId: cmd.userId, name: row.name, email: row.email, role: cmd.role, created: false };
      })
      .catch(finalIfPermanent);
  }

  async function removeMember(cmd: WithWorkflow<RemoveMemberInput>): Promise<{ removed: boolean }> {
    return sql
      .begin(async (tx) => {
        await guardLastAdministrator(tx, cmd.accountId, cmd.userId);
        const deleted = await tx`delete from account_users where account_id = ${cmd.accountId} and user_id = ${cmd.userId} returning id`;
        if (deleted.length) {
          await audit(tx, { accountId: cmd.accountId, actor: cmd.actor, action: 'member.removed', subject: 'User', subjectId: cmd.userId, workflowId: cmd.workflowId });
        }
        return { removed: deleted.length > 0 };
      })
      .catch(finalIfPermanent);
  }

  /**
   * A token opens every account its user belongs to, so an account's
   * administrator may manage only their own tokens and those of users who belong
   * to this account alone and are not super admins. Platform tokens may manage any.
   */
  async function guardTokenOwner(tx: TransactionSql, cmd: { actor: { type: string; id: string }; accountId: number }, userId: number): Promise<void> {
    if (cmd.actor.type === 'PlatformApp' || cmd.actor.id === String(userId)) return;
    const [user] = await tx<{ type: string | null; elsewhere: number }[]>`
      select u.type, (select count(*)::int from account_users au where au.user_id = u.id and au.account_id <> ${cmd.accountId}) as elsewhere
        from users u where u.id = ${userId}`;
    if (user && (user.type === 'SuperAdmin' || user.elsewhere > 0)) {
      refuse('Forbidden', `User ${userId} also belongs to other accounts; only they, or the platform, can manage their tokens.`);
    }
  }

  async function createAccessToken(cmd: WithWorkflow<CreateAccessTokenInput>): Promise<AccessTokenRecord> {
    return sql
      .begin(async (tx) => {
        const [member] = await tx`select 1 from account_users where account_id = ${cmd.accountId} and user_id = ${cmd.userId}`;
        if (!member) refuse('NotFound', `User ${cmd.userId} is not a member of account ${cmd.accountId}.`);
        await guardTokenOwner(tx, cmd, cmd.userId);
        const [row] = await tx<{ id: number }[]>`
          insert into access_tokens (owner_type, owner_id, token_sha256, prefix, name)
          values ('User', ${cmd.userId}, ${cmd.token.sha256}, ${cmd.token.prefix}, ${cmd.name})
          on conflict (token_sha256) do update set name = access_tokens.name
          returning id`;
        await audit(tx, { accountId: cmd.accountId, actor: cmd.actor, action: 'access_token.created', subject: 'AccessToken', subjectId: row!.id, details: { userId: cmd.userId, prefix: cmd.token.prefix }, workflowId: cmd.workflowId });
        return { id: row!.id, userId: cmd.userId, name: cmd.name, prefix: cmd.token.prefix, revokedAt: null };
      })
      .catch(finalIfPermanent);
  }

  /** Revocation takes effect on the next request: every request looks the token up. */
  async function revokeAccessToken(cmd: WithWorkflow<RevokeAccessTokenInput>): Promise<AccessTokenRecord> {
    return sql
      .begin(async (tx) => {
        const [owner] = await tx<{ owner_id: number }[]>`
          select t.owner_id from access_tokens t
           where t.id = ${cmd.tokenId} and t.owner_type = 'User'
             and exists (select 1 from account_users au where au.account_id = ${cmd.accountId} and au.user_id = t.owner_id)`;
        if (owner) await guardTokenOwner(tx, cmd, owner.owner_id);
        const [row] = await tx<{ id: number; owner_id: number; name: string; prefix: string; revoked_at: Date }[]>`
          update access_tokens t set revoked_at = coalesce(t.revoked_at, now())
           where t.id = ${cmd.tokenId} and t.owner_type = 'User'
             and exists (select 1 from account_users au where au.account_id = ${cmd.accountId} and au.user_id = t.owner_id)
          returning id, owner_id, name, prefix, revoked_at`;
        if (!row) refuse('NotFound', `Token ${cmd.tokenId} does not belong to a member of account ${cmd.accountId}.`);
        await audit(tx, { accountId: cmd.accountId, actor: cmd.actor, action: 'access_token.revoked', subject: 'AccessToken', subjectId: row.id, workflowId: cmd.workflowId });
        return { id: row.id, userId: row.owner_id, name: row.name, prefix: row.prefix, revokedAt: row.revoked_at.toISOString() };
      })
      .catch(finalIfPermanent);
  }

  return { addMember, changeRole, removeMember, createAccessToken, revokeAccessToken };
}
