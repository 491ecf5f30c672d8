import type { Logger } from '../config/logger.ts';
import type { Run } from '../contracts/activities.ts';
import type { DebugAuthInput, DebugAuthResult, ForceResetInput, ForceResetResult } from '../contracts/admin.ts';
import type { Sql } from '../db/pool.ts';
import { breakGlassFacts } from '../db/break-glass.ts';
import { tokenFacts } from '../db/tokens.ts';
import { refuse } from './failures.ts';
import { endGrantEffects } from './grant-effects.ts';
import { audit } from './audit.ts';
import { diagnose, diagnoseBreakGlass } from './token-diagnosis.ts';

/** Chatwoot's `force_reset` / `mfa:reset` and `debug_auth` scripts, as audited activities. */
export function createTriageActivities({ sql, logger }: { sql: Sql; logger: Logger }) {
  /**
   * Every token of the user stops at once and any token made before this moment
   * stays refused (users.credentials_reset_at); pending invitations to the email
   * and a break-glass grant end too, and so does any sign-in link issued before it. The way back is a
   * new one-time sign-in link from the operator, which only the user redeems.
   */
  async function forceReset(
    cmd: Run<ForceResetInput>,
  ): Promise<ForceResetResult & { holderWorkflowId: string | null }> {
    return sql.begin(async (tx) => {
      const [earlier] = await tx<{ details: ForceResetResult & { holderWorkflowId: string | null } }[]>`
        select details from audit_log where workflow_id = ${cmd.workflowId} and action = 'admin.force_reset'`;
      if (earlier) return earlier.details; // a retry after the commit
      const [user] = await tx<{ id: number; email: string }[]>`
        select id, email from users where lower(email) = ${cmd.email} for update`;
      if (!user) refuse('NotFound', `No user has the email ${cmd.email}.`);
      const [{ reset_at: resetAt }] = (await tx`
        update users set credentials_reset_at = now(), updated_at = now() where id = ${user.id}
        returning credentials_reset_at as reset_at`) as unknown as [{ reset_at: Date }];
      const tokens = await tx`
        update access_tokens set revoked_at = now()
         where owner_type = 'User' and owner_id = ${user.id} and revoked_at is null returning id`;
      const invitations = await tx`
        update invitations set revoked_at = now()
         where lower(email) = ${cmd.email} and accepted_at is null and revoked_at is null returning id`;
      const [grant] = await tx<{ id: number; workflow_id: string }[]>`
        update super_admin_grants set ended_at = now(), end_reason = 'force_reset', ended_by = ${`${cmd.actor.type}:${cmd.actor.id}`}
         where user_id = ${user.id} and ended_at is null returning id, workflow_id`;
      if (grant) await endGrantEffects(tx, grant.id);
      const result = {
        userId: user.id,
        email: user.email,
        tokensRevoked: tokens.length,
        invitationsRevoked: invitations.length,
        promotionEnded: Boolean(grant),
        resetAt: resetAt.toISOString(),
        holderWorkflowId: grant?.workflow_id ?? null,
      };
      await audit(tx, {
        accountId: null,
        actor: cmd.actor,
        action: 'admin.force_reset',
        subject: 'User',
        subjectId: user.id,
        details: { reason: cmd.reason, ...result },
        workflowId: cmd.workflowId,
      });
      logger.warn({ userId: user.id, tokensRevoked: tokens.length }, 'credentials force-reset');
      return result;
    });
  }

  async function diagnoseToken(cmd: Run<DebugAuthInput>): Promise<DebugAuthResult> {
    const [facts, glass] = await Promise.all([tokenFacts(sql, cmd.token), breakGlassFacts(sql, cmd.token)]);
    const asked = cmd.accountId
      ? (await sql<{ status: 'active' | 'suspended' }[]>`select status from accounts where id = ${cmd.accountId}`)[0]
      : undefined;
    const ctx = { accountId: cmd.accountId, requiredRole: cmd.requiredRole, requiredScope: cmd.requiredScope, asked };
    const found = [...facts.map((f) => diagnose(f, ctx)), ...glass.map((g) => diagnoseBreakGlass(g, ctx))];
    const diagnoses = found.length
      ? found
      : [diagnose(undefined, { prefix: 'prefix' in cmd.token ? cmd.token.prefix : null })];
    await sql.begin((tx) =>
      audit(tx, {
        accountId: null,
        actor: cmd.actor,
        action: 'admin.debug_auth',
        subject: 'AccessToken',
        subjectId: diagnoses[0]!.tokenId ?? 0,
        details: {
          reason: cmd.reason ?? null,
          accountId: cmd.accountId ?? null,
          requiredRole: cmd.requiredRole ?? null,
          requiredScope: cmd.requiredScope ?? null,
          verdicts: diagnoses.map((d) => ({ prefix: d.prefix, verdict: d.verdict })),
        },
        workflowId: cmd.workflowId,
      }),
    );
    return { diagnoses };
  }

  return { forceReset, diagnoseToken };
}
