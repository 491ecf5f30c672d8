import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBreakers } from '../../activities/breaker.ts';
import { cleverJudge } from '../../activities/deploys.ts';
import { webhookJudge } from '../../activities/deliveries.ts';
import { heartbeatJudge } from '../../activities/licensing-server.ts';
import { CleverApiError } from '../../activities/clever-cloud/client.ts';
import type { BreakerPolicy } from '../../config/catalogue.ts';
import { createLogger } from '../../config/logger.ts';
import { admitCall, breakerStates, recordFailure, recordTrialSuccess } from '../../db/breakers.ts';
import { createPool, type Sql } from '../../db/pool.ts';
import { unique } from '../support/stack.ts';

let sql: Sql;
const policy: BreakerPolicy = { failureThreshold: 5, windowMs: 60_000, openMs: 60_000, trialLeaseMs: 30_000 };
const logger = createLogger({ level: 'silent' });

beforeAll(() => {
  // Enough connections that the racing statements really run at once.
  sql = createPool({ url: inject('databaseUrl'), max: 25 });
});
afterAll(() => sql.end({ timeout: 5 }));

const stateOf = async (name: string) => (await breakerStates(sql, name))[0]!;
const times = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

/** An open breaker whose half-open instant has passed: the next caller may take the trial. */
async function dueForTrial(name: string) {
  await times(policy.failureThreshold, (i) => recordFailure(sql, name, `h${i}`, 'boom', policy));
  await sql`update breakers set half_open_at = now() - interval '1 second' where name = ${name}`;
}

describe('breaker transitions in PostgreSQL', () => {
  it('opens once when 20 failures race past the threshold', async () => {
    const name = unique('dep');
    const results = await times(20, (i) => recordFailure(sql, name, `h${i}`, `failure ${i}`, policy));
    expect(results.filter((r) => r.opened)).toHaveLength(1);
    const row = await stateOf(name);
    expect(row).toMatchObject({ state: 'open', failuresTotal: 20, openedTotal: 1 });
    expect(row.halfOpenAt!.getTime() - row.openedAt!.getTime()).toBe(policy.openMs);
  });

  it('refuses calls while open, with the time left until half-open', async () => {
    const name = unique('dep');
    await times(policy.failureThreshold, (i) => recordFailure(sql, name, `h${i}`, 'boom', policy));
    const admission = await admitCall(sql, name, 'caller', policy);
    expect(admission).toMatchObject({ admitted: false, state: 'open' });
    expect(!admission.admitted && admission.retryInMs).toBeGreaterThan(policy.openMs - 5_000);
    expect((await stateOf(name)).refusedTotal).toBe(1);
  });

  it('gives the half-open trial to exactly one of 20 concurrent callers', async () => {
    const name = unique('dep');
    await dueForTrial(name);
    const admissions = await times(20, (i) => admitCall(sql, name, `caller-${i}`, policy));
    expect(admissions.filter((a) => a.admitted)).toEqual([{ admitted: true, trial: true }]);
    expect(admissions.filter((a) => !a.admitted && a.state === 'half_open')).toHaveLength(19);
    expect(await stateOf(name)).toMatchObject({ state: 'half_open', trialsTotal: 1, refusedTotal: 19 });
  });

  it('reopens when the trial fails, and closes when the next trial succeeds', async () => {
    const name = unique('dep');
    await dueForTrial(name);
    expect(await admitCall(sql, name, 'first', policy)).toEqual({ admitted: true, trial: true });
    // A late failure of a call admitted before the breaker opened is not the trial's outcome.
    expect(await recordFailure(sql, name, 'someone-else', 'late', policy)).toEqual({
      state: 'half_open',
      opened: false,
    });
    expect(await recordFailure(sql, name, 'first', 'still down', policy)).toEqual({ state: 'open', opened: true });
    expect(await stateOf(name)).toMatchObject({ state: 'open', openedTotal: 2, lastFailure: 'still down' });

    await sql`update breakers set half_open_at = now() - interval '1 second' where name = ${name}`;
    expect(await admitCall(sql, name, 'second', policy)).toEqual({ admitted: true, trial: true });
    expect(await recordTrialSuccess(sql, name, 'not-the-holder')).toBe(false);
    expect(await recordTrialSuccess(sql, name, 'second')).toBe(true);
    expect(await stateOf(name)).toMatchObject({ state: 'closed', recentFailures: [], trialsTotal: 2 });
    expect(await admitCall(sql, name, 'third', policy)).toEqual({ admitted: true, trial: false });
  });

  it('gives the trial to another caller when its holder never reports back (lease expired)', async () => {
    const name = unique('dep');
    await dueForTrial(name);
    expect(await admitCall(sql, name, 'dies', policy)).toMatchObject({ trial: true });
    expect(await admitCall(sql, name, 'waits', policy)).toMatchObject({ admitted: false, state: 'half_open' });
    await sql`update breakers set trial_expires_at = now() - interval '1 second' where name = ${name}`;
    expect(await admitCall(sql, name, 'next', policy)).toEqual({ admitted: true, trial: true });
  });

  it('forgets failures older than the window', async () => {
    const name = unique('dep');
    await times(policy.failureThreshold - 1, (i) => recordFailure(sql, name, `h${i}`, 'boom', policy));
    await sql`update breakers set recent_failures = array(select t - interval '2 minutes' from unnest(recent_failures) t) where name = ${name}`;
    expect(await recordFailure(sql, name, 'h', 'boom', policy)).toEqual({ state: 'closed', opened: false });
    expect((await stateOf(name)).recentFailures).toHaveLength(1);
  });
});

describe('the breaker wrapper', () => {
  const breakers = () =>
    createBreakers({ sql, logger, settings: { enabled: true, override: { failureThreshold: 2, openMs: 5_000 } } });

  it('counts 5xx and no answer, never a 4xx refusal, then refuses with a retryable failure until half-open', async () => {
    const name = unique('dep');
    const b = breakers();
    const fail = (status: number) => () => Promise.reject(new CleverApiError(status, 'x', 'GET', '/'));
    for (const status of [404, 401, 409, 400])
      await expect(b.run(name, fail(status), cleverJudge)).rejects.toBeInstanceOf(CleverApiError);
    expect(await breakerStates(sql, name)).toEqual([]);

    await expect(b.run(name, fail(503), cleverJudge)).rejects.toBeInstanceOf(CleverApiError);
    await expect(b.run(name, fail(0), cleverJudge)).rejects.toBeInstanceOf(CleverApiError);
    let called = false;
    const refused = await b
      .run(name, async () => void (called = true), cleverJudge)
      .catch((err: unknown) => err as ApplicationFailure);
    expect(called).toBe(false);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: 'DependencyUnavailable', nonRetryable: false });
    expect(refused!.nextRetryDelay).toBeGreaterThan(3_000);
    expect(refused!.nextRetryDelay).toBeLessThanOrEqual(5_500);
  });

  it('lets every call through, recording nothing, when switched off', async () => {
    const name = unique('dep');
    const off = createBreakers({ sql, logger, settings: { enabled: false } });
    for (let i = 0; i < 5; i++)
      await expect(
        off.run(name, () => Promise.reject(new CleverApiError(503, 'x', 'GET', '/')), cleverJudge),
      ).rejects.toBeInstanceOf(CleverApiError);
    expect(await breakerStates(sql, name)).toEqual([]);
  });
});

describe('what counts as a dependency failure', () => {
  it('webhooks: no answer, 5xx and 429 count; other statuses and refused targets do not', () => {
    expect(webhookJudge.result!({ error: 'connect ECONNREFUSED' })).toMatch(/ECONNREFUSED/);
    expect(webhookJudge.result!({ status: 502 })).toMatch(/502/);
    expect(webhookJudge.result!({ status: 429 })).toMatch(/429/);
    for (const status of [200, 301, 400, 404, 410]) expect(webhookJudge.result!({ status })).toBeUndefined();
    expect(webhookJudge.result!({ error: 'refused before connecting', unsafe: true })).toBeUndefined();
  });

  it('licensing: no answer, 5xx and 429 count; a 401 or an oversized answer does not', () => {
    const outcome = (httpStatus: number | undefined, failureType = 'HeartbeatFailed') =>
      heartbeatJudge.result!({ httpStatus, answer: undefined, error: 'e', failureType: failureType as never });
    expect(outcome(undefined)).toBe('e');
    expect(outcome(503)).toBe('e');
    expect(outcome(429)).toBe('e');
    expect(outcome(401, 'LicenceRejected')).toBeUndefined();
    expect(outcome(undefined, 'UpstreamAnswerTooLarge')).toBeUndefined();
  });
});
