import { ConfigError, loadEnv } from '../../config/env.ts';
import { appRolePasswordIn } from '../../db/app-role.ts';
import { migrate, rollback } from '../../db/migrate.ts';
import { requireSetting } from '../settings.ts';

/** Where migrations run: as the schema's owner (DATABASE_OWNER_URL) when it is set apart from the application. */
function migrationTarget(): { url: string; appRolePassword?: string } {
  const env = loadEnv();
  const appUrl = requireSetting(env, 'DATABASE_URL');
  if (!env.DATABASE_OWNER_URL && env.NODE_ENV === 'production')
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_OWNER_URL is required when NODE_ENV=production: migrations run as the owner, the application (DATABASE_URL) as capstan_app',
    );
  return env.DATABASE_OWNER_URL
    ? { url: env.DATABASE_OWNER_URL, appRolePassword: appRolePasswordIn(appUrl) }
    : { url: appUrl };
}

/**
 * Migrations run as the schema's owner (DATABASE_OWNER_URL), which then lets the
 * application's role sign in with the password of DATABASE_URL. In production the
 * two are required apart: the API and workers never connect as the owner.
 */
export async function migrateCommand(): Promise<void> {
  const { url, appRolePassword } = migrationTarget();
  const applied = await migrate(url, { appRolePassword });
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}

/** `capstan migrate down [--to N] [--force]`: without --to, undoes the newest migration only. */
export async function migrateDownCommand(options: { to?: string; force?: boolean }): Promise<void> {
  const to = options.to === undefined ? undefined : Number(options.to);
  if (to !== undefined && !(Number.isInteger(to) && to >= 0))
    throw new ConfigError(`--to takes a migration number (0 undoes every migration), not "${options.to}"`);
  const { url } = migrationTarget();
  const undone = await rollback(url, { to, force: options.force });
  console.log(undone.length ? `rolled back: ${undone.join(', ')}` : 'nothing to roll back');
}
