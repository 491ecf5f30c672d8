import { installationId } from '../../db/installation.ts';
import { requestDriver } from './driver.ts';
import type { Rng } from './rng.ts';
import type { ChaosStack } from './stack.ts';

export const DEPLOY_OWNER = 'orga_chaos';

/** What the workload asked for, by business key: the invariants check each one. */
export interface Expected {
  accounts: Array<{ key: string; id?: number }>;
  members: Array<{ accountKey: string; email: string }>;
  messages: Array<{ accountKey: string; content: string }>;
  apps: string[];
}

/**
 * The mixed workload, all of it through the HTTP API as clients send it: per account
 * a provisioning, two members, a token, an inbox, a webhook to the flaky receiver,
 * three messages (each emits deliveries) and a deploy of an app of its own; licence
 * heartbeats and asset builds in between. At least `units` accounts, `concurrency` at a
 * time, and more while `keepGoing()` (until every kind of fault has hit the load).
 */
export async function runWorkload(
  stack: ChaosStack,
  rng: Rng,
  shape: { units: number; concurrency: number; keepGoing: () => boolean },
) {
  const driver = requestDriver(stack.api.url, 10 * 60_000);
  const platform = stack.platformToken;
  const expected: Expected = { accounts: [], members: [], messages: [], apps: [] };
  const run = `r${rng.seed}`;

  // A licence with room for every seat, so heartbeats have something to report.
  const key = await stack.licensing.issuer.issue({
    aud: await installationId(stack.sql),
    plan: 'business',
    seats: 100_000,
    expiresIn: 86_400,
  });
  const installed = await driver.send('licence', 'PUT', '/v1/license', { token: platform, body: { key } });
  if (installed.answer?.status !== 200) throw new Error(`licence not installed: ${JSON.stringify(installed.answer)}`);

  async function unit(i: number): Promise<void> {
    const accountKey = `${run}-acct-${i}`;
    const account = { key: accountKey } as Expected['accounts'][number];
    expected.accounts.push(account);
    const created = await driver.send('account', 'POST', '/v1/accounts', {
      token: platform,
      key: accountKey,
      pollAccepted: true,
      body: { name: `Chaos ${i}`, admin: { name: 'Admin', email: `${accountKey}@example.test` } },
    });
    account.id = created.answer?.body?.account?.id;
    // The administrator redeems the one-time link mailed to their address (a replayed provision mails none).
    const signIn = created.answer?.status === 201 ? await mailedLink(stack, `${accountKey}@example.test`) : undefined;
    const redeemed = signIn
      ? await driver.send('redeem', 'POST', '/v1/sign-in-links/redeem', { token: '', body: { token: signIn } })
      : undefined;
    const adminToken: string | undefined =
      redeemed?.answer?.status === 201 ? (redeemed.answer.body.access_token as string) : undefined;
    if (!account.id) return;
    const base = `/v1/accounts/${account.id}`;
    const write = (kind: string, path: string, body: unknown, key?: string) =>
      driver.send(kind, 'POST', `${base}${path}`, { token: platform, key, body, pollAccepted: true });

    for (const m of [0, 1]) {
      const email = `${accountKey}-m${m}@example.test`;
      expected.members.push({ accountKey, email });
      await write('member', '/members', { name: `Member ${m}`, email, role: 'agent' }, `${accountKey}-m${m}`);
    }
    // A token is made by its holder: the administrator makes one more for itself (a replayed provision shows none).
    if (adminToken)
      await driver.send('token', 'POST', `${base}/access_tokens`, {
        token: adminToken,
        key: `${accountKey}-token`,
        body: { name: 'chaos' },
        pollAccepted: true,
      });
    const inbox = await write('inbox', '/inboxes', { name: 'Chaos inbox' }, `${accountKey}-inbox`);
    const inboxId = inbox.answer?.body?.id;
    await write(
      'webhook',
      '/webhooks',
      { url: stack.receiver.url, subscriptions: ['contact_created', 'conversation_created', 'message_created'] },
      `${accountKey}-hook`,
    );
    if (inboxId) {
      for (const n of [0, 1, 2]) {
        const content = `${accountKey} message ${n}`;
        expected.messages.push({ accountKey, content });
        await write(
          'message',
          `/inboxes/${inboxId}/messages`,
          { contact: { identifier: `${accountKey}-contact` }, content },
          `${accountKey}-msg-${n}`,
        );
      }
    }

    const appId = `${run}-app-${i}`;
    stack.clever.state.addApp(DEPLOY_OWNER, appId, appId, 'aaaa0000');
    expected.apps.push(appId);
    await driver.send('deploy', 'POST', '/v1/deploys', {
      token: platform,
      body: {
        owner_id: DEPLOY_OWNER,
        app_id: appId,
        commit: `c0de${String(i).padStart(4, '0')}`,
        deadline_seconds: 900,
      },
    });
    if (i % 4 === 0) await driver.send('heartbeat', 'POST', '/v1/license/heartbeat', { token: platform });
    if (i % 5 === 0) await driver.send('assets', 'POST', '/v1/assets/builds', { token: platform });
  }

  let next = 0;
  await Promise.all(
    Array.from({ length: shape.concurrency }, async () => {
      while (next < shape.units || shape.keepGoing()) {
        await unit(next++);
        await new Promise((r) => setTimeout(r, rng.int(0, 2_000)));
      }
    }),
  );
  return { expected, sent: driver.sent };
}

/**
 * The sign-in token in the newest mail to `email`, if one comes while workers are being killed: a retried mail
 * makes a new secret (the older mail's stops working), so a redemption may still be refused, which the run allows.
 */
async function mailedLink(stack: ChaosStack, email: string): Promise<string | undefined> {
  const first = await stack.mail.mailbox.waitFor(email, { timeoutMs: 120_000 }).catch(() => undefined);
  if (!first) return undefined;
  const newest = stack.mail.mailbox.to(email).at(-1)!;
  return /\bsil_[A-Za-z0-9_-]{43}\b/.exec(newest.text)?.[0];
}
