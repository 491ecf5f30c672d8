import { ConfigError, type Env } from '../config/env.ts';
import type { Logger } from '../config/logger.ts';
import { APP_ROLE, excessRights } from '../db/app-role.ts';
import type { Sql } from '../db/pool.ts';

/**
 * The API and workers connect as a role that reads and writes rows and nothing
 * more. In production a connection with more (a superuser, the schema owner) stops
 * the start; elsewhere it is said once in the log.
 */
export async function checkLeastPrivilege(sql: Sql, env: Env, logger: Logger): Promise<void> {
  const excess = await excessRights(sql);
  if (!excess.length) return;
  const advice = `connect DATABASE_URL as ${APP_ROLE} (capstan migrate with DATABASE_OWNER_URL enables it)`;
  if (env.NODE_ENV === 'production')
    throw new ConfigError(`Invalid configuration:\n  DATABASE_URL=(value hidden): ${excess.join(', ')}; ${advice}`);
  logger.warn({ excess }, `the application connects with more than row rights; ${advice}`);
}
