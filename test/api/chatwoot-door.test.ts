/**
 * Chatwoot's door (api/chatwoot) beside Capstan's /v1: the same workflows and rules, Chatwoot's conventions.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { RETRY_WINDOW_MS } from '../../api/chatwoot/idempotency.ts';
import { join, mailedInvitationToken, newAccount, type AccountFixture } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { routerRoutes, documentedRoutes, type OpenApiDocument } from '../support/authorization.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
let a: AccountFixture;
let b: AccountFixture;
let displayId: number;
const door = (token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(stack.api.url, method, path, { headers: { api_access_token: token, ...headers }, body });
const base = (account: AccountFixture) => `/api/v1/accounts/${account.accountId}`;

beforeAll(async () => {
  a = await newAccount(stack, 'cw-door-a');
  b = await newAccount(stack, 'cw-door-b');
  const inbox = await door(a.adminToken, 'POST', `${base(a)}/inboxes`, { name: 'Door API' });
  const posted = await a.api('POST', `/v1/accounts/${a.accountId}/inboxes/${inbox.body.id}/messages`, {
    body: { contact: { email: `${unique('ana')}@example.test` }, content: 'Hello' },
  });
  expect(posted.status, JSON.stringify(posted.body)).toBe(201);
  displayId = posted.body.conversation_id;
});

describe('one behaviour, two doors', () => {
  it('creates an inbox through the createInbox workflow that /v1 uses, and /v1 lists it', async () => {
    const made = await door(a.adminToken, 'POST', `${base(a)}/inboxes`, {
      name: unique('Both doors'),
      channel: { type: 'api', webhook_url: 'http://127.0.0.1:9/in' },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    expect(made.body).toMatchObject({
      channel_type: 'Channel::Api',
      callback_webhook_url: 'http://127.0.0.1:9/in',
    });
    const listed = await a.api('GET', `/v1/accounts/${a.accountId}/inboxes`);
    expect(listed.body.payload.map((i: { id: number }) => i.id)).toContain(made.body.id);
    const [audit] = await stack.sql<{ workflow_id: string }[]>`
      select workflow_id from audit_log where action = 'inbox.created' and subject_id = ${String(made.body.id)}`;
    const described = await stack.temporal.workflow.getHandle(audit!.workflow_id).describe();
    expect(described.type).toBe('createInbox');
  });

  it('toggles a conversation open and resolved with the workflow /v1 uses, and /v1 reads the change', async () => {
    const path = `${base(a)}/conversations/${displayId}/toggle_status`;
    const resolved = await door(a.adminToken, 'POST', path, {}, { 'idempotency-key': unique('t1') });
    expect(resolved.body).toEqual({
      meta: {},
      payload: { success: true, current_status: 'resolved', conversation_id: displayId },
    });
    expect((await a.api('GET', `/v1/accounts/${a.accountId}/conversations/${displayId}`)).body.status).toBe('resolved');
    const reopened = await door(a.adminToken, 'POST', path, {}, { 'idempotency-key': unique('t2') });
    expect(reopened.body.payload.current_status).toBe('open');
    // Without a key, the same toggle sent again is its retry: it answers the first run, it does not toggle back.
    const toggled = await door(a.adminToken, 'POST', path, {});
    const retried = await door(a.adminToken, 'POST', path, {});
    expect([toggled.body.payload.current_status, retried.body.payload.current_status]).toEqual([
      'resolved',
      'resolved',
    ]);
    expect((await a.api('GET', `/v1/accounts/${a.accountId}/conversations/${displayId}`)).body.status).toBe('resolved');
    await door(a.adminToken, 'POST', path, { status: 'open' }, { 'idempotency-key': unique('t3') });
  });
});

describe("a conversation's view reads what the lifecycle wrote", () => {
  it('shows the assignee, labels, snooze time, unread count and can_reply written through the door', async () => {
    const agent = await join(stack, a, 'agent');
    const path = `${base(a)}/conversations/${displayId}`;
    const assigned = await door(a.adminToken, 'POST', `${path}/assignments`, { assignee_id: agent.userId });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect((await door(a.adminToken, 'POST', `${path}/labels`, { labels: ['vip'] })).status).toBe(200);
    const until = Math.floor(Date.now() / 1000) + 3600;
    const snoozed = await door(a.adminToken, 'POST', `${path}/toggle_status`, {
      status: 'snoozed',
      snoozed_until: until,
    });
    expect(snoozed.status, JSON.stringify(snoozed.body)).toBe(200);

    const shown = await door(a.adminToken, 'GET', path);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      status: 'snoozed',
      snoozed_until: until,
      labels: ['vip'],
      can_reply: true,
      unread_count: 1,
      meta: { assignee: { id: agent.userId, type: 'user' }, assignee_type: 'User' },
    });
    const mine = await door(agent.token, 'GET', `${base(a)}/conversations?status=all&assignee_type=me`);
    expect(mine.body.data.payload.map((c: { id: number }) => c.id)).toEqual([displayId]);
    expect(mine.body.data.meta).toMatchObject({ mine_count: 1, assigned_count: 1 });
    const unassigned = await door(a.adminToken, 'GET', `${base(a)}/conversations?status=all&assignee_type=unassigned`);
    expect(unassigned.body.data.payload.map((c: { id: number }) => c.id)).not.toContain(displayId);
    expect(unassigned.body.data.meta.mine_count).toBe(0);
    // Back as it was for the other tests of this file.
    expect((await door(a.adminToken, 'POST', `${path}/toggle_status`, { status: 'open' })).status).toBe(200);
  });
});

describe('a retry without an Idempotency-Key', () => {
  it('answers the first run: one inbox for the same request sent twice, two with two keys', async () => {
    const name = unique('Retried');
    const first = await door(a.adminToken, 'POST', `${base(a)}/inboxes`, { name });
    const retry = await door(a.adminToken, 'POST', `${base(a)}/inboxes`, { name });
    expect(retry.body.id).toBe(first.body.id);
    const [{ count }] = await stack.sql<[{ count: number }]>`
      select count(*)::int as count from inboxes where account_id = ${a.accountId} and name = ${name}`;
    expect(count).toBe(1);
    const keyed = await door(a.adminToken, 'POST', `${base(a)}/inboxes`, { name }, { 'idempotency-key': unique('k') });
    expect(keyed.body.id).not.toBe(first.body.id);
  });

  it('answers the first run to a retry in the next window, and runs again an identical request a window later', async () => {
    const name = unique('Windowed');
    const boundary = (Math.floor(Date.now() / RETRY_WINDOW_MS) + 1) * RETRY_WINDOW_MS;
    vi.useFakeTimers({ toFake: ['Date'], now: boundary - 1_000 });
    try {
      const first = await door(a.adminToken, 'POST', `${base(a)}/inboxes`, { name });
      vi.setSystemTime(boundary + 1_000);
      const retry = await door(a.adminToken, 'POST', `${base(a)}/inboxes`, { name });
      expect(retry.body.id).toBe(first.body.id);
      vi.setSystemTime(boundary + RETRY_WINDOW_MS + 1_000);
      const later = await door(a.adminToken, 'POST', `${base(a)}/inboxes`, { name });
      expect(later.status, JSON.stringify(later.body)).toBe(200);
      expect(later.body.id).not.toBe(first.body.id);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stores an incoming message once, and two messages with two echo_ids', async () => {
    const path = `${base(a)}/conversations/${displayId}/messages`;
    const content = unique('same words');
    const sent = { content, message_type: 'incoming' };
    const first = await door(a.adminToken, 'POST', path, sent);
    const retry = await door(a.adminToken, 'POST', path, sent);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const echoed = await door(a.adminToken, 'POST', path, { ...sent, echo_id: 'e-1' });
    const echoed2 = await door(a.adminToken, 'POST', path, { ...sent, echo_id: 'e-2' });
    expect(echoed.body.echo_id).toBe('e-1');
    expect(new Set([first.body.id, echoed.body.id, echoed2.body.id]).size).toBe(3);
    const [{ count }] = await stack.sql<[{ count: number }]>`
      select count(*)::int as count from messages where account_id = ${a.accountId} and content = ${content}`;
    expect(count).toBe(3);
  });
});

describe("Chatwoot's contact search", () => {
  it('counts what it finds in meta.count, by the same rule as the page, and takes % and _ literally', async () => {
    const tag = unique('srch').replace(/-/g, '');
    for (const name of [`${tag} one`, `${tag} two`, `${tag}%x`])
      expect((await door(a.adminToken, 'POST', `${base(a)}/contacts`, { name })).status).toBe(200);
    const search = async (q: string) =>
      (await door(a.adminToken, 'GET', `${base(a)}/contacts/search?q=${encodeURIComponent(q)}`)).body;
    const all = await search(tag);
    expect(all.meta.count).toBe(3);
    expect(all.payload).toHaveLength(3);
    const percent = await search(`${tag}%`);
    expect(percent.meta.count).toBe(1);
    expect(percent.payload.map((p: { name: string }) => p.name)).toEqual([`${tag}%x`]);
    expect((await search(`${tag}_`)).meta.count).toBe(0);
  });
});

describe("Chatwoot's refusals", () => {
  it("answers 404 with Chatwoot's body for a conversation not in the account", async () => {
    const answer = await door(a.adminToken, 'GET', `${base(a)}/conversations/2147483000`);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.body).toEqual({ error: 'Resource could not be found' });
  });

  it('answers 422 with message and attributes for a bad body, and writes nothing', async () => {
    const answer = await door(a.adminToken, 'POST', `${base(a)}/inboxes`, { name: '', channel: { type: 'email' } });
    expect(answer.status).toBe(422);
    expect(answer.body.attributes).toEqual(expect.arrayContaining(['name', 'channel.type']));
    expect(typeof answer.body.message).toBe('string');
  });

  it('refuses no token, an unknown one and two different tokens with 401 and an error', async () => {
    const none = await call(stack.api.url, 'GET', `${base(a)}/inboxes`);
    expect([none.status, typeof none.body.error]).toEqual([401, 'string']);
    const two = await door(a.adminToken, 'GET', `${base(a)}/inboxes`, undefined, {
      authorization: `Bearer ${b.adminToken}`,
    });
    expect(two.status).toBe(401);
    expect(two.body.error).toMatch(/differ/);
  });

  it('refuses a body over the limit with 413 before reading it, as /v1 does', async () => {
    const answer = await door(a.adminToken, 'POST', `${base(a)}/inboxes`, { name: 'x'.repeat(2 * 1024 * 1024) });
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatch(/^Send at most/);
    expect(answer.headers.get('connection')).toBe('close');
  });

  it("refuses another account's path with 403, as /v1 does", async () => {
    const answer = await door(a.adminToken, 'GET', `${base(b)}/inboxes`);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatch(/not a member/);
  });

  it("posts an outgoing reply (Chatwoot's default message_type) and a private note through postOutgoingMessage", async () => {
    const path = `${base(a)}/conversations/${displayId}/messages`;
    const reply = await door(a.adminToken, 'POST', path, { content: 'We shipped it' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ content: 'We shipped it', message_type: 1, private: false });
    const note = await door(a.adminToken, 'POST', path, { content: 'Courier called', private: true });
    expect(note.status, JSON.stringify(note.body)).toBe(200);
    expect(note.body).toMatchObject({ message_type: 1, private: true });
    const rows = await stack.sql`
      select message_type, private from messages where id in ${stack.sql([reply.body.id, note.body.id])} order by id`;
    expect(rows).toEqual([
      { message_type: 'outgoing', private: false },
      { message_type: 'outgoing', private: true },
    ]);
  });
});

describe("the identity rules Chatwoot's door keeps", () => {
  it("profiles only the token's account, never an access token", async () => {
    const shared = await join(stack, a, 'agent');
    const [{ email }] = await stack.sql<[{ email: string }]>`select email from users where id = ${shared.userId}`;
    await join(stack, b, 'agent', email, shared.token);
    const profile = await door(shared.token, 'GET', '/api/v1/profile');
    expect(profile.status, JSON.stringify(profile.body)).toBe(200);
    expect(profile.body.accounts.map((x: { id: number }) => x.id)).toEqual([a.accountId]);
    expect(profile.body).not.toHaveProperty('access_token');
    expect(JSON.stringify(profile.body)).not.toContain(shared.token);
  });

  it("invites the email of another account's user instead of adding them", async () => {
    const stranger = await join(stack, b, 'agent');
    const [{ email }] = await stack.sql<[{ email: string }]>`select email from users where id = ${stranger.userId}`;
    const since = stack.mail.mailbox.to(email).length;
    const added = await door(a.adminToken, 'POST', `${base(a)}/agents`, { name: 'Stranger', email, role: 'agent' });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    expect(added.body).toMatchObject({ id: null, confirmed: false, email, invitation: { status: 'pending' } });
    // The invitation's link is not in the administrator's answer: it is mailed to the stranger's address.
    expect(added.body.invitation.accept_token).toBeUndefined();
    const link = await mailedInvitationToken(stack, email, since);
    expect(JSON.stringify(added.body)).not.toContain(link);
    const rows = await stack.sql`
      select 1 from account_users where account_id = ${a.accountId} and user_id = ${stranger.userId}`;
    expect(rows).toHaveLength(0);
  });
});

describe("the door's own OpenAPI document", () => {
  it('documents every /api/v1 route the router serves, and /openapi.json none of them', async () => {
    const served = routerRoutes(stack.app).filter((k) => k.includes(' /api/v1/') && !k.endsWith('/openapi.json'));
    const own = await call(stack.api.url, 'GET', '/api/v1/openapi.json');
    expect(own.status).toBe(200);
    const documented = [...documentedRoutes(own.body as OpenApiDocument).keys()].sort();
    expect(documented).toEqual(served);
    const capstan = await call(stack.api.url, 'GET', '/openapi.json');
    expect(Object.keys(capstan.body.paths).filter((p) => p.startsWith('/api/'))).toEqual([]);
  });
});
