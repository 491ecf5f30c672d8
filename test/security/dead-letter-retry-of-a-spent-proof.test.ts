/**
 * A dead letter keeps the input its run was started with, proof and all; that run spent the proof's nonce.
 * A retry is a new run under the same id, so it must not present the spent proof (it would be refused as a
 * replay): the worker signs its input again, for this new run, and the retry acts.
 */
import { describe, expect, it } from 'vitest';
import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import { call } from '../support/http.ts';
import { startedInputOf } from '../support/outsider.ts';
import { until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true, clever: true });
const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });
const proofOf = (input: unknown) => (input as { actor: { proof: string } }).actor.proof;

describe('a dead letter retried after its run spent its proof', () => {
  it('starts a run with a fresh proof, which acts', async () => {
    const appId = unique('app');
    stack.clever.state.faults = { ...defaultFaults, notFoundMs: 0, failingCommits: ['bad00002'] };
    stack.clever.state.addApp('orga_resign', appId, appId, 'aaaa0000');
    const deploy = { owner_id: 'orga_resign', app_id: appId, commit: 'bad00002', auto_rollback: false };
    expect((await platform('POST', '/v1/deploys', deploy)).status).toBe(202);
    const letter = await until('the deploy letter', async () => {
      const res = await platform('GET', `/v1/dead-letters?kind=deploy&q=${encodeURIComponent(appId)}`);
      return res.body.payload[0];
    });
    const spent = await stack.sql`select run_id from proof_nonces where workflow_id = ${letter.workflow_id}`;
    expect(spent).toEqual([{ run_id: letter.run_id }]);

    stack.clever.state.faults = { ...defaultFaults, notFoundMs: 0 };
    const retried = await platform('POST', `/v1/dead-letters/${letter.id}/retry`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    const run = stack.temporal.workflow.getHandle(retried.body.workflow_id, retried.body.run_id);

    expect(await run.result()).toMatchObject({ status: 'succeeded', commit: 'bad00002' });
    const before = proofOf(await startedInputOf(stack, letter.workflow_id, letter.run_id));
    const after = proofOf(await startedInputOf(stack, retried.body.workflow_id, retried.body.run_id));
    expect(after).not.toBe(before);
    const runs = await stack.sql`select run_id from proof_nonces where workflow_id = ${letter.workflow_id}`;
    expect(runs.map((r) => r.run_id).sort()).toEqual([letter.run_id, retried.body.run_id].sort());
  });
});
