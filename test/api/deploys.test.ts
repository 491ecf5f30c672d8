import { describe, expect, it } from 'vitest';
import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import { call } from '../support/http.ts';
import { until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ clever: true, http: true });
const api = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });

describe('deploy API', () => {
  it('POST starts a deploy (202 + Location), a second one while it runs gets 409, GET follows it to the end', async () => {
    stack.clever.state.faults = { ...defaultFaults, deployDurationMs: 1_500, notFoundMs: 0 };
    const appId = unique('app');
    stack.clever.state.addApp('orga_api', appId, appId, 'aaaa0000');

    const [first, second] = await Promise.all([
      api('POST', '/v1/deploys', { owner_id: 'orga_api', app_id: appId, commit: 'abcd1234' }),
      api('POST', '/v1/deploys', { owner_id: 'orga_api', app_id: appId, commit: 'abcd1234' }),
    ]);
    const [started, refused] = first.status === 202 ? [first, second] : [second, first];
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/v1/deploys/orga_api:${appId}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ workflowId: `deploy:orga_api/${appId}`, runId: started.body.run_id });

    const done = await until('the deploy to finish', async () => {
      const res = await api('GET', `/v1/deploys/orga_api:${appId}`);
      return res.body.status === 'COMPLETED' && res.body;
    });
    expect(done.outcome).toMatchObject({ status: 'succeeded', commit: 'abcd1234' });
    expect(done.progress).toMatchObject({ phase: 'done', state: 'OK' });
    expect(stack.clever.state.find('orga_api', appId)!.redeployCalls).toBe(1);

    const history = await api('GET', `/v1/apps/${appId}/deploys?owner_id=orga_api`);
    expect(history.body.payload).toHaveLength(1);
    expect(history.body.payload[0]).toMatchObject({ commit: 'abcd1234', outcome: 'OK' });
  });

  it('cancel stops a running deploy and cancels its Clever Cloud deployment', async () => {
    stack.clever.state.faults = { ...defaultFaults, deployOutcome: 'never', notFoundMs: 0 };
    const appId = unique('app');
    stack.clever.state.addApp('orga_api', appId, appId, 'aaaa0000');
    expect((await api('POST', '/v1/deploys', { owner_id: 'orga_api', app_id: appId, commit: 'beef0001' })).status).toBe(
      202,
    );
    await until('the deployment to start', () => stack.clever.state.find('orga_api', appId)!.deployments.length > 0);

    expect((await api('POST', `/v1/deploys/orga_api:${appId}/cancel`)).status).toBe(202);
    const done = await until('the deploy to end', async () => {
      const res = await api('GET', `/v1/deploys/orga_api:${appId}`);
      return res.body.status === 'COMPLETED' && res.body;
    });
    expect(done.outcome.status).toBe('cancelled');
    expect(stack.clever.state.find('orga_api', appId)!.deployments[0]!.cancelled).toBe(true);
  });

  it('refuses bad input and unknown deploys with problem bodies', async () => {
    expect((await api('POST', '/v1/deploys', { owner_id: 'orga api', app_id: 'x' })).status).toBe(422);
    expect((await api('POST', '/v1/deploys', { owner_id: 'o', app_id: 'x', commit: 'not-a-sha' })).status).toBe(422);
    expect((await api('GET', '/v1/deploys/orga_api:never-deployed')).status).toBe(404);
    expect((await api('GET', '/v1/deploys/no-colon')).status).toBe(422);
  });
});
