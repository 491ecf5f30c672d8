import { afterAll, describe, expect, it } from 'vitest';
import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import { newAccount, newInbox, type AccountFixture } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true, clever: true });
const receivers: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });

/** A receiver that answers 503 until `up()`; it remembers which deliveries it accepted. */
async function flakyReceiver() {
  let down = true;
  const accepted: string[] = [];
  const rx = await startReceiver((req) => {
    if (down) return 503;
    accepted.push(String(req.headers['x-capstan-delivery']));
    return 200;
  });
  receivers.push(rx);
  return { ...rx, accepted, up: () => void (down = false) };
}

/** An account whose one webhook is down, and one message whose delivery dies: its dead letter. */
async function deadDelivery(label: string) {
  const account = await newAccount(stack, label);
  const inboxId = await newInbox(account);
  const rx = await flakyReceiver();
  const hook = await account.api('POST', `/v1/accounts/${account.accountId}/webhooks`, {
    body: { url: rx.url, subscriptions: ['message_created'] },
  });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  await account.api('POST', `/v1/accounts/${account.accountId}/inboxes/${inboxId}/messages`, {
    body: { contact: { identifier: unique('c') }, content: 'never arrives' },
  });
  const letter = await letterOf(account);
  return { account, rx, webhookId: hook.body.id as number, letter };
}

function letterOf(account: AccountFixture) {
  return until(
    'the dead letter',
    async () => (await platform('GET', `/v1/dead-letters?accountId=${account.accountId}`)).body.payload?.[0],
    45_000,
  );
}

describe('dead letters', () => {
  it('a webhook receiver down past the policy leaves a letter found by search; a retry delivers once, same id', async () => {
    const { account, rx, webhookId, letter } = await deadDelivery('dl');
    const deliveryId = String(rx.received[0]!.headers['x-capstan-delivery']);
    expect(letter).toMatchObject({
      kind: 'deliverWebhook',
      status: 'open',
      workflow_type: 'deliverWebhook',
      workflow_id: `delivery:${deliveryId}`,
      account_id: account.accountId,
      business_ids: { accountId: account.accountId, deliveryId, webhookId },
      failure_type: 'WebhookAttemptFailed',
    });
    expect(letter.failure_message).toMatch(/503/);
    expect(letter.attempts).toBe(rx.received.length);
    expect(letter.web_ui_url).toContain(
      `/workflows/${encodeURIComponent(letter.workflow_id)}/${letter.run_id}/history`,
    );

    // The sealed input holds no clear text; the readable one is there, secrets removed.
    const [row] = await stack.sql<
      { input_sealed: Uint8Array }[]
    >`select input_sealed from dead_letters where id = ${letter.id}`;
    expect(Buffer.from(row!.input_sealed).toString('latin1')).not.toContain(deliveryId);
    const shown = await platform('GET', `/v1/dead-letters/${letter.id}`);
    expect(shown.body.input).toMatchObject([{ deliveryId, accountId: account.accountId }]);

    const found = await platform(
      'GET',
      `/v1/dead-letters?q=${encodeURIComponent('answered 503')}&accountId=${account.accountId}`,
    );
    expect(found.body.payload.map((l: { id: number }) => l.id)).toEqual([letter.id]);
    const notFound = await platform('GET', `/v1/dead-letters?q=ECONNRESET&accountId=${account.accountId}`);
    expect(notFound.body.payload).toEqual([]);

    rx.up();
    // Two retries at once: the letter's claim lets one start a run; the other points to it.
    const answers = await Promise.all([
      platform('POST', `/v1/dead-letters/${letter.id}/retry`),
      platform('POST', `/v1/dead-letters/${letter.id}/retry`),
    ]);
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    const first = answers.find((a) => a.body.started)!;
    expect(answers.filter((a) => a.body.started)).toHaveLength(1);
    expect(first.body).toMatchObject({ letter_id: letter.id, workflow_id: `delivery:${deliveryId}` });
    const again = await platform('POST', `/v1/dead-letters/${letter.id}/retry`);
    expect(again.body).toMatchObject({
      workflow_id: first.body.workflow_id,
      run_id: first.body.run_id,
      started: false,
    });

    await until('the retried delivery', () => rx.accepted.length > 0);
    const status = await until('the delivery to be delivered', async () => {
      const d = await account.api(
        'GET',
        `/v1/accounts/${account.accountId}/webhooks/${webhookId}/deliveries/${deliveryId}`,
      );
      return d.body.status === 'delivered' && d.body.status;
    });
    expect(status).toBe('delivered');
    expect(rx.accepted).toEqual([deliveryId]);

    const after = await platform('GET', `/v1/dead-letters/${letter.id}`);
    expect(after.body).toMatchObject({
      status: 'retried',
      retry: { workflow_id: `delivery:${deliveryId}`, run_id: first.body.run_id },
    });
    const runs = [];
    for await (const w of stack.temporal.workflow.list({ query: `WorkflowId = 'delivery:${deliveryId}'` }))
      runs.push(w.runId);
    expect(runs).toHaveLength(2); // the dead run and the one retry
    const audits =
      await stack.sql`select actor_type from audit_log where action = 'dead_letter.retry' and subject_id = ${String(letter.id)}`;
    expect(audits).toHaveLength(1);
  });

  it('retry-all by filter retries exactly the matching letters; discard closes one with its reason', async () => {
    const [a, b] = await Promise.all([deadDelivery('bulk-a'), deadDelivery('bulk-b')]);
    a.rx.up();
    b.rx.up();
    const bulk = await platform('POST', '/v1/dead-letters/retry', {
      accountId: a.account.accountId,
      kind: 'deliverWebhook',
    });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body.payload.map((r: { letter_id: number }) => r.letter_id)).toEqual([a.letter.id]);
    expect(bulk.body.remaining).toBe(0);
    await until('a to be delivered', () => a.rx.accepted.length > 0);
    expect((await platform('GET', `/v1/dead-letters/${b.letter.id}`)).body.status).toBe('open');
    expect(b.rx.accepted).toEqual([]);

    const discarded = await platform('POST', `/v1/dead-letters/${b.letter.id}/discard`, { reason: 'customer left' });
    expect(discarded.status, JSON.stringify(discarded.body)).toBe(200);
    expect(discarded.body).toMatchObject({ status: 'discarded', discard: { reason: 'customer left' } });
    const refused = await platform('POST', `/v1/dead-letters/${b.letter.id}/retry`);
    expect(refused.status).toBe(409);
    // A refusal (4xx) is the caller's answer, not lost work: the refused retry leaves no letter of its own.
    expect(await stack.sql`select 1 from dead_letters where workflow_type = 'retryDeadLetter'`).toHaveLength(0);
    const audits = await stack.sql<{ details: { reason: string } }[]>`
      select details from audit_log where action = 'dead_letter.discard' and subject_id = ${String(b.letter.id)}`;
    expect(audits.map((r) => r.details.reason)).toEqual(['customer left']);
    expect((await platform('GET', '/v1/dead-letters?status=discarded&kind=deliverWebhook')).body.payload[0].id).toBe(
      b.letter.id,
    );
  });

  it('a deploy that fails, and one that runs out of time, each land within seconds', async () => {
    const appId = unique('app');
    stack.clever.state.faults = { ...defaultFaults, notFoundMs: 0, failingCommits: ['bad00001'] };
    stack.clever.state.addApp('orga_dl', appId, appId, 'aaaa0000');
    const failed = await platform('POST', '/v1/deploys', {
      owner_id: 'orga_dl',
      app_id: appId,
      commit: 'bad00001',
      auto_rollback: false,
    });
    expect(failed.status, JSON.stringify(failed.body)).toBe(202);
    const letter = await until('the deploy letter', async () => {
      const res = await platform('GET', `/v1/dead-letters?kind=deploy&q=bad00001`);
      return res.body.payload[0];
    });
    expect(letter).toMatchObject({
      workflow_id: `deploy:orga_dl/${appId}`,
      app_id: appId,
      failure_type: 'DeployFailed',
    });
    // Recorded by the failing run itself, just before it closes.
    const handle = stack.temporal.workflow.getHandle(letter.workflow_id, letter.run_id);
    expect((await handle.result()).status).toBe('failed');
    const closedAt = (await handle.describe()).closeTime!.getTime();
    const recordedAt = Date.parse(letter.last_failure_at);
    expect(recordedAt).toBeLessThanOrEqual(closedAt + 1_000);
    expect(closedAt - recordedAt).toBeLessThan(5_000);

    const slowApp = unique('app');
    stack.clever.state.addApp('orga_dl', slowApp, slowApp, 'aaaa0000');
    stack.clever.state.faults = { ...defaultFaults, errorRate: 1 };
    try {
      await platform('POST', '/v1/deploys', {
        owner_id: 'orga_dl',
        app_id: slowApp,
        commit: 'cafe0001',
        deadline_seconds: 2,
      });
      const timedOut = await until('the deadline letter', async () => {
        const res = await platform('GET', `/v1/dead-letters?kind=deploy&q=${encodeURIComponent(slowApp)}`);
        return res.body.payload[0];
      });
      expect(timedOut).toMatchObject({ workflow_id: `deploy:orga_dl/${slowApp}`, status: 'open' });
      expect(timedOut.failure_type, timedOut.failure_message).toBe('DeadlineExceeded');
    } finally {
      stack.clever.state.faults = { ...defaultFaults };
    }
  });
});
