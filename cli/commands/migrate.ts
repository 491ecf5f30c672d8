import { ConfigError, loadEnv } from '../../config/env.ts';
import { appRolePasswordIn } from '../../db/app-role.ts';
import { migrate } from '../../db/migrate.ts';
import { requireSetting } from '../settings.ts';

/**
 * Migrations run as the schema's owner (DATABASE_OWNER_URL), which then lets the
 * application's role sign in with the password of DATABASE_URL. In production the
 * two are required apart: the API and workers never connect as the owner.
 */
export async function migrateCommand(): Promise<void> {
  const env = loadEnv();
  const appUrl = requireSetting(env, 'DATABASE_URL');
  if (!env.DATABASE_OWNER_URL && env.NODE_ENV === 'production')
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_OWNER_URL is required when NODE_ENV=production: migrations run as the owner, the application (DATABASE_URL) as capstan_app',
    );
  const applied = env.DATABASE_OWNER_URL
    ? await migrate(env.DATABASE_OWNER_URL, { appRolePassword: appRolePasswordIn(appUrl) })
    : await migrate(appUrl);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}
