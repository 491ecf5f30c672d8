import { Context } from '@temporalio/activity';
import type { Logger } from '../config/logger.ts';
import type { MailSettings } from '../config/mail.ts';
import type { MailedSignInLink, MailSignInLinkInput } from '../contracts/sign-in-links.ts';
import type { Sql } from '../db/pool.ts';
import { issueSignInSecret } from '../db/tokens.ts';
import { audit } from './audit.ts';
import { createMailer } from './mail.ts';

interface Pending {
  email: string;
  user_id: number;
  account_id: number;
  expires_at: Date;
  account_name: string;
}

/**
 * The sign-in link's secret is made here, mailed to the user's address, and only its hash is kept: it is in no
 * workflow history, no API answer and no log, so neither the platform app that provisions an account nor the
 * operator who issues a link holds a way in as that user. A retried attempt makes a new secret, and the link of
 * an earlier attempt's mail (if it went out) stops working.
 */
export function createSignInLinkMail({ sql, logger, mail }: { sql: Sql; logger: Logger; mail: MailSettings }) {
  const mailer = createMailer(mail);

  async function mailSignInLink({ linkId }: MailSignInLinkInput): Promise<MailedSignInLink> {
    const secret = issueSignInSecret();
    const row = await sql.begin(async (tx) => {
      // Live as redeemSignInLink reads it: unredeemed, unexpired (a newer link ends it), issued after any reset.
      const [pending] = await tx<Pending[]>`
        update sign_in_links l set token_sha256 = ${secret.sha256}, prefix = ${secret.prefix}
          from users u, accounts a
         where l.id = ${linkId} and u.id = l.user_id and a.id = l.account_id
           and l.redeemed_at is null and l.expires_at > now()
           and (u.credentials_reset_at is null or l.created_at > u.credentials_reset_at)
        returning u.email, l.user_id, l.account_id, l.expires_at, a.name as account_name`;
      if (pending)
        await audit(tx, {
          accountId: pending.account_id,
          actor: { type: 'Mail', id: 'smtp' },
          action: 'sign_in_link.mailed',
          subject: 'User',
          subjectId: pending.user_id,
          details: { linkId, prefix: secret.prefix },
          workflowId: Context.current().info.workflowExecution?.workflowId ?? `sign-in-link-mail:${linkId}`,
        });
      return pending;
    });
    if (!row) return { linkId, status: 'not_pending' };
    await mailer.send(
      {
        to: row.email,
        subject: `Your sign-in link for ${row.account_name}`,
        text: signInText(row, secret.plaintext, mailer.publicUrl),
      },
      'sign-in link mail',
    );
    logger.info({ linkId, accountId: row.account_id, userId: row.user_id }, 'sign-in link mailed');
    return { linkId, status: 'sent' };
  }

  return { mailSignInLink };
}

function signInText(row: Pending, token: string, base: string): string {
  return [
    `Here is your one-time sign-in link for ${row.account_name}, valid until ${row.expires_at.toISOString()}:`,
    '',
    `  ${token}`,
    '',
    'Redeem it for an access token of your own (it works once):',
    `  POST ${base}/v1/sign-in-links/redeem  {"token": "${token}"}`,
    '',
    'If you did not expect this, ignore it: nothing happens until the link is redeemed.',
  ].join('\n');
}
