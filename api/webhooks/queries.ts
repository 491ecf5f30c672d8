import type { Sql } from '../../db/pool.ts';

interface WebhookRow {
  id: number;
  account_id: number;
  name: string | null;
  url: string;
  subscriptions: string[];
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  secret: string;
}

export function listWebhooks(sql: Sql, accountId: number) {
  return sql<WebhookRow[]>`
    select id, account_id, name, url, subscriptions, status, disabled_reason, secret from webhooks where account_id = ${accountId} order by id`;
}

export async function findWebhook(sql: Sql, accountId: number, webhookId: number): Promise<WebhookRow | undefined> {
  const [row] = await sql<WebhookRow[]>`
    select id, account_id, name, url, subscriptions, status, disabled_reason, secret from webhooks where account_id = ${accountId} and id = ${webhookId}`;
  return row;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

export interface DeliveryFilter {
  webhookId: number;
  status?: string;
  before?: number;
  limit: number;
}

/** Deliveries newest first; `seq` (creation order) is the cursor. Unawaited: test/api/query-plans.test.ts explains it. */
export function deliveriesQuery(sql: Sql, q: DeliveryFilter) {
  return sql<
    {
      id: string;
      seq: number;
      event: string;
      status: string;
      attempts: number;
      last_error: string | null;
      created_at: Date;
      finished_at: Date | null;
      workflow_id: string;
    }[]
  >`
    select id, seq, event, status, attempts, last_error, created_at, finished_at, workflow_id from webhook_deliveries
     where webhook_id = ${q.webhookId}
       ${q.status ? sql`and status = ${q.status}` : sql``}
       ${q.before ? sql`and seq < ${q.before}` : sql``}
     order by seq desc limit ${q.limit}`;
}

export async function listDeliveries(sql: Sql, q: DeliveryFilter) {
  const rows = await deliveriesQuery(sql, q);
  return rows.map((r) => ({ ...r, created_at: iso(r.created_at), finished_at: iso(r.finished_at) }));
}

export async function findDelivery(sql: Sql, accountId: number, webhookId: number, deliveryId: string) {
  const [d] = await sql<
    {
      id: string;
      event: string;
      status: string;
      attempts: number;
      last_error: string | null;
      payload: unknown;
      created_at: Date;
      finished_at: Date | null;
      workflow_id: string;
    }[]
  >`
    select id, event, status, attempts, last_error, payload, created_at, finished_at, workflow_id from webhook_deliveries
     where id = ${deliveryId} and webhook_id = ${webhookId} and account_id = ${accountId}`;
  if (!d) return undefined;
  const attempts = await sql<
    { attempt: number; status_code: number | null; duration_ms: number; error: string | null; started_at: Date }[]
  >`
    select attempt, status_code, duration_ms, error, started_at from webhook_attempts where delivery_id = ${deliveryId} order by attempt, id`;
  return {
    ...d,
    created_at: iso(d.created_at),
    finished_at: iso(d.finished_at),
    attempts_log: attempts.map((a) => ({ ...a, started_at: iso(a.started_at) })),
  };
}
