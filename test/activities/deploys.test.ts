import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CleverClient } from '../../activities/clever-cloud/client.ts';
import { createDeployActivities } from '../../activities/deploys.ts';
import { createBreakers } from '../../activities/breaker.ts';
import { createLogger } from '../../config/logger.ts';
import { keyringOf } from '../../config/payload-keys.ts';
import { createPool, type Sql } from '../../db/pool.ts';
import { startCleverSandbox } from '../../sandbox/clever-cloud/serve.ts';
import { EncryptionCodec } from '../../workers/codec.ts';
import { unique } from '../support/stack.ts';

let sql: Sql;
let sandbox: Awaited<ReturnType<typeof startCleverSandbox>>;
let activities: ReturnType<typeof createDeployActivities>;

beforeAll(async () => {
  sql = createPool({ url: inject('databaseUrl'), max: 2 });
  sandbox = await startCleverSandbox({ consumerKey: 'ck', consumerSecret: 'cs', userTokens: {}, apiTokens: ['t'] });
  const client = new CleverClient({ apiUrl: sandbox.url, bridgeUrl: sandbox.url, auth: { kind: 'token', token: 't' } });
  const logger = createLogger({ level: 'silent' });
  // Breakers off: these tests count the calls each activity makes on its own (test/failure/breakers.test.ts covers them).
  const breakers = createBreakers({ sql, logger, settings: { enabled: false } });
  const codec = new EncryptionCodec(keyringOf(inject('payloadKeys')));
  activities = createDeployActivities({ sql, logger, client, breakers, codec });
});
afterAll(async () => {
  await sandbox.close();
  await sql.end();
});

function ref(appId: string) {
  return {
    attemptKey: unique('attempt'),
    workflowId: `deploy:o/${appId}`,
    ownerId: 'o',
    appId,
    commit: 'abcdef12',
    requestedBy: 'vitest',
  };
}

describe('startRedeploy never starts a second deployment', () => {
  it('run twice for one attempt, calls Clever Cloud once and answers the same deployment', async () => {
    const appId = unique('app');
    sandbox.state.addApp('o', appId, appId, '00000000');
    const r = ref(appId);
    const first = await activities.startRedeploy(r);
    const again = await activities.startRedeploy(r);
    expect(again).toEqual(first);
    expect(sandbox.state.find('o', appId)!.redeployCalls).toBe(1);
  });

  it('after a crash between the redeploy call and its record, adopts the deployment that call started', async () => {
    const appId = unique('app');
    sandbox.state.addApp('o', appId, appId, '00000000');
    sandbox.state.faults = { ...sandbox.state.faults, notFoundMs: 0 };
    const r = ref(appId);
    // What a worker killed right after POST /instances leaves behind: the call was sent, its answer never recorded.
    await sql`insert into deployments (attempt_key, workflow_id, owner_id, app_id, commit, requested_by, post_sent_at)
              values (${r.attemptKey}, ${r.workflowId}, 'o', ${appId}, ${r.commit}, 'vitest', now())`;
    const started = sandbox.state.redeploy(sandbox.state.find('o', appId)!, r.commit);

    const adopted = await activities.startRedeploy(r);
    expect(adopted.deploymentId).toBe(started.uuid);
    expect(sandbox.state.find('o', appId)!.redeployCalls).toBe(1);
  });

  it("while a sent call's deployment is not listed yet, waits (retryable) instead of calling again", async () => {
    const appId = unique('app');
    sandbox.state.addApp('o', appId, appId, '00000000');
    const r = ref(appId);
    await sql`insert into deployments (attempt_key, workflow_id, owner_id, app_id, commit, requested_by, post_sent_at)
              values (${r.attemptKey}, ${r.workflowId}, 'o', ${appId}, ${r.commit}, 'vitest', now())`;
    const err = await activities.startRedeploy(r).catch((e: unknown) => e);
    expect(err).toMatchObject({ type: 'DeploymentNotVisibleYet', nonRetryable: false });
    expect(sandbox.state.find('o', appId)!.redeployCalls).toBe(0);
  });
});
