import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import * as ley from 'ley';
import { appRoleUrl, enableAppRole } from './app-role.ts';
import { PROCESSES_RUNNING_WORKERS } from './pool.ts';

const require = createRequire(import.meta.url);
const leyPostgres = require('ley/lib/clients/postgres.js');
export const migrationsDir = fileURLToPath(new URL('./migrations', import.meta.url));

type LeyOptions = NonNullable<Parameters<typeof ley.status>[0]>;

/** Any constant works; it only has to be the same in every Capstan process. */
const MIGRATION_LOCK = 0x43415053; // "CAPS"

export interface MigrateOptions {
  /** Gives the app role (capstan_app) LOGIN with this password once the migrations are in. */
  appRolePassword?: string;
  /** Applies pending migrations numbered up to this one only (default: all). */
  to?: number;
}

/** A migration's number: `0018_app_role.js` is 18. */
export function migrationNumber(name: string): number {
  const number = /^(\d+)_/.exec(name)?.[1];
  if (number === undefined) throw new Error(`migration ${name} does not start with its number`);
  return Number(number);
}

/** Runs `work` with ley's options while this process holds the migration lock. */
async function locked<T>(url: string, work: (sql: postgres.Sql, opts: LeyOptions) => Promise<T>): Promise<T> {
  const lock = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    const driver = {
      ...leyPostgres,
      connect: () => postgres(url, { max: 1, onnotice: () => {} }),
    };
    return await work(lock, { dir: migrationsDir, cwd: '/', driver, config: {} });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await lock.end();
  }
}

/**
 * Applies pending migrations with ley, connected as the schema's owner. An
 * advisory lock makes concurrent starts (several workers booting at once)
 * apply each migration exactly once.
 */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<string[]> {
  return locked(url, async (sql, opts) => {
    const { to } = options;
    let applied: string[];
    if (to === undefined) applied = await ley.up(opts);
    else {
      applied = [];
      for (const name of await ley.status(opts)) {
        if (migrationNumber(name) > to) break;
        applied.push(...(await ley.up({ ...opts, single: true })));
      }
    }
    if (options.appRolePassword !== undefined) await enableAppRole(sql, options.appRolePassword);
    return applied;
  });
}

export interface RollbackOptions {
  /** The last migration left applied: every later one is undone, newest first (0 undoes all; default: the newest only). */
  to?: number;
  /** Roll back even while Capstan's workers are connected to the database. */
  force?: boolean;
}

/** Refused: processes that run workers hold connections to the database being rolled back. */
export class WorkersRunningError extends Error {
  override name = 'WorkersRunningError';
}

/**
 * Undoes applied migrations numbered above `to`, newest first, each `down()` in its own
 * transaction. Workers write with the schema's current shape, so their live connections
 * (pg_stat_activity, by application_name) refuse it unless forced.
 */
export async function rollback(url: string, options: RollbackOptions = {}): Promise<string[]> {
  return locked(url, async (sql, opts) => {
    if (!options.force) {
      const running = await workerConnections(sql);
      if (running.length)
        throw new WorkersRunningError(
          `workers are connected to this database (${running.join(', ')}): stop them first, or pass --force`,
        );
    }
    const [row] = await sql<{ ledger: boolean }[]>`select to_regclass('migrations') is not null as ledger`;
    if (!row?.ledger) return [];
    const applied = await sql<{ name: string }[]>`select name from migrations order by id desc`;
    const undone: string[] = [];
    const to = options.to ?? (applied[1] ? migrationNumber(applied[1].name) : 0);
    for (const { name } of applied) {
      if (migrationNumber(name) <= to) break;
      const [down] = await ley.down(opts);
      if (down !== name) throw new Error(`rolled back ${down} where ${name} was expected`);
      undone.push(down);
    }
    return undone;
  });
}

/** Connections of processes that run workers, as `application_name (n)`. */
export async function workerConnections(sql: postgres.Sql): Promise<string[]> {
  const rows = await sql<{ name: string; count: number }[]>`
    select application_name as name, count(*)::int as count from pg_stat_activity
     where datname = current_database() and pid <> pg_backend_pid()
       and application_name in ${sql(PROCESSES_RUNNING_WORKERS)}
     group by application_name order by application_name`;
  return rows.map((r) => `${r.name} (${r.count})`);
}

/** Migrates as the owner at `ownerUrl`; `appUrl` is what the application connects with: the app role's. */
export async function migrateForApp(
  ownerUrl: string,
  appRolePassword: string,
): Promise<{ applied: string[]; appUrl: string }> {
  const applied = await migrate(ownerUrl, { appRolePassword });
  return { applied, appUrl: appRoleUrl(ownerUrl, appRolePassword) };
}
