import { breakerPolicies, type BreakerPolicy } from './catalogue.ts';
import type { Env } from './env.ts';

/** Every breaker's name: one per dependency, one per webhook receiving host. */
export const breakerNames = {
  cleverCloud: 'clever-cloud',
  licensing: 'licensing',
  /** `host:port` of the receiving URL, the port always written. */
  webhook: (url: string): string => {
    const u = new URL(url);
    return `webhook:${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  },
} as const;

export interface BreakerSettings {
  /** Off: every call goes out and nothing is recorded (comparison runs only). */
  enabled: boolean;
  /** Replaces these thresholds of every policy. */
  override?: Partial<BreakerPolicy>;
}

export const defaultBreakerSettings: BreakerSettings = { enabled: true };

export function breakerSettings(env: Env): BreakerSettings {
  const override: Partial<BreakerPolicy> = {
    ...(env.BREAKER_FAILURE_THRESHOLD && { failureThreshold: env.BREAKER_FAILURE_THRESHOLD }),
    ...(env.BREAKER_WINDOW_MS && { windowMs: env.BREAKER_WINDOW_MS }),
    ...(env.BREAKER_OPEN_MS && { openMs: env.BREAKER_OPEN_MS }),
    ...(env.BREAKER_TRIAL_LEASE_MS && { trialLeaseMs: env.BREAKER_TRIAL_LEASE_MS }),
  };
  return { enabled: env.BREAKERS_ENABLED, override };
}

export function breakerPolicyOf(name: string, settings: BreakerSettings = defaultBreakerSettings): BreakerPolicy {
  const base = name.startsWith('webhook:')
    ? breakerPolicies.webhook
    : name === breakerNames.licensing
      ? breakerPolicies.licensing
      : breakerPolicies.cleverCloud;
  return { ...base, ...settings.override };
}
