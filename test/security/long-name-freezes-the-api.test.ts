/**
 * Finding (issue 20): one unauthenticated `POST /v1/invitations/accept` whose name was 200,000 characters ending
 * in NUL held the API for 18 s: the not-blank pattern tried every split of the string, and zod ran it after
 * `.max()` had already failed. A body just under the limit would have held it for minutes, and any address may
 * send 1,200 a minute. Now the length is checked first and stops validation, and every pattern refuses in one
 * pass: each attack answers 422 naming the length alone, and the API goes on serving. (Were the pattern still
 * quadratic, these requests would outlast the test's timeout.)
 */
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../config/env.ts';
import { call } from '../support/http.ts';
import { useStack } from '../support/stack.ts';

const stack = useStack({ http: true, worker: false });
const bodyLimit = loadEnv({}).API_BODY_LIMIT_BYTES;

/** An acceptance whose name is `length` characters of `a` and a closing NUL: well formed but for the name. */
function attack(length: number) {
  const raw = JSON.stringify({ token: `inv_${'A'.repeat(43)}`, name: `${'a'.repeat(length - 1)}\u0000` });
  expect(Buffer.byteLength(raw), 'the attack fits under the body limit').toBeLessThan(bodyLimit);
  return call(stack.api.url, 'POST', '/v1/invitations/accept', {
    raw,
    headers: { 'content-type': 'application/json' },
  });
}

describe('a long name ending in NUL (unauthenticated)', () => {
  it('is refused with 422 for its length alone, and the API serves the next request', async () => {
    const [finding, nearLimit, health] = await Promise.all([
      attack(200_000),
      attack(bodyLimit - 200),
      call(stack.api.url, 'GET', '/healthz'),
    ]);

    for (const refused of [finding, nearLimit]) {
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      // One error, the length: the pattern never ran on the string.
      expect(refused.body.errors).toEqual([{ field: 'name', message: expect.stringMatching(/<=255 characters/) }]);
    }
    expect(health.status).toBe(200);
    expect((await call(stack.api.url, 'GET', '/healthz')).status).toBe(200);
  });
});
