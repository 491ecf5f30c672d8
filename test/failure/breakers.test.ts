import { afterAll, describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { breakerNames } from '../../config/breakers.ts';
import { breakerStates } from '../../db/breakers.ts';
import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import { startWorkflow } from '../../workers/start.ts';
import { until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.ts';

// Its own database: this file opens the one `clever-cloud` breaker, which no other file's deploys may meet.
const stack = useStack({ worker: false, clever: true, ownDatabase: true });
const workers: WorkerProcess[] = [];
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
});

const OPEN_MS = 6_000;
const THRESHOLD = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const breaker = async () => (await breakerStates(stack.sql, breakerNames.cleverCloud))[0];

describe('the Clever Cloud breaker, shared by three worker processes', () => {
  it(
    'opens after the threshold, stops every worker calling, sends one trial per half-open, closes on recovery',
    { timeout: 300_000 },
    async () => {
      const env = {
        databaseUrl: stack.databaseUrl,
        temporalAddress: stack.temporalAddress,
        namespace: stack.namespace,
        smtpUrl: stack.mail.smtpUrl,
        startTimeoutMs: 240_000,
        extraEnv: {
          CLEVER_API_URL: stack.clever.url,
          CLEVER_API_BRIDGE_URL: stack.clever.url,
          CLEVER_API_TOKEN: 'api_test_token',
          BREAKER_FAILURE_THRESHOLD: String(THRESHOLD),
          BREAKER_WINDOW_MS: '60000',
          BREAKER_OPEN_MS: String(OPEN_MS),
          BREAKER_TRIAL_LEASE_MS: '10000',
        },
      };
      // Each is kept as soon as it runs, so afterAll stops it even when another fails to start.
      await Promise.all([1, 2, 3].map(async () => workers.push(await startWorkerProcess(env))));
      const sandbox = stack.clever.state;
      sandbox.faults = { ...defaultFaults, errorRate: 1, deployDurationMs: 500, notFoundMs: 0 };

      const apps = Array.from({ length: 6 }, () => unique('app'));
      const handles = await Promise.all(
        apps.map((appId) => {
          sandbox.addApp('orga_breaker', appId, appId, 'aaaa0000');
          const input = {
            ownerId: 'orga_breaker',
            appId,
            commit: 'c0de0009',
            pollIntervalMs: 250,
            deadlineMs: 180_000,
            actor: { type: 'Operator' as const, id: 'vitest' },
          };
          return startWorkflow(stack.temporal, workflows.deployApplication, input, input);
        }),
      );

      const opened = await until(
        'the breaker to open',
        async () => (await breaker())?.state === 'open' && breaker(),
        60_000,
      );
      expect(opened!.failuresTotal).toBeGreaterThanOrEqual(THRESHOLD);
      await sleep(1_000); // calls admitted just before it opened have been answered by now
      const whileOpen = sandbox.calls;
      await sleep(Math.max(0, opened!.halfOpenAt!.getTime() - Date.now() - 300));
      expect(sandbox.calls, 'no worker calls Clever Cloud while the breaker is open').toBe(whileOpen);

      const reopened = await until('the trial to fail and reopen it', async () => {
        const b = await breaker();
        return b!.openedTotal === 2 && b;
      });
      expect(reopened!.trialsTotal).toBe(1);
      await sleep(1_000);
      expect(sandbox.calls - whileOpen, 'exactly one trial call while half-open').toBe(1);
      const afterTrial = sandbox.calls;
      await sleep(Math.max(0, reopened!.halfOpenAt!.getTime() - Date.now() - 300));
      expect(sandbox.calls, 'still no calls while open again').toBe(afterTrial);
      expect((await breaker())!.refusedTotal).toBeGreaterThan(0);

      sandbox.faults = { ...sandbox.faults, errorRate: 0 };
      await until('the next trial to close it', async () => (await breaker())!.state === 'closed', 30_000);
      const outcomes = await Promise.all(handles.map((h) => h.result()));
      for (const outcome of outcomes) expect(outcome).toMatchObject({ status: 'succeeded', commit: 'c0de0009' });
      expect(await breaker()).toMatchObject({ state: 'closed', openedTotal: 2, trialsTotal: 2 });
      for (const appId of apps) expect(sandbox.find('orga_breaker', appId)!.redeployCalls).toBe(1);
    },
  );
});
