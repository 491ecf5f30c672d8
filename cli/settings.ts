import { ConfigError, type Env } from '../config/env.ts';

/** For the production-style commands, which never start local servers of their own. */
export function requireSetting<K extends 'DATABASE_URL' | 'TEMPORAL_ADDRESS'>(env: Env, name: K): string {
  const value = env[name];
  if (!value)
    throw new ConfigError(
      `Invalid configuration:\n  ${name} is required by this command (use \`capstan up\` for a local stack)`,
    );
  return value;
}
