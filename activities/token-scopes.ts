import type { Role } from '../db/tokens.ts';
import { isScope, scopesBeyond, scopesFor, type Scope } from '../domain/scopes.ts';
import { refuse } from './failures.ts';

/**
 * The scopes a member's new token carries: those asked for, or by default every scope the member's role
 * allows; never one the role does not allow, nor one its maker could not grant (`scopeBound`, set by the
 * API from the maker's own token). Checked here again, in the write's transaction, whoever started the run.
 */
export function tokenScopes(cmd: { scopes?: Scope[]; scopeBound?: string[] }, role: Role): Scope[] {
  const bound = cmd.scopeBound && new Set(cmd.scopeBound.filter(isScope));
  const allowed = scopesFor(role).filter((scope) => !bound || bound.has(scope));
  const beyond = cmd.scopes ? scopesBeyond(cmd.scopes, allowed) : [];
  if (beyond.length)
    refuse('Forbidden', `This token may not carry ${beyond.join(', ')}: its maker or the ${role} role does not.`);
  const granted = cmd.scopes ?? allowed;
  if (!granted.length) refuse('Forbidden', `Its maker may grant a ${role} none of the scopes the role allows.`);
  return granted;
}
