/**
 * Finding (issue 20): the SSRF guard said what a host resolves to ("resolves to 10.…, a private address"), and
 * that a name did not resolve at all, so a tenant administrator could map the installation's internal DNS one
 * webhook at a time. Now every refused target gets the same words: "is not an allowed address", nothing more.
 */
import { describe, expect, it } from 'vitest';
import { newAccount } from '../support/fixtures.ts';
import { testWebhookSettings, useStack } from '../support/stack.ts';

// Nothing but the public internet: loopback here stands for an internal range.
const stack = useStack({ http: true, webhooks: { ...testWebhookSettings, allowedRanges: [] } });

describe('a webhook aimed inward', () => {
  it('is refused without saying what its host resolves to, or whether it resolves', async () => {
    const tenant = await newAccount(stack, 'ssrf-map');
    const answers = [];
    for (const url of [
      'http://localhost:9/x',
      'http://no-such-host.invalid/x',
      'http://127.0.0.1:9/x',
      'http://[::1]/x',
    ]) {
      const res = await tenant.api('POST', `/v1/accounts/${tenant.accountId}/webhooks`, {
        body: { url, subscriptions: ['message_created'] },
      });
      expect(res.status, url).toBe(422);
      answers.push(JSON.stringify(res.body));
      expect(JSON.stringify(res.body), url).toContain('url is not an allowed address');
      expect(JSON.stringify(res.body), url).not.toMatch(/127\.0\.0\.1|::1|loopback|resolve/);
    }
    // The refusals cannot be told apart: same detail whatever the host is.
    const details = answers.map((a) => (JSON.parse(a) as { detail: string }).detail);
    expect(new Set(details).size).toBe(1);
  });
});
