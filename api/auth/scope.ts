import type { MiddlewareHandler } from 'hono';
import type { Principal } from '../../db/tokens.ts';
import type { PlatformScope, Scope, UserScope } from '../../domain/scopes.ts';
import { ProblemError } from '../problem/index.ts';

/** Refuses with 403 naming the scope, in `missing_scope` and in the detail. */
export function requireScope(principal: Principal, scope: Scope): void {
  if (!principal.scopes.has(scope))
    throw new ProblemError(
      'forbidden',
      `This token does not carry the ${scope} scope this route needs; make a token with it.`,
      { missing_scope: scope },
    );
}

export interface TokenAccessOptions {
  /** The scope a user token needs; without it, user tokens are refused. */
  user?: UserScope;
  /** The scope a platform token needs; without it, platform tokens are refused. */
  platform?: PlatformScope;
  /** Said to the kind of token refused. */
  hint?: string;
}

/**
 * Guards a route outside an account: which kinds of token it admits and the scope each needs. Runs before
 * request validation, so a refused token is not told what a valid body would be.
 */
export function tokenAccess({ user, platform, hint = '' }: TokenAccessOptions): MiddlewareHandler {
  return async function checkTokenAccess(c, next) {
    const principal = c.get('principal');
    const scope = principal.kind === 'platform' ? platform : user;
    if (!scope)
      throw new ProblemError(
        'forbidden',
        `This endpoint needs ${principal.kind === 'platform' ? 'a user' : 'a platform'} token.${hint ? ` ${hint}` : ''}`,
      );
    requireScope(principal, scope);
    await next();
  };
}
