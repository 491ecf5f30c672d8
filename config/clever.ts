import { ConfigError, type Env } from './env.ts';

/** How the Clever Cloud client authenticates (activities/clever-cloud/client.ts). */
export type CleverAuth =
  | {
      kind: 'oauth';
      consumerKey: string;
      consumerSecret: string;
      token: string;
      secret: string;
      signature: 'PLAINTEXT' | 'HMAC-SHA512';
    }
  | { kind: 'token'; token: string };

export interface CleverClientOptions {
  apiUrl: string;
  bridgeUrl: string;
  auth: CleverAuth;
  /** Per request; keep it under the activities' start-to-close (10 s) so an attempt never outlives its retry. */
  timeoutMs?: number;
}

/**
 * Clever Cloud access from the environment: an API token, or all four OAuth
 * values. Undefined when none is set (this process then runs no deploy worker);
 * a partial OAuth set is a configuration error, not a silent fallback.
 */
export function cleverSettings(env: Env): CleverClientOptions | undefined {
  const base = { apiUrl: env.CLEVER_API_URL, bridgeUrl: env.CLEVER_API_BRIDGE_URL };
  if (env.CLEVER_API_TOKEN) return { ...base, auth: { kind: 'token', token: env.CLEVER_API_TOKEN } };
  const oauth = {
    CLEVER_TOKEN: env.CLEVER_TOKEN,
    CLEVER_SECRET: env.CLEVER_SECRET,
    CLEVER_CONSUMER_KEY: env.CLEVER_CONSUMER_KEY,
    CLEVER_CONSUMER_SECRET: env.CLEVER_CONSUMER_SECRET,
  };
  const missing = Object.entries(oauth)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length === 4) return undefined;
  if (missing.length)
    throw new ConfigError(
      `Invalid configuration:\n  ${missing.join(', ')}: required with the other CLEVER_* OAuth values (or set CLEVER_API_TOKEN instead)`,
    );
  return {
    ...base,
    auth: {
      kind: 'oauth',
      consumerKey: oauth.CLEVER_CONSUMER_KEY!,
      consumerSecret: oauth.CLEVER_CONSUMER_SECRET!,
      token: oauth.CLEVER_TOKEN!,
      secret: oauth.CLEVER_SECRET!,
      signature: env.CLEVER_OAUTH_SIGNATURE,
    },
  };
}
