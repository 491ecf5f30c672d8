import nodemailer from 'nodemailer';
import type { MailSettings } from '../config/mail.ts';
import { refuse } from './failures.ts';

/**
 * One SMTP relay for the worker's mail. A relay that is down or answers 4xx is retried by the activity's policy;
 * a permanent refusal (5xx: no such mailbox, relaying denied) ends the run as `MailRefused`.
 */
export function createMailer(mail: MailSettings) {
  const transport = nodemailer.createTransport(mail.smtpUrl);
  return {
    publicUrl: mail.publicUrl.replace(/\/$/, ''),
    async send(message: { to: string; subject: string; text: string }, what: string): Promise<void> {
      try {
        await transport.sendMail({ from: mail.from, ...message });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500)
          refuse('MailRefused', `The mail relay refused the ${what} (${code}).`, { cause: err as Error });
        throw err;
      }
    },
  };
}
