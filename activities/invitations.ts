import type { AccountLimits } from '../config/limits.ts';
import type { LicenceSettings } from '../config/licence.ts';
import type { Logger } from '../config/logger.ts';
import type { Run } from '../contracts/activities.ts';
import {
  invitationStatus,
  type AcceptInvitationInput,
  type Accepted,
  type InvitationRecord,
  type InviteMemberInput,
  type RevokeInvitationInput,
} from '../contracts/members.ts';
import { licenceState } from '../db/licence-state.ts';
import type { Sql, TransactionSql } from '../db/pool.ts';
import { issueInvitationSecret } from '../db/tokens.ts';
import { scopesFor } from '../domain/scopes.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { noteAcceptedInvitation, noteGrantEffect } from './grant-effects.ts';
import { audit } from './audit.ts';
import { takeSeat } from './membership.ts';

/** Until `mailInvitation` makes its secret, the invitation's hash is of one nobody has. */
const unusableLink = () => issueInvitationSecret().sha256;

interface InvitationRow {
  id: number;
  account_id: number;
  email: string;
  role: 'administrator' | 'agent';
  expires_at: Date;
  accepted_at: Date | null;
  accepted_user_id: number | null;
  revoked_at: Date | null;
}

const toRecord = (r: InvitationRow): InvitationRecord => ({
  id: r.id,
  accountId: r.account_id,
  email: r.email,
  role: r.role,
  status: invitationStatus(r),
  expiresAt: r.expires_at.toISOString(),
});

/**
 * Joining an account is an invitation the invitee accepts, never a silent link
 * to a user who exists elsewhere: the inviter learns nothing about other
 * accounts, and the answer is the same for a known and an unknown email.
 */
export function createInvitationActivities({
  sql,
  logger,
  licence,
  limits,
}: {
  sql: Sql;
  logger: Logger;
  licence: LicenceSettings;
  limits: AccountLimits;
}) {
  async function inviteMember(cmd: Run<InviteMemberInput>): Promise<InvitationRecord> {
    return sql
      .begin(async (tx) => {
        const [earlier] = await tx<InvitationRow[]>`select * from invitations where workflow_id = ${cmd.workflowId}`;
        if (earlier) return toRecord(earlier);
        await tx`select id from accounts where id = ${cmd.accountId} for update`; // one invitation change per account at a time
        // A new invitation for the same email replaces the pending one: the old link stops working.
        await tx`update invitations set revoked_at = now() where account_id = ${cmd.accountId} and lower(email) = ${cmd.email} and accepted_at is null and revoked_at is null`;
        const [{ pending } = { pending: 0 }] = await tx<{ pending: number }[]>`
          select count(*)::int as pending from invitations where account_id = ${cmd.accountId} and accepted_at is null and revoked_at is null and expires_at > now()`;
        if (pending >= limits.pendingInvitations)
          refuse(
            'LimitExceeded',
            `Account ${cmd.accountId} already has ${pending} pending invitations (the limit); revoke some first.`,
          );
        const [row] = await tx<InvitationRow[]>`
          insert into invitations (account_id, email, role, token_sha256, invited_by, workflow_id, expires_at)
          select ${cmd.accountId}, ${cmd.email}, ${cmd.role}, ${cmd.link?.sha256 ?? unusableLink()}, ${`${cmd.actor.type}:${cmd.actor.id}`}, ${cmd.workflowId}, ${cmd.expiresAt}
           where exists (select 1 from accounts where id = ${cmd.accountId})
          returning *`;
        if (!row) refuse('NotFound', `Account ${cmd.accountId} does not exist.`);
        await noteGrantEffect(tx, cmd.actor, { kind: 'invitation', subjectId: row.id, accountId: cmd.accountId });
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'invitation.created',
          subject: 'Invitation',
          subjectId: row.id,
          details: { role: cmd.role, ...(cmd.link && { linkPrefix: cmd.link.prefix }) },
          workflowId: cmd.workflowId,
        });
        return toRecord(row);
      })
      .catch(finalIfPermanent);
  }

  async function revokeInvitation(cmd: Run<RevokeInvitationInput>): Promise<InvitationRecord> {
    const [row] = await sql.begin(
      (tx) => tx<InvitationRow[]>`
      update invitations set revoked_at = coalesce(revoked_at, now())
       where id = ${cmd.invitationId} and account_id = ${cmd.accountId} and accepted_at is null
      returning *`,
    );
    if (!row) refuse('NotFound', `No pending invitation ${cmd.invitationId} in account ${cmd.accountId}.`);
    return toRecord(row);
  }

  /** Joins the invitee (by link: a new user only) and gives them a token for this account. */
  async function acceptInvitation(cmd: Run<AcceptInvitationInput>): Promise<Accepted> {
    const seatState = await licenceState(sql, licence);
    return sql
      .begin(async (tx) => {
        const invitation = await findInvitation(tx, cmd);
        if (invitation.accepted_at) return alreadyAccepted(tx, invitation, cmd);
        const userId = cmd.by.kind === 'user' ? cmd.by.userId : await newUserFor(tx, invitation, cmd.name);
        await takeSeat(tx, seatState, licence, userId);
        const [membership] = await tx<{ id: number }[]>`
          insert into account_users (account_id, user_id, role) values (${invitation.account_id}, ${userId}, ${invitation.role})
          on conflict (account_id, user_id) do nothing returning id`;
        await tx`update invitations set accepted_at = now(), accepted_user_id = ${userId} where id = ${invitation.id}`;
        const [token] = await tx<{ id: number }[]>`
          insert into access_tokens (owner_type, owner_id, account_id, token_sha256, prefix, name, created_by, scopes)
          values ('User', ${userId}, ${invitation.account_id}, ${cmd.token.sha256}, ${cmd.token.prefix}, 'invitation', ${`Invitation:${invitation.id}`}, ${scopesFor(invitation.role)})
          returning id`;
        await noteAcceptedInvitation(tx, {
          invitationId: invitation.id,
          accountId: invitation.account_id,
          membershipId: membership?.id,
          tokenId: token!.id,
        });
        await audit(tx, {
          accountId: invitation.account_id,
          actor: cmd.actor,
          action: 'invitation.accepted',
          subject: 'User',
          subjectId: userId,
          details: { invitationId: invitation.id, role: invitation.role },
          workflowId: cmd.workflowId,
        });
        logger.info({ accountId: invitation.account_id, userId, invitationId: invitation.id }, 'invitation accepted');
        return { accountId: invitation.account_id, userId, role: invitation.role, tokenId: token!.id };
      })
      .catch(finalIfPermanent);
  }

  async function findInvitation(tx: TransactionSql, cmd: Run<AcceptInvitationInput>): Promise<InvitationRow> {
    const [row] =
      cmd.by.kind === 'link'
        ? await tx<InvitationRow[]>`select * from invitations where token_sha256 = ${cmd.by.linkSha256} for update`
        : await tx<InvitationRow[]>`
            select i.* from invitations i join users u on lower(u.email) = lower(i.email)
             where i.id = ${cmd.by.invitationId} and u.id = ${cmd.by.userId} and u.type is distinct from 'Bot'
               for update of i`;
    if (!row || row.revoked_at || (!row.accepted_at && row.expires_at.getTime() <= Date.now())) {
      refuse('NotFound', 'This invitation does not exist, was withdrawn or has expired; ask for a new one.');
    }
    return row;
  }

  /** A retry of this very run finds its own acceptance; anyone else's second use of the link is refused. */
  async function alreadyAccepted(
    tx: TransactionSql,
    invitation: InvitationRow,
    cmd: Run<AcceptInvitationInput>,
  ): Promise<Accepted> {
    const [token] = await tx<{ id: number }[]>`select id from access_tokens where token_sha256 = ${cmd.token.sha256}`;
    if (!token) refuse('Conflict', 'This invitation has already been accepted.');
    return {
      accountId: invitation.account_id,
      userId: invitation.accepted_user_id!,
      role: invitation.role,
      tokenId: token.id,
    };
  }

  return { inviteMember, revokeInvitation, acceptInvitation };
}

/**
 * A link proves only that its holder has the link, which the inviter has too: it makes a user for an email
 * that has none, and never hands out a credential of a user who exists. That user accepts with their own token.
 * The refusal says no more than that the email has a user: nothing of who they are or where they belong.
 */
async function newUserFor(tx: TransactionSql, invitation: InvitationRow, name: string | undefined): Promise<number> {
  const [user] = await tx<{ id: number }[]>`
    insert into users (name, email) values (${name ?? invitation.email.split('@')[0]!}, ${invitation.email})
    on conflict ((lower(email))) do nothing
    returning id`;
  if (!user)
    refuse(
      'Conflict',
      `This email already has a user: they accept the invitation signed in, with their own token (POST /v1/invitations/${invitation.id}/accept).`,
    );
  return user.id;
}
