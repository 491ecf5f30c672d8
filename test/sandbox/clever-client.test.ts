import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CleverApiError, CleverClient } from '../../activities/clever-cloud/client.ts';
import type { CleverAuth } from '../../config/clever.ts';
import { startCleverSandbox } from '../../sandbox/clever-cloud/serve.ts';
import { until } from '../support/receiver.ts';

const credentials = {
  consumerKey: 'ck',
  consumerSecret: 'cs/with&odd=chars',
  userTokens: { tok: 'sec+ret' },
  apiTokens: ['api_tok_1'],
};
let sandbox: Awaited<ReturnType<typeof startCleverSandbox>>;

beforeAll(async () => {
  sandbox = await startCleverSandbox(credentials);
  sandbox.state.addApp('orga_1', 'app_1', 'web', 'c0ffee');
  sandbox.state.addApp('self', 'app_2', 'personal', 'beef');
});
afterAll(() => sandbox.close());

const client = (auth: CleverAuth) => new CleverClient({ apiUrl: sandbox.url, bridgeUrl: sandbox.url, auth });
const oauth = (signature: 'PLAINTEXT' | 'HMAC-SHA512', secret = 'sec+ret'): CleverAuth => ({
  kind: 'oauth',
  consumerKey: 'ck',
  consumerSecret: credentials.consumerSecret,
  token: 'tok',
  secret,
  signature,
});

describe('Clever Cloud client against the sandbox', () => {
  it('authenticates with OAuth 1.0a PLAINTEXT, HMAC-SHA512, and an API token', async () => {
    for (const auth of [oauth('PLAINTEXT'), oauth('HMAC-SHA512'), { kind: 'token', token: 'api_tok_1' } as const]) {
      const app = await client(auth).getApplication('orga_1', 'app_1');
      expect(app).toMatchObject({ id: 'app_1', name: 'web', commitId: 'c0ffee' });
    }
    expect((await client(oauth('HMAC-SHA512')).getApplication('self', 'app_2')).name).toBe('personal');
  });

  it('a wrong secret or token is refused with 401, as a final, non-retryable failure', async () => {
    for (const auth of [
      oauth('PLAINTEXT', 'wrong'),
      oauth('HMAC-SHA512', 'wrong'),
      { kind: 'token', token: 'nope' } as const,
    ]) {
      const err = await client(auth)
        .getApplication('orga_1', 'app_1')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CleverApiError);
      expect((err as CleverApiError).status).toBe(401);
      expect((err as CleverApiError).retryable).toBe(false);
      const failure = (err as CleverApiError).toFailure();
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'CleverUnauthorized', nonRetryable: true });
      expect(failure.message).toMatch(/Not authenticated/);
    }
  });

  it('follows a redeploy: 404 right after creation, then WIP, then OK, and the app moves to that commit', async () => {
    const c = client(oauth('PLAINTEXT'));
    sandbox.state.faults = { ...sandbox.state.faults, notFoundMs: 200, deployDurationMs: 600 };
    const started = await c.redeploy('orga_1', 'app_1', 'abc123');
    expect(started.type).toBe('success');

    expect(await c.getDeployment('orga_1', 'app_1', started.deploymentId!)).toBeUndefined();
    const wip = await until('the deployment to appear', () =>
      c.getDeployment('orga_1', 'app_1', started.deploymentId!),
    );
    expect(wip.state).toBe('WIP');
    const done = await until('the deployment to end', async () => {
      const d = await c.getDeployment('orga_1', 'app_1', started.deploymentId!);
      return d?.state !== 'WIP' && d;
    });
    expect(done).toMatchObject({ state: 'OK', commit: 'abc123' });
    expect((await c.getApplication('orga_1', 'app_1')).commitId).toBe('abc123');
    expect((await c.listDeployments('orga_1', 'app_1'))[0]!.uuid).toBe(started.deploymentId);
    expect(sandbox.state.find('orga_1', 'app_1')!.redeployCalls).toBe(1);
  });

  it('cancels a deployment that never ends', async () => {
    const c = client({ kind: 'token', token: 'api_tok_1' });
    sandbox.state.faults = { ...sandbox.state.faults, deployOutcome: 'never', notFoundMs: 0 };
    const started = await c.redeploy('orga_1', 'app_1', 'stuck');
    await c.cancelDeployment('orga_1', 'app_1', started.deploymentId!);
    expect((await c.getDeployment('orga_1', 'app_1', started.deploymentId!))!.state).toBe('CANCELLED');
    sandbox.state.faults = { ...sandbox.state.faults, deployOutcome: 'OK' };
  });

  it('injected 5xx answers are retryable; an unknown app is a final 404', async () => {
    const c = client(oauth('PLAINTEXT'));
    sandbox.state.faults = { ...sandbox.state.faults, errorRate: 1 };
    const err = (await c.getApplication('orga_1', 'app_1').catch((e: unknown) => e)) as CleverApiError;
    sandbox.state.faults = { ...sandbox.state.faults, errorRate: 0 };
    expect(err.status).toBe(503);
    expect(err.retryable).toBe(true);
    expect(err.toFailure()).toBe(err);

    const missing = (await c.getApplication('orga_1', 'nope').catch((e: unknown) => e)) as CleverApiError;
    expect(missing.status).toBe(404);
    expect(missing.toFailure()).toMatchObject({ type: 'CleverRequestRefused', nonRetryable: true });
  });

  it('reads and writes environment variables', async () => {
    const c = client(oauth('HMAC-SHA512'));
    await c.setEnv('orga_1', 'app_1', 'FEATURE_X', 'on');
    expect(await c.getEnv('orga_1', 'app_1')).toContainEqual({ name: 'FEATURE_X', value: 'on' });
    await c.deleteEnv('orga_1', 'app_1', 'FEATURE_X');
    expect(await c.getEnv('orga_1', 'app_1')).toEqual([]);
  });
});
