import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newAppRolePassword } from '../../db/app-role.ts';

/**
 * The app role's password for this data directory: made on first start and kept
 * beside the data (owner-only), like the payload keys and the platform token, so
 * every later start of the local stack signs in with it.
 */
export async function localAppRolePassword(dataDir: string): Promise<string> {
  const file = join(dataDir, 'database-app-password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = newAppRolePassword();
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}
