/**
 * Finding (issue 20): `/metrics` answered on the public API port without a token, compose published it and k8s
 * scraped it there; every tenant's failing webhook host was a label (`capstan_breaker_state{name="webhook:127.0.0.1:9"}`),
 * and each scrape ran about twelve queries. Now the API port answers 404 with a token or without; the metrics
 * port answers, and its breaker series count by kind and state, with no tenant's host in any label.
 */
import { describe, expect, it } from 'vitest';
import { breakerNames } from '../../config/breakers.ts';
import { breakerPolicies } from '../../config/catalogue.ts';
import { recordFailure } from '../../db/breakers.ts';
import { newAccount } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { useStack } from '../support/stack.ts';

const stack = useStack({ http: true });

describe('/metrics on the public port', () => {
  it('is not served there, and the metrics port names no tenant host', async () => {
    const tenant = await newAccount(stack, 'metrics-leak');
    const url = 'http://127.0.0.1:9/metrics-leak';
    const hook = await tenant.api('POST', `/v1/accounts/${tenant.accountId}/webhooks`, {
      body: { url, subscriptions: ['message_created'] },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    // What the tenant's failing deliveries do to the breaker of their host.
    for (let i = 0; i < breakerPolicies.webhook.failureThreshold; i++)
      await recordFailure(stack.sql, breakerNames.webhook(url), 'test', 'connection refused', breakerPolicies.webhook);

    expect((await call(stack.api.url, 'GET', '/metrics')).status).toBe(404);
    expect((await call(stack.api.url, 'GET', '/metrics', { token: stack.platformToken })).status).toBe(404);

    const scraped = await call(stack.metrics.url, 'GET', '/metrics');
    expect(scraped.status).toBe(200);
    const text = scraped.body as string;
    expect(text).toMatch(/^capstan_breakers\{kind="webhook",state="open"\} [1-9]/m);
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toContain('metrics-leak');
  });
});
