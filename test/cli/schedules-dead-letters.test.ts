import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../support/http.ts';
import { until } from '../support/receiver.ts';
import { unique, useStack } from '../support/stack.ts';
import { actorSecret } from '../../db/installation.ts';
import {
  DEAD_LETTER_RETENTION_SCHEDULE_ID,
  ASSET_GC_SCHEDULE_ID,
  ensureSchedules,
  LICENCE_SCHEDULE_ID,
  PROOF_NONCE_SCHEDULE_ID,
  ownedScheduleIds,
  DELIVERY_RETENTION_SCHEDULE_ID,
  AUDIT_RETENTION_SCHEDULE_ID,
  HEARTBEAT_RETENTION_SCHEDULE_ID,
  PRUNE_EXPIRED_STATE_SCHEDULE_ID,
} from '../../workers/schedules.ts';

const stack = useStack({ http: true });
const bin = fileURLToPath(new URL('../../bin/capstan.js', import.meta.url));

async function capstan(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, CAPSTAN_API_URL: stack.api.url, CAPSTAN_BOOTSTRAP_TOKEN: stack.platformToken };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const platform = (method: string, path: string, body?: unknown) =>
  call(stack.api.url, method, path, { token: stack.platformToken, body });

/** A letter as the interceptor would write it, aged as asked (its sealed input is not needed here). */
async function insertLetter(message: string, ageDays: number): Promise<number> {
  const [row] = await stack.sql<{ id: number }[]>`
    insert into dead_letters (kind, workflow_type, task_queue, workflow_id, run_id, input_redacted, input_sealed,
                              failure_type, failure_message, first_failure_at, last_failure_at, web_ui_path)
    values ('licenceHeartbeat', 'licenceHeartbeat', 'capstan-core', ${unique('wf')}, ${unique('run')}, '[]', '\\x00',
            'HeartbeatFailed', ${message}, now() - make_interval(days => ${ageDays}), now() - make_interval(days => ${ageDays}), '/x')
    returning id`;
  return row!.id;
}

afterAll(async () => {
  for (const id of ownedScheduleIds)
    await stack.temporal.schedule
      .getHandle(id)
      .delete()
      .catch(() => {});
});

describe('schedules', () => {
  it('the registry creates each schedule once and brings changed settings up to date', async () => {
    const settings = { heartbeatIntervalMs: 3_600_000, deadLetterRetentionDays: 30, assetGcIntervalMs: 21_600_000 };
    const secret = await actorSecret(stack.sql);
    await ensureSchedules(stack.temporal, settings, secret);
    expect(await ensureSchedules(stack.temporal, settings, secret)).toEqual({
      [LICENCE_SCHEDULE_ID]: 'unchanged',
      [DEAD_LETTER_RETENTION_SCHEDULE_ID]: 'unchanged',
      [ASSET_GC_SCHEDULE_ID]: 'unchanged',
      [PROOF_NONCE_SCHEDULE_ID]: 'unchanged',
      [PRUNE_EXPIRED_STATE_SCHEDULE_ID]: 'unchanged',
      [DELIVERY_RETENTION_SCHEDULE_ID]: 'unchanged',
      [AUDIT_RETENTION_SCHEDULE_ID]: 'unchanged',
      [HEARTBEAT_RETENTION_SCHEDULE_ID]: 'unchanged',
    });
    // The audit log is kept unless a retention is set: the audit-log licence feature promises it.
    const audit = await stack.temporal.schedule.getHandle(AUDIT_RETENTION_SCHEDULE_ID).describe();
    expect(audit.action.type === 'startWorkflow' && audit.action.args?.[0]).toMatchObject({
      target: 'audit_log',
      retentionDays: null,
    });
    const changed = await ensureSchedules(stack.temporal, { ...settings, deadLetterRetentionDays: 7 }, secret);
    expect(changed[DEAD_LETTER_RETENTION_SCHEDULE_ID]).toBe('updated');
    const described = await stack.temporal.schedule.getHandle(DEAD_LETTER_RETENTION_SCHEDULE_ID).describe();
    // Signed by the registry for this schedule, type and input (workers/schedules.ts).
    expect(described.action.type === 'startWorkflow' && described.action.args).toEqual([
      {
        retentionDays: 7,
        actor: { type: 'Operator', id: 'schedule:dead-letter-retention', proof: expect.stringMatching(/^s1\./) },
      },
    ]);
  });

  it('capstan schedules list|pause|unpause|trigger: audited; a triggered retention run deletes only old letters', async () => {
    const listed = await capstan('schedules', 'list');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${LICENCE_SCHEDULE_ID}\\s+active`));
    expect(listed.stdout).toMatch(new RegExp(`${DEAD_LETTER_RETENTION_SCHEDULE_ID}\\s+active`));

    const reason = unique('maintenance');
    const paused = await capstan('schedules', 'pause', DEAD_LETTER_RETENTION_SCHEDULE_ID, '--reason', reason);
    expect(paused.code, paused.stderr).toBe(0);
    const handle = stack.temporal.schedule.getHandle(DEAD_LETTER_RETENTION_SCHEDULE_ID);
    expect((await handle.describe()).state.paused).toBe(true);
    expect((await platform('GET', '/v1/schedules')).body.payload).toContainEqual(
      expect.objectContaining({
        id: DEAD_LETTER_RETENTION_SCHEDULE_ID,
        paused: true,
        workflow_type: 'purgeDeadLetters',
      }),
    );
    const audits = await stack.sql<{ actor_type: string }[]>`
      select actor_type from audit_log where action = 'schedule.pause' and details->>'reason' = ${reason}`;
    expect(audits).toEqual([{ actor_type: 'PlatformApp' }]);
    expect((await capstan('schedules', 'unpause', DEAD_LETTER_RETENTION_SCHEDULE_ID)).code).toBe(0);
    expect((await handle.describe()).state.paused).toBe(false);

    const old = await insertLetter('old failure', 40);
    const fresh = await insertLetter('fresh failure', 1);
    const triggered = await capstan('schedules', 'trigger', DEAD_LETTER_RETENTION_SCHEDULE_ID, '--reason', 'test');
    expect(triggered.code, triggered.stderr).toBe(0);
    await until('the old letter to go', async () => {
      const [row] = await stack.sql`select 1 from dead_letters where id = ${old}`;
      return !row;
    });
    expect(await stack.sql`select id from dead_letters where id = ${fresh}`).toHaveLength(1);
  });

  it('the API refuses schedules Capstan does not own and backfills without a range', async () => {
    expect((await platform('POST', '/v1/schedules/not-ours/pause', {})).status).toBe(404);
    expect((await platform('POST', `/v1/schedules/${LICENCE_SCHEDULE_ID}/backfill`, {})).status).toBe(422);
    const now = Date.now();
    const backfill = await capstan(
      'schedules',
      'backfill',
      DEAD_LETTER_RETENTION_SCHEDULE_ID,
      '--from',
      new Date(now - 3 * 86_400_000).toISOString(),
      '--to',
      new Date(now - 86_400_000).toISOString(),
    );
    expect(backfill.code, backfill.stderr).toBe(0);
  });
});

describe('capstan dead-letters', () => {
  it('lists by search, shows one, discards with a reason; retry-all with no match retries nothing', async () => {
    const word = unique('quirk').replace('-', '');
    const id = await insertLetter(`receiver answered 503 ${word}`, 0);
    const listed = await capstan('dead-letters', 'list', '--search', word);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+open\\s+licenceHeartbeat`, 'm'));
    expect(listed.stdout.trim().split('\n')).toHaveLength(2);

    const shown = await capstan('dead-letters', 'show', String(id));
    expect(JSON.parse(shown.stdout)).toMatchObject({ id, failure_message: `receiver answered 503 ${word}` });

    const none = await capstan('dead-letters', 'retry-all', '--search', `${word}nomatch`);
    expect(none.stdout).toMatch(/0 letter\(s\) retried/);

    const discarded = await capstan('dead-letters', 'discard', String(id), '--reason', 'known outage');
    expect(discarded.code, discarded.stderr).toBe(0);
    expect(discarded.stdout).toMatch(new RegExp(`^${id}\\s+discarded`, 'm'));
    expect((await capstan('dead-letters', 'discard', String(id))).code).not.toBe(0); // --reason is required
  });
});
