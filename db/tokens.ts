import { createHash, randomBytes } from 'node:crypto';
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

export function issueToken(): IssuedToken {
  const plaintext = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { plaintext, sha256: hashToken(plaintext), prefix: displayPrefix(plaintext) };
}

export function displayPrefix(plaintext: string): string {
  return plaintext.slice(0, TOKEN_PREFIX.length + 8);
}

export type Role = 'administrator' | 'agent';

export type Principal =
  | { kind: 'platform'; tokenId: number; appId: number }
  | { kind: 'user'; tokenId: number; userId: number; superAdmin: boolean; roles: ReadonlyMap<number, Role> };

/** Why a token was refused; kept apart so auth debugging can explain it. */
export type TokenLookup =
  | { outcome: 'ok'; principal: Principal }
  | { outcome: 'unknown' }
  | { outcome: 'revoked'; tokenId: number };

export async function lookupToken(sql: Sql, plaintext: string): Promise<TokenLookup> {
  const [row] = await sql<
    { id: number; owner_type: 'User' | 'PlatformApp'; owner_id: number; revoked: boolean; super_admin: boolean | null; roles: [number, Role][] | null }[]
  >`
    select t.id, t.owner_type, t.owner_id, t.revoked_at is not null as revoked,
           u.type = 'SuperAdmin' as super_admin,
           (select json_agg(json_build_array(au.account_id, au.role)) from account_users au
             where t.owner_type = 'User' and au.user_id = t.owner_id) as roles
      from access_tokens t
      left join users u on t.owner_type = 'User' and u.id = t.owner_id
     where t.token_sha256 = ${hashToken(plaintext)}`;
  if (!row) return { outcome: 'unknown' };
  if (row.revoked) return { outcome: 'revoked', tokenId: row.id };
  if (row.owner_type === 'PlatformApp') {
    return { outcome: 'ok', principal: { kind: 'platform', tokenId: row.id, appId: row.owner_id } };
  }
  return {
    outcome: 'ok',
    principal: {
      kind: 'user',
      tokenId: row.id,
      userId: row.owner_id,
      superAdmin: row.super_admin === true,
      roles: new Map((row.roles ?? []).map(([accountId, role]) => [Number(accountId), role])),
    },
  };
}

/**
 * Makes sure a platform app holds the given token (the local stack's bootstrap
 * token). Runs at start-up, before any workflow can, so it writes directly.
 */
export async function ensurePlatformToken(sql: Sql, appName: string, plaintext: string): Promise<void> {
  await sql.begin(async (tx) => {
    const [app] = await tx<{ id: number }[]>`
      insert into platform_apps (name) values (${appName})
      on conflict (name) do update set name = excluded.name
      returning id`;
    await tx`
      insert into access_tokens (owner_type, owner_id, token_sha256, prefix, name)
      values ('PlatformApp', ${app!.id}, ${hashToken(plaintext)}, ${displayPrefix(plaintext)}, 'bootstrap')
      on conflict (token_sha256) do nothing`;
  });
}
