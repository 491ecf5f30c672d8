import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../../db/pool.ts';
import { lookupToken, type Principal, type TokenLookup } from '../../db/tokens.ts';
import { ProblemError } from '../problem/index.ts';

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
  }
}

/**
 * The token from `Authorization: Bearer …` or Chatwoot's `api_access_token` header. Both may come only
 * carrying the same token: two different credentials on one request are refused (401), never one picked.
 */
export function readToken(headers: { header(name: string): string | undefined }): string | undefined {
  const authorization = headers.header('authorization');
  const bearer = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  const chatwoot = headers.header('api_access_token')?.trim() || undefined;
  if (authorization && chatwoot !== undefined && bearer !== chatwoot)
    throw new ProblemError('unauthenticated', 'Send one token: `Authorization` and `api_access_token` differ.');
  return authorization ? bearer : chatwoot;
}

const refusal: Record<Exclude<TokenLookup['outcome'], 'ok'>, string> = {
  unknown: 'This access token is not known.',
  revoked: 'This access token has been revoked.',
  expired: 'This access token has expired.',
  not_a_member: "This access token's user is no longer a member of the account it was made for.",
};

/** Resolves the caller's token to a principal; every route behind it is authenticated. */
export function authenticate(sql: Sql): MiddlewareHandler {
  return async function authenticateToken(c, next) {
    const token = readToken(c.req);
    if (!token)
      throw new ProblemError(
        'unauthenticated',
        'Send a token as `Authorization: Bearer <token>` or `api_access_token: <token>`.',
      );
    const found = await lookupToken(sql, token);
    if (found.outcome !== 'ok') throw new ProblemError('unauthenticated', refusal[found.outcome]);
    c.set('principal', found.principal);
    await next();
  };
}

export function requirePlatform(
  principal: Principal,
  hint = '',
): asserts principal is Extract<Principal, { kind: 'platform' }> {
  if (principal.kind !== 'platform')
    throw new ProblemError('forbidden', `This endpoint needs a platform token.${hint ? ` ${hint}` : ''}`);
}

/**
 * Guards a platform-token route. Runs before request validation, as `accountAccess` does, so a user token
 * is refused 403 whatever it sends, not told what a valid body would be. Only the operator's token (the
 * bootstrap one) passes, unless the route acts on what an app makes (`anyApp`: provisioning, adding a member,
 * where `accountAccess` and the workflow keep an app to the accounts and users it made).
 */
export function platformAccess(hint = '', { anyApp = false }: { anyApp?: boolean } = {}): MiddlewareHandler {
  return async function checkPlatformAccess(c, next) {
    const principal = c.get('principal');
    requirePlatform(principal, hint);
    if (!anyApp && !principal.operator)
      throw new ProblemError(
        'forbidden',
        "This endpoint is the platform operator's (the bootstrap token): a platform app acts only on the accounts and users it made.",
      );
    await next();
  };
}
