import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createAccountActivities } from '../../activities/accounts.ts';
import { createDeliveryActivities } from '../../activities/deliveries.ts';
import { createBreakers } from '../../activities/breaker.ts';
import { createLogger } from '../../config/logger.ts';
import { createPool, type Sql } from '../../db/pool.ts';
import { issueToken } from '../../db/tokens.ts';
import { testWebhookSettings, unique } from '../support/stack.ts';
import { startUpstream } from '../support/upstream.ts';

let sql: Sql;
let accountId: number;
let upstream: Awaited<ReturnType<typeof startUpstream>>;
const logger = createLogger({ level: 'silent' });

beforeAll(async () => {
  sql = createPool({ url: inject('databaseUrl'), max: 2 });
  upstream = await startUpstream();
  const key = unique('targets');
  const token = issueToken();
  const made = await createAccountActivities({ sql, logger }).createAccountWithAdmin({
    idempotencyKey: key,
    workflowId: `account:${key}`,
    name: 'Targets',
    locale: 'en',
    admin: { name: 'A', email: `${key}@example.test` },
    token: { sha256: token.sha256, prefix: token.prefix },
    actor: { type: 'Operator', id: 't' },
  });
  accountId = made.account.id;
});
afterAll(async () => {
  await upstream.close();
  await sql.end();
});
afterEach(() => vi.restoreAllMocks());

/** A pending delivery to `url`, saved straight to the table: the save-time check would refuse most of these. */
async function deliveryTo(url: string): Promise<string> {
  const [hook] = await sql<{ id: number }[]>`
    insert into webhooks (account_id, url, subscriptions, secret) values (${accountId}, ${url}, ${['message_created']}, 'whsec')
    on conflict (account_id, url) do update set status = 'enabled' returning id`;
  const id = randomUUID();
  await sql`
    insert into webhook_deliveries (id, webhook_id, account_id, event, payload, workflow_id, source_key)
    values (${id}, ${hook!.id}, ${accountId}, 'message_created', ${sql.json({ event: 'message_created' })}, ${`delivery:${id}`}, ${unique('src')})`;
  return id;
}

function send(id: string, allowedRanges: string[]) {
  const { sendWebhook } = createDeliveryActivities({
    sql,
    logger,
    webhooks: { ...testWebhookSettings, allowedRanges },
    breakers: createBreakers({ sql, logger, settings: { enabled: false } }),
  });
  return new MockActivityEnvironment().run(sendWebhook, id).catch((err: unknown) => err);
}

const lastAttempt = async (id: string) =>
  (
    await sql<{ status_code: number | null; error: string | null; duration_ms: number }[]>`
    select status_code, error, duration_ms from webhook_attempts where delivery_id = ${id} order by attempt desc limit 1`
  )[0]!;

describe('a webhook whose host is an IP literal', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', ['loopback']],
    ['http://10.0.0.1/hooks', ['loopback']],
    ['http://0xa9.0xfe.0xa9.0xfe/', ['loopback']],
    ['http://[::ffff:10.0.0.1]/', ['loopback']],
    ['http://[fe80::1]/', ['loopback']],
    ['LOOPBACK/hooks', []],
    ['http://2130706433:PORT/hooks', []],
    ['http://0x7f.1:PORT/hooks', []],
    ['http://[::ffff:127.0.0.1]:PORT/hooks', []],
    ['http://[::1]:PORT/hooks', []],
  ])('%s (allowed: %j) is refused before any connection, for good', async (pattern, allowed) => {
    // Any connection attempt fails the test instead of leaving the machine.
    const connect = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(() => {
      throw new Error('a connection was attempted');
    });
    const url = pattern.replace('LOOPBACK', upstream.url).replace('PORT', new URL(upstream.url).port);
    const id = await deliveryTo(url);
    const err = await send(id, allowed);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'UnsafeTarget', nonRetryable: true });
    expect(connect).not.toHaveBeenCalled();
    const attempt = await lastAttempt(id);
    // The range stays unsaid: the refusal names no address (issue 20).
    expect(attempt.error).toBe('refused before connecting: is not an allowed address');
    expect(attempt.status_code).toBeNull();
    expect(attempt.duration_ms).toBeLessThan(50);
    expect(upstream.state.requests).toBe(0);
  });

  it('is delivered when its range is allowed: node connects to the address the check saw', async () => {
    const id = await deliveryTo(`http://0x7f.1:${new URL(upstream.url).port}/hooks`);
    expect(await send(id, ['loopback'])).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(upstream.state.requests).toBe(1);
  });
});

describe("a receiver's answer", () => {
  it('is not followed when it redirects: a failed attempt that says so', async () => {
    upstream.state.behaviour = 'redirect';
    const id = await deliveryTo(`${upstream.url}/hooks`);
    const err = await send(id, ['loopback']);
    expect(err).toMatchObject({ type: 'WebhookAttemptFailed', nonRetryable: false });
    expect(await lastAttempt(id)).toMatchObject({
      status_code: 302,
      error: 'receiver answered 302 (redirects are not followed)',
    });
    expect(upstream.state.followed).toBe(0);
  });

  it('is drained only up to a cap, then the socket is cut; the status still counts', async () => {
    upstream.state.behaviour = 'huge';
    const id = await deliveryTo(`${upstream.url}/hooks`);
    expect(await send(id, ['loopback'])).toMatchObject({ status: 'delivered' });
    await new Promise((r) => setTimeout(r, 100));
    expect(upstream.state.sent).toBeLessThan(16 * 1024 * 1024);
  });
});
