import type { Logger } from '../config/logger.ts';
import type { Run } from '../contracts/activities.ts';
import type {
  ActivateBreakGlassInput,
  BreakGlassActivation,
  GrantEffect,
  KeepGrantEffectInput,
} from '../contracts/admin.ts';
import { grantEffects } from '../db/grant-effects.ts';
import type { Sql } from '../db/pool.ts';
import { refuse } from './failures.ts';
import { audit } from './audit.ts';

interface ActivationRow {
  grant_id: number;
  id: number;
  prefix: string;
  expires_at: Date;
}

const activationOf = (r: ActivationRow): BreakGlassActivation => ({
  grantId: r.grant_id,
  tokenId: r.id,
  prefix: r.prefix,
  expiresAt: r.expires_at.toISOString(),
});

/**
 * Super-admin power on a credential: the grantee turns their grant in force into one break-glass token, once, so a
 * second holder of any of their ordinary tokens cannot make another; an operator keeps what the grantee made.
 */
export function createBreakGlassActivities({ sql, logger }: { sql: Sql; logger: Logger }) {
  async function activateBreakGlass(cmd: Run<ActivateBreakGlassInput>): Promise<BreakGlassActivation> {
    if (cmd.actor.type !== 'User' || cmd.actor.grantId !== undefined)
      refuse('Forbidden', 'A grant is activated by its grantee, with their own ordinary token.');
    return sql.begin(async (tx) => {
      const [done] = await tx<ActivationRow[]>`
        select b.grant_id, b.id, b.prefix, g.expires_at from break_glass_tokens b
          join super_admin_grants g on g.id = b.grant_id where b.workflow_id = ${cmd.workflowId}`;
      if (done) return activationOf(done); // a retry after the commit
      const [grant] = await tx<{ id: number; expires_at: Date }[]>`
        select id, expires_at from super_admin_grants
         where user_id = ${Number(cmd.actor.id)} and ended_at is null and expires_at > now() for update`;
      if (!grant) refuse('NotFound', 'You hold no break-glass grant in force.');
      const [earlier] = await tx<
        { prefix: string }[]
      >`select prefix from break_glass_tokens where grant_id = ${grant.id}`;
      if (earlier)
        refuse(
          'Conflict',
          `Grant ${grant.id} was activated already (token ${earlier.prefix}…); if that was not you, ask an operator to revoke the grant.`,
        );
      const [row] = await tx<Omit<ActivationRow, 'expires_at'>[]>`
        insert into break_glass_tokens (grant_id, token_sha256, prefix, activated_with, reason, workflow_id)
        values (${grant.id}, ${cmd.token.sha256}, ${cmd.token.prefix}, ${cmd.activatedWith}, ${cmd.reason}, ${cmd.workflowId})
        returning grant_id, id, prefix`;
      await audit(tx, {
        accountId: null,
        actor: { ...cmd.actor, grantId: grant.id },
        action: 'admin.break_glass_activated',
        subject: 'SuperAdminGrant',
        subjectId: grant.id,
        details: { reason: cmd.reason, prefix: cmd.token.prefix, activatedWith: cmd.activatedWith },
        workflowId: cmd.workflowId,
      });
      logger.warn({ grantId: grant.id, userId: cmd.actor.id }, 'break-glass grant activated');
      return activationOf({ ...row!, expires_at: grant.expires_at });
    });
  }

  /** Kept before the grant ends, an effect outlives it; an ended one stays ended (an operator makes anew instead). */
  async function keepGrantEffect(cmd: Run<KeepGrantEffectInput>): Promise<GrantEffect> {
    return sql.begin(async (tx) => {
      const [effect] = await grantEffects(tx, { effectId: cmd.effectId }, true);
      if (!effect || effect.grantId !== cmd.grantId)
        refuse('NotFound', `Grant ${cmd.grantId} made no effect ${cmd.effectId}.`);
      if (effect.keptAt) return effect;
      if (effect.endedAt) refuse('Conflict', `Effect ${cmd.effectId} ended with its grant at ${effect.endedAt}.`);
      await tx`update break_glass_effects set kept_at = now(), kept_by = ${`${cmd.actor.type}:${cmd.actor.id}`},
                 kept_reason = ${cmd.reason} where id = ${cmd.effectId}`;
      await audit(tx, {
        accountId: effect.accountId,
        actor: cmd.actor,
        action: 'admin.grant_effect_kept',
        subject: 'SuperAdminGrant',
        subjectId: cmd.grantId,
        details: { reason: cmd.reason, kind: effect.kind, subjectId: effect.subjectId, effectId: effect.id },
        workflowId: cmd.workflowId,
      });
      return (await grantEffects(tx, { effectId: cmd.effectId }))[0]!;
    });
  }

  return { activateBreakGlass, keepGrantEffect };
}
