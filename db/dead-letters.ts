import type { Sql, TransactionSql } from './pool.ts';

/** Which letters: the shape of contracts/dead-letters.ts `deadLetterFilter` (db/ does not import contracts/). */
export interface DeadLetterFilter {
  kind?: string;
  accountId?: number;
  since?: string;
  until?: string;
  q?: string;
}

/** Every status a dead letter can have (the check constraint of dead_letters). */
export const deadLetterStatuses = ['open', 'retried', 'discarded'] as const;

export interface DeadLetterRow {
  id: number;
  kind: string;
  workflow_type: string;
  workflow_id: string;
  run_id: string;
  account_id: number | null;
  app_id: string | null;
  business_ids: Record<string, string | number>;
  input_redacted: unknown;
  failure_type: string;
  failure_message: string;
  attempts: number;
  first_failure_at: Date;
  last_failure_at: Date;
  web_ui_path: string;
  status: (typeof deadLetterStatuses)[number];
  retried_by: string | null;
  retried_at: Date | null;
  retry_workflow_id: string | null;
  retry_run_id: string | null;
  discard_reason: string | null;
  discarded_by: string | null;
  discarded_at: Date | null;
}

const columns = (sql: Sql | TransactionSql) =>
  sql`id, kind, workflow_type, workflow_id, run_id, account_id, app_id, business_ids, input_redacted, failure_type,
      failure_message, attempts, first_failure_at, last_failure_at, web_ui_path, status, retried_by, retried_at,
      retry_workflow_id, retry_run_id, discard_reason, discarded_by, discarded_at`;

/** The filter as SQL conditions; `q` is a web-search query over the failure (type, message, workflow id, kind). */
function matching(sql: Sql | TransactionSql, f: DeadLetterFilter & { status?: string }) {
  return sql`true
    ${f.status ? sql`and status = ${f.status}` : sql``}
    ${f.kind ? sql`and kind = ${f.kind}` : sql``}
    ${f.accountId ? sql`and account_id = ${f.accountId}` : sql``}
    ${f.since ? sql`and last_failure_at >= ${f.since}` : sql``}
    ${f.until ? sql`and last_failure_at < ${f.until}` : sql``}
    ${f.q ? sql`and search @@ websearch_to_tsquery('simple', translate(${f.q}, ':/_-.', '     '))` : sql``}`;
}

/** Letters newest first; the id is the cursor. */
export function listDeadLetters(
  sql: Sql,
  q: DeadLetterFilter & { status?: string; before?: number; limit: number },
): Promise<DeadLetterRow[]> {
  return sql<DeadLetterRow[]>`
    select ${columns(sql)} from dead_letters
     where ${matching(sql, q)} ${q.before ? sql`and id < ${q.before}` : sql``}
     order by id desc limit ${q.limit}`;
}

export async function findDeadLetter(sql: Sql | TransactionSql, id: number): Promise<DeadLetterRow | undefined> {
  const [row] = await sql<DeadLetterRow[]>`select ${columns(sql)} from dead_letters where id = ${id}`;
  return row;
}

/** The open letters a bulk retry takes, oldest first, and how many match in all. */
export async function openLettersMatching(
  sql: Sql,
  filter: DeadLetterFilter,
  limit: number,
): Promise<{ ids: number[]; total: number }> {
  const rows = await sql<{ id: number; total: number }[]>`
    select id, count(*) over ()::int as total from dead_letters
     where ${matching(sql, { ...filter, status: 'open' })} order by id limit ${limit}`;
  return { ids: rows.map((r) => r.id), total: rows[0]?.total ?? 0 };
}

/** Open letters by kind: for the metrics endpoint (`capstan_dead_letters_open{kind}`). */
export async function deadLetterCounts(sql: Sql): Promise<Map<string, number>> {
  const rows = await sql<{ kind: string; count: number }[]>`
    select kind, count(*)::int as count from dead_letters where status = 'open' group by kind`;
  return new Map(rows.map((r) => [r.kind, r.count]));
}
