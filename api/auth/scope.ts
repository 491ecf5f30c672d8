import type { MiddlewareHandler } from 'hono';
import type { Principal } from '../../db/tokens.ts';
import { scopesBeyond, scopesFor, userScopeNames } from '../../domain/scopes.ts';
import type { PlatformScope, Scope, UserScope } from '../../domain/scopes.ts';
import { ProblemError } from '../problem/index.ts';
import type { AccountAccess } from './account-access.ts';

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

/**
 * What a token may grant a token it makes: the scopes it carries itself, within the role it acts with. A
 * platform token acting in an account (it needed `platform:accounts` to get there) may grant any user scope.
 */
export function grantableScopes(principal: Principal, via?: AccountAccess['via']): Scope[] {
  if (via === 'platform') return userScopeNames;
  const holder = via === undefined ? 'platform' : via === 'superAdmin' ? 'administrator' : via;
  return scopesFor(holder).filter((scope) => principal.scopes.has(scope));
}

/** Refuses 403 a new token asking for a scope its maker may not grant, naming the first such scope. */
export function requireGrantable(asked: readonly Scope[] | undefined, grantable: readonly Scope[]): void {
  const beyond = scopesBeyond(asked ?? [], grantable);
  if (beyond.length)
    throw new ProblemError(
      'forbidden',
      `This token may not grant ${beyond.join(', ')}: a token grants only scopes it carries, within its role.`,
      { missing_scope: beyond[0] },
    );
}
