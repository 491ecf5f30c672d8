import type { Logger } from '../config/logger.ts';
import type { Run } from '../contracts/activities.ts';
import type {
  IssueSignInLinkInput,
  RedeemSignInLinkInput,
  SignedIn,
  SignInLinkRecord,
} from '../contracts/sign-in-links.ts';
import type { Sql } from '../db/pool.ts';
import { finalIfPermanent, refuse } from './failures.ts';
import { audit } from './audit.ts';
import { scopesFor } from '../domain/scopes.ts';
import { issueSignInSecret } from '../db/tokens.ts';

interface LinkRow {
  id: number;
  user_id: number;
  account_id: number;
  prefix: string;
  created_at: Date;
  expires_at: Date;
  redeemed_at: Date | null;
}

const toRecord = (r: LinkRow): SignInLinkRecord => ({
  id: r.id,
  userId: r.user_id,
  accountId: r.account_id,
  prefix: r.prefix,
  expiresAt: r.expires_at.toISOString(),
});

const GONE = 'This sign-in link does not exist, was used, replaced or has expired; ask the operator for a new one.';

/**
 * One-time sign-in links: the operator issues one for a member of an account, the user redeems it for a token
 * of their own. Nobody else is handed a credential of theirs, and each step is audited.
 */
export function createSignInLinkActivities({ sql, logger }: { sql: Sql; logger: Logger }) {
  async function issueSignInLink(cmd: Run<IssueSignInLinkInput>): Promise<SignInLinkRecord> {
    return sql
      .begin(async (tx) => {
        const [earlier] = await tx<LinkRow[]>`select * from sign_in_links where workflow_id = ${cmd.workflowId}`;
        if (earlier) return toRecord(earlier);
        const [member] = await tx<{ id: number }[]>`
          select u.id from users u join account_users au on au.user_id = u.id and au.account_id = ${cmd.accountId}
           where lower(u.email) = ${cmd.email} for update of u`;
        if (!member) refuse('NotFound', `No member of account ${cmd.accountId} has the email ${cmd.email}.`);
        // One live link per user and account: a new one ends the one before.
        await tx`update sign_in_links set expires_at = least(expires_at, now())
                  where user_id = ${member.id} and account_id = ${cmd.accountId} and redeemed_at is null`;
        // Since links are mailed the run carries no hash: the row gets one of a secret nobody has until the mail's.
        const link = cmd.link ?? issueSignInSecret();
        const [row] = await tx<LinkRow[]>`
          insert into sign_in_links (user_id, account_id, token_sha256, prefix, reason, issued_by, workflow_id, expires_at)
          values (${member.id}, ${cmd.accountId}, ${link.sha256}, ${link.prefix}, ${cmd.reason},
                  ${`${cmd.actor.type}:${cmd.actor.id}`}, ${cmd.workflowId}, ${cmd.expiresAt})
          returning *`;
        await audit(tx, {
          accountId: cmd.accountId,
          actor: cmd.actor,
          action: 'sign_in_link.issued',
          subject: 'User',
          subjectId: member.id,
          details: {
            linkId: row!.id,
            ...(cmd.link && { prefix: cmd.link.prefix }),
            reason: cmd.reason,
            expiresAt: cmd.expiresAt,
          },
          workflowId: cmd.workflowId,
        });
        return toRecord(row!);
      })
      .catch(finalIfPermanent);
  }

  /** A retry of this very run finds its own token; any other second use is refused. */
  async function redeemSignInLink(cmd: Run<RedeemSignInLinkInput>): Promise<SignedIn> {
    return sql
      .begin(async (tx) => {
        const [link] = await tx<(LinkRow & { live: boolean; role: SignedIn['role'] | null })[]>`
          select l.*, au.role,
                 l.expires_at > now() and (u.credentials_reset_at is null or l.created_at > u.credentials_reset_at) as live
            from sign_in_links l
            join users u on u.id = l.user_id
            left join account_users au on au.account_id = l.account_id and au.user_id = l.user_id
           where l.token_sha256 = ${cmd.linkSha256}
             for update of l`;
        if (!link) refuse('NotFound', GONE);
        if (link.redeemed_at) {
          const [mine] = await tx<
            { id: number }[]
          >`select id from access_tokens where token_sha256 = ${cmd.token.sha256}`;
          if (!mine || !link.role) refuse('NotFound', GONE);
          return { accountId: link.account_id, userId: link.user_id, role: link.role, tokenId: mine.id };
        }
        // Issued before a forced reset, past its expiry, or for someone no longer a member: worth nothing.
        if (!link.live || !link.role) refuse('NotFound', GONE);
        const [token] = await tx<{ id: number }[]>`
          insert into access_tokens (owner_type, owner_id, account_id, token_sha256, prefix, name, created_by, scopes)
          values ('User', ${link.user_id}, ${link.account_id}, ${cmd.token.sha256}, ${cmd.token.prefix}, 'sign-in link', ${`SignInLink:${link.id}`}, ${scopesFor(link.role)})
          returning id`;
        await tx`update sign_in_links set redeemed_at = now(), access_token_id = ${token!.id} where id = ${link.id}`;
        await audit(tx, {
          accountId: link.account_id,
          actor: cmd.actor,
          action: 'sign_in_link.redeemed',
          subject: 'User',
          subjectId: link.user_id,
          details: { linkId: link.id, tokenPrefix: cmd.token.prefix },
          workflowId: cmd.workflowId,
        });
        logger.info({ accountId: link.account_id, userId: link.user_id, linkId: link.id }, 'sign-in link redeemed');
        return { accountId: link.account_id, userId: link.user_id, role: link.role, tokenId: token!.id };
      })
      .catch(finalIfPermanent);
  }

  return { issueSignInLink, redeemSignInLink };
}
