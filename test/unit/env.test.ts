import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv } from '../../config/env.ts';
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
