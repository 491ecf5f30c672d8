import type { Env } from './env.ts';
import { ConfigError } from './config-error.ts';

/** How the core worker reaches people: invitation links go to the invited address, never to the inviter. */
export interface MailSettings {
  /** smtp:// or smtps://, credentials in the URL. */
  smtpUrl: string;
  from: string;
  /** Where the reader accepts: the installation's public URL (the API's, locally). */
  publicUrl: string;
}

/**
 * SMTP_URL is required to run the core worker: a link the worker cannot mail is a link nobody can use,
 * and a worker that logged or returned it instead would hand it to whoever reads that.
 */
export function mailSettings(env: Env, fallbackPublicUrl: string): MailSettings {
  if (!env.SMTP_URL)
    throw new ConfigError(
      `Invalid configuration: SMTP_URL is required to run the core worker (invitations are mailed to the invited address)${
        env.NODE_ENV === 'production' ? '' : '; `capstan up` runs a local mail sandbox and sets it'
      }`,
    );
  return { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, publicUrl: env.CAPSTAN_PUBLIC_URL ?? fallbackPublicUrl };
}
