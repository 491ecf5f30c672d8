/**
 * Finding (issue 20): an IPv6 client rotated through the addresses of its /64 (the block one subscriber is
 * given) and got a fresh budget with each. Now an IPv6 client is counted as its /64: rotating inside it stays
 * in one bucket, and another /64 has its own.
 */
import { describe, expect, it } from 'vitest';
import { call } from '../support/http.ts';
import { useStack } from '../support/stack.ts';

// The client's IPv6 address arrives through a trusted proxy (this test's requests come from 127.0.0.1).
const stack = useStack({
  http: true,
  worker: false,
  ownDatabase: true,
  rateLimits: { perToken: 1_000, perAddress: 3, windowSeconds: 600, trustedProxies: ['127.0.0.1'] },
});

const from = (address: string) =>
  call(stack.api.url, 'GET', '/v1/accounts', { headers: { 'x-forwarded-for': address } }).then((r) => r.status);

describe('IPv6 /64 rotation', () => {
  it('spends one budget for every address of a /64', async () => {
    const rotating = [];
    for (const address of [
      '2001:db8:a:b::1',
      '2001:db8:a:b::2',
      '2001:db8:a:b:abcd:ef01:2345:6789',
      '2001:db8:a:b:ffff::',
    ])
      rotating.push(await from(address));
    expect(rotating).toEqual([401, 401, 401, 429]);
    expect(await from('2001:db8:a:b::99')).toBe(429);
    expect(await from('2001:db8:a:c::1')).toBe(401);
  });
});
