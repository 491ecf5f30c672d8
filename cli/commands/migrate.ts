import { loadEnv } from '../../config/env.ts';
import { migrate } from '../../db/migrate.ts';
import { requireSetting } from '../settings.ts';

export async function migrateCommand(): Promise<void> {
  const env = loadEnv();
  const applied = await migrate(requireSetting(env, 'DATABASE_URL'));
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}
