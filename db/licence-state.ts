import type { LicenceSettings, PremiumFeature } from '../config/licence.ts';
import { currentLicence, heartbeatFacts, seatsUsed } from './licence.ts';
import type { Sql } from './pool.ts';
import { allowedFeatures, licenceStatus, type LicenceStatus } from '../domain/licence/status.ts';
import type { LicenceClaims } from '../domain/licence/verify.ts';

export interface LicenceState {
  status: LicenceStatus;
  claims?: LicenceClaims;
  features: PremiumFeature[];
  seatsUsed: number;
  heartbeatIntervalMs: number;
  lastHeartbeatAt: Date | null;
  lastHeartbeatOutcome: string | null;
  lastConfirmedAt: Date | null;
}

/** Everything known about the licence now: the facts in PostgreSQL run through the pure status function. */
export async function licenceState(sql: Sql, settings: LicenceSettings, now = Date.now()): Promise<LicenceState> {
  const licence = await currentLicence(sql);
  const facts = licence ? await heartbeatFacts(sql, licence.installed_at) : undefined;
  const seats = await seatsUsed(sql);
  const status = licenceStatus(
    {
      claims: licence?.claims,
      installedAt: licence?.installed_at.getTime(),
      lastConfirmedAt: facts?.last_confirmed?.getTime(),
      revoked: facts?.last_status === 'revoked',
      defaultHeartbeatMs: settings.heartbeatIntervalMs,
    },
    now,
  );
  return {
    status,
    claims: licence?.claims,
    features: allowedFeatures(status, licence?.claims),
    seatsUsed: seats,
    heartbeatIntervalMs: licence?.claims.hb ? licence.claims.hb * 1000 : settings.heartbeatIntervalMs,
    lastHeartbeatAt: facts?.last_at ?? null,
    lastHeartbeatOutcome: facts?.last_outcome ?? null,
    lastConfirmedAt: facts?.last_confirmed ?? null,
  };
}
