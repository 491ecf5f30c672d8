import type { MiddlewareHandler } from 'hono';
import { permits } from '../../db/permissibles.ts';
import type { Sql } from '../../db/pool.ts';
import type { Role } from '../../db/tokens.ts';
import { scopeRegistry, type ScopeHolder, type UserScope } from '../../domain/scopes.ts';
import { accountParam } from '../common-schemas.ts';
import { fieldErrors, ProblemError } from '../problem/index.ts';
import { requireScope } from './scope.ts';

/** The account a request acts in, and what let the caller in. */
export interface AccountAccess {
  id: number;
  via: 'platform' | 'superAdmin' | Role;
}

declare module 'hono' {
  interface ContextVariableMap {
    account: AccountAccess;
  }
}

export interface AccountAccessOptions {
  sql: Sql;
  /** The roles a member needs; platform tokens and break-glass tokens pass whatever it says. */
  roles?: readonly Role[];
  /**
   * The scope a user token needs; a platform token needs `platform:accounts` on every account route, and a
   * route that names `platform:accounts` itself admits platform tokens only.
   */
  scope: UserScope | 'platform:accounts';
  /** A suspended account refuses writes (423); only reactivating it passes. */
  whileSuspended?: 'refuse' | 'allow';
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Guards a `/v1/accounts/{id}/…` route. The operator's platform token and break-glass tokens in force
 * reach every account that exists, another platform app the accounts it made; users only the accounts
 * they belong to, in one of
 * `roles`. Runs before request validation, so a stranger learns nothing from
 * a 422 about an account that is not theirs. A suspended account still
 * answers reads, so its data can be looked into, but refuses writes with 423.
 * The token's scope is checked first: a token without it learns nothing, not
 * even whether the account exists.
 */
export function accountAccess({
  sql,
  roles = ['administrator', 'agent'],
  scope,
  whileSuspended = 'refuse',
}: AccountAccessOptions): MiddlewareHandler {
  const holders: readonly ScopeHolder[] = scopeRegistry[scope].holders;
  const unable = scope === 'platform:accounts' ? [] : roles.filter((role) => !holders.includes(role));
  // A role the route admits but whose tokens can never carry its scope is a mistake in the route.
  if (unable.length) throw new Error(`The ${unable.join(', ')} role may not hold ${scope} (domain/scopes.ts).`);
  return async function checkAccountAccess(c, next) {
    const parsed = accountParam.safeParse({ id: c.req.param('id') });
    if (!parsed.success)
      throw new ProblemError('validation', 'Some fields are missing or invalid.', {
        errors: fieldErrors(parsed.error),
      });
    const { id } = parsed.data;
    const principal = c.get('principal');
    if (scope === 'platform:accounts' && principal.kind !== 'platform')
      throw new ProblemError('forbidden', 'This endpoint needs a platform token.');
    requireScope(principal, principal.kind === 'platform' ? 'platform:accounts' : scope);
    const statusOf = async () =>
      (await sql<{ status: string }[]>`select status from accounts where id = ${id}`)[0]?.status;
    let status: string | undefined;
    if (principal.kind !== 'user') {
      // Asked before existence, so an app learns nothing of accounts it did not make.
      if (principal.kind === 'platform' && !principal.operator && !(await permits(sql, principal.appId, 'Account', id)))
        throw new ProblemError('forbidden', `This platform token's app did not make account ${id}.`);
      status = await statusOf();
      if (!status) throw new ProblemError('notFound', `Account ${id} does not exist.`);
      c.set('account', { id, via: principal.kind === 'platform' ? 'platform' : 'superAdmin' });
    } else {
      // A membership implies the account exists; a stranger gets 403 whether it exists or not.
      const role = principal.roles.get(id);
      if (!role) throw new ProblemError('forbidden', `This token's user is not a member of account ${id}.`);
      if (!roles.includes(role))
        throw new ProblemError('forbidden', `This needs the ${roles.join(' or ')} role in account ${id}.`);
      c.set('account', { id, via: role });
    }
    // Checked after access, so a stranger learns nothing of another account's status.
    if (whileSuspended === 'refuse' && !READS.has(c.req.method)) {
      status ??= await statusOf();
      if (status === 'suspended')
        throw new ProblemError(
          'accountSuspended',
          `Account ${id} is suspended: it answers reads but accepts no writes.`,
        );
    }
    await next();
  };
}
