import type { AuthVerdict, TokenDiagnosis } from '../contracts/admin.ts';
import type { BreakGlassFacts } from '../db/break-glass.ts';
import { classifyToken, type Role, type TokenFacts } from '../db/tokens.ts';
import { isPlatformScope, scopesFor, type Scope } from '../domain/scopes.ts';

export interface DiagnosisContext {
  /** The account the refused request was for. */
  accountId?: number;
  requiredRole?: Role;
  requiredScope?: Scope;
  /** That account's status, when it exists. */
  asked?: { status: 'active' | 'suspended' };
  /** What the operator typed, for an unknown token (a prefix only; a whole token is never echoed). */
  prefix?: string | null;
}

/**
 * Why a token is accepted or refused, in the order the API checks: the token
 * itself (db/tokens.ts `classifyToken`, the rule authentication applies), then
 * the scope the route needs, the account it is used for, the role the route
 * needs, and the account's status (a suspended account answers reads and
 * refuses writes with 423).
 */
export function diagnose(facts: TokenFacts | undefined, ctx: DiagnosisContext): TokenDiagnosis {
  if (!facts)
    return {
      prefix: ctx.prefix ?? null,
      verdict: 'unknown',
      explanation: 'No token has this hash or prefix: it was never issued here, or it was mistyped.',
      tokenId: null,
      owner: null,
      accountId: null,
      role: null,
      superAdmin: false,
      scopes: [],
      grantId: null,
    };
  const shown = facts.prefix;
  const base = {
    prefix: shown,
    tokenId: facts.id,
    owner: { type: facts.owner_type, id: facts.owner_id },
    accountId: facts.account_id,
    role: facts.role,
    superAdmin: false,
    scopes: facts.scopes,
    grantId: null,
  };
  const verdict = (v: AuthVerdict, explanation: string): TokenDiagnosis => ({ ...base, verdict: v, explanation });
  const lookup = classifyToken(facts);
  switch (lookup.outcome) {
    case 'unknown':
    case 'grant_ended': // an access token has no grant: diagnoseBreakGlass explains break-glass tokens
      return verdict('unknown', `Token ${shown}… is not known.`);
    case 'revoked':
      return facts.revoked_at
        ? verdict('revoked', `Token ${shown}… was revoked at ${facts.revoked_at.toISOString()}.`)
        : verdict(
            'credentials_reset',
            `Token ${shown}… was made before its user's credentials were reset at ${facts.credentials_reset_at?.toISOString()}; the user needs a new token.`,
          );
    case 'expired':
      return verdict('expired', `Token ${shown}… expired at ${facts.expires_at?.toISOString()}.`);
    case 'not_a_member':
      return verdict(
        'not_a_member',
        `Token ${shown}…'s user is no longer a member of account ${lookup.accountId}, the one account it was made for.`,
      );
    case 'ok':
      break;
  }
  const principal = lookup.principal;
  const account = ctx.accountId ?? facts.account_id;
  // On an account route a platform token needs platform:accounts, whatever a user token would need.
  const needed =
    principal.kind === 'platform' &&
    ctx.requiredScope &&
    ctx.accountId !== undefined &&
    !isPlatformScope(ctx.requiredScope)
      ? 'platform:accounts'
      : ctx.requiredScope;
  if (needed && !principal.scopes.has(needed))
    return verdict(
      'scope_missing',
      `Token ${shown}… does not carry the ${needed} scope the route needs; it carries ${[...principal.scopes].join(', ') || 'none'}. Its holder makes a token with ${needed}.`,
    );
  if (principal.kind === 'user') {
    if (ctx.accountId !== undefined && ctx.accountId !== principal.accountId)
      return verdict(
        'wrong_account',
        `Token ${shown}… was made for account ${principal.accountId} and opens no other; the request was for account ${ctx.accountId}.`,
      );
    const role = principal.roles.get(principal.accountId);
    if (ctx.requiredRole === 'administrator' && role !== 'administrator')
      return verdict(
        'role_too_low',
        `Token ${shown}…'s user is ${role ?? 'no member'} in account ${principal.accountId}; the route needs administrator.`,
      );
  }
  const status = ctx.accountId !== undefined ? ctx.asked?.status : (facts.account_status ?? undefined);
  if (status === 'suspended')
    return verdict(
      'account_suspended',
      `Account ${account} is suspended: token ${shown}… may read there, and every write answers 423 until the account is reactivated.`,
    );
  const as =
    principal.kind === 'platform'
      ? 'a platform token (every account)'
      : principal.kind === 'user'
        ? `${principal.roles.get(principal.accountId)} of account ${principal.accountId} (a user token never carries super-admin power)`
        : 'a break-glass token';
  return verdict('accepted', `Token ${shown}… is accepted: it acts as ${as}.`);
}

/** A break-glass token: in force with its grant (then as any accepted token for the account asked), or ended. */
export function diagnoseBreakGlass(facts: BreakGlassFacts, ctx: DiagnosisContext): TokenDiagnosis {
  const shown = facts.prefix;
  const grant = `grant ${facts.grant_id} of user ${facts.user_id} (${facts.email})`;
  const base = {
    prefix: shown,
    tokenId: facts.id,
    owner: { type: 'User' as const, id: facts.user_id },
    accountId: null,
    role: null,
    superAdmin: facts.in_force,
    scopes: facts.in_force ? scopesFor('administrator') : [],
    grantId: facts.grant_id,
  };
  if (!facts.in_force) {
    const end = facts.ended_at
      ? `ended (${facts.end_reason}) at ${facts.ended_at.toISOString()}`
      : `expired at ${facts.expires_at.toISOString()}`;
    return {
      ...base,
      verdict: 'grant_ended',
      explanation: `Token ${shown}… is the break-glass token of ${grant}, which ${end}: it opens nothing any more.`,
    };
  }
  if (ctx.requiredScope && !base.scopes.includes(ctx.requiredScope))
    return {
      ...base,
      verdict: 'scope_missing',
      explanation: `Token ${shown}… is the break-glass token of ${grant}: it carries an administrator's scopes, not ${ctx.requiredScope}.`,
    };
  if (ctx.accountId !== undefined && ctx.asked?.status === 'suspended')
    return {
      ...base,
      verdict: 'account_suspended',
      explanation: `Account ${ctx.accountId} is suspended: token ${shown}… may read there, and every write answers 423 until the account is reactivated.`,
    };
  return {
    ...base,
    verdict: 'accepted',
    explanation: `Token ${shown}… is the break-glass token of ${grant}, in force until ${facts.expires_at.toISOString()}: it acts as administrator of every account, and every use is audited with grant ${facts.grant_id}.`,
  };
}
