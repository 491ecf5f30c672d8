/**
 * Finding (issue 20): budgets were counted by the socket's peer, so behind a proxy or an ingress every client
 * shared one bucket and one anonymous client locked everyone out. Now, from a trusted proxy (TRUSTED_PROXIES),
 * the client is the right-most untrusted `X-Forwarded-For` hop: a burst from one client leaves the others
 * their budget, and what a client writes itself into the header buys nothing. From any other peer the header is
 * ignored: rotating it is still one bucket. The codec server (`/codec`) draws on the same budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.ts';
import { serveApi, type RunningApi } from '../../api/serve.ts';
import { call } from '../support/http.ts';
import { useStack } from '../support/stack.ts';

const budget = { perToken: 1_000, perAddress: 3, windowSeconds: 600 };
// Its own database: the budgets of 127.0.0.1 are not shared with other files. Requests reach it from 127.0.0.1.
const stack = useStack({
  http: true,
  worker: false,
  ownDatabase: true,
  rateLimits: { ...budget, trustedProxies: ['127.0.0.1/32'] },
});
let direct: RunningApi;
beforeAll(async () => {
  const app = createApp({ sql: stack.sql, temporal: stack.temporal, logger: stack.logger, rateLimits: budget });
  direct = await serveApi(app, '127.0.0.1', 0);
});
afterAll(() => direct?.close());

/** An anonymous request as the proxy forwards it: the address budget is spent before the token is looked at. */
const via = (url: string, forwardedFor: string) =>
  call(url, 'GET', '/v1/accounts', { headers: { 'x-forwarded-for': forwardedFor } }).then((r) => r.status);

describe('a proxy-fronted burst', () => {
  it('locks out only the client that sent it', async () => {
    const burst = [];
    for (let i = 0; i < 4; i++) burst.push(await via(stack.api.url, '198.51.100.7'));
    expect(burst).toEqual([401, 401, 401, 429]);
    expect(await via(stack.api.url, '198.51.100.8')).toBe(401);
    // The proxy appends the address it saw; what the client put before it is the client's own writing.
    expect(await via(stack.api.url, '198.51.100.99, 198.51.100.7')).toBe(429);
    expect(await via(stack.api.url, '198.51.100.8, 198.51.100.9')).toBe(401);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const rotated = [];
    for (let i = 0; i < 4; i++) rotated.push(await via(direct.url, `203.0.113.${i + 1}`));
    expect(rotated).toEqual([401, 401, 401, 429]);
  });

  it('counts the codec server against the same budget', async () => {
    const decode = () =>
      call(stack.api.url, 'POST', '/codec/decode', {
        headers: { 'x-forwarded-for': '198.51.100.50' },
        body: { payloads: [] },
      }).then((r) => r.status);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await decode());
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses[3]).toBe(429);
  });
});
