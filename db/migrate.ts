import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import * as ley from 'ley';

const require = createRequire(import.meta.url);
const leyPostgres = require('ley/lib/clients/postgres.js');
const migrationsDir = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any constant works; it only has to be the same in every Capstan process. */
const MIGRATION_LOCK = 0x43415053; // "CAPS"

/**
 * Applies pending migrations with ley. An advisory lock makes concurrent starts
 * (several workers booting at once) apply each migration exactly once.
 */
export async function migrate(url: string): Promise<string[]> {
  const lock = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    const driver = {
      ...leyPostgres,
      connect: () => postgres(url, { max: 1, onnotice: () => {} }),
    };
    return await ley.up({ dir: migrationsDir, cwd: '/', driver, config: {} });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    await lock.end();
  }
}
