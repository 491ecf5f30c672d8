import type { TransactionSql } from '../db/pool.ts';
import { refuse } from './failures.ts';

type Kind = 'invitation' | 'membership' | 'token' | 'webhook' | 'role';

/**
 * Lists what an actor made with a break-glass token against its grant, in the write's own transaction. The grant
 * row is read under a share lock: a write racing the grant's end either lands first (and is ended with it) or finds
 * the grant ended and is refused, so nothing made under a grant escapes its end.
 */
export async function noteGrantEffect(
  tx: TransactionSql,
  actor: { grantId?: number },
  /** `previousRole`: for a role change, the role the membership had before, which the grant's end puts back. */
  effect: { kind: Kind; subjectId: number; accountId: number; previousRole?: string },
): Promise<void> {
  if (actor.grantId === undefined) return;
  const [grant] = await tx`
    select 1 from super_admin_grants where id = ${actor.grantId} and ended_at is null and expires_at > now() for share`;
  if (!grant) refuse('Forbidden', `Break-glass grant ${actor.grantId} has ended: its token opens nothing any more.`);
  await tx`
    insert into break_glass_effects (grant_id, kind, subject_id, account_id, previous_role)
    values (${actor.grantId}, ${effect.kind}, ${effect.subjectId}, ${effect.accountId}, ${effect.previousRole ?? null})
    on conflict (grant_id, kind, subject_id) do nothing`;
}

/**
 * An invitation a grant made (and no operator kept) was accepted: the membership it created and the token it gave
 * are the grant's too, or the grant would outlive itself through someone it let in.
 */
export async function noteAcceptedInvitation(
  tx: TransactionSql,
  accepted: { invitationId: number; accountId: number; membershipId: number | undefined; tokenId: number },
): Promise<void> {
  const made: [Kind, number][] = [['token', accepted.tokenId]];
  if (accepted.membershipId !== undefined) made.unshift(['membership', accepted.membershipId]);
  for (const [kind, subjectId] of made)
    await tx`
      insert into break_glass_effects (grant_id, kind, subject_id, account_id)
      select grant_id, ${kind}, ${subjectId}, ${accepted.accountId} from break_glass_effects
       where kind = 'invitation' and subject_id = ${accepted.invitationId} and kept_at is null and ended_at is null
      on conflict (grant_id, kind, subject_id) do nothing`;
}

/**
 * Ends what the grant made and no operator kept: pending invitations are withdrawn, memberships removed (with their
 * tokens for that account, as a removal does), tokens revoked, webhooks disabled (kept for the account to look
 * at: a subscription is a standing copy of the account's events) and changed roles put back. Every path that ends a grant calls this in the
 * same transaction. Invitations go first: their row locks wait for an acceptance in flight, whose membership and
 * token are then listed and ended too.
 */
export async function endGrantEffects(
  tx: TransactionSql,
  grantId: number,
): Promise<{ kind: Kind; subjectId: number }[]> {
  const open = (kind: Kind) => tx`
    select subject_id from break_glass_effects
     where grant_id = ${grantId} and kind = ${kind} and kept_at is null and ended_at is null`;
  await tx`update invitations set revoked_at = coalesce(revoked_at, now())
            where id in (${open('invitation')}) and accepted_at is null`;
  const memberships = await tx<{ account_id: number; user_id: number }[]>`
    delete from account_users where id in (${open('membership')}) returning account_id, user_id`;
  for (const m of memberships)
    await tx`update access_tokens set revoked_at = coalesce(revoked_at, now())
              where owner_type = 'User' and owner_id = ${m.user_id} and account_id = ${m.account_id}`;
  await tx`update access_tokens set revoked_at = coalesce(revoked_at, now()) where id in (${open('token')})`;
  await tx`update webhooks set status = 'disabled', disabled_reason = ${`break-glass grant ${grantId} ended`}, updated_at = now()
            where id in (${open('webhook')})`;
  // A role the grant changed goes back, unless its last change was someone else's, or going back would leave the
  // account without an administrator.
  await tx`
    update account_users au set role = e.previous_role, updated_at = now()
      from break_glass_effects e
     where e.grant_id = ${grantId} and e.kind = 'role' and e.kept_at is null and e.ended_at is null
       and au.id = e.subject_id and au.role <> e.previous_role
       and (select l.grant_id from audit_log l
             where l.action = 'member.role_changed' and l.account_id = au.account_id and l.subject_id = au.user_id::text
             order by l.id desc limit 1) = e.grant_id
       and (e.previous_role = 'administrator' or exists (
             select 1 from account_users o where o.account_id = au.account_id and o.role = 'administrator' and o.id <> au.id))`;
  return tx<{ kind: Kind; subjectId: number }[]>`
    update break_glass_effects set ended_at = now()
     where grant_id = ${grantId} and kept_at is null and ended_at is null
    returning kind, subject_id as "subjectId"`;
}
