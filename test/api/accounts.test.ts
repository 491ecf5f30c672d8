import { describe, expect, it } from 'vitest';
import { mailedSignInToken, redeemSignIn } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });
const api = (method: string, path: string, options?: Parameters<typeof call>[3]) =>
  call(stack.api.url, method, path, options);

function newAccount(label = 'acme') {
  return { name: `${label} support`, admin: { name: 'Ada Lovelace', email: `${unique(label)}@example.test` } };
}

async function provision(body = newAccount(), key = unique('key')) {
  const res = await api('POST', '/v1/accounts', {
    token: stack.platformToken,
    body,
    headers: { 'idempotency-key': key },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const provisioned = res.body as {
    account: { id: number; name: string };
    admin: { id: number; email: string };
    sign_in_expires_at: string;
  };
  const mailed = await mailedSignInToken(stack, body.admin.email);
  return { ...provisioned, accessToken: await redeemSignIn(stack.api.url, mailed) };
}

describe('POST /v1/accounts', () => {
  it("answers 201 with the account and its administrator, mails the administrator's one-time sign-in link, and the rows are in PostgreSQL", async () => {
    const body = newAccount();
    const res = await api('POST', '/v1/accounts', {
      token: stack.platformToken,
      body,
      headers: { 'idempotency-key': unique('key') },
    });

    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/accounts/${res.body.account.id}`);
    expect(res.body).toMatchObject({ account: { name: body.name }, admin: { email: body.admin.email } });
    expect(res.body).not.toHaveProperty('sign_in_token');
    expect(JSON.stringify(res.body)).not.toContain('sil_');
    expect(res.body).not.toHaveProperty('accessToken');
    const hours = (Date.parse(res.body.sign_in_expires_at) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(71);
    expect(hours).toBeLessThanOrEqual(72);

    const [row] = await stack.sql`
      select a.name, u.email, au.role from accounts a
        join account_users au on au.account_id = a.id join users u on u.id = au.user_id
       where a.id = ${res.body.account.id}`;
    expect(row).toEqual({ name: body.name, email: body.admin.email, role: 'administrator' });
    // The administrator has no token until they redeem the link; only its hash is stored.
    expect(
      await stack.sql`select 1 from access_tokens where owner_type = 'User' and owner_id = ${res.body.admin.id}`,
    ).toHaveLength(0);
    const links = await stack.sql`select token_sha256 from sign_in_links where user_id = ${res.body.admin.id}`;
    expect(links).toHaveLength(1);
    const mailed = await mailedSignInToken(stack, body.admin.email);
    expect(links[0]!.token_sha256).not.toBe(mailed);

    const token = await redeemSignIn(stack.api.url, mailed);
    const own = await api('GET', `/v1/accounts/${res.body.account.id}`, { token });
    expect(own.status).toBe(200);
  });

  it("accepts the token in Chatwoot's api_access_token header", async () => {
    const res = await api('POST', '/v1/accounts', {
      body: newAccount(),
      headers: { api_access_token: stack.platformToken },
    });
    expect(res.status).toBe(201);
  });

  it('answers a repeated Idempotency-Key with the same account and no second link', async () => {
    const body = newAccount();
    const key = unique('key');
    const first = await provision(body, key);
    const again = await api('POST', '/v1/accounts', {
      token: stack.platformToken,
      body,
      headers: { 'idempotency-key': key },
    });

    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual({
      account: first.account,
      admin: first.admin,
      sign_in_expires_at: null,
    });
  });

  it('makes one account when 12 requests race with one key, and answers the link expiry once', async () => {
    const body = newAccount('race');
    const key = unique('race');
    const answers = await Promise.all(
      Array.from({ length: 12 }, () =>
        api('POST', '/v1/accounts', { token: stack.platformToken, body, headers: { 'idempotency-key': key } }),
      ),
    );

    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.account.id)).size).toBe(1);
    expect(answers.filter((a) => a.body.sign_in_expires_at).length).toBe(1);
    await mailedSignInToken(stack, body.admin.email);
    const rows = await stack.sql`select id from accounts where idempotency_key = ${key}`;
    expect(rows).toHaveLength(1);
  });

  it('refuses an Idempotency-Key reused for a different request, and changes nothing', async () => {
    const key = unique('key');
    const first = await provision(newAccount('first'), key);
    const res = await api('POST', '/v1/accounts', {
      token: stack.platformToken,
      body: newAccount('second'),
      headers: { 'idempotency-key': key },
    });

    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:capstan:problem:idempotency-key-reused');
    const [row] = await stack.sql`select name from accounts where id = ${first.account.id}`;
    expect(row?.name).toBe('first support');
  });

  describe('bad requests get a problem body, never a 500', () => {
    it('no token → 401 with WWW-Authenticate', async () => {
      const res = await api('POST', '/v1/accounts', { body: newAccount() });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.body).toMatchObject({ type: 'urn:capstan:problem:unauthenticated', status: 401 });
    });

    it('unknown token → 401', async () => {
      const res = await api('POST', '/v1/accounts', { token: 'cap_not-a-real-token', body: newAccount() });
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/not known/);
    });

    it('a user token cannot provision accounts → 403', async () => {
      const { accessToken } = await provision();
      const res = await api('POST', '/v1/accounts', { token: accessToken, body: newAccount() });
      expect(res.status).toBe(403);
      expect(res.body.detail).toMatch(/platform token/);
    });

    it('malformed JSON → 400', async () => {
      const res = await api('POST', '/v1/accounts', {
        token: stack.platformToken,
        raw: '{"name": "Acme",',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ type: 'urn:capstan:problem:malformed-request', status: 400 });
    });

    it('missing and invalid fields → 422 naming each field', async () => {
      const res = await api('POST', '/v1/accounts', {
        token: stack.platformToken,
        body: { name: '', admin: { email: 'nope' } },
      });
      expect(res.status).toBe(422);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'admin.name', 'admin.email']));
    });

    it('unknown fields → 422', async () => {
      const res = await api('POST', '/v1/accounts', {
        token: stack.platformToken,
        body: { ...newAccount(), plan: 'enterprise' },
      });
      expect(res.status).toBe(422);
    });

    it('a body that is not JSON → 415', async () => {
      const res = await api('POST', '/v1/accounts', {
        token: stack.platformToken,
        raw: 'name=Acme',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(415);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    });

    it('an Idempotency-Key with spaces → 422', async () => {
      const res = await api('POST', '/v1/accounts', {
        token: stack.platformToken,
        body: newAccount(),
        headers: { 'idempotency-key': 'has spaces' },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('idempotency-key');
    });
  });
});

describe('GET /v1/accounts/:id', () => {
  it('shows the account to a member token and to the platform token', async () => {
    const { account, accessToken } = await provision();
    for (const token of [accessToken, stack.platformToken]) {
      const res = await api('GET', `/v1/accounts/${account.id}`, { token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: account.id, name: account.name, locale: 'en', status: 'active' });
    }
  });

  it('refuses a token of another account → 403', async () => {
    const mine = await provision();
    const theirs = await provision();
    const res = await api('GET', `/v1/accounts/${theirs.account.id}`, { token: mine.accessToken });
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('urn:capstan:problem:forbidden');
  });

  it('answers 404 for an account that does not exist, and 422 for an id that is not one', async () => {
    expect((await api('GET', '/v1/accounts/99999999', { token: stack.platformToken })).status).toBe(404);
    expect((await api('GET', '/v1/accounts/abc', { token: stack.platformToken })).status).toBe(422);
  });
});

describe('service endpoints', () => {
  it('/healthz and /readyz answer 200 when PostgreSQL and Temporal are reachable', async () => {
    expect((await api('GET', '/healthz')).status).toBe(200);
    const ready = await api('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ postgres: 'ok', temporal: 'ok' });
  });

  it('/openapi.json documents the routes from the same schemas that validate them', async () => {
    const res = await api('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/accounts', '/v1/accounts/{id}']));
    expect(res.body.components.schemas.ProvisionAccountRequest.required).toEqual(
      expect.arrayContaining(['name', 'admin']),
    );
  });

  it('an unknown route → 404 problem', async () => {
    const res = await api('GET', '/v1/nothing-here', { token: stack.platformToken });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
