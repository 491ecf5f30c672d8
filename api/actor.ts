import type { Principal } from '../db/tokens.ts';

/** Who did it, as audit rows and workflow inputs record it. */
export function actorOf(principal: Principal): { type: 'PlatformApp' | 'User'; id: string } {
  return principal.kind === 'platform'
    ? { type: 'PlatformApp', id: String(principal.appId) }
    : { type: 'User', id: String(principal.userId) };
}
