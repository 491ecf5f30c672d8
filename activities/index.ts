import type { Logger } from '../config/logger.ts';
import type { Sql } from '../db/pool.ts';
import { createAccountActivities } from './accounts.ts';

export interface ActivityDeps {
  sql: Sql;
  logger: Logger;
}

/** Every activity of the core task queue, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createAccountActivities({ ...deps, logger: deps.logger.child({ component: 'activities.accounts' }) }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
