import type { Logger } from '../config/logger.ts';
import type { Run } from '../contracts/activities.ts';
import type { ExtendPromotionInput, PromoteInput, Promotion, RevokePromotionInput } from '../contracts/admin.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import { promotions } from '../db/promotions.ts';
import { refuse } from './failures.ts';
import { endGrantEffects } from './grant-effects.ts';
import { audit } from './audit.ts';

const MAX_REMAINING_MS = 24 * 3_600_000;
const TIMER = { type: 'System', id: 'break-glass-timer' };
const by = (actor: { type: string; id: string }) => `${actor.type}:${actor.id}`;

/**
 * Break-glass grants: while a grant is in force its grantee may activate it once
 * for a break-glass token (activities/break-glass.ts), administrator of every
 * account; the user's own tokens never are. The workflow that made a grant
 * holds it and ends it at its expiry; revoking and extending are their own
 * audited writes that tell the holder to read the row again. Every end also ends
 * what the grant made (activities/grant-effects.ts) unless an operator kept it.
 */
export function createPromotionActivities({ sql, logger }: { sql: Sql; logger: Logger }) {
  async function grantSuperAdmin(cmd: Run<PromoteInput>): Promise<Promotion> {
    return sql.begin(async (tx) => {
      const [done] = await promotions(tx, { workflowId: cmd.workflowId });
      if (done) return done; // a retry after the commit
      const [user] = await tx<{ id: number }[]>`select id from users where lower(email) = ${cmd.email} for update`;
      if (!user) refuse('NotFound', `No user has the email ${cmd.email}.`);
      // A grant past its expiry whose holder has not ended it yet must not block a new one.
      const stale = await tx<{ id: number }[]>`
        update super_admin_grants set ended_at = now(), end_reason = 'expired', ended_by = ${by(TIMER)}
         where user_id = ${user.id} and ended_at is null and expires_at <= now() returning id`;
      for (const { id } of stale) await endGrantEffects(tx, id);
      const [active] = await promotions(tx, { activeFor: cmd.email });
      if (active)
        refuse('Conflict', `${cmd.email} is already promoted until ${active.expiresAt}; extend or revoke that grant.`);
      const [row] = await tx<{ id: number }[]>`
        insert into super_admin_grants (user_id, reason, granted_by, expires_at, workflow_id)
        values (${user.id}, ${cmd.reason}, ${by(cmd.actor)}, now() + make_interval(secs => ${cmd.ttlMs / 1000}), ${cmd.workflowId})
        returning id`;
      const [grant] = await promotions(tx, { grantId: row!.id });
      await grantAudit(tx, cmd.actor, 'admin.promoted', grant!, cmd.workflowId, {
        reason: cmd.reason,
        ttlMs: cmd.ttlMs,
        expiresAt: grant!.expiresAt,
      });
      logger.warn(
        { userId: user.id, grantId: row!.id, expiresAt: grant!.expiresAt },
        'break-glass super admin granted',
      );
      return grant!;
    });
  }

  async function revokeSuperAdmin(cmd: Run<RevokePromotionInput>): Promise<Promotion> {
    return sql.begin(async (tx) => {
      const [grant] = await activeGrant(tx, cmd.email, cmd.workflowId, 'admin.promotion_revoked');
      if (grant.endedAt) return grant;
      await tx`update super_admin_grants set ended_at = now(), end_reason = 'revoked', ended_by = ${by(cmd.actor)}
                where id = ${grant.grantId}`;
      const effectsEnded = await endGrantEffects(tx, grant.grantId);
      const [ended] = await promotions(tx, { grantId: grant.grantId });
      await grantAudit(tx, cmd.actor, 'admin.promotion_revoked', ended!, cmd.workflowId, {
        reason: cmd.reason,
        effectsEnded,
      });
      logger.warn({ grantId: grant.grantId }, 'break-glass super admin revoked');
      return ended!;
    });
  }

  async function extendSuperAdmin(cmd: Run<ExtendPromotionInput>): Promise<Promotion> {
    return sql.begin(async (tx) => {
      const [grant, repeated] = await activeGrant(tx, cmd.email, cmd.workflowId, 'admin.promotion_extended');
      if (repeated) return grant;
      if (Date.parse(grant.expiresAt) + cmd.ttlMs - Date.now() > MAX_REMAINING_MS)
        refuse('ValidationError', `A grant may run at most 24 h from now; it ends at ${grant.expiresAt} already.`);
      await tx`update super_admin_grants set expires_at = expires_at + make_interval(secs => ${cmd.ttlMs / 1000})
                where id = ${grant.grantId}`;
      const [extended] = await promotions(tx, { grantId: grant.grantId });
      await grantAudit(tx, cmd.actor, 'admin.promotion_extended', extended!, cmd.workflowId, {
        reason: cmd.reason,
        ttlMs: cmd.ttlMs,
        from: grant.expiresAt,
        to: extended!.expiresAt,
      });
      return extended!;
    });
  }

  /** The holder's timer fired: ends the grant unless it was extended meanwhile (then it waits again). */
  async function expireSuperAdmin(input: { grantId: number; workflowId: string }): Promise<Promotion> {
    return sql.begin(async (tx) => {
      const ended = await tx`
        update super_admin_grants set ended_at = now(), end_reason = 'expired', ended_by = ${by(TIMER)}
         where id = ${input.grantId} and ended_at is null and expires_at <= now()
         returning id`;
      const [grant] = await promotions(tx, { grantId: input.grantId });
      if (!grant) refuse('NotFound', `Grant ${input.grantId} does not exist.`);
      const effectsEnded = ended.length ? await endGrantEffects(tx, input.grantId) : [];
      if (ended.length || grant.endReason === 'expired')
        await grantAudit(tx, TIMER, 'admin.promotion_expired', grant, input.workflowId, { effectsEnded });
      if (ended.length) logger.warn({ grantId: input.grantId }, 'break-glass super admin expired');
      return grant;
    });
  }

  async function readPromotion(input: { grantId: number }): Promise<Promotion> {
    const [grant] = await promotions(sql, input);
    if (!grant) refuse('NotFound', `Grant ${input.grantId} does not exist.`);
    return grant;
  }

  return { grantSuperAdmin, revokeSuperAdmin, extendSuperAdmin, expireSuperAdmin, readPromotion };
}

/**
 * The grant in force for this email, locked; or, when this run already acted
 * (a retry after the commit), the grant it acted on and `true`.
 */
async function activeGrant(
  tx: TransactionSql,
  email: string,
  workflowId: string,
  action: string,
): Promise<[Promotion, boolean]> {
  const [earlier] = await tx<{ subject_id: string }[]>`
    select subject_id from audit_log where workflow_id = ${workflowId} and action = ${action}`;
  if (earlier) return [(await promotions(tx, { grantId: Number(earlier.subject_id) }))[0]!, true];
  const [grant] = await promotions(tx, { activeFor: email }, true);
  if (!grant || Date.parse(grant.expiresAt) <= Date.now())
    refuse('NotFound', `${email} holds no break-glass grant in force.`);
  return [grant, false];
}

function grantAudit(
  tx: TransactionSql,
  actor: { type: string; id: string },
  action: string,
  grant: Promotion,
  workflowId: string,
  details: object,
): Promise<void> {
  return audit(tx, {
    accountId: null,
    actor,
    action,
    subject: 'SuperAdminGrant',
    subjectId: grant.grantId,
    details: { email: grant.email, userId: grant.userId, ...details },
    workflowId,
  });
}
