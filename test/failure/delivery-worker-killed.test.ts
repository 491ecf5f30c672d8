import { afterAll, describe, expect, it } from 'vitest';
import { newAccount, newInbox } from '../support/fixtures.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { useStack } from '../support/stack.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

const stack = useStack({ worker: false, http: true });
const stops: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

describe('a worker killed in the middle of a webhook delivery', () => {
  it('still delivers, and every redelivery carries the same delivery id', async () => {
    const env = {
      databaseUrl: stack.databaseUrl,
      temporalAddress: stack.temporalAddress,
      namespace: stack.namespace,
      smtpUrl: stack.mail.smtpUrl,
      extraEnv: {
        WEBHOOK_ALLOWED_RANGES: 'loopback',
        WEBHOOK_ATTEMPT_TIMEOUT_MS: '1000',
        WEBHOOK_RETRY_INITIAL_MS: '200',
        WEBHOOK_RETRY_MAX_INTERVAL_MS: '1000',
      },
    };
    let worker: WorkerProcess = await startWorkerProcess(env);
    stops.push(() => worker.kill());

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const rx = await startReceiver(async (_, index) => {
      if (index === 0) await held; // hold the first attempt open while its worker dies
      return 200;
    });
    stops.push(() => rx.close());

    const account = await newAccount(stack, 'killdelivery');
    const inboxId = await newInbox(account);
    const hook = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks`, {
      body: { url: rx.url, subscriptions: ['message_created'] },
    });
    await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
      body: { contact: { identifier: 'k' }, content: 'survive' },
    });

    await until('the first attempt to arrive', () => rx.received.length >= 1);
    await worker.kill('SIGKILL');
    release();
    worker = await startWorkerProcess(env);

    const detail = await until(
      'the redelivery to be recorded',
      async () => {
        const list = await account.api('GET', `/v1/accounts/${account.accountId}/webhooks/${hook.body.id}/deliveries`);
        return list.body.payload[0]?.status === 'delivered' && list.body.payload[0];
      },
      45_000,
    );

    expect(rx.received.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rx.received.map((r) => r.headers['x-capstan-delivery']))).toEqual(new Set([detail.id]));
  });
});
