import { describe, expect, it } from 'vitest';
import { join, mailedSignInToken, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const operator = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });
const redeem = (token: string) => call(stack.api.url, 'POST', '/v1/sign-in-links/redeem', { body: { token } });

/** A member whose credentials were force-reset: no token of theirs works, and an administrator may not mint one. */
async function resetMember() {
  const account = await newAccount(stack, 'sign-in');
  const email = `${unique('reset')}@example.test`;
  const member = await join(stack, account, 'agent', email);
  const reset = await operator('POST', '/v1/admin/force-reset', { email, reason: 'laptop stolen' });
  expect(reset.status, JSON.stringify(reset.body)).toBe(200);
  return { account, email, member };
}

/** The way back after a forced reset, and the first credential of a user the platform made. */
describe('a one-time sign-in link', () => {
  it('is issued by the operator only; redeemed once, it yields a token owned by its user', async () => {
    const { account, email, member } = await resetMember();
    const body = { email, account_id: account.accountId, reason: 'ticket 12' };
    // An administrator of the account, the user's own old token and another platform app are all refused.
    const app = await operator('POST', '/v1/platform/tokens', { app: unique('integration'), name: 'ci' });
    for (const token of [account.adminToken, member.token, app.body.token]) {
      const res = await call(stack.api.url, 'POST', '/v1/admin/sign-in-links', { token, body });
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(401);
      expect(res.status).toBeLessThanOrEqual(403);
    }
    expect(await stack.sql`select 1 from sign_in_links where user_id = ${member.userId}`).toHaveLength(0);

    const since = stack.mail.mailbox.to(email).length;
    const issued = await operator('POST', '/v1/admin/sign-in-links', body);
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.body).toMatchObject({ user_id: member.userId, account_id: account.accountId });
    // The operator is answered no secret: it goes to the user's address only.
    expect(JSON.stringify(issued.body)).not.toMatch(/sil_[A-Za-z0-9_-]{43}/);
    const secret = await mailedSignInToken(stack, email, since);
    // Hashed at rest, like tokens: the database never holds the secret.
    const [row] = await stack.sql`select token_sha256, prefix from sign_in_links where id = ${issued.body.id}`;
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(secret.startsWith(row!.prefix)).toBe(true);

    const signedIn = await redeem(secret);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(201);
    expect(signedIn.body).toMatchObject({ account_id: account.accountId, user_id: member.userId, role: 'agent' });
    const [owner] = await stack.sql`
      select owner_id::int, account_id::int from access_tokens where created_by = ${`SignInLink:${issued.body.id}`}`;
    expect(owner).toEqual({ owner_id: member.userId, account_id: account.accountId });
    const path = `/v1/accounts/${account.accountId}`;
    expect((await call(stack.api.url, 'GET', path, { token: signedIn.body.access_token })).status).toBe(200);
    expect((await call(stack.api.url, 'GET', path, { token: member.token })).status).toBe(401);

    // Single use: a second redemption yields nothing.
    const again = await redeem(secret);
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(again.body.access_token).toBeUndefined();
    expect(
      await stack.sql`select 1 from access_tokens where owner_id = ${member.userId} and name = 'sign-in link'`,
    ).toHaveLength(1);
    const actions = await stack.sql`
      select action, actor_type from audit_log where subject_type = 'User' and subject_id = ${String(member.userId)}
         and action like 'sign_in_link.%' order by id`;
    expect(actions).toEqual([
      { action: 'sign_in_link.issued', actor_type: 'PlatformApp' },
      { action: 'sign_in_link.mailed', actor_type: 'Mail' },
      { action: 'sign_in_link.redeemed', actor_type: 'SignInLink' },
    ]);
  });

  it('is worth nothing once expired, replaced, or issued before a forced reset', async () => {
    const { account, email, member } = await resetMember();
    const issue = async () => {
      const since = stack.mail.mailbox.to(email).length;
      const res = await operator('POST', '/v1/admin/sign-in-links', {
        email,
        account_id: account.accountId,
        reason: 'ticket 13',
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return { id: res.body.id as number, sign_in_token: await mailedSignInToken(stack, email, since) };
    };
    const expired = await issue();
    await stack.sql`update sign_in_links set expires_at = now() - interval '1 second' where id = ${expired.id}`;
    expect((await redeem(expired.sign_in_token)).status).toBe(404);

    const replaced = await issue();
    const newer = await issue();
    expect((await redeem(replaced.sign_in_token)).status).toBe(404);

    expect((await operator('POST', '/v1/admin/force-reset', { email, reason: 'again' })).status).toBe(200);
    expect((await redeem(newer.sign_in_token)).status).toBe(404);
    const tokens =
      await stack.sql`select 1 from access_tokens where created_by like 'SignInLink:%' and owner_id = ${member.userId}`;
    expect(tokens).toHaveLength(0);
  });

  it('is not issued for someone who is not a member of the account', async () => {
    const a = await newAccount(stack, 'sign-in-a');
    const b = await newAccount(stack, 'sign-in-b');
    const [{ email }] = (await stack.sql`select email from users where id = ${b.adminId}`) as unknown as [
      { email: string },
    ];
    const res = await operator('POST', '/v1/admin/sign-in-links', { email, account_id: a.accountId, reason: 'no' });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toMatch(/sil_[A-Za-z0-9_-]{43}/);
  });
});
