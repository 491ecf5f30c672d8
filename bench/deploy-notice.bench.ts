/**
 * How long a deploy takes to notice OK after the sandbox reaches it, at the
 * default poll interval and at a short one: the lag between the deployment's
 * end in the sandbox and the poll that saw it, per deploy.
 */
import { randomUUID } from 'node:crypto';
import { workflows } from '../contracts/workflows.ts';
import { executeWorkflow } from '../workers/start.ts';
import { startCleverSandbox } from '../sandbox/clever-cloud/serve.ts';
import { startBenchStack } from './stack.ts';

const DEPLOYS = Number(process.env.BENCH_DEPLOYS ?? 6);
const sandbox = await startCleverSandbox({
  consumerKey: 'ck',
  consumerSecret: 'cs',
  userTokens: {},
  apiTokens: ['bench'],
});
const stack = await startBenchStack({
  clever: { apiUrl: sandbox.url, bridgeUrl: sandbox.url, auth: { kind: 'token', token: 'bench' } },
});
try {
  sandbox.state.faults = { ...sandbox.state.faults, deployDurationMs: 3_000, notFoundMs: 500 };
  console.log('poll interval   n   lag p50 ms   lag max ms   (OK seen by a poll − deployment ended in the sandbox)');
  for (const pollIntervalMs of [5_000, 1_000, 250]) {
    const lags: number[] = [];
    for (let i = 0; i < DEPLOYS; i++) {
      const appId = `app-${randomUUID().slice(0, 8)}`;
      const app = sandbox.state.addApp('orga_bench', appId, appId, '00000000');
      const key = { ownerId: 'orga_bench', appId };
      await executeWorkflow(stack.temporal, workflows.deployApplication, key, {
        ...key,
        commit: 'abcdef01',
        pollIntervalMs,
        actor: { type: 'Operator', id: 'bench' },
      });
      const [row] = await stack.sql<
        { states: Array<{ state: string; at: string }> }[]
      >`select states from deployments where app_id = ${appId}`;
      const seen = Date.parse(row!.states.find((s) => s.state === 'OK')!.at);
      const ended = app.deployments[0]!.finishAt;
      lags.push(seen - ended);
    }
    lags.sort((a, b) => a - b);
    console.log(
      `${String(pollIntervalMs).padStart(10)} ms ${String(DEPLOYS).padStart(4)} ${lags[Math.floor(lags.length / 2)]!.toFixed(0).padStart(12)} ${lags.at(-1)!.toFixed(0).padStart(12)}`,
    );
  }
} finally {
  await stack.stop();
  await sandbox.close();
}
process.exit(0);
