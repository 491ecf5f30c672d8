import type { Env } from '../../config/env.ts';
import { mailSettings, type MailSettings } from '../../config/mail.ts';
import { startMailSandbox } from '../../sandbox/mail/serve.ts';
import type { Shutdown } from '../shutdown.ts';

/**
 * The local stack's mail: SMTP_URL when set, else a sandbox relay that keeps every mail, readable at
 * `GET <viewer>/messages?to=<address>` on MAIL_SANDBOX_PORT (where local invitation links arrive).
 */
export async function localMail(
  env: Env,
  publicUrl: string,
  shutdown: Shutdown,
): Promise<{ settings: MailSettings; viewerUrl?: string }> {
  if (env.SMTP_URL) return { settings: mailSettings(env, publicUrl) };
  const sandbox = await startMailSandbox({ httpPort: env.MAIL_SANDBOX_PORT });
  shutdown.add('mail sandbox', () => sandbox.close());
  return { settings: mailSettings({ ...env, SMTP_URL: sandbox.smtpUrl }, publicUrl), viewerUrl: sandbox.httpUrl };
}
