import { createHash, randomBytes } from 'node:crypto';
import { isScope, scopesFor, type Scope } from '../domain/scopes.ts';
import { breakGlassFacts, classifyBreakGlass, BREAK_GLASS_PREFIX } from './break-glass.ts';
import type { Sql } from './pool.ts';

export const TOKEN_PREFIX = 'cap_';

export interface IssuedToken {
  /** Shown once to whoever asked for it; never stored, logged or put in a workflow. */
  plaintext: string;
  sha256: string;
  prefix: string;
}

export function hashToken(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

export function issueToken(prefix = TOKEN_PREFIX): IssuedToken {
  const plaintext = prefix + randomBytes(32).toString('base64url');
  return { plaintext, sha256: hashToken(plaintext), prefix: plaintext.slice(0, prefix.length + 8) };
}

/** The one-time secret of an invitation link. */
export const issueInvitationSecret = (): IssuedToken => issueToken('inv_');

/** The one-time secret of an operator's sign-in link. */
export const issueSignInSecret = (): IssuedToken => issueToken('sil_');

export function displayPrefix(plaintext: string): string {
  return plaintext.slice(0, TOKEN_PREFIX.length + 8);
}

export type Role = 'administrator' | 'agent';

export type Principal =
  | {
      kind: 'platform';
      tokenId: number;
      appId: number;
      /** The operator's app (the bootstrap token's): acts on everything; other apps on what they made only. */
      operator: boolean;
      scopes: ReadonlySet<Scope>;
    }
  | {
      kind: 'user';
      tokenId: number;
      /** What the token may do, whatever its user's role or super-admin power allows. */
      scopes: ReadonlySet<Scope>;
      userId: number;
      /** The one account the token was made for, with the user's role there now. */
      accountId: number;
      roles: ReadonlyMap<number, Role>;
    }
  /** A grantee's break-glass token (db/break-glass.ts): administrator of every account while its grant is in force. */
  | { kind: 'breakGlass'; tokenId: number; userId: number; grantId: number; scopes: ReadonlySet<Scope> };

/** Why a token was refused; kept apart so auth debugging can explain it. */
export type TokenLookup =
  | { outcome: 'ok'; principal: Principal }
  | { outcome: 'unknown' }
  | { outcome: 'revoked'; tokenId: number }
  | { outcome: 'expired'; tokenId: number }
  /** The user left the account the token was made for: the token opens nothing any more. */
  | { outcome: 'not_a_member'; tokenId: number; accountId: number }
  /** A break-glass token whose grant ended (or expired): it opens nothing any more. */
  | { outcome: 'grant_ended'; tokenId: number; userId: number; grantId: number };

/** What PostgreSQL knows of one token, for the lookup and for auth debugging. */
export interface TokenFacts {
  id: number;
  prefix: string;
  owner_type: 'User' | 'PlatformApp';
  owner_id: number;
  account_id: number | null;
  /** Revoked, or made before its user's credentials were reset. */
  revoked: boolean;
  revoked_at: Date | null;
  credentials_reset_at: Date | null;
  expired: boolean;
  expires_at: Date | null;
  role: Role | null;
  scopes: string[];
  account_status: 'active' | 'suspended' | null;
  /** A platform token of the operator's app. */
  operator: boolean | null;
}

/** The facts of the token with this hash, or of every token shown by this prefix (at most 20). */
export async function tokenFacts(
  sql: Sql,
  by: { sha256: string } | { prefix: string } | { id: number },
): Promise<TokenFacts[]> {
  const where =
    'sha256' in by
      ? sql`t.token_sha256 = ${by.sha256}`
      : 'prefix' in by
        ? sql`t.prefix = ${by.prefix}`
        : sql`t.id = ${by.id}`;
  return sql<TokenFacts[]>`
    select t.id, t.prefix, t.owner_type, t.owner_id, t.account_id, t.revoked_at, u.credentials_reset_at,
           t.revoked_at is not null or coalesce(t.created_at <= u.credentials_reset_at, false) as revoked,
           coalesce(t.expires_at <= now(), false) as expired, t.expires_at,
           au.role, t.scopes, a.status as account_status, p.operator
      from access_tokens t
      left join platform_apps p on t.owner_type = 'PlatformApp' and p.id = t.owner_id
      left join users u on t.owner_type = 'User' and u.id = t.owner_id
      left join account_users au on t.owner_type = 'User' and au.account_id = t.account_id and au.user_id = t.owner_id
      left join accounts a on a.id = t.account_id
     where ${where}
     order by t.id
     limit 20`;
}

/** Whether a token opens anything, and as whom; the one rule both the API and auth debugging apply. */
export function classifyToken(row: TokenFacts): TokenLookup {
  if (row.revoked) return { outcome: 'revoked', tokenId: row.id };
  if (row.expired) return { outcome: 'expired', tokenId: row.id };
  // A name no longer in the registry grants nothing.
  const scopes = new Set(row.scopes.filter(isScope));
  if (row.owner_type === 'PlatformApp')
    return {
      outcome: 'ok',
      principal: { kind: 'platform', tokenId: row.id, appId: row.owner_id, operator: row.operator === true, scopes },
    };
  const accountId = Number(row.account_id);
  if (!row.role) return { outcome: 'not_a_member', tokenId: row.id, accountId };
  return {
    outcome: 'ok',
    principal: {
      kind: 'user',
      tokenId: row.id,
      scopes,
      userId: row.owner_id,
      accountId,
      roles: new Map([[accountId, row.role]]),
    },
  };
}

/**
 * A user token acts in the one account it was made for, with the role its user
 * has there at this moment: a role change narrows it and a removal ends it on
 * the next request, whatever other accounts the user belongs to. No user token
 * carries super-admin power, whoever its user is: that power lives only on a
 * break-glass token (its own prefix), and only while its grant is in force.
 */
export async function lookupToken(sql: Sql, plaintext: string): Promise<TokenLookup> {
  if (plaintext.startsWith(BREAK_GLASS_PREFIX)) {
    const [glass] = await breakGlassFacts(sql, { sha256: hashToken(plaintext) });
    return glass ? classifyBreakGlass(glass) : { outcome: 'unknown' };
  }
  const [row] = await tokenFacts(sql, { sha256: hashToken(plaintext) });
  return row ? classifyToken(row) : { outcome: 'unknown' };
}

/** The same rule for a token named by its id (a codec session names the token it was opened with). */
export async function lookupTokenById(sql: Sql, id: number): Promise<TokenLookup> {
  const [row] = await tokenFacts(sql, { id });
  return row ? classifyToken(row) : { outcome: 'unknown' };
}

/**
 * Makes sure the operator's platform app holds the given token (the bootstrap
 * token). Runs at start-up, before any workflow can, so it writes directly.
 */
export async function ensurePlatformToken(sql: Sql, appName: string, plaintext: string): Promise<void> {
  await sql.begin(async (tx) => {
    const [app] = await tx<{ id: number }[]>`
      insert into platform_apps (name, operator) values (${appName}, true)
      on conflict (name) do update set operator = true
      returning id`;
    await tx`
      insert into access_tokens (owner_type, owner_id, token_sha256, prefix, name, scopes)
      values ('PlatformApp', ${app!.id}, ${hashToken(plaintext)}, ${displayPrefix(plaintext)}, 'bootstrap', ${scopesFor('platform')})
      on conflict (token_sha256) do nothing`;
  });
}
