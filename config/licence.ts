import { z } from 'zod';
import { ConfigError, type Env } from './env.ts';

/** Chatwoot's premium features, and which plan unlocks which. */
export const premiumFeatures = [
  'disable_branding',
  'audit_logs',
  'sla',
  'custom_roles',
  'captain_integration',
] as const;
export type PremiumFeature = (typeof premiumFeatures)[number];

export const plans = ['community', 'startups', 'business', 'enterprise'] as const;
export type Plan = (typeof plans)[number];

export const planFeatures: Record<Plan, readonly PremiumFeature[]> = {
  community: [],
  startups: ['disable_branding'],
  business: ['disable_branding', 'audit_logs', 'sla'],
  enterprise: premiumFeatures,
};

const publicKeys = z
  .array(z.object({ kid: z.string().min(1), kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().min(40) }))
  .min(1);
export type PinnedKey = z.infer<typeof publicKeys>[number];

/** The `typ` header every licence carries (RFC 8725 explicit typing): no other JWT the vendor signs passes for one. */
export const LICENCE_TYP = 'licence+jwt';

export interface LicenceSettings {
  /** Public keys the vendor signs licences with, by kid (a list, so keys can rotate). */
  publicKeys: PinnedKey[];
  /** The `iss` a licence must name: the vendor's licensing service. */
  issuer: string;
  licensingServerUrl: string;
  /** Heartbeat interval when the licence does not say (`hb` claim). */
  heartbeatIntervalMs: number;
  allowSeatOverage: boolean;
  /** This installation's public URL, reported as `host` in heartbeats. */
  publicUrl?: string;
}

/**
 * Placeholders, not a vendor's: no licensing service anywhere holds this key's private half, and the
 * issuer and server are at a reserved `.example` name. An installation that takes licences sets
 * LICENCE_PUBLIC_KEYS, LICENCE_ISSUER and LICENSING_SERVER_URL; tests and the local stack pin the sandbox's.
 */
const VENDOR_KEYS: PinnedKey[] = [
  { kid: 'capstan-2026', kty: 'OKP', crv: 'Ed25519', x: 'j9ejwP45o6HVZdFr_ZYTVyBJYozxhj5noJzustwpg4s' },
];
const VENDOR_ISSUER = 'https://licensing.capstan.example';

const LICENSING_SERVER_URL = 'https://licensing.capstan.example';

export function licenceSettings(env: Env): LicenceSettings {
  let keys = VENDOR_KEYS;
  if (env.LICENCE_PUBLIC_KEYS) {
    const parsed = publicKeys.safeParse(safeJson(env.LICENCE_PUBLIC_KEYS));
    if (!parsed.success)
      throw new ConfigError(
        'Invalid configuration:\n  LICENCE_PUBLIC_KEYS: must be a JSON array of Ed25519 JWKs [{"kid","kty":"OKP","crv":"Ed25519","x"}]',
      );
    keys = parsed.data;
  }
  return {
    publicKeys: keys,
    issuer: env.LICENCE_ISSUER ?? VENDOR_ISSUER,
    licensingServerUrl: env.LICENSING_SERVER_URL ?? LICENSING_SERVER_URL,
    heartbeatIntervalMs: env.LICENCE_HEARTBEAT_INTERVAL_MS,
    allowSeatOverage: env.LICENCE_ALLOW_SEAT_OVERAGE,
    publicUrl: env.CAPSTAN_PUBLIC_URL,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
