import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openEnv } from '../../activities/sealed-input.ts';
import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import { startDeploy } from '../../workers/start-deploy.ts';
import { workflowHandle } from '../../workers/start.ts';
import { workflows } from '../../contracts/workflows.ts';
import { call } from '../support/http.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true, clever: true });

/**
 * Finding: `deployments.env_changes` / `env_before` kept Clever Cloud environment values in
 * clear. A deploy that sets variables (as `capstan deploy --env` does) now leaves their names
 * readable and their values sealed with the payload keys; no answer of the API shows them.
 */
describe('deploy env values in clear', () => {
  it('a deploy with environment changes stores the names, and values only the payload keys open', async () => {
    stack.clever.state.faults = { ...defaultFaults, deployDurationMs: 200, notFoundMs: 0 };
    const appId = unique('app');
    stack.clever.state.addApp('orga_env', appId, appId, 'aaaa1111');
    const [keyBase, redisPassword, oldRedisPassword] = [32, 12, 12].map((n) => randomBytes(n).toString('hex'));
    const before = `redis://:${oldRedisPassword}@cache-old:6379/0`;
    stack.clever.state.find('orga_env', appId)!.env.set('REDIS_URL', before);
    const env = { SECRET_KEY_BASE: keyBase!, REDIS_URL: `redis://:${redisPassword}@cache:6379/0`, OLD_FLAG: null };
    const secrets = [keyBase!, redisPassword!, oldRedisPassword!];
    const target = { ownerId: 'orga_env', appId };
    const started = await startDeploy(stack.temporal, {
      ...target,
      commit: 'bbbb2222',
      env,
      pollIntervalMs: 100,
      deadlineMs: 20_000,
      actor: { type: 'Operator', id: 'vitest' },
    });
    expect(started.outcome).toBe('started');
    expect(await workflowHandle(stack.temporal, workflows.deployApplication, target).result()).toMatchObject({
      status: 'succeeded',
    });

    const [row] = await stack.sql<{ env_changes: Record<string, unknown>; env_before: Record<string, unknown> }[]>`
      select env_changes, env_before from deployments where app_id = ${appId}`;
    const stored = JSON.stringify(row);
    for (const secret of secrets) expect(stored).not.toContain(secret);
    expect(Object.keys(row!.env_changes).sort()).toEqual(['OLD_FLAG', 'REDIS_URL', 'SECRET_KEY_BASE']);
    expect(row!.env_changes.OLD_FLAG).toBeNull();
    expect(await openEnv(stack.access.codec, row!.env_changes)).toEqual(env);
    expect(await openEnv(stack.access.codec, row!.env_before)).toEqual({
      SECRET_KEY_BASE: null,
      REDIS_URL: before,
      OLD_FLAG: null,
    });

    const listed = await call(stack.api.url, 'GET', `/v1/apps/${appId}/deploys?owner_id=orga_env`, {
      token: stack.platformToken,
    });
    expect(listed.status).toBe(200);
    expect(listed.body.payload).toHaveLength(1);
    const shown = JSON.stringify(listed.body);
    for (const secret of secrets) expect(shown).not.toContain(secret);
  });

  it('a row written before values were sealed keeps its names, and its clear values are gone after the migration', async () => {
    const secret = randomBytes(16).toString('hex');
    const appId = unique('app');
    await stack.sql`
      insert into deployments (attempt_key, workflow_id, owner_id, app_id, commit, requested_by, env_changes, env_before)
      values (${unique('attempt')}, ${unique('wf')}, 'orga_env', ${appId}, 'cccc3333', 'Operator:vitest',
              ${stack.sql.json({ SECRET_KEY_BASE: secret, GONE: null })}, ${stack.sql.json({ SECRET_KEY_BASE: `old-${secret}` })})`;
    const migration = new URL('../../db/migrations/0019_secrets_at_rest.js', import.meta.url).href;
    const { up: scrubLegacyValues } = (await import(migration)) as { up: (sql: typeof stack.sql) => Promise<void> };
    await scrubLegacyValues(stack.sql);
    const [row] = await stack.sql<{ env_changes: Record<string, unknown>; env_before: Record<string, unknown> }[]>`
      select env_changes, env_before from deployments where app_id = ${appId}`;
    expect(row).toEqual({
      env_changes: { SECRET_KEY_BASE: '[redacted]', GONE: null },
      env_before: { SECRET_KEY_BASE: '[redacted]' },
    });
  });
});
