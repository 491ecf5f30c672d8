/**
 * Every scope a token may carry, and who may hold it. A token carries the scopes chosen when it was made,
 * never more than its maker holds; each route names the one scope it needs beside its role. A new resource
 * adds its scopes here: a token made before them does not carry them.
 */
export type ScopeHolder = 'administrator' | 'agent' | 'platform';

const members = ['administrator', 'agent'] as const;
const admins = ['administrator'] as const;
const platform = ['platform'] as const;

export const scopeRegistry = {
  'accounts:read': { holders: members, grants: 'Read the account the token opens' },
  'members:read': { holders: members, grants: "List the account's members" },
  'members:manage': { holders: admins, grants: 'Change roles, remove members, invite and withdraw invitations' },
  'tokens:manage': { holders: admins, grants: "List and revoke the account's access tokens; make its bots' tokens" },
  'tokens:own': { holders: members, grants: "Make more tokens for the token's own user" },
  'invitations:accept': { holders: members, grants: "Accept an invitation to the token's user, with this token" },
  'inboxes:read': { holders: members, grants: 'List inboxes' },
  'inboxes:manage': { holders: admins, grants: 'Create inboxes' },
  'conversations:read': { holders: members, grants: 'Read conversations and their messages' },
  'conversations:write': { holders: members, grants: 'Post messages and change conversation status' },
  'contacts:read': { holders: members, grants: 'List, search and read contacts and their conversations' },
  'contacts:write': { holders: members, grants: 'Create, update and merge contacts; administrators also delete them' },
  'webhooks:manage': { holders: admins, grants: 'Read and change webhooks and their deliveries' },
  'audit:read': { holders: admins, grants: "Read the account's audit log" },
  'break-glass:activate': { holders: members, grants: "Activate a break-glass grant made for the token's user" },
  'platform:accounts': { holders: platform, grants: 'Create, suspend and act in every account; add members' },
  'platform:tokens': { holders: platform, grants: 'List, create, rotate and revoke platform tokens' },
  'platform:licence': { holders: platform, grants: 'Read and install the licence, run its heartbeat' },
  'platform:deploys': { holders: platform, grants: 'Start, follow and cancel Clever Cloud deploys' },
  'platform:assets': { holders: platform, grants: 'Build, roll back and collect front-end assets' },
  'platform:failures': { holders: platform, grants: 'Read and reset breakers; read, retry and discard dead letters' },
  'platform:schedules': { holders: platform, grants: 'List, pause, resume and trigger schedules' },
  'platform:admin': { holders: platform, grants: 'Break-glass grants, forced resets and auth debugging' },
  'platform:codec': { holders: platform, grants: 'Encode and decode Temporal payloads (the Web UI codec)' },
} as const satisfies Record<string, { holders: readonly ScopeHolder[]; grants: string }>;

export type Scope = keyof typeof scopeRegistry;
type HeldBy<H extends ScopeHolder> = {
  [S in Scope]: H extends (typeof scopeRegistry)[S]['holders'][number] ? S : never;
}[Scope];
/** A scope a user token may carry (in the account it was made for). */
export type UserScope = HeldBy<'administrator'> | HeldBy<'agent'>;
export type PlatformScope = HeldBy<'platform'>;

export const scopeNames = Object.keys(scopeRegistry) as [Scope, ...Scope[]];

export const isScope = (name: string): name is Scope => Object.hasOwn(scopeRegistry, name);
export const isPlatformScope = (scope: Scope): scope is PlatformScope =>
  (scopeRegistry[scope].holders as readonly ScopeHolder[]).includes('platform');

/** Every scope this holder may carry, in registry order: the set a token made without `scopes` gets. */
export function scopesFor(holder: ScopeHolder): Scope[] {
  return scopeNames.filter((s) => (scopeRegistry[s].holders as readonly ScopeHolder[]).includes(holder));
}

/** Every scope a user token may carry, and every one a platform token may: what a request may name. */
export const userScopeNames = scopeNames.filter((s) => !isPlatformScope(s)) as [UserScope, ...UserScope[]];
export const platformScopeNames = scopeNames.filter(isPlatformScope) as [PlatformScope, ...PlatformScope[]];

/** The scopes of `asked` outside `allowed`, in the order asked. */
export const scopesBeyond = (asked: readonly Scope[], allowed: Iterable<Scope>): Scope[] => {
  const within = new Set(allowed);
  return asked.filter((s) => !within.has(s));
};
