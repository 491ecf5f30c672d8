/**
 * The `prune-expired-state` schedule's workflow: expired request budgets go (nothing else deleted them), and so do
 * the breakers of webhook hosts no webhook targets any more once idle, so the metrics' label set stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { workflows } from '../../contracts/workflows.ts';
import { executeWorkflow } from '../../workers/start.ts';
import { ownedSchedules, PRUNE_EXPIRED_STATE_SCHEDULE_ID } from '../../workers/schedules.ts';
import { newAccount } from '../support/fixtures.ts';
import { unique, useStack } from '../support/stack.ts';

// Its own database: the counts are of every row there.
const stack = useStack({ http: true, ownDatabase: true });

describe('pruneExpiredState', () => {
  it('deletes expired budgets and idle breakers of hosts no webhook targets, and keeps the rest', async () => {
    const now = Date.now();
    await stack.sql`insert into rate_limits (key, points, expire) values
      ('address:198.51.100.1', 5, ${now - 60_000}), ('address:198.51.100.2', 5, ${now + 600_000})`;
    const tenant = await newAccount(stack, 'prune');
    const hook = await tenant.api('POST', `/v1/accounts/${tenant.accountId}/webhooks`, {
      body: { url: 'http://127.0.0.1:9/still-here', subscriptions: ['message_created'] },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const stale = "now() - interval '2 days'";
    for (const [name, updated] of [
      ['webhook:gone.example.test:80', stale],
      ['webhook:127.0.0.1:9', stale], // a webhook still targets it
      ['webhook:recent.example.test:443', 'now()'],
      ['clever-cloud', stale], // not a webhook host's
    ])
      await stack.sql.unsafe(`insert into breakers (name, state, updated_at) values ($1, 'open', ${updated})`, [name!]);

    const pruned = await executeWorkflow(
      stack.temporal,
      workflows.pruneExpiredState,
      { key: unique('prune') },
      {
        actor: { type: 'Operator', id: 'vitest' },
      },
    );
    expect(pruned).toEqual({ rateLimits: 1, breakers: 1 });
    expect(
      (await stack.sql`select key from rate_limits where key like 'address:198.51.100.%'`).map((r) => r.key),
    ).toEqual(['address:198.51.100.2']);
    expect((await stack.sql`select name from breakers order by name`).map((r) => r.name)).toEqual([
      'clever-cloud',
      'webhook:127.0.0.1:9',
      'webhook:recent.example.test:443',
    ]);
  });

  it('runs every hour from an owned schedule', () => {
    const schedule = ownedSchedules[PRUNE_EXPIRED_STATE_SCHEDULE_ID]();
    expect(schedule.entry.type).toBe('pruneExpiredState');
    expect(schedule.everyMs).toBe(3_600_000);
  });
});
