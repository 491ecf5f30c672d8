import type { Principal } from '../db/tokens.ts';

/** Who did it, as audit rows and workflow inputs record it; a break-glass token adds the grant it acts under. */
export function actorOf(principal: Principal): { type: 'PlatformApp' | 'User'; id: string; grantId?: number } {
  if (principal.kind === 'platform') return { type: 'PlatformApp', id: String(principal.appId) };
  if (principal.kind === 'breakGlass')
    return { type: 'User', id: String(principal.userId), grantId: principal.grantId };
  return { type: 'User', id: String(principal.userId) };
}
