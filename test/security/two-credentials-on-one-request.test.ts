import { describe, expect, it } from 'vitest';
import { issueToken } from '../../db/tokens.ts';
import { newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

/** schemathesis sent `Authorization` and `api_access_token`, one of them invalid, and got 200 on six routes. */
describe('a request carrying two credentials', () => {
  it('is refused 401 when they differ, whichever of them is the valid one', async () => {
    const a = await newAccount(stack, 'two-credentials');
    const path = `/v1/accounts/${a.accountId}`;
    const invalid = issueToken().plaintext;
    const send = (bearer: string, chatwoot: string) =>
      call(stack.api.url, 'GET', path, { token: bearer, headers: { api_access_token: chatwoot } });

    for (const [bearer, chatwoot] of [
      [a.adminToken, invalid],
      [invalid, a.adminToken],
      [a.adminToken, stack.platformToken],
    ] as const) {
      const res = await send(bearer, chatwoot);
      expect(res.status, JSON.stringify(res.body)).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toMatch(/one token/);
    }
    // A malformed Authorization beside a valid api_access_token is two credentials too.
    const malformed = await call(stack.api.url, 'GET', path, {
      headers: { authorization: 'Basic YWRtaW46YWRtaW4=', api_access_token: a.adminToken },
    });
    expect(malformed.status).toBe(401);
  });

  it('is served when both carry the same token, and each alone still works', async () => {
    const a = await newAccount(stack, 'same-credential');
    const path = `/v1/accounts/${a.accountId}`;
    expect(
      (await call(stack.api.url, 'GET', path, { token: a.adminToken, headers: { api_access_token: a.adminToken } }))
        .status,
    ).toBe(200);
    expect((await call(stack.api.url, 'GET', path, { token: a.adminToken })).status).toBe(200);
    expect((await call(stack.api.url, 'GET', path, { headers: { api_access_token: a.adminToken } })).status).toBe(200);
  });
});
