import { ConfigError } from './config-error.ts';

/** Defaults envSchema (config/env.ts) shares with the reader below. */
export const PORT_DEFAULT = 3000;
export const DATA_DIR_DEFAULT = '.capstan';
export const TOKEN_MIN_LENGTH = 24;
export const TOKEN_TOO_SHORT = `must be at least ${TOKEN_MIN_LENGTH} characters so it cannot be guessed`;

export interface ApiTargetEnv {
  PORT: number;
  CAPSTAN_DATA_DIR: string;
  CAPSTAN_API_URL?: string;
  CAPSTAN_BOOTSTRAP_TOKEN?: string;
}

/**
 * The four settings a CLI command that only calls the API reads, by envSchema's rules but without its
 * schema library: loading that library was most of such a command's time (test/unit/env.test.ts holds
 * the two readers to the same answers).
 */
export function apiTargetEnv(source: NodeJS.ProcessEnv = process.env): ApiTargetEnv {
  const get = (name: string) => (source[name] === '' ? undefined : source[name]);
  const problems: string[] = [];
  const port = get('PORT') === undefined ? PORT_DEFAULT : Number(get('PORT'));
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`  PORT=${JSON.stringify(get('PORT'))}: must be a whole number from 0 to 65535`);
  const url = get('CAPSTAN_API_URL');
  if (url !== undefined && !URL.canParse(url)) problems.push(`  CAPSTAN_API_URL=${JSON.stringify(url)}: must be a URL`);
  const token = get('CAPSTAN_BOOTSTRAP_TOKEN');
  if (token !== undefined && token.length < TOKEN_MIN_LENGTH)
    problems.push(`  CAPSTAN_BOOTSTRAP_TOKEN=(value hidden): ${TOKEN_TOO_SHORT}`);
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return {
    PORT: port,
    CAPSTAN_DATA_DIR: get('CAPSTAN_DATA_DIR') ?? DATA_DIR_DEFAULT,
    ...(url === undefined ? {} : { CAPSTAN_API_URL: url }),
    ...(token === undefined ? {} : { CAPSTAN_BOOTSTRAP_TOKEN: token }),
  };
}
