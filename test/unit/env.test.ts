import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../../config/env.ts';
import { apiTargetEnv } from '../../config/api-target-env.ts';
import { licenceSettings } from '../../config/licence.ts';

describe('loadEnv', () => {
  it('gives defaults for an empty environment', () => {
    const env = loadEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.TEMPORAL_NAMESPACE).toBe('default');
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable in one message', () => {
    const attempt = () => loadEnv({ PORT: 'eighty', DATABASE_POOL_MAX: '0', LOG_LEVEL: 'loud' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain('PORT="eighty"');
      expect(message).toContain('DATABASE_POOL_MAX="0"');
      expect(message).toContain('LOG_LEVEL="loud"');
    }
  });

  it('refuses a bootstrap token short enough to guess', () => {
    expect(() => loadEnv({ CAPSTAN_BOOTSTRAP_TOKEN: 'secret' })).toThrow(
      /CAPSTAN_BOOTSTRAP_TOKEN=\(value hidden\): .*at least 24/,
    );
    expect(() => loadEnv({ CAPSTAN_BOOTSTRAP_TOKEN: 'secret' })).not.toThrow(/secret"/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it("expects the vendor's licence issuer unless LICENCE_ISSUER names another", () => {
    expect(licenceSettings(loadEnv({})).issuer).toBe('https://licensing.capstan.example');
    expect(licenceSettings(loadEnv({ LICENCE_ISSUER: 'capstan-sandbox-licensing' })).issuer).toBe(
      'capstan-sandbox-licensing',
    );
  });
});

describe('apiTargetEnv', () => {
  const pick = (env: ReturnType<typeof loadEnv>) => ({
    PORT: env.PORT,
    CAPSTAN_DATA_DIR: env.CAPSTAN_DATA_DIR,
    ...(env.CAPSTAN_API_URL === undefined ? {} : { CAPSTAN_API_URL: env.CAPSTAN_API_URL }),
    ...(env.CAPSTAN_BOOTSTRAP_TOKEN === undefined ? {} : { CAPSTAN_BOOTSTRAP_TOKEN: env.CAPSTAN_BOOTSTRAP_TOKEN }),
  });
  const outcome = (read: () => unknown) => {
    try {
      return { value: read() };
    } catch (err) {
      return { refused: err instanceof ConfigError };
    }
  };

  it.each([
    {},
    { PORT: '4100', CAPSTAN_DATA_DIR: '/tmp/x' },
    { PORT: '' },
    { PORT: '70000' },
    { PORT: 'eighty' },
    { PORT: '80.5' },
    { CAPSTAN_API_URL: 'http://api.example:3000' },
    { CAPSTAN_API_URL: 'not a url' },
    { CAPSTAN_BOOTSTRAP_TOKEN: 'cap_0123456789abcdefghijklmnop' },
    { CAPSTAN_BOOTSTRAP_TOKEN: 'short' },
  ])('reads %o as loadEnv does, without the schema library', (source) => {
    const expected = outcome(() => pick(loadEnv(source)));
    expect(outcome(() => apiTargetEnv(source))).toEqual(expected);
  });
});
