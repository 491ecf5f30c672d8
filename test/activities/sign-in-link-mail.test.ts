import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAccountActivities } from '../../activities/accounts.ts';
import { createSignInLinkMail } from '../../activities/sign-in-link-mail.ts';
import { createLogger } from '../../config/logger.ts';
import { createPool, type Sql } from '../../db/pool.ts';
import { hashToken } from '../../db/tokens.ts';
import { startMailSandbox, type MailSandbox } from '../../sandbox/mail/serve.ts';
import { mailedSignInToken } from '../support/fixtures.ts';
import { unique } from '../support/stack.ts';

let sql: Sql;
let mail: MailSandbox;
let accounts: ReturnType<typeof createAccountActivities>;
let mailer: ReturnType<typeof createSignInLinkMail>;

beforeAll(async () => {
  sql = createPool({ url: inject('databaseUrl'), max: 4 });
  mail = await startMailSandbox();
  const logger = createLogger({ level: 'silent' });
  accounts = createAccountActivities({ sql, logger });
  const settings = { smtpUrl: mail.smtpUrl, from: 'Capstan <no-reply@capstan.test>', publicUrl: 'http://capstan.test' };
  mailer = createSignInLinkMail({ sql, logger, mail: settings });
});
afterAll(async () => {
  await mail.close();
  await sql.end();
});

/** An account provisioned as the API does now: the run carries the link's expiry only, no hash. */
async function provisioned() {
  const key = unique('key');
  const email = `${unique('ada')}@acme.test`;
  const cmd = {
    idempotencyKey: key,
    workflowId: `account:${key}`,
    name: 'Acme Support',
    locale: 'en',
    admin: { name: 'Ada', email },
    signInLink: { expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
    actor: { type: 'PlatformApp' as const, id: '1' },
  };
  const result = await accounts.createAccountWithAdmin(cmd);
  return { cmd, email, result, linkId: result.signInLinkId! };
}

const send = (linkId: number) => new MockActivityEnvironment().run(mailer.mailSignInLink, { linkId });

describe('mailSignInLink', () => {
  it("stores a hash nobody has until the mail's; the mail's secret replaces it, audited by prefix only", async () => {
    const { cmd, email, result, linkId } = await provisioned();
    expect(linkId).toBeGreaterThan(0);
    // A retry of the same run finds the same link to mail.
    expect((await accounts.createAccountWithAdmin(cmd)).signInLinkId).toBe(linkId);
    const [before] = await sql<{ token_sha256: string }[]>`select token_sha256 from sign_in_links where id = ${linkId}`;

    expect(await send(linkId)).toEqual({ linkId, status: 'sent' });
    const token = await mailedSignInToken({ mail }, email);
    const [after] = await sql<{ token_sha256: string; prefix: string }[]>`
      select token_sha256, prefix from sign_in_links where id = ${linkId}`;
    expect(after!.token_sha256).toBe(hashToken(token));
    expect(before!.token_sha256).not.toBe(after!.token_sha256);
    expect(token.startsWith(after!.prefix)).toBe(true);
    const [audit] = await sql<{ details: Record<string, unknown> }[]>`
      select details from audit_log where action = 'sign_in_link.mailed' and subject_id = ${String(result.admin.id)}`;
    expect(audit!.details).toEqual({ linkId, prefix: after!.prefix });
  });

  it('sends nothing for a link redeemed, expired or ended by a reset before its mail', async () => {
    for (const end of [
      (id: number) => sql`update sign_in_links set redeemed_at = now() where id = ${id}`,
      (id: number) => sql`update sign_in_links set expires_at = now() where id = ${id}`,
      (id: number) =>
        sql`update users set credentials_reset_at = now() where id = (select user_id from sign_in_links where id = ${id})`,
    ]) {
      const { email, linkId } = await provisioned();
      const [before] = await sql`select token_sha256 from sign_in_links where id = ${linkId}`;
      await end(linkId);
      expect(await send(linkId)).toEqual({ linkId, status: 'not_pending' });
      expect(await sql`select token_sha256 from sign_in_links where id = ${linkId}`).toEqual([before]);
      expect(mail.mailbox.to(email)).toEqual([]);
    }
  });
});
