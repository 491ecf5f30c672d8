import { describe, expect, it } from 'vitest';
import { newAccount } from '../support/fixtures.ts';
import { useStack } from '../support/stack.ts';

// A database of its own: the address bucket of 127.0.0.1 in the shared one counts every file's requests.
const stack = useStack({
  http: true,
  ownDatabase: true,
  rateLimits: { perToken: 5, perAddress: 1_000, windowSeconds: 60 },
});

describe('rate limits', () => {
  it("a burst past a token's budget answers 429 with Retry-After, and the refused writes write nothing", async () => {
    const account = await newAccount(stack, 'burst');
    const path = `/v1/accounts/${account.accountId}/inboxes`;
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await account.api('POST', path, { body: { name: `burst-${i}` } }));

    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    expect(answers[0]!.headers.get('ratelimit-limit')).toBe('5');
    expect(answers[4]!.headers.get('ratelimit-remaining')).toBe('0');
    const refused = answers[5]!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ type: 'urn:capstan:problem:too-many-requests', status: 429 });
    const rows = await stack.sql`select name from inboxes where account_id = ${account.accountId} order by id`;
    expect(rows.map((r) => r.name)).toEqual(['burst-0', 'burst-1', 'burst-2', 'burst-3', 'burst-4']);
  });
});
