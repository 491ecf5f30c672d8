import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import { startWorkflow } from '../../workers/start.ts';
import { newAccount, newInbox, join } from '../support/fixtures.ts';
import { call } from '../support/http.ts';
import { startReceiver, until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

// A database of its own: installing a licence changes installation-wide state.
const stack = useStack({
  http: true,
  clever: true,
  captureLogs: true,
  ownDatabase: true,
  licensing: { heartbeatIntervalMs: 3_600_000 },
});
const receiver = startReceiver();
afterAll(async () => (await receiver).close());

/** Every secret this run handles; none may appear in any log line. */
const secrets = new Map<string, string>();
const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });

describe('the whole log of a run', () => {
  it('provisions, hooks, installs a licence and deploys with secrets along the way', async () => {
    secrets.set('platform token', stack.platformToken).set('Clever API token', 'api_test_token');
    const account = await newAccount(stack, 'secrets');
    secrets.set('administrator token', account.adminToken);
    const path = `/v1/accounts/${account.accountId}`;
    const agent = await join(stack, account);
    secrets.set('invitee token', agent.token);
    const agentToken = await call(stack.api.url, 'POST', `${path}/access_tokens`, {
      token: agent.token,
      body: { name: 'laptop' },
    });
    expect(agentToken.status).toBe(201);
    secrets.set('agent token', agentToken.body.token);

    const rx = await receiver;
    const hook = await account.api('POST', `${path}/webhooks`, {
      body: { url: rx.url, subscriptions: ['message_created'] },
    });
    expect(hook.status).toBe(201);
    secrets.set('webhook secret', hook.body.secret);
    const inboxId = await newInbox(account);
    await account.api('POST', `${path}/inboxes/${inboxId}/messages`, {
      body: { contact: { identifier: 'c1' }, content: 'hello' },
      token: agentToken.body.token,
    });
    await until('the signed delivery', () => rx.received.length >= 1);

    const aud = (await platform('GET', '/v1/license')).body.installation_id as string;
    const key = await stack.licensing.issuer.issue({ aud, plan: 'business', seats: 100, expiresIn: 3600 });
    secrets.set('licence key', key).set('licence signature', key.split('.')[2]!);
    expect((await platform('PUT', '/v1/license', { key })).status).toBe(200);
    expect((await platform('POST', '/v1/license/heartbeat')).body.heartbeat).toMatchObject({ outcome: 'confirmed' });

    const envSecret = randomBytes(24).toString('base64url');
    secrets.set('deploy env value', envSecret);
    stack.clever.state.faults = { ...defaultFaults, deployDurationMs: 200, notFoundMs: 0 };
    const appId = unique('app');
    stack.clever.state.addApp('orga_logs', appId, appId, 'aaaa1111');
    const target = { ownerId: 'orga_logs', appId };
    const deploy = await startWorkflow(stack.temporal, workflows.deployApplication, target, {
      ...target,
      commit: 'bbbb2222',
      env: { DATABASE_PASSWORD: envSecret },
      pollIntervalMs: 100,
      deadlineMs: 20_000,
      actor: { type: 'Operator', id: 'vitest' },
    });
    expect(await deploy.result()).toMatchObject({ status: 'succeeded' });
  });

  it('censors secret-named keys at any depth in direct logger calls', () => {
    const nested = randomBytes(12).toString('hex');
    secrets.set('nested clientSecret', nested);
    stack.logger.info({ a: { b: { clientSecret: nested } } }, 'nested secret');
    stack.logger
      .child({ component: 'test', auth: { apiKey: `${nested}-child` } })
      .warn({ req: { headers: { authorization: `Bearer ${nested}-h`, cookie: `s=${nested}-c` } } }, 'child');
    stack.logger.error(
      { err: Object.assign(new Error('refused'), { config: { headers: { 'x-api-key': `${nested}-e` } } }) },
      'error with a secret property',
    );
    expect(stack.logLines.some((line) => line.includes('"clientSecret":"[redacted]"'))).toBe(true);
  });

  it('finds none of them in any line', () => {
    const text = stack.logLines.join('');
    for (const marker of ['webhook delivered', 'licence heartbeat', 'redeploy started', 'request'])
      expect(text, marker).toContain(marker);
    const leaks = [...secrets].filter(([, secret]) => text.includes(secret)).map(([what]) => what);
    expect(leaks).toEqual([]);
    expect(secrets.size).toBeGreaterThanOrEqual(9);
  });
});
