import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import * as ley from 'ley';
import { appRoleUrl, enableAppRole } from './app-role.ts';

const require = createRequire(import.meta.url);
const leyPostgres = require('ley/lib/clients/postgres.js');
const migrationsDir = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any constant works; it only has to be the same in every Capstan process. */
const MIGRATION_LOCK = 0x43415053; // "CAPS"

export interface MigrateOptions {
  /** Gives the app role (capstan_app) LOGIN with this password once the migrations are in. */
  appRolePassword?: string;
}

/**
 * Applies pending migrations with ley, connected as the schema's owner. An
 * advisory lock makes concurrent starts (several workers booting at once)
 * apply each migration exactly once.
 */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<string[]> {
  const lock = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    const driver = {
      ...leyPostgres,
      connect: () => postgres(url, { max: 1, onnotice: () => {} }),
    };
    const applied = await ley.up({ dir: migrationsDir, cwd: '/', driver, config: {} });
    if (options.appRolePassword !== undefined) await enableAppRole(lock, options.appRolePassword);
    return applied;
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await lock.end();
  }
}

/** Migrates as the owner at `ownerUrl`; `appUrl` is what the application connects with: the app role's. */
export async function migrateForApp(
  ownerUrl: string,
  appRolePassword: string,
): Promise<{ applied: string[]; appUrl: string }> {
  const applied = await migrate(ownerUrl, { appRolePassword });
  return { applied, appUrl: appRoleUrl(ownerUrl, appRolePassword) };
}
