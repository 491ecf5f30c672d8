/** A setting is missing or invalid; the CLI prints its message alone (cli/main.ts matches it by name). */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
