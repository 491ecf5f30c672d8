import type { MiddlewareHandler } from 'hono';
import { currentRequestId } from '../../config/request-context.ts';
import { recordBreakGlassUse } from '../../db/break-glass.ts';
import type { Sql } from '../../db/pool.ts';
import { lookupToken, type Principal, type TokenLookup } from '../../db/tokens.ts';
import type { PlatformScope } from '../../domain/scopes.ts';
import { ProblemError } from '../problem/index.ts';
import { requireScope } from './scope.ts';

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

/** Why a token opens nothing, as the caller is told. */
export const tokenRefusal: Record<Exclude<TokenLookup['outcome'], 'ok'>, string> = {
  unknown: 'This access token is not known.',
  revoked: 'This access token has been revoked.',
  expired: 'This access token has expired.',
  not_a_member: "This access token's user is no longer a member of the account it was made for.",
  grant_ended: "This break-glass token's grant has ended: it opens nothing any more.",
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
    const glass = found.outcome === 'ok' ? found.principal : found;
    if ('grantId' in glass) {
      const action = found.outcome === 'ok' ? 'break_glass.used' : 'break_glass.refused';
      const use = { method: c.req.method, path: c.req.path, requestId: currentRequestId() };
      await recordBreakGlassUse(sql, {
        ...use,
        action,
        tokenId: glass.tokenId,
        userId: glass.userId,
        grantId: glass.grantId,
      });
    }
    if (found.outcome !== 'ok') throw new ProblemError('unauthenticated', tokenRefusal[found.outcome]);
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
 * Guards a platform-token route and names the scope it needs. Runs before request validation, as `accountAccess`
 * does, so a user token is refused 403 whatever it sends, not told what a valid body would be. Only the operator's
 * token (the bootstrap one, and tokens of its app) passes, unless the route acts on what an app makes (`anyApp`:
 * provisioning, adding a member, where `accountAccess` and the workflow keep an app to the accounts and users it
 * made). The scope is checked first, so a refusal for a missing scope names it whoever asks.
 */
export function platformAccess(
  scope: PlatformScope,
  hint = '',
  { anyApp = false }: { anyApp?: boolean } = {},
): MiddlewareHandler {
  return async function checkPlatformAccess(c, next) {
    const principal = c.get('principal');
    requirePlatform(principal, hint);
    requireScope(principal, scope);
    if (!anyApp && !principal.operator)
      throw new ProblemError(
        'forbidden',
        "This endpoint is the platform operator's (the bootstrap token): a platform app acts only on the accounts and users it made.",
      );
    await next();
  };
}
