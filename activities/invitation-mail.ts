import { Context } from '@temporalio/activity';
import type { Logger } from '../config/logger.ts';
import type { MailSettings } from '../config/mail.ts';
import type { MailedInvitation, MailInvitationInput } from '../contracts/members.ts';
import type { Sql } from '../db/pool.ts';
import { issueInvitationSecret } from '../db/tokens.ts';
import { audit } from './audit.ts';
import { createMailer } from './mail.ts';

interface Pending {
  email: string;
  role: string;
  expires_at: Date;
  account_name: string;
}

/**
 * The invitation's secret is made here, mailed to the invited address, and only its hash is kept: it is in
 * no workflow history, no API answer and no log, so inviting an address gives nobody but its owner a way in.
 * A retried attempt makes a new secret, and the link of an earlier attempt's mail (if it went out) stops working.
 */
export function createInvitationMail({ sql, logger, mail }: { sql: Sql; logger: Logger; mail: MailSettings }) {
  const mailer = createMailer(mail);

  async function mailInvitation({ accountId, invitationId }: MailInvitationInput): Promise<MailedInvitation> {
    const secret = issueInvitationSecret();
    const row = await sql.begin(async (tx) => {
      const [pending] = await tx<Pending[]>`
        update invitations i set token_sha256 = ${secret.sha256}
          from accounts a
         where i.id = ${invitationId} and i.account_id = ${accountId} and a.id = i.account_id
           and i.accepted_at is null and i.revoked_at is null and i.expires_at > now()
        returning i.email, i.role, i.expires_at, a.name as account_name`;
      if (pending)
        await audit(tx, {
          accountId,
          actor: { type: 'Mail', id: 'smtp' },
          action: 'invitation.mailed',
          subject: 'Invitation',
          subjectId: invitationId,
          details: { linkPrefix: secret.prefix },
          workflowId: Context.current().info.workflowExecution?.workflowId ?? `invitation-mail:${invitationId}`,
        });
      return pending;
    });
    if (!row) return { invitationId, status: 'not_pending' };
    await mailer.send(
      {
        to: row.email,
        subject: `You are invited to ${row.account_name}`,
        text: invitationText(row, invitationId, secret.plaintext, mailer.publicUrl),
      },
      'invitation mail',
    );
    logger.info({ invitationId, accountId }, 'invitation mailed');
    return { invitationId, status: 'sent' };
  }

  return { mailInvitation };
}

function invitationText(row: Pending, invitationId: number, token: string, base: string): string {
  return [
    `You are invited to join ${row.account_name} as ${row.role === 'administrator' ? 'an administrator' : 'an agent'}.`,
    '',
    `Your one-time invitation token, valid until ${row.expires_at.toISOString()}:`,
    '',
    `  ${token}`,
    '',
    'New to this platform? Accept it and choose your name:',
    `  POST ${base}/v1/invitations/accept  {"token": "${token}", "name": "Your name"}`,
    '',
    'Already have an account here? Accept it with your own access token instead:',
    `  POST ${base}/v1/invitations/${invitationId}/accept`,
    '',
    'If you did not expect this, ignore it: nothing happens until the invitation is accepted.',
  ].join('\n');
}
