import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openArgs } from '../../activities/sealed-input.ts';
import { defaultFaults } from '../../sandbox/clever-cloud/state.ts';
import { startDeploy } from '../../workers/start-deploy.ts';
import { call } from '../support/http.ts';
import { until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';

const stack = useStack({ http: true, clever: true });
const platform = (method: string, path: string) => call(stack.api.url, method, path, { token: stack.platformToken });
const hex = (n: number) => randomBytes(n).toString('hex');

/**
 * Finding: dead-letter redaction went by a short list of field names, so an input holding
 * SECRET_KEY_BASE, SESSION_KEY, SENTRY_DSN, REDIS_URL or the actor's proof was stored and
 * served (`GET /v1/dead-letters/{id}`) in clear. Letters now go through the logs' rule.
 */
describe('dead letter keeps secrets', () => {
  it('a failed deploy whose input holds secrets at depth is stored and served with names only, and no proof', async () => {
    stack.clever.state.faults = {
      ...defaultFaults,
      deployDurationMs: 100,
      notFoundMs: 0,
      failingCommits: ['dead0001'],
    };
    const appId = unique('app');
    stack.clever.state.addApp('orga_dl', appId, appId, 'aaaa1111');
    const secrets = [hex(32), hex(16), hex(16), hex(12)];
    const env = {
      SECRET_KEY_BASE: secrets[0]!,
      SESSION_KEY: secrets[1]!,
      SENTRY_DSN: `https://${secrets[2]}@sentry.example/4`,
      REDIS_URL: `redis://:${secrets[3]}@cache:6379/0`,
      MODE: 'plain',
    };
    const started = await startDeploy(stack.temporal, {
      ownerId: 'orga_dl',
      appId,
      commit: 'dead0001',
      env,
      autoRollback: false,
      pollIntervalMs: 100,
      deadlineMs: 20_000,
      actor: { type: 'Operator', id: 'vitest' },
    });
    expect(started.outcome).toBe('started');
    const found = await until(
      'the dead letter',
      async () =>
        (await platform('GET', `/v1/dead-letters?kind=deploy&q=${encodeURIComponent(appId)}`)).body.payload?.[0],
      45_000,
    );

    const [row] = await stack.sql<{ input_redacted: unknown }[]>`
      select input_redacted from dead_letters where id = ${found.id}`;
    const shown = await platform('GET', `/v1/dead-letters/${found.id}`);
    expect(shown.status).toBe(200);
    for (const kept of [row!.input_redacted, shown.body.input]) {
      const text = JSON.stringify(kept);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(kept).toMatchObject([
        {
          appId,
          env: {
            SECRET_KEY_BASE: '[redacted]',
            SESSION_KEY: '[redacted]',
            SENTRY_DSN: '[redacted]',
            REDIS_URL: '[redacted]',
            MODE: '[redacted]',
          },
          actor: { type: 'Operator', id: 'vitest', proof: '[redacted]' },
        },
      ]);
    }
    // The run did carry a proof: the letter censored it, it was not missing to begin with.
    const history = await stack.temporal.workflow.getHandle(found.workflow_id, found.run_id).fetchHistory();
    const startInput = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const [decoded] = await stack.access.codec.decode([startInput!]);
    expect(JSON.parse(Buffer.from(decoded!.data!).toString())).toMatchObject({ actor: { proof: expect.any(String) } });
    // Nor does the sealed copy a retry opens keep it: the retry is signed afresh.
    const [sealed] = await stack.sql<{ input_sealed: Uint8Array }[]>`
      select input_sealed from dead_letters where id = ${found.id}`;
    const [opened] = (await openArgs(stack.access.codec, sealed!.input_sealed)) as [{ actor: object; env: object }];
    expect(opened.actor).toEqual({ type: 'Operator', id: 'vitest' });
    expect(opened.env).toEqual(env);
  });

  it('a letter recorded under the older, narrower rule is censored at rest by the migration and served redacted', async () => {
    const secret = hex(24);
    const input = [
      {
        env: { SECRET_KEY_BASE: secret, GONE: null },
        deep: { config: { SECRET_KEY_BASE: secret, REDIS_URL: `redis://:${secret}@c:1` } },
        actor: { type: 'User', id: '7', proof: secret },
      },
    ];
    const [letter] = await stack.sql<{ id: number }[]>`
      insert into dead_letters (kind, workflow_type, task_queue, workflow_id, run_id, input_redacted, input_sealed,
                                failure_type, failure_message, web_ui_path)
      values ('deploy', 'deployApplication', 'capstan-deploy', ${unique('wf')}, ${unique('run')}, ${stack.sql.json(input)},
              '\\x00', 'DeployFailed', 'old letter', '/x')
      returning id`;
    const migration = new URL('../../db/migrations/0019_secrets_at_rest.js', import.meta.url).href;
    const { up: censorAtRest } = (await import(migration)) as { up: (sql: typeof stack.sql) => Promise<void> };
    await censorAtRest(stack.sql);
    const [row] = await stack.sql<
      { input_redacted: any }[]
    >`select input_redacted from dead_letters where id = ${letter!.id}`;
    expect(row!.input_redacted[0].env).toEqual({ SECRET_KEY_BASE: '[redacted]', GONE: null });
    expect(row!.input_redacted[0].actor).toEqual({ type: 'User', id: '7', proof: '[redacted]' });

    const shown = await platform('GET', `/v1/dead-letters/${letter!.id}`);
    expect(shown.status).toBe(200);
    expect(JSON.stringify(shown.body)).not.toContain(secret);
    expect(shown.body.input).toEqual([
      {
        env: { SECRET_KEY_BASE: '[redacted]', GONE: null },
        deep: { config: { SECRET_KEY_BASE: '[redacted]', REDIS_URL: '[redacted]' } },
        actor: { type: 'User', id: '7', proof: '[redacted]' },
      },
    ]);
  });
});
