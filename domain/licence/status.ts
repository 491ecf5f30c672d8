import { planFeatures, type PremiumFeature } from '../../config/licence.ts';
import type { LicenceClaims } from './verify.ts';

export type LicenceStatus = 'VALID' | 'GRACE' | 'EXPIRED' | 'REVOKED' | 'COMMUNITY';

export interface LicenceFacts {
  claims?: Pick<LicenceClaims, 'exp' | 'grace' | 'hb' | 'plan' | 'features'>;
  /** When the licence was installed (ms). */
  installedAt?: number;
  /** The last time the licensing server answered `active` (ms). */
  lastConfirmedAt?: number;
  /** The server's last word was `revoked`. */
  revoked?: boolean;
  /** Heartbeat interval when the licence has no `hb` (ms). */
  defaultHeartbeatMs: number;
}

/**
 * The licence's status from what is stored and the time. GRACE: the server has
 * not confirmed it for more than two heartbeat intervals, or it expired less
 * than `grace` ago. Beyond either, EXPIRED. Pure: unit-tested over a table.
 */
export function licenceStatus(facts: LicenceFacts, now: number): LicenceStatus {
  const { claims } = facts;
  if (!claims) return 'COMMUNITY';
  if (facts.revoked) return 'REVOKED';
  const graceMs = claims.grace * 1000;
  const expiredFor = now - claims.exp * 1000;
  if (expiredFor >= graceMs) return 'EXPIRED';
  const heartbeatMs = claims.hb ? claims.hb * 1000 : facts.defaultHeartbeatMs;
  const confirmed = facts.lastConfirmedAt ?? facts.installedAt ?? now;
  const unconfirmedFor = now - confirmed - 2 * heartbeatMs;
  if (unconfirmedFor >= graceMs) return 'EXPIRED';
  if (expiredFor > 0 || unconfirmedFor > 0) return 'GRACE';
  return 'VALID';
}

/** Premium features the status allows: the plan's and the licence's extra ones while VALID or GRACE, none otherwise. */
export function allowedFeatures(
  status: LicenceStatus,
  claims?: Pick<LicenceClaims, 'plan' | 'features'>,
): PremiumFeature[] {
  if (!claims || (status !== 'VALID' && status !== 'GRACE')) return [];
  const extra = claims.features.filter((f): f is PremiumFeature =>
    (planFeatures.enterprise as readonly string[]).includes(f),
  );
  return [...new Set([...planFeatures[claims.plan], ...extra])].sort();
}
