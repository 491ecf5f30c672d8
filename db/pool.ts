import postgres from 'postgres';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

/** The application_name of each process that runs workers: `capstan worker`, and `capstan up` (workers in-process). */
export const WORKER_APPLICATION_NAME = 'capstan-worker';
export const UP_APPLICATION_NAME = 'capstan-up';
export const PROCESSES_RUNNING_WORKERS = [WORKER_APPLICATION_NAME, UP_APPLICATION_NAME];

export interface PoolOptions {
  url: string;
  max: number;
  /** Shown in pg_stat_activity, so an operator can tell API from worker connections. */
  applicationName?: string;
}

export function createPool({ url, max, applicationName = 'capstan' }: PoolOptions): Sql {
  return postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: applicationName },
    // Ids are bigint columns but stay far below 2^53: hand them out as numbers, as Chatwoot's API does.
    types: {
      int8: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (s: string) => Number(s) },
    },
    transform: { undefined: null },
  });
}

/** True when the database answers a trivial query within the timeout. */
export async function pingDatabase(sql: Sql, timeoutMs = 2000): Promise<boolean> {
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  const ping = sql`select 1`.then(
    () => true as const,
    () => false as const,
  );
  return Promise.race([ping, timeout]);
}

/**
 * Waits for the database to answer, so a worker started during a PostgreSQL outage (a restart, a failover) comes up
 * when it returns instead of exiting into its supervisor's back-off.
 */
export async function waitForDatabase(
  sql: Sql,
  { timeoutMs = 120_000, onWait }: { timeoutMs?: number; onWait?: (waitedMs: number) => void } = {},
): Promise<void> {
  const began = Date.now();
  for (let attempt = 0; !(await pingDatabase(sql)); attempt++) {
    const waited = Date.now() - began;
    if (waited >= timeoutMs) throw new Error(`PostgreSQL did not answer in ${Math.round(waited / 1000)} s`);
    if (attempt % 5 === 0) onWait?.(waited);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
