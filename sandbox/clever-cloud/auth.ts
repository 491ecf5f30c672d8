import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';

export interface SandboxCredentials {
  consumerKey: string;
  consumerSecret: string;
  /** OAuth user tokens (CLEVER_TOKEN) → their secrets (CLEVER_SECRET). */
  userTokens: Record<string, string>;
  /** API tokens accepted as Bearer. */
  apiTokens: string[];
}

function parseOAuthHeader(header: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of header.slice(6).matchAll(/(?<![a-z_])([a-z_]+)="([^"]*)"/g))
    params[match[1]!] = decodeURIComponent(match[2]!);
  return params;
}

/**
 * Checks an Authorization header the way Clever Cloud does: OAuth 1.0a with a
 * PLAINTEXT or HMAC-SHA512 signature, or an API token as Bearer.
 * Returns why it is refused, or undefined when it is accepted.
 */
export function refuseAuthorization(
  header: string | undefined,
  method: string,
  url: string,
  credentials: SandboxCredentials,
): string | undefined {
  if (!header) return 'missing Authorization header';
  if (header.startsWith('Bearer '))
    return credentials.apiTokens.includes(header.slice(7).trim()) ? undefined : 'unknown API token';
  if (!header.startsWith('OAuth ')) return 'unsupported authorization scheme';
  const p = parseOAuthHeader(header);
  if (p.oauth_consumer_key !== credentials.consumerKey) return 'unknown consumer key';
  const tokenSecret = p.oauth_token ? credentials.userTokens[p.oauth_token] : undefined;
  if (tokenSecret === undefined) return 'unknown oauth token';
  const method_ = p.oauth_signature_method;
  if (method_ === 'PLAINTEXT') {
    const expected = `${OAuth.prototype.percentEncode(credentials.consumerSecret)}&${OAuth.prototype.percentEncode(tokenSecret)}`;
    return p.oauth_signature === expected ? undefined : 'bad signature';
  }
  if (method_ === 'HMAC-SHA512') {
    const oauth = new OAuth({
      consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
      signature_method: 'HMAC-SHA512',
      hash_function: (base, key) => createHmac('sha512', key).update(base).digest('base64'),
    });
    const oauthData = Object.fromEntries(
      Object.entries(p).filter(([k]) => k !== 'oauth_signature'),
    ) as unknown as OAuth.Authorization;
    const expected = oauth.getSignature({ url, method }, tokenSecret, oauthData);
    return p.oauth_signature === expected ? undefined : 'bad signature';
  }
  return `unsupported signature method ${method_}`;
}
