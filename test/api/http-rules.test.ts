import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

/** fetch refuses TRACE, so this one goes through node:http. */
function trace(path: string, token: string): Promise<{ status: number; allow?: string; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${stack.api.url}${path}`,
      { method: 'TRACE', headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode!, allow: res.headers.allow, type: res.headers['content-type'], body }),
        );
      },
    );
    req.on('error', reject).end();
  });
}

describe('methods a path does not answer', () => {
  it('TRACE on a known path answers 405 with Allow listing its methods, as a problem', async () => {
    const res = await trace('/v1/accounts', stack.platformToken);
    expect(res.status).toBe(405);
    expect(res.allow).toBe('GET, HEAD, POST');
    expect(res.type).toBe('application/problem+json');
    expect(JSON.parse(res.body)).toMatchObject({ type: 'urn:capstan:problem:method-not-allowed', status: 405 });
  });

  it('PUT on a GET-only path answers 405; Allow counts HEAD with GET and every method of the path', async () => {
    const account = await newAccount(stack, 'methods');
    const members = await account.api('PUT', `/v1/accounts/${account.accountId}/members`, { body: {} });
    expect(members.status).toBe(405);
    expect(members.headers.get('allow')).toBe('GET, HEAD, POST');
    const webhook = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks/1`);
    expect(webhook.headers.get('allow')).toBe('DELETE, GET, HEAD, PATCH');
  });

  it('an unknown path still answers 404', async () => {
    const res = await call(stack.api.url, 'DELETE', '/v1/nothing/here', { token: stack.platformToken });
    expect(res.status).toBe(404);
    expect(res.body.type).toBe('urn:capstan:problem:not-found');
  });
});

describe('request bodies', () => {
  it('a body over the limit answers 413 as a problem, before anything reads it', async () => {
    const name = 'x'.repeat(1024 * 1024 + 1);
    const res = await call(stack.api.url, 'POST', '/v1/accounts', {
      token: stack.platformToken,
      body: { name, admin: { name: 'A', email: 'a@b.example' } },
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ type: 'urn:capstan:problem:payload-too-large', status: 413 });
  });

  it('a PATCH without a body answers 422 instead of changing nothing', async () => {
    const account = await newAccount(stack, 'nobody');
    const res = await account.api('PATCH', `/v1/accounts/${account.accountId}/members/${account.adminId}`);
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: '(body)', message: 'required' }]);
  });

  it('refuses what the workflow would: an email over 320 characters, a contact with no key, a NUL', async () => {
    const account = await newAccount(stack, 'rules');
    const path = `/v1/accounts/${account.accountId}`;
    // Adding a member directly is the platform's: an administrator is refused before the body is read.
    const long = await call(stack.api.url, 'POST', `${path}/members`, {
      token: stack.platformToken,
      body: { name: 'Long', email: `${'a'.repeat(320)}@example.test`, role: 'agent' },
    });
    expect(long.body.errors.map((e: { field: string }) => e.field)).toEqual(['email']);
    const inbox = await account.api('POST', `${path}/inboxes`, { body: { name: 'Shop' } });
    const noKey = await account.api('POST', `${path}/inboxes/${inbox.body.id}/messages`, {
      body: { contact: { name: 'Ana' }, content: 'hi' },
    });
    expect(noKey.status).toBe(422);
    const nul = await account.api('POST', `${path}/inboxes`, { body: { name: 'a\u0000b' } });
    expect(nul.status).toBe(422);
    expect(nul.body.errors[0].field).toBe('name');
  });
});

describe('account access', () => {
  it('every account-scoped operation answers 403 to a user of another account, whatever the request holds', async () => {
    const mine = await newAccount(stack, 'stranger');
    const theirs = await newAccount(stack, 'owner');
    const doc = (await call(stack.api.url, 'GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const scoped = Object.entries(doc.paths).filter(([path]) => path.startsWith('/v1/accounts/{id}'));
    expect(scoped.length).toBeGreaterThan(15);
    for (const [template, methods] of scoped) {
      const path = template
        .replace('{id}', String(theirs.accountId))
        .replace(/\{deliveryId\}/, '00000000-0000-0000-0000-000000000000')
        .replace(/\{\w+\}/g, '1');
      for (const method of Object.keys(methods)) {
        const res = await mine.api(
          method.toUpperCase(),
          path,
          method === 'get' || method === 'delete' ? {} : { body: { bad: unique() } },
        );
        expect(res.status, `${method.toUpperCase()} ${template}`).toBe(403);
      }
    }
  });

  it('the platform token gets 404 for an account that does not exist, on reads and writes alike', async () => {
    for (const [method, suffix] of [
      ['GET', '/members'],
      ['POST', '/inboxes'],
    ] as const) {
      const res = await call(stack.api.url, method, `/v1/accounts/999999999${suffix}`, {
        token: stack.platformToken,
        body: method === 'POST' ? { name: 'x' } : undefined,
      });
      expect(res.status, `${method} ${suffix}`).toBe(404);
    }
  });
});

describe('answers given before the body is read', () => {
  it('close the connection, so the unread rest of a refused body never meets the next request', async () => {
    const account = await newAccount(stack, 'unread');
    const body = { email: `${unique('x')}@example.test`, role: 'agent', padding: 'a'.repeat(200_000) };
    const path = `/v1/accounts/${account.accountId}/invitations`;
    const refused = await call(stack.api.url, 'POST', path, { token: 'cap_not-a-token', body });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('connection')).toBe('close');
    // An answer that read its body keeps the connection.
    const read = await account.api('POST', path, { body: { email: 'not an email', role: 'agent' } });
    expect(read.status).toBe(422);
    expect(read.headers.get('connection')).not.toBe('close');
  });
});
