import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { tokenScopes } from '../../activities/token-scopes.ts';
import { accountAccess } from '../../api/auth/account-access.ts';
import type { Sql } from '../../db/pool.ts';
import { platformScopeNames, scopeNames, scopesFor, userScopeNames } from '../../domain/scopes.ts';

describe('the scope registry', () => {
  it('splits every scope between user tokens and platform tokens, an administrator holding all an agent does', () => {
    expect([...userScopeNames, ...platformScopeNames].sort()).toEqual([...scopeNames].sort());
    expect(scopesFor('administrator')).toEqual(expect.arrayContaining(scopesFor('agent')));
    expect(scopesFor('administrator')).not.toEqual(scopesFor('agent'));
    expect(userScopeNames.every((s) => !s.startsWith('platform:'))).toBe(true);
  });

  it('refuses to build a route that admits a role whose tokens can never carry its scope', () => {
    const sql = {} as Sql;
    expect(() => accountAccess({ sql, roles: ['administrator', 'agent'], scope: 'members:manage' })).toThrow(
      /agent role may not hold members:manage/,
    );
    expect(() => accountAccess({ sql, roles: ['administrator'], scope: 'members:manage' })).not.toThrow();
  });
});

describe("a member's new token", () => {
  const refusal = (run: () => unknown) => {
    try {
      run();
    } catch (e) {
      return e instanceof ApplicationFailure ? `${e.type}: ${e.message}` : String(e);
    }
    return 'granted';
  };

  it('gets, without `scopes`, every scope the role allows within what its maker may grant', () => {
    expect(tokenScopes({}, 'agent')).toEqual(scopesFor('agent'));
    expect(tokenScopes({ scopeBound: ['conversations:read', 'webhooks:manage'] }, 'agent')).toEqual([
      'conversations:read',
    ]);
  });

  it('is refused a scope beyond the role or beyond its maker, naming it', () => {
    expect(refusal(() => tokenScopes({ scopes: ['webhooks:manage'] }, 'agent'))).toMatch(
      /^Forbidden: .*webhooks:manage/,
    );
    const bound = { scopeBound: ['conversations:read'] };
    expect(refusal(() => tokenScopes({ ...bound, scopes: ['conversations:write'] }, 'administrator'))).toMatch(
      /^Forbidden: .*conversations:write/,
    );
    expect(refusal(() => tokenScopes({ scopeBound: ['webhooks:manage'] }, 'agent'))).toMatch(/^Forbidden: /);
    expect(tokenScopes({ ...bound, scopes: ['conversations:read'] }, 'agent')).toEqual(['conversations:read']);
  });
});
