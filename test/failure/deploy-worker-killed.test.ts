import { afterAll, describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { startWorkflow } from '../../workers/start.ts';
import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import { progressQuery } from '../../contracts/deploys.ts';
import { until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

const stack = useStack({ worker: false, clever: true });
const children: WorkerProcess[] = [];
afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
});

describe('a worker killed while following a deploy', () => {
  it('lets a new worker finish the deploy, with exactly one redeploy call', async () => {
    const env = {
      databaseUrl: stack.databaseUrl,
      temporalAddress: stack.temporalAddress,
      namespace: stack.namespace,
      smtpUrl: stack.mail.smtpUrl,
      extraEnv: {
        CLEVER_API_URL: stack.clever.url,
        CLEVER_API_BRIDGE_URL: stack.clever.url,
        CLEVER_API_TOKEN: 'api_test_token',
      },
    };
    const first = await startWorkerProcess(env);
    children.push(first);
    stack.clever.state.faults = { ...defaultFaults, deployDurationMs: 6_000, notFoundMs: 500 };
    const appId = unique('app');
    stack.clever.state.addApp('orga_kill', appId, appId, 'aaaa0000');

    const input = {
      ownerId: 'orga_kill',
      appId,
      commit: 'c0de0001',
      pollIntervalMs: 250,
      deadlineMs: 60_000,
      actor: { type: 'Operator' as const, id: 'vitest' },
    };
    const handle = await startWorkflow(stack.temporal, workflows.deployApplication, input, input);
    await until(
      'the deploy to be following its deployment',
      async () => (await handle.query(progressQuery)).phase === 'following',
    );
    await first.kill('SIGKILL');

    children.push(await startWorkerProcess(env));
    const outcome = await handle.result();

    expect(outcome).toMatchObject({ status: 'succeeded', commit: 'c0de0001' });
    expect(stack.clever.state.find('orga_kill', appId)!.redeployCalls).toBe(1);
    const rows = await stack.sql`select outcome from deployments where app_id = ${appId}`;
    expect(rows).toEqual([{ outcome: 'OK' }]);
  });
});
