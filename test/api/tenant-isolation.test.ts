import { describe, expect, it } from 'vitest';
import { invite, join, mailedInvitationToken, newAccount, newInbox } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';
import { superAdminVictim } from '../support/victim.ts';

const stack = useStack({ http: true });
const as = (token: string) => (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token, body });
const platform = () => as(stack.platformToken);

describe('the cross-tenant escalation of the security review', () => {
  it("fails at every step against B's super admin: A obtains no credential of theirs", async () => {
    const a = await newAccount(stack, 'attacker');
    const victim = await superAdminVictim(stack, 'target');

    // A's administrator invites the victim: their answer carries no link, which goes to the victim's mailbox only.
    const { invitation, token: link } = await invite(stack, a, victim.email, { role: 'administrator' });
    expect(invitation.accept_token).toBeUndefined();
    expect(stack.mail.mailbox.mails.filter((m) => m.text.includes(link)).map((m) => m.to)).toEqual([
      [victim.email.toLowerCase()],
    ]);
    // The link, used by whoever holds it, makes no credential of an existing user: refused.
    const held = await call(stack.api.url, 'POST', '/v1/invitations/accept', {
      body: { token: link, name: 'Mallory' },
    });
    expect(held.status).toBe(409);
    expect(held.body.access_token).toBeUndefined();

    // Once the victim joins A with their own token, A still cannot mint one for them.
    const joined = await as(victim.adminToken)('POST', `/v1/invitations/${invitation.id}/accept`);
    expect(joined.status).toBe(201);
    const minted = await a.api('POST', `/v1/accounts/${a.accountId}/access_tokens`, {
      body: { name: 'stolen', user_id: victim.adminId },
    });
    expect(minted.status).toBe(403);

    // A removes the victim: the token they made for A dies at once; B's stays theirs.
    expect((await a.api('DELETE', `/v1/accounts/${a.accountId}/members/${victim.adminId}`)).status).toBe(204);
    expect((await as(joined.body.access_token)('GET', `/v1/accounts/${a.accountId}`)).status).toBe(401);
    expect((await as(victim.adminToken)('GET', `/v1/accounts/${victim.accountId}`)).status).toBe(200);
  });

  it('a token made in A never opens B', async () => {
    const a = await newAccount(stack, 'attacker');
    const b = await newAccount(stack, 'target');
    const member = await join(stack, a, 'agent');
    const own = await as(member.token)('POST', `/v1/accounts/${a.accountId}/access_tokens`, { name: 'second' });
    expect(own.status).toBe(201);
    for (const token of [member.token, own.body.token, a.adminToken]) {
      expect((await as(token)('GET', `/v1/accounts/${b.accountId}`)).status).toBe(403);
      expect((await as(token)('GET', `/v1/accounts/${b.accountId}/conversations`)).status).toBe(403);
    }
  });

  it('an administrator cannot mint a token for someone who is not a member of their account', async () => {
    const a = await newAccount(stack, 'attacker');
    const b = await newAccount(stack, 'target');
    const res = await a.api('POST', `/v1/accounts/${a.accountId}/access_tokens`, {
      body: { name: 'x', user_id: b.adminId },
    });
    expect(res.status).toBe(403);
  });
});

describe('invitations', () => {
  it('answer the same for an email that has a user and one that has none', async () => {
    const a = await newAccount(stack, 'inviter');
    const other = await newAccount(stack, 'elsewhere');
    const [{ email: known }] = (await stack.sql`select email from users where id = ${other.adminId}`) as unknown as [
      { email: string },
    ];
    const unknown = `${unique('nobody')}@example.test`;
    const ask = (email: string) =>
      a.api('POST', `/v1/accounts/${a.accountId}/invitations`, { body: { email, role: 'agent' } });
    const [k, u] = [await ask(known), await ask(unknown)];
    expect(k.status).toBe(u.status);
    const shape = (body: Record<string, unknown>) => ({ ...body, id: 0, email: '', expires_at: '' });
    expect(shape(k.body)).toEqual(shape(u.body));
    // Neither answer carries the link: each address gets its own by mail, known or not.
    expect([k.body.accept_token, u.body.accept_token]).toEqual([undefined, undefined]);
    await mailedInvitationToken(stack, known);
    await mailedInvitationToken(stack, unknown);
    const members = await a.api('GET', `/v1/accounts/${a.accountId}/members`);
    expect(members.body.payload.map((m: { email: string }) => m.email)).not.toContain(known);
  });

  it('an existing user accepts with their own token; a link works once', async () => {
    const a = await newAccount(stack, 'inviter');
    const other = await newAccount(stack, 'home');
    const [{ email }] = (await stack.sql`select email from users where id = ${other.adminId}`) as unknown as [
      { email: string },
    ];
    const { invitation, token: link } = await invite(stack, a, email);
    const accepted = await as(other.adminToken)('POST', `/v1/invitations/${invitation.id}/accept`);
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ account_id: a.accountId, user_id: other.adminId, role: 'agent' });
    expect((await as(accepted.body.access_token)('GET', `/v1/accounts/${a.accountId}`)).status).toBe(200);
    const again = await call(stack.api.url, 'POST', '/v1/invitations/accept', { body: { token: link } });
    expect(again.status).toBe(409);
  });

  it('a withdrawn invitation cannot be accepted', async () => {
    const a = await newAccount(stack, 'inviter');
    const { invitation, token: link } = await invite(stack, a, `${unique('w')}@example.test`);
    expect((await a.api('DELETE', `/v1/accounts/${a.accountId}/invitations/${invitation.id}`)).body.status).toBe(
      'revoked',
    );
    const res = await call(stack.api.url, 'POST', '/v1/invitations/accept', { body: { token: link } });
    expect(res.status).toBe(404);
  });
});

describe('suspended accounts', () => {
  it('answer reads, refuse writes with 423, and their webhooks stop', async () => {
    const a = await newAccount(stack, 'suspend');
    const inbox = await newInbox(a);
    const suspended = await platform()('PATCH', `/v1/accounts/${a.accountId}`, {
      status: 'suspended',
      reason: 'unpaid',
    });
    expect(suspended.body).toEqual({ id: a.accountId, status: 'suspended', changed: true });

    expect((await a.api('GET', `/v1/accounts/${a.accountId}/inboxes`)).status).toBe(200);
    const write = await a.api('POST', `/v1/accounts/${a.accountId}/inboxes`, { body: { name: 'More' } });
    expect(write.status).toBe(423);
    expect(write.body.type).toBe('urn:capstan:problem:account-suspended');
    const post = await a.api('POST', `/v1/accounts/${a.accountId}/inboxes/${inbox}/messages`, {
      body: { contact: { identifier: 'c' }, content: 'hi' },
    });
    expect(post.status).toBe(423);
    expect(await stack.sql`select 1 from inboxes where account_id = ${a.accountId} and name = 'More'`).toHaveLength(0);

    const audit =
      await stack.sql`select action from audit_log where account_id = ${a.accountId} and action = 'account.suspended'`;
    expect(audit).toHaveLength(1);
    expect((await platform()('PATCH', `/v1/accounts/${a.accountId}`, { status: 'active' })).body.changed).toBe(true);
    expect((await a.api('POST', `/v1/accounts/${a.accountId}/inboxes`, { body: { name: 'More' } })).status).toBe(201);
  });
});

describe('platform tokens', () => {
  it('are created, rotated and revoked without a restart; the old one stops', async () => {
    // An app's token reads the accounts it made (none yet); managing tokens is the operator's.
    const made = await platform()('POST', '/v1/platform/tokens', { app: unique('app'), name: 'ci' });
    expect(made.status).toBe(201);
    expect((await as(made.body.token)('GET', '/v1/accounts')).status).toBe(200);

    const rotated = await platform()('POST', `/v1/platform/tokens/${made.body.id}/rotate`, {});
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ app: made.body.app, name: 'ci' });
    expect((await as(made.body.token)('GET', '/v1/accounts')).status).toBe(401);
    expect((await as(rotated.body.token)('GET', '/v1/accounts')).status).toBe(200);

    expect((await platform()('DELETE', `/v1/platform/tokens/${rotated.body.id}`)).body.revoked_at).not.toBeNull();
    expect((await as(rotated.body.token)('GET', '/v1/accounts')).status).toBe(401);
    const audit =
      await stack.sql`select action from audit_log where subject_type = 'PlatformToken' and subject_id in (${String(made.body.id)}, ${String(rotated.body.id)}) order by id`;
    expect(audit.map((r) => r.action)).toEqual([
      'platform_token.created',
      'platform_token.rotated',
      'platform_token.revoked',
    ]);
  });

  it('a create or rotate repeated with its Idempotency-Key makes one token, its secret shown once', async () => {
    const app = unique('app');
    const send = (path: string, body: unknown, key: string) =>
      call(stack.api.url, 'POST', path, { token: stack.platformToken, body, headers: { 'idempotency-key': key } });
    const made = await send('/v1/platform/tokens', { app, name: 'ci' }, `create-${app}`);
    const again = await send('/v1/platform/tokens', { app, name: 'ci' }, `create-${app}`);
    expect([made.status, again.status]).toEqual([201, 201]);
    expect(made.body.token).toEqual(expect.any(String));
    expect(again.body).toEqual({ ...made.body, token: undefined });
    const rotated = await send(`/v1/platform/tokens/${made.body.id}/rotate`, {}, `rotate-${app}`);
    const rotatedAgain = await send(`/v1/platform/tokens/${made.body.id}/rotate`, {}, `rotate-${app}`);
    expect(rotatedAgain.body).toEqual({ ...rotated.body, token: undefined });
    const rows = await stack.sql`
      select t.id from access_tokens t join platform_apps p on p.id = t.owner_id
       where t.owner_type = 'PlatformApp' and p.name = ${app}`;
    expect(rows).toHaveLength(2); // the first and its one replacement
  });

  it('are refused to user tokens', async () => {
    const a = await newAccount(stack, 'user');
    expect((await a.api('GET', '/v1/platform/tokens')).status).toBe(403);
    expect((await a.api('PATCH', `/v1/accounts/${a.accountId}`, { body: { status: 'suspended' } })).status).toBe(403);
  });
});

describe('caps per account', () => {
  it("refuse a webhook past the account's limit with 409, writing nothing", async () => {
    const a = await newAccount(stack, 'caps');
    const [{ n }] =
      (await stack.sql`select count(*)::int as n from webhooks where account_id = ${a.accountId}`) as unknown as [
        { n: number },
      ];
    expect(n).toBe(0);
    // The default cap is 20: fill it straight in the database, then ask for one more through the API.
    for (let i = 0; i < 20; i++) {
      await stack.sql`insert into webhooks (account_id, url, subscriptions, secret) values (${a.accountId}, ${`https://hooks.example.com/${i}`}, ${['message_created']}, 's')`;
    }
    const res = await a.api('POST', `/v1/accounts/${a.accountId}/webhooks`, {
      body: { url: 'http://127.0.0.1:9/over', subscriptions: ['message_created'] },
    });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/limit/);
    expect(await stack.sql`select 1 from webhooks where account_id = ${a.accountId}`).toHaveLength(20);
  });
});
