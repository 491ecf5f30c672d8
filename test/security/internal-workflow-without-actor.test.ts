/**
 * Finding: purgeDeadLetters and collectAssetGarbage ran for anyone who reached Temporal, with no actor
 * at all: a retention of one day, or a garbage collection keeping nothing, was one `workflow start` away.
 * Their runs now carry an actor signed by the schedule registry, for that schedule, type and input.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskQueues } from '../../config/catalogue.ts';
import { workflows } from '../../contracts/workflows.ts';
import { actorSecret } from '../../db/installation.ts';
import { DEAD_LETTER_RETENTION_SCHEDULE_ID } from '../../workers/schedules.ts';
import type { RunningWorkers } from '../../workers/run.ts';
import { signSchedule } from '../../domain/actor-proof.ts';
import { testAssetSettings } from '../support/assets.ts';
import { failureOf, outsider } from '../support/outsider.ts';
import { startStackWorkers, useStack } from '../support/stack.ts';

const stack = useStack({ worker: false, ownDatabase: true });
let workers: RunningWorkers;
let assets: Awaited<ReturnType<typeof testAssetSettings>>;
beforeAll(async () => {
  assets = await testAssetSettings('fs', tmpdir());
  workers = await startStackWorkers(stack, { assets: assets.settings });
});
afterAll(async () => {
  await workers?.shutdown();
  await assets?.close();
});

const start = (type: string, taskQueue: string, input: unknown, workflowId = `${type}:${randomUUID()}`) =>
  failureOf(outsider(stack).workflow.execute(type, { workflowId, taskQueue, args: [input] }));

/** A dead letter whose last failure is a year old: the first thing a purge deletes. */
async function oldLetter(): Promise<number> {
  const [row] = await stack.sql<{ id: number }[]>`
    insert into dead_letters (kind, workflow_type, task_queue, workflow_id, run_id, input_redacted, input_sealed,
                              failure_type, failure_message, web_ui_path, first_failure_at, last_failure_at)
    values ('workflow', 'addMember', 'capstan-core', ${`member:${randomUUID()}`}, ${randomUUID()}, '[]', '\\x00',
            'Unexpected', 'old', '/', now() - interval '1 year', now() - interval '1 year')
    returning id`;
  return row!.id;
}
const letterExists = async (id: number) => (await stack.sql`select 1 from dead_letters where id = ${id}`).length === 1;

describe('internal destructive workflows started directly on Temporal', () => {
  it('purgeDeadLetters without an actor is refused and deletes nothing', async () => {
    const letter = await oldLetter();
    const failure = await start(workflows.purgeDeadLetters.type, taskQueues.core, { retentionDays: 1 });
    expect(failure).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    expect(await letterExists(letter)).toBe(true);
  });

  it("purgeDeadLetters with the schedule's signed input moved to another retention, or to a run the schedule did not name, is refused", async () => {
    const letter = await oldLetter();
    const secret = await actorSecret(stack.sql);
    const scheduleId = DEAD_LETTER_RETENTION_SCHEDULE_ID;
    const signed = { retentionDays: 30, actor: { type: 'Operator', id: `schedule:${scheduleId}` } };
    const proof = signSchedule(secret, scheduleId, workflows.purgeDeadLetters.type, signed);
    const scheduledRun = `${scheduleId}-workflow-2026-01-01T00:00:00Z`;
    const copied = { ...signed, actor: { ...signed.actor, proof } };

    const otherRetention = await start(
      workflows.purgeDeadLetters.type,
      taskQueues.core,
      { ...copied, retentionDays: 1 },
      scheduledRun,
    );
    expect(otherRetention).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    const otherSchedule = await start(
      workflows.purgeDeadLetters.type,
      taskQueues.core,
      copied,
      `my-schedule-workflow-2026-01-01T00:00:00Z`,
    );
    expect(otherSchedule).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    expect(await letterExists(letter)).toBe(true);

    // The very input under a run id the schedule names is what the schedule does itself: it runs.
    const ok = await outsider(stack).workflow.execute(workflows.purgeDeadLetters.type, {
      workflowId: scheduledRun.replace('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z'),
      taskQueue: taskQueues.core,
      args: [copied],
    });
    expect(ok).toMatchObject({ deleted: expect.any(Number) });
    expect(await letterExists(letter)).toBe(false);
  });

  it('a licence heartbeat without an actor is refused before it reports anything', async () => {
    const failure = await start(workflows.licenceHeartbeat.type, taskQueues.core, {});
    expect(failure).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    expect(await stack.sql`select 1 from licence_heartbeats`).toHaveLength(0);
  });

  it('pruneExpiredState without an actor is refused before it deletes a request budget', async () => {
    await stack.sql`insert into rate_limits (key, points, expire) values ('address:203.0.113.77', 1, ${Date.now() - 3_600_000})`;
    const failure = await start(workflows.pruneExpiredState.type, taskQueues.core, {});
    expect(failure).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    expect(await stack.sql`select 1 from rate_limits where key = 'address:203.0.113.77'`).toHaveLength(1);
  });

  it('collectAssetGarbage without an actor (keep nothing) is refused before it marks any build', async () => {
    const [build] = await stack.sql<{ id: number }[]>`
      insert into asset_builds (source_hash, entries, status, created_at, ready_at)
      values (${randomUUID()}, '{}', 'ready', now() - interval '1 year', now() - interval '1 year') returning id`;
    const failure = await start(workflows.collectAssetGarbage.type, taskQueues.assets, {
      keepPrevious: 0,
      keepYoungerThanMs: 0,
    });
    expect(failure).toMatchObject({ type: 'Forbidden', nonRetryable: true });
    const [row] = await stack.sql`select status from asset_builds where id = ${build!.id}`;
    expect(row).toMatchObject({ status: 'ready' });
  });
});
