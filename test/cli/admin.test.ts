import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { join, mailedSignInToken, newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));

async function capstan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, CAPSTAN_API_URL: stack.api.url, CAPSTAN_BOOTSTRAP_TOKEN: stack.platformToken };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('capstan admin', () => {
  it('promotes, extends, lists and keeps what the grant made, revokes, force-resets and explains a token by its prefix only', async () => {
    const home = await newAccount(stack, 'cli-admin');
    const email = `${unique('cli')}@example.test`;
    const { token } = await join(stack, home, 'agent', email);

    const promoted = await capstan('admin', 'promote', email, '--reason', 'drill', '--ttl', '1h');
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toMatch(new RegExp(`${email} \\(user \\d+\\): break-glass grant \\d+ until `));
    expect((await capstan('admin', 'extend', email, '--ttl', '30m', '--reason', 'longer')).stdout).toContain(
      'break-glass grant',
    );
    const grantId = /break-glass grant (\d+)/.exec(promoted.stdout)![1]!;
    const glass = await call(stack.api.url, 'POST', '/v1/break-glass/activate', { token, body: { reason: 'drill' } });
    expect(glass.status, JSON.stringify(glass.body)).toBe(201);
    const other = await newAccount(stack, 'cli-admin-other');
    const invited = await call(stack.api.url, 'POST', `/v1/accounts/${other.accountId}/invitations`, {
      token: glass.body.token,
      body: { email: `${unique('kept')}@example.test`, role: 'agent' },
    });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const shown = await capstan('admin', 'grant', grantId);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`break-glass token: ${glass.body.token_prefix}…`);
    const effectId = new RegExp(
      `effect (\\d+): invitation ${invited.body.id} in account ${other.accountId}, ends with the grant`,
    ).exec(shown.stdout)?.[1];
    expect(effectId, shown.stdout).toBeDefined();
    const kept = await capstan('admin', 'keep', grantId, effectId!, '--reason', 'asked by the account');
    expect(kept.stdout).toContain('is kept past the grant');
    const revoked = await capstan('admin', 'revoke', email, '--reason', 'done');
    expect(revoked.stdout).toContain('ended (revoked)');
    expect((await capstan('admin', 'grant', grantId)).stdout).toMatch(new RegExp(`effect ${effectId}: .*, kept `));

    const explained = await capstan(
      'admin',
      'debug-auth',
      token,
      '--account',
      String(home.accountId),
      '--role',
      'administrator',
    );
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toContain('role_too_low');
    expect(explained.stdout).toContain(token.slice(0, 12));
    expect(explained.stdout).not.toContain(token);

    const reset = await capstan('admin', 'force-reset', email, '--reason', 'drill');
    expect(reset.stdout).toContain('1 token(s)');
    const since = stack.mail.mailbox.to(email).length;
    const link = await capstan(
      'admin',
      'sign-in-link',
      email,
      '--account',
      String(home.accountId),
      '--reason',
      'drill',
    );
    expect(link.code, link.stderr).toBe(0);
    expect(link.stdout).toContain(`mailed to ${email}`);
    expect(link.stdout).not.toMatch(/sil_/);
    const secret = await mailedSignInToken(stack, email, since);
    const back = await call(stack.api.url, 'POST', '/v1/sign-in-links/redeem', { body: { token: secret } });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(
      (await call(stack.api.url, 'GET', `/v1/accounts/${home.accountId}`, { token: back.body.access_token })).status,
    ).toBe(200);
    expect((await capstan('admin', 'revoke', email, '--reason', 'again')).stderr).toMatch(/404/);

    const actions = await stack.sql<{ action: string }[]>`
      select action from audit_log where account_id is null and details->>'email' = ${email} order by id`;
    expect(actions.map((a) => a.action)).toEqual([
      'admin.promoted',
      'admin.promotion_extended',
      'admin.promotion_revoked',
      'admin.force_reset',
    ]);
    const [issued] = await stack.sql<{ actor_type: string }[]>`
      select actor_type from audit_log where action = 'sign_in_link.issued' and account_id = ${home.accountId}`;
    expect(issued).toEqual({ actor_type: 'PlatformApp' });
  }, 300_000);
});
