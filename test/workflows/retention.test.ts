/**
 * The retention schedules' workflow (`pruneRetained`): rows past retention go, rows within it stay, nothing else is
 * touched, and a row that still deduplicates work stays whatever its age (docs/scale.md, "Retention").
 */
import { describe, expect, it } from 'vitest';
import type { RetainedTable } from '../../contracts/retention.ts';
import { workflows } from '../../contracts/workflows.ts';
import { executeWorkflow } from '../../workers/start.ts';
import { unique, useStack } from '../support/stack.ts';

// Its own database: the counts are of every row there.
const stack = useStack({ ownDatabase: true });
const DAY = 86_400_000;

const prune = (target: RetainedTable, retentionDays: number | null) =>
  executeWorkflow(
    stack.temporal,
    workflows.pruneRetained,
    { key: unique('retention') },
    // Batches of 2: the run loops over several.
    { target, retentionDays, batch: 2, actor: { type: 'Operator', id: 'vitest' } },
  );

async function account(): Promise<{ accountId: number; webhookId: number }> {
  const [a] = await stack.ownerSql<[{ id: number }]>`insert into accounts (name) values ('Retention') returning id`;
  const [w] = await stack.ownerSql<[{ id: number }]>`
    insert into webhooks (account_id, url, subscriptions, secret) values (${a!.id}, 'http://127.0.0.1:9/h', '{message_created}', 's')
    returning id`;
  return { accountId: a!.id, webhookId: w!.id };
}

const ago = (days: number) => new Date(Date.now() - days * DAY);

async function delivery(
  at: { accountId: number; webhookId: number },
  label: string,
  finishedDaysAgo: number | null,
): Promise<string> {
  const [d] = await stack.ownerSql<[{ id: string }]>`
    insert into webhook_deliveries (id, webhook_id, account_id, event, payload, status, workflow_id, source_key, created_at, finished_at)
    values (md5(${label})::uuid, ${at.webhookId}, ${at.accountId}, 'message_created', '{}',
            ${finishedDaysAgo === null ? 'pending' : 'delivered'}, 'delivery:' || md5(${label})::uuid, ${`source:${label}`},
            ${ago(finishedDaysAgo ?? 0)}, ${finishedDaysAgo === null ? null : ago(finishedDaysAgo)})
    returning id`;
  await stack.ownerSql`
    insert into webhook_attempts (delivery_id, attempt, status_code, duration_ms, started_at) values (${d!.id}, 1, 200, 5, now())`;
  return d!.id;
}

async function deadLetter(workflowId: string, status: 'open' | 'discarded'): Promise<void> {
  await stack.ownerSql`
    insert into dead_letters (kind, workflow_type, task_queue, workflow_id, run_id, input_redacted, input_sealed,
                              failure_type, failure_message, web_ui_path, status, last_failure_at)
    values ('webhook', 'deliverWebhook', 'capstan-core', ${workflowId}, ${unique('run')}, '[]', '\\x00', 'Failed', 'failed',
            '/x', ${status}, now())`;
}

const ids = async (table: string) =>
  (await stack.ownerSql.unsafe<{ id: string }[]>(`select id::text from ${table} order by id`)).map((r) => r.id);

describe('pruneRetained', () => {
  it('deletes finished deliveries past retention with their attempts, and keeps any a retry could still present', async () => {
    const at = await account();
    const old = await Promise.all(['old-1', 'old-2', 'old-3'].map((l) => delivery(at, l, 40)));
    const recent = await delivery(at, 'recent', 10);
    const pending = await delivery(at, 'pending', null); // created long ago, never finished
    const guardedByRetry = await delivery(at, 'dead-lettered', 40);
    await deadLetter(`delivery:${guardedByRetry}`, 'open');
    const guardedBySource = await delivery(at, 'source-dead-lettered', 40);
    await deadLetter('source:source-dead-lettered', 'open');
    const discarded = await delivery(at, 'discarded-letter', 40);
    await deadLetter(`delivery:${discarded}`, 'discarded');
    const lettersBefore = await ids('dead_letters');

    const result = await prune('webhook_deliveries', 30);

    expect(result.deleted).toBe(4);
    const kept = [recent, pending, guardedByRetry, guardedBySource].sort();
    expect(await ids('webhook_deliveries')).toEqual(kept);
    const [{ orphans }] = await stack.ownerSql<[{ orphans: number }]>`
      select count(*)::int as orphans from webhook_attempts where delivery_id <> all(${kept}::uuid[])`;
    expect(orphans).toBe(0);
    expect(old.every((id) => !kept.includes(id))).toBe(true);
    // Nothing else touched: the letters, the webhook, the account.
    expect(await ids('dead_letters')).toEqual(lettersBefore);
    expect(await ids('webhooks')).toEqual([String(at.webhookId)]);
    // The metric's running total.
    const [total] = await stack.ownerSql<[{ rows: number }]>`
      select rows_deleted as rows from retention_totals where target = 'webhook_deliveries'`;
    expect(Number(total!.rows)).toBe(4);
  });

  it('keeps every audit row unless a retention is set, then never one an open dead letter’s workflow id guards', async () => {
    const at = await account();
    const row = async (workflowId: string | null, daysAgo: number) => {
      const [r] = await stack.ownerSql<[{ id: number }]>`
        insert into audit_log (account_id, actor_type, actor_id, action, workflow_id, created_at)
        values (${at.accountId}, 'User', '1', 'conversation.status_changed', ${workflowId}, ${ago(daysAgo)}) returning id`;
      return String(r!.id);
    };
    const before = await ids('audit_log');
    const oldPlain = await row(null, 400);
    const oldOnce = await row('status:1:k1', 400);
    const guarded = await row('status:1:k2', 400);
    await deadLetter('status:1:k2', 'open');
    const recent = await row('status:1:k3', 100);

    expect(await prune('audit_log', null)).toMatchObject({ deleted: 0, before: null });
    expect(await ids('audit_log')).toEqual([...before, oldPlain, oldOnce, guarded, recent]);

    const result = await prune('audit_log', 365);
    expect(result.deleted).toBe(2);
    expect(await ids('audit_log')).toEqual([...before, guarded, recent]);
  });

  it('never goes below the floor: Temporal’s namespace retention and a day', async () => {
    const at = await account();
    const { floorDays } = await prune('webhook_deliveries', 1);
    expect(floorDays).toBeGreaterThanOrEqual(2);
    const withinFloor = await delivery(at, 'within-floor', floorDays! - 0.5);
    const pastFloor = await delivery(at, 'past-floor', floorDays! + 0.5);

    const result = await prune('webhook_deliveries', 1);

    expect(result.floorDays).toBe(floorDays);
    const left = await ids('webhook_deliveries');
    expect(left).toContain(withinFloor);
    expect(left).not.toContain(pastFloor);
  });
});
