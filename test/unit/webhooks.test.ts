import { describe, expect, it } from 'vitest';
import { deliveryId, jitteredDelay } from '../../activities/deliveries.ts';
import { signWebhook, verifyWebhook } from '../../activities/webhook-signature.ts';
import { addressAllowed, literalTargetProblem, targetProblem } from '../../activities/webhook-target.ts';

describe('webhook signature', () => {
  it('is sha256= HMAC-SHA256(secret, "<timestamp>.<raw body>") in hex', () => {
    // Computed independently: printf '1767089702.{"a":1}' | openssl dgst -sha256 -hmac s3cret
    expect(signWebhook('s3cret', 1767089702, '{"a":1}')).toBe(
      'sha256=3f9cfdbebd8eddf7784b12e5c6026a76766505e52e376f6bb9e9f788a4cf0e5a',
    );
    const now = 1767089702_000;
    const signature = signWebhook('s3cret', 1767089702, '{"a":1}');
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook('s3cret', { signature, timestamp: '1767089702' }, '{"a":1}', 300, now)).toBe(true);
    expect(verifyWebhook('s3cret', { signature, timestamp: '1767089703' }, '{"a":1}', 300, now)).toBe(false);
    expect(verifyWebhook('s3cret', { signature, timestamp: '1767089702' }, '{"a":1}', 300, now + 301_000)).toBe(false);
  });
});

describe('delivery ids and retry spacing', () => {
  it('derives the same delivery id from the same cause, and another from another', () => {
    const a = deliveryId('message:1:source:x', 0, 'message_created', 7);
    expect(deliveryId('message:1:source:x', 0, 'message_created', 7)).toBe(a);
    expect(deliveryId('message:1:source:x', 0, 'message_created', 8)).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('doubles the delay per attempt within ±20 %, capped at the maximum interval', () => {
    const policy = { attemptTimeoutMs: 1000, initialIntervalMs: 1000, maxIntervalMs: 10_000, deadlineMs: 60_000 };
    expect(jitteredDelay(policy, 1, 0)).toBe(800);
    expect(jitteredDelay(policy, 1, 1)).toBe(1200);
    expect(jitteredDelay(policy, 3, 0.5)).toBe(4000);
    expect(jitteredDelay(policy, 10, 0.5)).toBe(10_000);
    for (let attempt = 1; attempt < 4; attempt++) {
      expect(jitteredDelay(policy, attempt + 1, 0)).toBeGreaterThan(jitteredDelay(policy, attempt, 1));
    }
  });
});

describe('webhook targets', () => {
  it('allows public unicast, and loopback or private only when the operator does', () => {
    expect(addressAllowed('93.184.216.34', [])).toBe(true);
    expect(addressAllowed('127.0.0.1', [])).toBe(false);
    expect(addressAllowed('127.0.0.1', ['loopback'])).toBe(true);
    expect(addressAllowed('10.1.2.3', ['loopback'])).toBe(false);
    expect(addressAllowed('169.254.169.254', [])).toBe(false);
    expect(addressAllowed('::ffff:127.0.0.1', [])).toBe(false);
    expect(addressAllowed('::1', ['loopback'])).toBe(true);
  });

  it('explains why a URL is refused, but never what a host resolves to', async () => {
    expect(await targetProblem('http://127.0.0.1/x', [])).toBe('is not an allowed address');
    expect(await targetProblem('http://localhost/x', [])).toBe('is not an allowed address');
    expect(await targetProblem('http://no-such-host.invalid/x', [])).toBe('is not an allowed address');
    expect(await targetProblem('gopher://example.test', [])).toMatch(/http or https/);
    expect(await targetProblem('http://user:pw@93.184.216.34/', [])).toMatch(/credentials/);
    expect(await targetProblem('http://93.184.216.34/hook', [])).toBeUndefined();
  });

  it('checks an IP-literal host without DNS, in every form the URL parser turns into one', () => {
    const refused: Array<[string, string]> = [
      ['http://169.254.169.254/latest/meta-data/', 'linkLocal'],
      ['http://10.0.0.1/', 'private'],
      ['http://2130706433/', 'loopback'],
      ['http://0x7f.1/', 'loopback'],
      ['http://0177.0.0.1/', 'loopback'],
      ['http://017700000001/', 'loopback'],
      ['http://0xa9fea9fe/', 'linkLocal'],
      ['http://0/', 'unspecified'],
      ['http://[::1]:8080/', 'loopback'],
      ['http://[::ffff:169.254.169.254]/', 'linkLocal'],
      ['http://[::ffff:a00:1]/', 'private'],
      ['http://[fe80::1]/', 'linkLocal'],
    ];
    for (const [url, range] of refused) {
      expect(literalTargetProblem(url, []).problem, url).toBe('is not an allowed address');
      // The same form is taken once its range is allowed: the parser did see that address.
      expect(literalTargetProblem(url, [range]).problem, url).toBeUndefined();
    }
    expect(literalTargetProblem('http://10.0.0.1/', ['loopback']).problem).toBe('is not an allowed address');
    expect(literalTargetProblem('http://0x7f.1/', ['loopback'])).toEqual({ host: '127.0.0.1' });
    expect(literalTargetProblem('http://93.184.216.34/', [])).toEqual({ host: '93.184.216.34' });
    // A name is left to the connect-time lookup.
    expect(literalTargetProblem('http://hooks.example.test/', [])).toEqual({ host: 'hooks.example.test' });
  });
});
