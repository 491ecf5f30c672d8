import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../../db/pool.ts';
import { lookupToken, type Principal } from '../../db/tokens.ts';
import { ProblemError } from '../problem/index.ts';

declare module 'hono' {
  interface ContextVariableMap {
    principal: Principal;
  }
}

/** The token from `Authorization: Bearer …` or Chatwoot's `api_access_token` header. */
export function readToken(headers: { header(name: string): string | undefined }): string | undefined {
  const authorization = headers.header('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1];
  }
  return headers.header('api_access_token')?.trim() || undefined;
}

/** Resolves the caller's token to a principal; every route behind it is authenticated. */
export function authenticate(sql: Sql): MiddlewareHandler {
  return async function authenticateToken(c, next) {
    const token = readToken(c.req);
    if (!token) throw new ProblemError('unauthenticated', 'Send a token as `Authorization: Bearer <token>` or `api_access_token: <token>`.');
    const found = await lookupToken(sql, token);
    if (found.outcome === 'revoked') throw new ProblemError('unauthenticated', 'This access token has been revoked.');
    if (found.outcome === 'unknown') throw new ProblemError('unauthenticated', 'This access token is not known.');
    c.set('principal', found.principal);
    await next();
  };
}

export function requirePlatform(principal: Principal): asserts principal is Extract<Principal, { kind: 'platform' }> {
  if (principal.kind !== 'platform') throw new ProblemError('forbidden', 'This endpoint needs a platform token.');
}
